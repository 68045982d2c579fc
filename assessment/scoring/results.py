"""The year's results: the one place that fetches the rows that scores are made of.

A handful of aggregated queries (IN filters over the departments asked for, never one
query per department) load the catalogue, the figures, the record-fed values, the scores,
the self-assessments, the adjustments and the vetoes; the pure functions of `rollup` and
`scoring` do the arithmetic. The web pages, the report and the spreadsheets call these
functions, so they all show the same numbers.

Access is the caller's job: pass departments obtained through
`access.departments_for(user)` / `access.get_department_or_404(user, code)`.

Which score counts: the supervisor's assessed score where there is one, otherwise the
score the rule suggests (so a total is available, marked provisional, while scoring is
under way), otherwise zero.

Which targets a department is assessed on: those assigned to it, plus the common ones
unless it has sub-departments (the bureau at the root of the tree is assessed through
its units, not as one of them).
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby
from operator import itemgetter

from django.db import connection

from assessment import catalogue_cache, sources
from assessment.figures import rollup
from assessment.models import (
    Adjustment,
    AssessmentYear,
    Department,
    Figure,
    Indicator,
    MonthlyReturn,
    Score,
    SelfAssessment,
    Target,
    Veto,
    YearValue,
)
from assessment.models.catalogue import Direction
from assessment.scoring import rules

ZERO = Decimal(0)


@dataclass(slots=True)
class IndicatorYear:
    """One indicator's year for one department: its months and the rolled-up value."""

    indicator: Indicator
    department_id: int
    months: dict[int, Decimal] = field(default_factory=dict)
    #: Read from the stored roll-up (`figures.stored`): `stored` is the year value with
    #: the indicator's decimal places (`rollup.stored_value`) and the months were not
    #: read.
    from_store: bool = False
    stored: Decimal | None = None

    @property
    def value(self) -> Decimal | None:
        if self.from_store:
            return self.stored
        return rollup.roll_up(
            self.months, self.indicator.aggregation, self.indicator.decimals
        )

    @property
    def target(self) -> Decimal | None:
        return self.indicator.annual_target

    @property
    def target_shown(self) -> Decimal | None:
        """The annual target with the indicator's decimal places, for display."""
        if self.target is None:
            return None
        return rollup.quantize(self.target, self.indicator.decimals)

    @property
    def at_most(self) -> bool:
        return self.indicator.direction == Direction.AT_MOST

    @property
    def completion(self) -> Decimal | None:
        """Unrounded completion ratio (1 = met); see `rollup.completion`."""
        return rollup.completion(self.value, self.target, self.at_most)

    @property
    def completion_percent(self) -> Decimal | None:
        return rollup.percent(self.completion)

    @property
    def is_computed(self) -> bool:
        return self.indicator.is_computed

    def month_list(self) -> list[Decimal | None]:
        """The twelve months in order with the indicator's decimals; None if missing."""
        if self.from_store:
            raise ValueError("a stored year value has no months: read them live")
        decimals = self.indicator.decimals
        return [
            None if value is None else rollup.quantize(value, decimals)
            for value in (self.months.get(month) for month in range(1, 13))
        ]

    def as_rule_input(self) -> rules.IndicatorResult:
        return rules.IndicatorResult(
            value=self.value,
            target=self.target,
            at_most=self.at_most,
            weight=self.indicator.weight,
        )


@dataclass
class TargetResult:
    """One target of one department: points, self score, suggestion, assessed score."""

    target: Target
    indicators: list[IndicatorYear]
    suggested: Decimal | None
    score: Score | None
    self_assessment: SelfAssessment | None

    @property
    def points(self) -> Decimal:
        return self.target.points

    @property
    def self_score(self) -> Decimal | None:
        return self.self_assessment.self_score if self.self_assessment else None

    @property
    def assessed(self) -> Decimal | None:
        return self.score.assessed_score if self.score else None

    @property
    def reason(self) -> str:
        return self.score.reason if self.score else ""

    @property
    def is_scored(self) -> bool:
        return self.assessed is not None

    @property
    def effective(self) -> Decimal | None:
        """Assessed, else suggested; None when there is neither."""
        return self.assessed if self.assessed is not None else self.suggested

    @property
    def counted(self) -> Decimal:
        """The score that enters the total: assessed, else suggested, else zero."""
        effective = self.effective
        return ZERO if effective is None else effective

    @property
    def differs_from_suggestion(self) -> bool:
        return (
            self.assessed is not None
            and self.suggested is not None
            and self.assessed != self.suggested
        )


@dataclass
class DepartmentResult:
    """A department's year: each target, the adjustments, the total and the grade."""

    year: AssessmentYear
    department: Department
    targets: list[TargetResult]
    deductions: list[Adjustment]
    bonuses: list[Adjustment]
    vetoes: list[Veto]
    total: rules.Total
    possible_points: Decimal
    grade: rules.Grade | None
    rank: int | None = None

    @property
    def total_per_100(self) -> Decimal | None:
        """The result on the ranking's 100-point scale (see `rules.Total`)."""
        return self.total.total

    @property
    def vetoed(self) -> bool:
        return bool(self.vetoes)

    @property
    def scored_count(self) -> int:
        return sum(1 for line in self.targets if line.is_scored)

    @property
    def to_score_count(self) -> int:
        return len(self.targets) - self.scored_count

    @property
    def is_complete(self) -> bool:
        """Every target has an assessed score: the total is no longer provisional."""
        return self.to_score_count == 0

    def target_result(self, target_id: int) -> TargetResult | None:
        for line in self.targets:
            if line.target.pk == target_id:
                return line
        return None


@dataclass
class BureauTargetResult:
    """A target of the catalogue at the bureau's level, combined by its rule."""

    target: Target
    department_scores: list[tuple[Department, Decimal | None]]
    score: Decimal | None


@dataclass
class BureauResult:
    """The bureau's year on the catalogue's 100 points."""

    year: AssessmentYear
    targets: list[BureauTargetResult]
    catalogue_points: Decimal
    total: Decimal | None
    grade: rules.Grade | None
    vetoed: bool
    departments: list[DepartmentResult]

    @property
    def is_complete(self) -> bool:
        return all(result.is_complete for result in self.departments)


@dataclass
class _Catalogue:
    targets: list[Target]
    target_departments: dict[int, set[int]]
    indicators: list[Indicator]
    indicator_departments: dict[int, set[int]]
    parent_ids: set[int]

    def targets_of(self, department_id: int) -> list[Target]:
        """Its own targets, and the common ones unless it is a parent department."""
        common = department_id not in self.parent_ids
        return [
            t
            for t in self.targets
            if (common and t.is_common)
            or department_id in self.target_departments[t.pk]
        ]

    #: The indicators of each (target, department), in the catalogue's order: built
    #: once, so that a report of 100 departments does not scan every indicator for
    #: every target of every department.
    _by_target_department: dict[tuple[int, int], list[Indicator]] = field(
        init=False, repr=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        index: dict[tuple[int, int], list[Indicator]] = defaultdict(list)
        for indicator in self.indicators:
            if indicator.target_id is None:
                continue  # not under a target: no target asks for it
            for department_id in self.indicator_departments.get(indicator.pk, ()):
                index[(indicator.target_id, department_id)].append(indicator)
        self._by_target_department = dict(index)

    def indicators_of(self, target_id: int, department_id: int) -> list[Indicator]:
        return list(self._by_target_department.get((target_id, department_id), ()))


def _load_catalogue(year: AssessmentYear) -> _Catalogue:
    targets = list(
        Target.objects.filter(category__year=year).select_related(
            "category", "scoring_body"
        )
    )
    target_departments: dict[int, set[int]] = defaultdict(set)
    for target_id, department_id in Target.departments.through.objects.filter(
        target__category__year=year
    ).values_list("target_id", "department_id"):
        target_departments[target_id].add(department_id)
    indicators = list(Indicator.objects.filter(year=year))
    indicator_departments: dict[int, set[int]] = defaultdict(set)
    for indicator_id, department_id in Indicator.departments.through.objects.filter(
        indicator__year=year
    ).values_list("indicator_id", "department_id"):
        indicator_departments[indicator_id].add(department_id)
    parent_ids = set(
        Department.objects.filter(parent__isnull=False)
        .values_list("parent_id", flat=True)
        .distinct()
    )
    return _Catalogue(
        targets, target_departments, indicators, indicator_departments, parent_ids
    )


def load_catalogue(year: AssessmentYear) -> _Catalogue:
    """The year's targets and indicators with the departments they apply to."""
    return _load_catalogue(year)


def _indicator_values(
    year: AssessmentYear,
    indicators: Iterable[Indicator],
    indicator_departments: Mapping[int, set[int]],
    department_ids: list[int],
    *,
    stored: bool = False,
) -> dict[tuple[int, int], IndicatorYear]:
    if stored:
        return _stored_values(year, indicators, indicator_departments, department_ids)
    return live_indicator_values(
        year, indicators, indicator_departments, department_ids
    )


def _stored_values(
    year: AssessmentYear,
    indicators: Iterable[Indicator],
    indicator_departments: Mapping[int, set[int]],
    department_ids: list[int],
) -> dict[tuple[int, int], IndicatorYear]:
    """Year values from the stored roll-up: one row per department and indicator."""
    wanted = set(department_ids)
    indicators = [i for i in indicators if indicator_departments.get(i.pk)]
    if not wanted or not indicators:
        return {}
    table = connection.ops.quote_name(YearValue._meta.db_table)
    marks = ", ".join(["%s"] * len(department_ids))
    values: dict[tuple[int, int], IndicatorYear] = {}
    with _collector_paused(), connection.cursor() as cursor:
        cursor.execute(
            f"SELECT indicator_id, department_id, value FROM {table} "
            f"WHERE year_id = %s AND department_id IN ({marks}) "
            f"AND value IS NOT NULL",
            [year.pk, *department_ids],
        )
        raw = {(i, d): value for i, d, value in cursor.fetchall()}
        for indicator in indicators:
            pk = indicator.pk
            departments = list(indicator_departments[pk] & wanted)
            converted = rollup.stored_values(
                [raw.get((pk, d)) for d in departments], indicator.decimals
            )
            for department_id, value in zip(departments, converted, strict=True):
                values[pk, department_id] = IndicatorYear(
                    indicator, department_id, {}, True, value
                )
    return values


def _stored_rows(
    year: AssessmentYear, department_ids: list[int]
) -> list[tuple[int, int, rollup.Raw]]:
    """(indicator id, department id, stored value as the driver returns it, None
    without a row) of each assignment of the year's indicators to the departments, by
    indicator: one query."""
    quote = connection.ops.quote_name
    through = quote(Indicator.departments.through._meta.db_table)
    marks = ", ".join(["%s"] * len(department_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT a.indicator_id, a.department_id, v.value "
            f"FROM {through} a "
            f"JOIN {quote(Indicator._meta.db_table)} i ON i.id = a.indicator_id "
            f"LEFT JOIN {quote(YearValue._meta.db_table)} v "
            f"ON v.indicator_id = a.indicator_id "
            f"AND v.department_id = a.department_id AND v.year_id = i.year_id "
            f"WHERE i.year_id = %s AND a.department_id IN ({marks}) "
            f"ORDER BY i.id",
            [year.pk, *department_ids],
        )
        return cursor.fetchall()


def _stored_year_values(
    year: AssessmentYear, department_ids: list[int]
) -> dict[tuple[int, int], IndicatorYear]:
    """`_stored_values` of the whole year's catalogue without loading it: the year's
    indicators (kept until the catalogue changes, `catalogue_cache`), then each
    assignment (indicator, department) with its stored row, if any, in one query."""
    if not department_ids:
        return {}
    indicators = catalogue_cache.cached(
        "year-indicators",
        (year.pk,),
        lambda: {i.pk: i for i in Indicator.objects.filter(year=year)},
    )
    if not indicators:
        return {}
    values: dict[tuple[int, int], IndicatorYear] = {}
    with _collector_paused():
        rows = _stored_rows(year, department_ids)
        # Each indicator's values are converted at once.
        for indicator_id, group in groupby(rows, key=itemgetter(0)):
            indicator = indicators.get(indicator_id)
            if indicator is None:
                continue  # created after the indicators were read
            found = list(group)
            converted = rollup.stored_values(
                [row[2] for row in found], indicator.decimals
            )
            for (_, department_id, _), value in zip(found, converted, strict=True):
                values[indicator_id, department_id] = IndicatorYear(
                    indicator, department_id, {}, True, value
                )
    return values


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while thousands of rows and entries
    are built: they hold no cycles, and every pass it makes meanwhile walks all of
    them again (a third to a half of the stored read of 8,000 entries a year,
    measured). Whoever paused it resumes it, so concurrent reads leave it on."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def live_indicator_values(
    year: AssessmentYear,
    indicators: Iterable[Indicator],
    indicator_departments: Mapping[int, set[int]],
    department_ids: list[int],
) -> dict[tuple[int, int], IndicatorYear]:
    """Indicator years read from the monthly figures and the records' sources."""
    indicators = list(indicators)
    wanted = set(department_ids)
    values: dict[tuple[int, int], IndicatorYear] = {}
    by_source: dict[str, list[Indicator]] = defaultdict(list)
    for indicator in indicators:
        for department_id in indicator_departments.get(indicator.pk, set()) & wanted:
            values[indicator.pk, department_id] = IndicatorYear(
                indicator, department_id
            )
        if indicator.source:
            by_source[indicator.source].append(indicator)
    if not values:
        return values

    typed_ids = [indicator.pk for indicator in indicators if not indicator.source]
    for indicator_id, department_id, month, value in _typed_months(
        year, department_ids, typed_ids
    ):
        entry = values.get((indicator_id, department_id))
        if entry is not None:
            entry.months[month] = value

    # One query per source in use, whatever the number of departments.
    for key, fed in by_source.items():
        source = sources.get(key)
        if source is None:
            continue
        monthly = source.monthly_values(department_ids, year.year)
        for (department_id, month), value in monthly.items():
            for indicator in fed:
                entry = values.get((indicator.pk, department_id))
                if entry is not None:
                    entry.months[month] = value
    return values


def _typed_months(
    year: AssessmentYear, department_ids: list[int], indicator_ids: list[int]
) -> Iterator[tuple[int, int, int, Decimal]]:
    """(indicator id, department id, month, value) of the typed figures: one query,
    written once as SQL (building it through the ORM cost more than running it, most
    of a single-figure save's upkeep) and its values converted by the database
    backend's own converters, exactly as the ORM converts them."""
    if not department_ids or not indicator_ids:
        return
    quote = connection.ops.quote_name
    field = Figure._meta.get_field("value")
    column = field.get_col(Figure._meta.db_table)
    converters = [
        *connection.ops.get_db_converters(column),
        *column.get_db_converters(connection),
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT f.indicator_id, r.department_id, r.month, f.value "
            f"FROM {quote(Figure._meta.db_table)} f "
            f"JOIN {quote(MonthlyReturn._meta.db_table)} r "
            f"ON r.id = f.monthly_return_id "
            f"WHERE r.year_id = %s "
            f"AND r.department_id IN ({', '.join(['%s'] * len(department_ids))}) "
            f"AND f.indicator_id IN ({', '.join(['%s'] * len(indicator_ids))})",
            [year.pk, *department_ids, *indicator_ids],
        )
        for indicator_id, department_id, month, value in cursor.fetchall():
            for convert in converters:
                value = convert(value, column, connection)
            yield indicator_id, department_id, month, value


def year_indicator_values(
    year: AssessmentYear, department_ids: Iterable[int], *, stored: bool = False
) -> dict[tuple[int, int], IndicatorYear]:
    """{(indicator id, department id): IndicatorYear} for the year's indicators.

    Typed indicators read the monthly figures, record-fed ones their source; only the
    departments that report an indicator get an entry (with empty months if nothing was
    reported). `stored=True` reads the year values from the stored roll-up instead
    (no months).
    """
    ids = list(department_ids)
    if stored:
        return _stored_year_values(year, ids)
    catalogue = _load_catalogue(year)
    return _indicator_values(
        year, catalogue.indicators, catalogue.indicator_departments, ids, stored=stored
    )


def _results(
    year: AssessmentYear,
    departments: list[Department],
    catalogue: _Catalogue,
    *,
    stored: bool = False,
) -> list[DepartmentResult]:
    ids = [d.pk for d in departments]
    if not ids:
        return []
    values = _indicator_values(
        year,
        catalogue.indicators,
        catalogue.indicator_departments,
        ids,
        stored=stored,
    )
    scores = {
        (s.target_id, s.department_id): s
        for s in Score.objects.filter(
            target__category__year=year, department_id__in=ids
        ).select_related("scored_by")
    }
    self_assessments = {
        (s.target_id, s.department_id): s
        for s in SelfAssessment.objects.filter(
            target__category__year=year, department_id__in=ids
        )
    }
    adjustments: dict[int, list[Adjustment]] = defaultdict(list)
    for adjustment in Adjustment.objects.filter(
        year=year, department_id__in=ids
    ).select_related("target", "created_by"):
        adjustments[adjustment.department_id].append(adjustment)
    vetoes: dict[int, list[Veto]] = defaultdict(list)
    for veto in (
        Veto.objects.filter(year=year, department_id__in=ids)
        .select_related("created_by")
        .order_by("created_at")
    ):
        vetoes[veto.department_id].append(veto)

    results = []
    for department in departments:
        lines = []
        for target in catalogue.targets_of(department.pk):
            indicator_years = [
                values[indicator.pk, department.pk]
                for indicator in catalogue.indicators_of(target.pk, department.pk)
            ]
            lines.append(
                TargetResult(
                    target=target,
                    indicators=indicator_years,
                    suggested=rules.suggested_score(
                        target.rule,
                        target.points,
                        [i.as_rule_input() for i in indicator_years],
                        target.deduction_per_unit,
                    ),
                    score=scores.get((target.pk, department.pk)),
                    self_assessment=self_assessments.get((target.pk, department.pk)),
                )
            )
        own_adjustments = adjustments[department.pk]
        possible = sum((line.points for line in lines), ZERO)
        total = rules.department_total(
            [line.counted for line in lines],
            possible,
            [(a.kind, a.points) for a in own_adjustments],
            year.bonus_cap,
        )
        own_vetoes = vetoes[department.pk]
        results.append(
            DepartmentResult(
                year=year,
                department=department,
                targets=lines,
                deductions=[
                    a for a in own_adjustments if a.kind == Adjustment.Kind.DEDUCTION
                ],
                bonuses=[a for a in own_adjustments if a.kind == Adjustment.Kind.BONUS],
                vetoes=own_vetoes,
                total=total,
                possible_points=possible,
                grade=rules.grade(total.total, year.thresholds, bool(own_vetoes)),
            )
        )
    return results


def department_result(year: AssessmentYear, department: Department) -> DepartmentResult:
    """One department's result (without a rank: that needs the others)."""
    return _results(year, [department], _load_catalogue(year))[0]


def _ranked(results: list[DepartmentResult]) -> list[DepartmentResult]:
    ranks = rules.rank([r.total_per_100 for r in results], [r.vetoed for r in results])
    for result, place in zip(results, ranks, strict=True):
        result.rank = place
    return sorted(
        results,
        key=lambda r: (
            r.rank is None,
            r.rank or 0,
            r.department.order,
            r.department.code,
        ),
    )


def year_results(
    year: AssessmentYear, departments: Iterable[Department], *, stored: bool = False
) -> list[DepartmentResult]:
    """The results of the given departments, ranked among themselves (ties share a rank).

    Pass all departments for the bureau's ranking. Departments with no targets (such as
    the bureau at the root of the tree) are not assessed and left out. `stored=True`
    reads the year values from the stored roll-up: for pages that show no months.
    """
    catalogue = _load_catalogue(year)
    return _ranked(
        _assessed(_results(year, list(departments), catalogue, stored=stored))
    )


def _assessed(department_results: list[DepartmentResult]) -> list[DepartmentResult]:
    return [r for r in department_results if r.targets]


def bureau_result(
    year: AssessmentYear, results: list[DepartmentResult]
) -> BureauResult:
    """The bureau's total on the catalogue's 100 points and its grade.

    Each target's bureau score combines the scores of the departments it applies to by
    the target's rule (lowest or average), leaving out departments with neither an
    assessed nor a suggested score; a target no department holds scores nothing.
    A veto against any department vetoes the bureau. `results` are the results of the
    departments the caller may see (`year_results(year, departments_for(user))`); for
    the bureau's own total that is every department.

    The departments' deductions and bonus items are the bureau's internal assessment of
    its departments: they move each department's result and rank, not the bureau's
    total, which the district judges on the catalogue alone.
    """
    catalogue = _load_catalogue(year)
    lines = []
    for target in catalogue.targets:
        department_scores = []
        for result in results:
            line = result.target_result(target.pk)
            if line is not None:
                department_scores.append((result.department, line.effective))
        lines.append(
            BureauTargetResult(
                target=target,
                department_scores=department_scores,
                score=rules.bureau_target_score(
                    [s for _, s in department_scores], target.combine
                ),
            )
        )
    catalogue_points = sum((t.points for t in catalogue.targets), ZERO)
    total = rules.bureau_total([line.score for line in lines], catalogue_points)
    vetoed = any(r.vetoed for r in results)
    return BureauResult(
        year=year,
        targets=lines,
        catalogue_points=catalogue_points,
        total=total,
        grade=rules.grade(total, year.thresholds, vetoed),
        vetoed=vetoed,
        departments=results,
    )
