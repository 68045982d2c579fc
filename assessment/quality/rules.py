"""Validation rules as pure functions over a table of figures.

A rule compares two expressions, each a sum of indicators times coefficients, of the
department being checked or of a named department, for the month or the year to
date. The comparison is one of ≤ < = ≥ >, or a change limit: the left expression
against itself last month (December of the year before for January) or in the same
month last year, within ± a percentage.

The table maps (department id, indicator code, year, month) to a Decimal; indicators
are matched by code because each year has its own catalogue. A value missing on
either side means the rule is not evaluated (None), except for indicators fed by
records, whose month without records is zero.
"""

from __future__ import annotations

import calendar
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

#: (department id, indicator code, year, month) -> value.
Table = Mapping[tuple[int, str, int, int], Decimal]
HUNDRED = Decimal(100)


class Importance(StrEnum):
    BLOCK = "block"
    NOTE = "note"
    WARN = "warn"


class Operator(StrEnum):
    LE = "le"
    LT = "lt"
    EQ = "eq"
    GE = "ge"
    GT = "gt"
    CHANGE = "change"


class Period(StrEnum):
    MONTH = "month"
    YEAR_TO_DATE = "ytd"


class ChangeBase(StrEnum):
    LAST_MONTH = "last_month"
    LAST_YEAR = "last_year"


SYMBOLS = {
    Operator.LE: "≤",
    Operator.LT: "<",
    Operator.EQ: "=",
    Operator.GE: "≥",
    Operator.GT: ">",
}
_COMPARE = {
    Operator.LE: lambda a, b: a <= b,
    Operator.LT: lambda a, b: a < b,
    Operator.EQ: lambda a, b: a == b,
    Operator.GE: lambda a, b: a >= b,
    Operator.GT: lambda a, b: a > b,
}


@dataclass(frozen=True)
class Term:
    indicator: str
    coefficient: Decimal = Decimal(1)
    #: None: the department being checked.
    department: int | None = None
    #: A daily average times the days of the month: a month's total.
    per_day: bool = False


@dataclass(frozen=True)
class Rule:
    id: int
    name: str
    message: str
    importance: Importance
    operator: Operator
    left: tuple[Term, ...]
    right: tuple[Term, ...] = ()
    period: Period = Period.MONTH
    change_base: ChangeBase = ChangeBase.LAST_MONTH
    change_limit: Decimal = Decimal(0)  # percent, for Operator.CHANGE
    #: Departments checked for terms without a department; empty: every department
    #: reporting their indicators.
    departments: frozenset[int] = field(default_factory=frozenset)

    @property
    def terms(self) -> tuple[Term, ...]:
        return self.left + self.right

    @property
    def is_change(self) -> bool:
        return self.operator is Operator.CHANGE

    def indicators(self) -> set[str]:
        return {term.indicator for term in self.terms}


@dataclass(frozen=True)
class Check:
    """One evaluation of a rule: a department's (or the bureau's) month."""

    rule: Rule
    department: int | None
    year: int
    month: int
    left: Decimal
    #: The right side; for a change limit, the value it is compared with.
    right: Decimal
    holds: bool
    #: The (department, indicator code) pairs of this month that the rule reads.
    cells: frozenset[tuple[int, str]]
    #: For a change limit, the allowed span.
    low: Decimal | None = None
    high: Decimal | None = None

    @property
    def violated(self) -> bool:
        return not self.holds


def previous_month(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def _month_value(
    table: Table,
    department: int,
    term: Term,
    year: int,
    month: int,
    fed: Collection[str],
) -> Decimal | None:
    value = table.get((department, term.indicator, year, month))
    if value is None:
        if term.indicator not in fed:
            return None
        value = Decimal(0)
    if term.per_day:
        value *= calendar.monthrange(year, month)[1]
    return value * term.coefficient


def expression(
    terms: Sequence[Term],
    table: Table,
    department: int | None,
    year: int,
    month: int,
    period: Period = Period.MONTH,
    fed: Collection[str] = (),
) -> Decimal | None:
    """The sum of the terms, or None if any value it needs is missing."""
    months = range(1, month + 1) if period is Period.YEAR_TO_DATE else (month,)
    total = Decimal(0)
    for term in terms:
        owner = term.department if term.department is not None else department
        if owner is None:
            return None
        for each in months:
            value = _month_value(table, owner, term, year, each, fed)
            if value is None:
                return None
            total += value
    return total


def cells(rule: Rule, department: int | None) -> frozenset[tuple[int, str]]:
    """The (department, indicator) fields the rule reads in a department's context."""
    found = set()
    for term in rule.terms:
        owner = term.department if term.department is not None else department
        if owner is not None:
            found.add((owner, term.indicator))
    return frozenset(found)


def evaluate(
    rule: Rule,
    table: Table,
    department: int | None,
    year: int,
    month: int,
    fed: Collection[str] = (),
) -> Check | None:
    """The rule's outcome for a month, or None when it cannot be evaluated."""
    left = expression(rule.left, table, department, year, month, rule.period, fed)
    if left is None:
        return None
    low = high = None
    if rule.is_change:
        if rule.change_base is ChangeBase.LAST_YEAR:
            base_year, base_month = year - 1, month
        else:
            base_year, base_month = previous_month(year, month)
        right = expression(
            rule.left, table, department, base_year, base_month, rule.period, fed
        )
        if right is None or right == 0:
            return None  # no base to measure a change against
        margin = abs(right) * rule.change_limit / HUNDRED
        low, high = right - margin, right + margin
        holds = low <= left <= high
    else:
        right = expression(rule.right, table, department, year, month, rule.period, fed)
        if right is None:
            return None
        holds = _COMPARE[rule.operator](left, right)
    return Check(
        rule=rule,
        department=department,
        year=year,
        month=month,
        left=left,
        right=right,
        holds=holds,
        cells=cells(rule, department),
        low=low,
        high=high,
    )


def contexts(rule: Rule, reporting: Mapping[str, Collection[int]]) -> list[int | None]:
    """The departments a rule is checked for.

    A rule whose every term names its department is checked once (None); otherwise
    once per department that reports one of its unnamed indicators, narrowed to the
    rule's departments when it lists any.
    """
    unnamed = [term.indicator for term in rule.terms if term.department is None]
    if not unnamed:
        return [None]
    found: set[int] = set()
    for code in unnamed:
        found.update(reporting.get(code, ()))
    if rule.departments:
        found &= rule.departments
    ordered: list[int | None] = [*sorted(found)]
    return ordered


def evaluate_all(
    rules: Iterable[Rule],
    table: Table,
    reporting: Mapping[str, Collection[int]],
    year: int,
    months: Iterable[int],
    fed: Collection[str] = (),
) -> list[Check]:
    """Every rule over every month and department it applies to (the validation run)."""
    months = list(months)
    checks: list[Check] = []
    for rule in rules:
        for department in contexts(rule, reporting):
            for month in months:
                check = evaluate(rule, table, department, year, month, fed)
                if check is not None:
                    checks.append(check)
    return checks


def touching(
    rules: Iterable[Rule],
    department: int,
    reporting: Mapping[str, Collection[int]],
) -> list[tuple[Rule, int | None]]:
    """(rule, context) pairs whose terms read one of the department's figures.

    A cross-department rule is found from either side: the department checked, or a
    department one of its terms names.
    """
    pairs: list[tuple[Rule, int | None]] = []
    for rule in rules:
        for context in contexts(rule, reporting):
            if any(owner == department for owner, _code in cells(rule, context)):
                pairs.append((rule, context))
    return pairs


def months_read(rules: Iterable[Rule], year: int, month: int) -> set[tuple[int, int]]:
    """The (year, month) cells evaluating these rules for a month reads: the month,
    a change limit's base month, and for a year-to-date rule every month up to each.
    """
    found: set[tuple[int, int]] = set()
    for rule in rules:
        ends = [(year, month)]
        if rule.is_change:
            if rule.change_base is ChangeBase.LAST_YEAR:
                ends.append((year - 1, month))
            else:
                ends.append(previous_month(year, month))
        for end_year, end_month in ends:
            if rule.period is Period.YEAR_TO_DATE:
                found.update((end_year, each) for each in range(1, end_month + 1))
            else:
                found.add((end_year, end_month))
    return found


def month_reporting(
    rules: Iterable[Rule], department: int
) -> tuple[frozenset[int], frozenset[str]]:
    """What of the catalogue's reporting (indicator -> departments) one department's
    month needs for `touching` and the figures it reads: (departments whose every
    indicator is needed, indicators whose every department is needed).

    The department itself and every department a term names; and for a rule that
    names the department, every department reporting one of its unnamed indicators
    (the rule is checked for each of them, and each reads this department's figure).
    Any other department's contexts never read this department's figures.
    """
    owners = {department}
    codes: set[str] = set()
    for rule in rules:
        named = {t.department for t in rule.terms if t.department is not None}
        owners |= named
        if department in named:
            codes |= {t.indicator for t in rule.terms if t.department is None}
    return frozenset(owners), frozenset(codes)


# --- reading a rule ------------------------------------------------------------------


def describe_terms(
    terms: Sequence[Term],
    names: Mapping[str, str],
    departments: Mapping[int, str],
    *,
    days: str = "days",
) -> str:
    parts: list[str] = []
    for index, term in enumerate(terms):
        coefficient = term.coefficient
        sign = "−" if coefficient < 0 else "+"
        magnitude = abs(coefficient)
        text = names.get(term.indicator, term.indicator)
        if term.department is not None:
            text += f" ({departments.get(term.department, term.department)})"
        if term.per_day:
            text += f" × {days}"
        if magnitude != 1:
            text = f"{_plain(magnitude)} × {text}"
        if index == 0:
            parts.append(f"−{text}" if coefficient < 0 else text)
        else:
            parts.append(f"{sign} {text}")
    return " ".join(parts) if parts else "0"


def describe(
    rule: Rule,
    names: Mapping[str, str],
    departments: Mapping[int, str],
    *,
    labels: Mapping[str, str] | None = None,
) -> str:
    """A rule as a line of text, e.g. "填埋量 (填埋场) ≤ 清运量 (垃圾清运队) × days"."""
    labels = labels or {}
    days = labels.get("days", "days")
    left = describe_terms(rule.left, names, departments, days=days)
    if rule.period is Period.YEAR_TO_DATE:
        left = f"{labels.get('ytd', 'year to date')}: {left}"
    if rule.is_change:
        base = labels.get(str(rule.change_base), str(rule.change_base))
        return f"{left} {labels.get('within', 'within')} ±{_plain(rule.change_limit)} % {base}"
    right = describe_terms(rule.right, names, departments, days=days)
    return f"{left} {SYMBOLS[rule.operator]} {right}"


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")
