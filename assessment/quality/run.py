"""The validation run (校验分析): every rule over every month, and every value against
its plausible range, for a year and any set of departments.

The pure part (`rule_violations`, `range_violations`, `tally`) takes Decimal tables
and returns `Violation`s; `load_run` reads the year's figures in one query (the
current year, the year before for change limits, past years for season-derived
ranges), the record-fed values once per source, and evaluates everything in memory.
The page, the .xlsx export and the review panel's count call the same `load_run`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connections
from django.db.models import Q, QuerySet

from assessment.models import AssessmentYear, Figure, MonthRange
from assessment.quality import checks, ranges, rules
from assessment.quality.rules import Check, Importance

#: (department id, indicator code, year, month) -> note.
Notes = Mapping[tuple[int, str, int, int], str]

IMPORTANCE_ORDER = {Importance.BLOCK: 0, Importance.NOTE: 1, Importance.WARN: 2}


class Kind:
    RULE = "rule"
    RANGE = "range"


@dataclass(frozen=True)
class RangeSpec:
    """An indicator's plausible ranges: flat, per month, and the k of history."""

    low: Decimal | None = None
    high: Decimal | None = None
    months: Mapping[int, tuple[Decimal | None, Decimal | None]] = field(
        default_factory=dict
    )
    k: Decimal | None = None


@dataclass(frozen=True)
class Violation:
    """One line of the run: a violated rule, or a value outside its range."""

    kind: str
    #: The rule's id; None for a range.
    rule_id: int | None
    importance: Importance
    #: The department the line is listed under and whose field it links to.
    department: int
    month: int
    #: The indicator code of the field the line links to.
    indicator: str
    #: Left side, or the value for a range.
    left: Decimal
    #: Right side (for a change limit, the base it is measured against); None for a range.
    right: Decimal | None
    low: Decimal | None
    high: Decimal | None
    noted: bool
    check: Check | None = None

    @property
    def order_key(self) -> tuple[int, int, int, str]:
        return (
            self.month,
            0 if self.kind == Kind.RULE else 1,
            self.rule_id or 0,
            self.indicator,
        )


def _link_cell(
    check: Check, selected: Collection[int] | None
) -> tuple[int, str] | None:
    """The field a violated rule is listed under: the checked department's first
    field (left side first), else the first field of a selected department."""
    ordered: list[tuple[int, str]] = []
    for term in check.rule.left + check.rule.right:
        owner = term.department if term.department is not None else check.department
        if owner is not None and (owner, term.indicator) not in ordered:
            ordered.append((owner, term.indicator))
    if not ordered:
        return None
    preferred = [
        cell
        for cell in ordered
        if (check.department is None or cell[0] == check.department)
        and (selected is None or cell[0] in selected)
    ]
    if preferred:
        return preferred[0]
    if selected is not None:
        for cell in ordered:
            if cell[0] in selected:
                return cell
    return ordered[0]


def rule_violations(
    checks_: Iterable[Check],
    notes: Notes,
    selected: Collection[int] | None = None,
) -> list[Violation]:
    """The violated checks as lines; `noted` when any field the rule reads this month
    carries a note."""
    found = []
    for check in checks_:
        if not check.violated:
            continue
        cell = _link_cell(check, selected)
        if cell is None:
            continue
        noted = any(
            notes.get((owner, code, check.year, check.month))
            for owner, code in check.cells
        )
        found.append(
            Violation(
                kind=Kind.RULE,
                rule_id=check.rule.id,
                importance=check.rule.importance,
                department=cell[0],
                month=check.month,
                indicator=cell[1],
                left=check.left,
                right=check.right,
                low=check.low,
                high=check.high,
                noted=noted,
                check=check,
            )
        )
    return found


def range_violations(
    values: rules.Table,
    notes: Notes,
    specs: Mapping[str, RangeSpec],
    year: int,
    months: Collection[int],
) -> list[Violation]:
    """Every value of `year` in `months` outside its plausible range (inclusive
    bounds): the month's own range, the one derived from the same month of past
    years in `values`, or the flat one (quality.ranges)."""
    seasonal = object()
    # (code, month) -> the bounds shared by every department, or `seasonal`: the
    # department's own past years decide (falling back to these bounds).
    bounds: dict[tuple[str, int], tuple[Decimal | None, Decimal | None] | object] = {}
    flat: dict[tuple[str, int], tuple[Decimal | None, Decimal | None]] = {}
    for code, spec in specs.items():
        for month in months:
            shared = ranges.plausible_range(
                (spec.low, spec.high), spec.months.get(month)
            )
            flat[(code, month)] = (shared.low, shared.high)
            if spec.k is not None and month not in spec.months:
                bounds[(code, month)] = seasonal
            else:
                bounds[(code, month)] = flat[(code, month)]
    history_of: dict[tuple[int, str, int], list[Decimal]] = {}
    if any(spec.k is not None for spec in specs.values()):
        for (department, code, each_year, month), value in values.items():
            of_code = specs.get(code)
            if of_code is not None and of_code.k is not None and each_year < year:
                history_of.setdefault((department, code, month), []).append(value)
    found = []
    for key, value in values.items():
        department, code, each_year, month = key
        if each_year != year:
            continue
        found_bounds = bounds.get((code, month))
        if found_bounds is None:
            continue
        if found_bounds is seasonal:
            history = history_of.get((department, code, month), ())
            spec = specs[code]
            derived = ranges.plausible_range(
                (spec.low, spec.high), None, history, spec.k
            )
            low, high = derived.low, derived.high
        else:
            low, high = found_bounds  # type: ignore[misc]
        if (low is not None and value < low) or (high is not None and value > high):
            found.append(
                Violation(
                    kind=Kind.RANGE,
                    rule_id=None,
                    importance=Importance.NOTE,
                    department=department,
                    month=month,
                    indicator=code,
                    left=value,
                    right=None,
                    low=low,
                    high=high,
                    noted=bool(notes.get(key)),
                )
            )
    return found


def tally(violations: Iterable[Violation]) -> dict[Importance, int]:
    """How many violations of each importance, every importance present (0 too)."""
    counts = dict.fromkeys(Importance, 0)
    for violation in violations:
        counts[violation.importance] += 1
    return counts


def checked_pairs(
    rule_list: Iterable[rules.Rule],
    reporting: Mapping[str, Collection[int]],
    selected: Collection[int] | None,
) -> list[tuple[rules.Rule, int | None]]:
    """(rule, context) pairs to evaluate: all of them, or those reading a figure of
    a selected department (so a cross-department rule is found from either side)."""
    pairs = []
    for rule in rule_list:
        for context in rules.contexts(rule, reporting):
            if selected is None or any(
                owner in selected for owner, _code in rules.cells(rule, context)
            ):
                pairs.append((rule, context))
    return pairs


# --- reading the database --------------------------------------------------------------


@dataclass
class Run:
    context: checks.Context
    department_ids: list[int] | None
    months: list[int]
    violations: list[Violation]
    #: (department id, indicator code, year, month) -> value, as read.
    table: dict[tuple[int, str, int, int], Decimal]

    @property
    def counts(self) -> dict[Importance, int]:
        return tally(self.violations)


def range_specs(year: AssessmentYear, context: checks.Context) -> dict[str, RangeSpec]:
    """Each typed indicator's ranges (one query for the per-month ranges)."""
    flat = {
        code: (low, high, k)
        for code, low, high, k in year.indicators.filter(source="").values_list(
            "code", "plausible_min", "plausible_max", "seasonal_k"
        )
    }
    by_month: dict[str, dict[int, tuple[Decimal | None, Decimal | None]]] = {}
    for code, month, low, high in MonthRange.objects.filter(
        indicator__year=year
    ).values_list("indicator__code", "month", "plausible_min", "plausible_max"):
        by_month.setdefault(code, {})[month] = (low, high)
    return {
        code: RangeSpec(low=low, high=high, months=by_month.get(code, {}), k=k)
        for code, (low, high, k) in flat.items()
        if low is not None or high is not None or k is not None or code in by_month
    }


def load_run(
    year: AssessmentYear,
    department_ids: Collection[int] | None = None,
    months: Iterable[int] = range(1, 13),
    *,
    context: checks.Context | None = None,
) -> Run:
    """The run for these departments (None: all) and months, read in a fixed number
    of queries whatever the number of departments."""
    context = context or checks.load_context(year)
    months = sorted(set(months))
    selected = None if department_ids is None else set(department_ids)
    pairs = checked_pairs(context.rules, context.reporting, selected)
    owners: set[int] | None = None
    if selected is not None:
        owners = set(selected)
        for rule, ctx in pairs:
            owners |= {owner for owner, _code in rules.cells(rule, ctx)}
    specs = range_specs(year, context)
    rule_codes = {code for rule, _ctx in pairs for code in rule.indicators()}
    seasonal = {code for code, spec in specs.items() if spec.k is not None}
    this_year = year.year
    # Years by id, so the figures' query need not join the years' table.
    numbers = dict(AssessmentYear.objects.values_list("pk", "year"))
    wanted = Q(monthly_return__year_id=year.pk)
    last = [pk for pk, number in numbers.items() if number == this_year - 1]
    if (rule_codes | seasonal) and last:
        wanted |= Q(
            monthly_return__year_id__in=last,
            indicator__code__in=rule_codes | seasonal,
        )
    earlier = [pk for pk, number in numbers.items() if number < this_year - 1]
    if seasonal and earlier:
        wanted |= Q(monthly_return__year_id__in=earlier, indicator__code__in=seasonal)
    rows = Figure.objects.filter(wanted)
    if owners is not None:
        rows = rows.filter(monthly_return__department_id__in=owners)
    table, notes = _read_figures(rows, numbers)
    checks.add_fed_values(
        context, rule_codes, owners, [this_year - 1, this_year], table
    )
    evaluated = []
    for rule, ctx in pairs:
        for month in months:
            check = rules.evaluate(rule, table, ctx, this_year, month, context.fed)
            if check is not None and check.violated:
                evaluated.append(check)
    found = rule_violations(evaluated, notes, selected)
    # Record-fed values have no range (range_specs holds typed indicators only).
    in_range = range_violations(table, notes, specs, this_year, months)
    if selected is not None:
        in_range = [v for v in in_range if v.department in selected]
    found += in_range
    order = {pk: d.order for pk, d in context.departments.items()}
    found.sort(key=lambda v: (order.get(v.department, 0), v.department, *v.order_key))
    return Run(
        context=context,
        department_ids=None if selected is None else sorted(selected),
        months=months,
        violations=found,
        table=table,
    )


def _read_figures(
    rows: QuerySet[Figure], numbers: Mapping[int, int]
) -> tuple[
    dict[tuple[int, str, int, int], Decimal], dict[tuple[int, str, int, int], str]
]:
    """(department, code, year, month) -> value and -> note, for the figures of `rows`
    (`numbers`: year id -> year).

    The queryset's own SQL is run on a plain cursor: a district's year is some
    100,000 figures, and Django's per-value Decimal converters (on SQLite) took
    longer than the query. Values come back as Decimal (PostgreSQL) or as int or
    float (SQLite), which read exactly through their shortest repr.
    """
    query = rows.values_list(
        "monthly_return__department_id",
        "indicator__code",
        "monthly_return__year_id",
        "monthly_return__month",
        "value",
        "note",
    ).query
    sql, params = query.get_compiler(using=rows.db).as_sql()
    table: dict[tuple[int, str, int, int], Decimal] = {}
    notes: dict[tuple[int, str, int, int], str] = {}
    connection = connections[rows.db]
    exact = connection.vendor != "sqlite"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(5000):
            for department, code, year_id, month, value, note in chunk:
                key = (department, code, numbers[year_id], month)
                table[key] = value if exact else Decimal(repr(value))
                if note:
                    notes[key] = note
    return table, notes


def month_count(year: AssessmentYear, department_id: int, month: int) -> int:
    """How many violations a department's month has (the review panel's count)."""
    return len(load_run(year, [department_id], [month]).violations)
