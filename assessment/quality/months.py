"""Rules and ranges over months of one department: what the entry page and an
import check.

`checks.month_findings` answers for one month of the entry page; an import changes
many months, so the figures are read once, every typed value put in their place,
and each changed month evaluated. `month_ranges` gives the season-aware plausible
range each value is checked against.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal

from assessment.models import Department, Figure, Indicator, MonthRange
from assessment.quality import checks, ranges, rules


def findings_by_month(
    context: checks.Context,
    department: Department,
    overrides: Mapping[int, Mapping[str, Decimal | None]],
) -> dict[int, list[checks.Finding]]:
    """month -> the rules violated in it, with `overrides` (month -> indicator code
    -> value) standing for the new values; one query of figures in all."""
    pairs = rules.touching(context.rules, department.pk, context.reporting)
    if not pairs or not overrides:
        return {}
    owners = {owner for rule, ctx in pairs for owner, _code in rules.cells(rule, ctx)}
    year = context.year.year
    table, entered = checks.load_table(context, owners, [year - 1, year])
    for month, values in overrides.items():
        for code, value in values.items():
            key = (department.pk, code, year, month)
            if value is None:
                table.pop(key, None)
            else:
                table[key] = value
    found: dict[int, list[checks.Finding]] = {}
    for month in sorted(overrides):
        for rule, ctx in pairs:
            check = rules.evaluate(rule, table, ctx, year, month, context.fed)
            if check is not None and check.violated:
                found.setdefault(month, []).append(
                    checks.finding(context, check, table, entered, department.pk)
                )
    return found


def own_ranges(
    indicators: Iterable[Indicator], months: Iterable[int]
) -> dict[tuple[int, int], tuple[Decimal | None, Decimal | None]]:
    """(indicator id, month) -> the month's own range, where the catalogue sets one."""
    return {
        (indicator_id, month): (low, high)
        for indicator_id, month, low, high in MonthRange.objects.filter(
            indicator__in=[i.pk for i in indicators], month__in=sorted(set(months))
        ).values_list("indicator_id", "month", "plausible_min", "plausible_max")
    }


def month_ranges(
    indicators: Iterable[Indicator],
    department_id: int,
    year: int,
    months: Iterable[int],
    *,
    own: Mapping[tuple[int, int], tuple[Decimal | None, Decimal | None]] | None = None,
) -> dict[tuple[int, int], ranges.PlausibleRange]:
    """(indicator id, month) -> the range a value is checked against: the month's
    own, the one derived from the same month of past years, or the flat one.

    Two queries whatever the number of indicators and months: the months' ranges
    (`own_ranges`, unless given), and the past years' figures of the indicators that
    derive theirs.
    """
    indicators = list(indicators)
    months = sorted(set(months))
    if own is None:
        own = own_ranges(indicators, months)
    seasonal = [i.code for i in indicators if i.seasonal_k is not None]
    history: dict[tuple[str, int], list[Decimal]] = defaultdict(list)
    if seasonal:
        for code, month, value in Figure.objects.filter(
            monthly_return__department_id=department_id,
            monthly_return__month__in=months,
            monthly_return__year__year__lt=year,
            indicator__code__in=seasonal,
        ).values_list("indicator__code", "monthly_return__month", "value"):
            history[(code, month)].append(value)
    return {
        (indicator.pk, month): ranges.plausible_range(
            (indicator.plausible_min, indicator.plausible_max),
            own.get((indicator.pk, month)),
            history.get((indicator.code, month), ()),
            indicator.seasonal_k,
        )
        for indicator in indicators
        for month in months
    }
