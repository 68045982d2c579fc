"""The progress of a year's departments up to a month: the rows behind the lights.

A fixed number of queries whatever the number of departments: the catalogue, this
year's and last year's indicator values (`results`' loaders: figures in one query, one
per record source) and the month grid of returns. The arithmetic is `lights`'.

Access is the caller's job: pass departments from `access.departments_for(user)` or
`access.get_department_or_404(user, code)`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from assessment.figures import periods, rollup
from assessment.models import AssessmentYear, Department, Indicator, Target
from assessment.models.catalogue import Direction
from assessment.progress import lights
from assessment.scoring import results, rules

ZERO = Decimal(0)


@dataclass(frozen=True)
class IndicatorProgress:
    indicator: Indicator
    department: Department
    progress: lights.Progress
    light: str | None
    reason: str

    @property
    def colour(self) -> str:
        return lights.LIGHT_COLOURS.get(self.light or "", "secondary")


@dataclass(frozen=True)
class TargetProgress:
    target: Target
    department: Department
    projection: lights.TargetProjection
    indicators: list[IndicatorProgress]

    @property
    def light(self) -> str | None:
        return self.projection.light

    @property
    def colour(self) -> str:
        return lights.LIGHT_COLOURS.get(self.light or "", "secondary")


@dataclass
class DepartmentProgress:
    department: Department
    targets: list[TargetProgress]
    per_100: Decimal | None
    grade: rules.Grade | None
    rank: int | None = None

    def count(self, colour: str) -> int:
        return sum(1 for t in self.targets for i in t.indicators if i.light == colour)

    @property
    def greens(self) -> int:
        return self.count(lights.GREEN)

    @property
    def yellows(self) -> int:
        return self.count(lights.YELLOW)

    @property
    def reds(self) -> int:
        return self.count(lights.RED)


@dataclass
class YearProgress:
    year: AssessmentYear
    upto: int
    departments: list[DepartmentProgress]
    bureau_per_100: Decimal | None
    bureau_grade: rules.Grade | None
    last_year: AssessmentYear | None
    this_values: dict[tuple[int, int], results.IndicatorYear] = field(
        default_factory=dict
    )
    last_values: dict[tuple[str, int], results.IndicatorYear] = field(
        default_factory=dict
    )

    @property
    def indicator_lights(self) -> list[IndicatorProgress]:
        return [i for d in self.departments for t in d.targets for i in t.indicators]

    def lit(self, colour: str) -> list[IndicatorProgress]:
        return [i for i in self.indicator_lights if i.light == colour]

    @property
    def reds(self) -> list[IndicatorProgress]:
        return self.lit(lights.RED)

    def light_counts(self) -> list[tuple[str, str, int]]:
        return [
            (colour, lights.LIGHT_COLOURS[colour], len(self.lit(colour)))
            for colour in (lights.GREEN, lights.YELLOW, lights.RED)
        ]


def previous_year(year: AssessmentYear) -> AssessmentYear | None:
    """The year to compare with: the last one before, else the latest earlier year
    the system holds (the trends say which)."""
    return (
        AssessmentYear.objects.issued()
        .filter(year__lt=year.year)
        .order_by("-year")
        .first()
    )


def default_month(year: AssessmentYear) -> int:
    """The last month that is over (12 for a past year; 0 in a year's January)."""
    return lights.months_elapsed(year.year, periods.today())


def year_progress(
    year: AssessmentYear, departments: Iterable[Department], upto: int
) -> YearProgress:
    """Every given department's progress to the end of month `upto`, ranked by its
    projected result per 100; the bureau's projected total from the targets' combine
    rules over the departments given."""
    departments = list(departments)
    ids = [d.pk for d in departments]
    catalogue = results.load_catalogue(year)
    # The months to `upto`, not the year's values: the stored roll-up has no months.
    values = results.live_indicator_values(
        year, catalogue.indicators, catalogue.indicator_departments, ids
    )
    last = previous_year(year)
    last_values: dict[tuple[str, int], results.IndicatorYear] = {}
    if last is not None and ids:
        for (_pk, department_id), entry in results.year_indicator_values(
            last, ids
        ).items():
            last_values[entry.indicator.code, department_id] = entry
    green, yellow = year.light_green_from, year.light_yellow_from
    # "The same period last year" means last year only, never an older one.
    same_period = last_values if last is not None and last.year == year.year - 1 else {}

    rows: list[DepartmentProgress] = []
    for department in departments:
        targets = []
        for target in catalogue.targets_of(department.pk):
            items = []
            for indicator in catalogue.indicators_of(target.pk, department.pk):
                own = values.get((indicator.pk, department.pk))
                months = own.months if own is not None else {}
                previous = same_period.get((indicator.code, department.pk))
                item = lights.progress(
                    months,
                    upto,
                    aggregation=indicator.aggregation,
                    decimals=indicator.decimals,
                    annual_target=indicator.annual_target,
                    at_most=indicator.direction == Direction.AT_MOST,
                    basis=indicator.progress_basis,
                    last_year_months=previous.months if previous else None,
                    weight=indicator.weight,
                    # A record-fed month without records is a month with none.
                    expected_months=() if indicator.source else None,
                )
                items.append(
                    IndicatorProgress(
                        indicator=indicator,
                        department=department,
                        progress=item,
                        light=lights.light(item.ratio, green, yellow),
                        reason=lights.reason(item, indicator.unit, indicator.decimals),
                    )
                )
            projection = lights.project_target(
                target.rule,
                target.points,
                [i.progress for i in items],
                green,
                yellow,
                target.deduction_per_unit,
            )
            targets.append(TargetProgress(target, department, projection, items))
        if not targets:
            continue  # the bureau at the root is assessed through its units
        per_100 = lights.projected_per_100(t.projection for t in targets)
        rows.append(
            DepartmentProgress(
                department=department,
                targets=targets,
                per_100=per_100,
                grade=rules.grade(per_100, year.thresholds),
            )
        )
    ranks = rules.rank([r.per_100 for r in rows])
    for row, place in zip(rows, ranks, strict=True):
        row.rank = place
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.department.order))

    bureau_lines = []
    for target in catalogue.targets:
        scores = [
            t.projection.projected
            for row in rows
            for t in row.targets
            if t.target.pk == target.pk
        ]
        combined = rules.bureau_target_score(scores, target.combine)
        bureau_lines.append(lights.TargetProjection(target.points, combined, None))
    bureau_per_100 = lights.projected_per_100(bureau_lines)
    return YearProgress(
        year=year,
        upto=upto,
        departments=rows,
        bureau_per_100=bureau_per_100,
        bureau_grade=rules.grade(bureau_per_100, year.thresholds),
        last_year=last,
        this_values=values,
        last_values=last_values,
    )


@dataclass(frozen=True)
class TrendRow:
    month: int
    value: Decimal | None
    last_year: Decimal | None
    year_on_year: Decimal | None  # 同比, per cent
    month_on_month: Decimal | None  # 环比, per cent


@dataclass(frozen=True)
class Trend:
    indicator: Indicator
    rows: list[TrendRow]

    def series(self) -> tuple[dict[int, Decimal], dict[int, Decimal]]:
        this = {r.month: r.value for r in self.rows if r.value is not None}
        last = {r.month: r.last_year for r in self.rows if r.last_year is not None}
        return this, last


def key_indicators(year: AssessmentYear, limit: int = 4) -> list[Indicator]:
    """The indicators the dashboard follows: the first typed ones with an annual
    target, in the catalogue's order."""
    return list(
        Indicator.objects.filter(
            year=year, source="", annual_target__isnull=False
        ).order_by("order", "code")[:limit]
    )


def _month_total(
    indicator: Indicator, months: dict[int, list[Decimal]], month: int
) -> Decimal | None:
    values = months.get(month)
    if not values:
        return None
    return rollup.combine_departments(values, indicator.aggregation, indicator.decimals)


def trends(
    watched: YearProgress, indicators: Iterable[Indicator], upto: int
) -> list[Trend]:
    """Each indicator's bureau total per month (its departments added up), this year
    against last year's same month, with 同比 and 环比 in per cent."""
    found = []
    for indicator in indicators:
        this: dict[int, list[Decimal]] = {}
        last: dict[int, list[Decimal]] = {}
        for (indicator_id, _department), own in watched.this_values.items():
            if indicator_id == indicator.pk:
                for month, figure in own.months.items():
                    this.setdefault(month, []).append(figure)
        for (code, _department), before_year in watched.last_values.items():
            if code == indicator.code:
                for month, figure in before_year.months.items():
                    last.setdefault(month, []).append(figure)

        rows = []
        for month in range(1, upto + 1):
            value = _month_total(indicator, this, month)
            before = (
                _month_total(indicator, this, month - 1)
                if month > 1
                else _month_total(indicator, last, 12)
            )
            previous = _month_total(indicator, last, month)
            rows.append(
                TrendRow(
                    month=month,
                    value=value,
                    last_year=previous,
                    year_on_year=lights.change_percent(value, previous),
                    month_on_month=lights.change_percent(value, before),
                )
            )
        found.append(Trend(indicator, rows))
    return found


@dataclass(frozen=True)
class Completeness:
    month: int
    expected: int
    submitted: int  # submitted or approved
    approved: int
    late: list[periods.MonthCell]  # months 1..month overdue, returned or late


def completeness(
    year: AssessmentYear, departments: Iterable[Department], month: int
) -> Completeness | None:
    """This month's returns over the departments that report: one query of returns
    (and one for which departments report)."""
    if month < 1:
        return None
    reporting = periods.reporting(
        year,
        Department.objects.filter(pk__in=[d.pk for d in departments]),
    ).order_by("order", "code")
    grid = periods.month_grid(year, reporting)
    cells = [row.cells[month - 1] for row in grid]
    submitted = sum(1 for c in cells if c.state in ("submitted", "approved"))
    approved = sum(1 for c in cells if c.state == "approved")
    late = [
        c
        for row in grid
        for c in row.cells[:month]
        if c.state in ("overdue", "returned") or c.days_late > 0
    ]
    return Completeness(month, len(cells), submitted, approved, late)
