"""Progress watched (亮灯) as pure functions over `Decimal`: no database here.

For one indicator of one department and a period (January to month `upto`):
- the value to date is the months' roll-up (`rollup.roll_up`) over the months reported;
- what is due by then is the pro-rata share of the annual target (`upto`/12 of it) for
  indicators that add up over the months; the annual target itself for averages, last
  values and maxima (170 t a day is due every month, not a twelfth of it); or, where the
  indicator compares with last year (`BASIS_LAST_YEAR`), last year's value over the same
  months;
- progress is the completion ratio of the two (`rollup.completion`, so a ceiling such
  as complaints inverts: lower is better);
- the light is green from the year's green threshold (per cent, inclusive), yellow from
  its yellow threshold, red below; no light when there is nothing to compare.

A target's projected score is what its rule would award if the year ended now with the
progress to date (`rules.suggested_score` fed the value to date against what is due);
its light is the worst of its indicators'.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from assessment import formatting
from assessment.figures import rollup
from assessment.scoring import rules

ZERO = Decimal(0)
HUNDRED = Decimal(100)
TWELVE = Decimal(12)

BASIS_TARGET = "target"
BASIS_LAST_YEAR = "last_year"

GREEN = "green"
YELLOW = "yellow"
RED = "red"

#: Worst first: a target's light is the first of these among its indicators'.
SEVERITY = (RED, YELLOW, GREEN)

#: Bootstrap colour of each light, for badges.
LIGHT_COLOURS = {GREEN: "success", YELLOW: "warning", RED: "danger"}


def months_elapsed(year: int, today: datetime.date) -> int:
    """The months of `year` that are over on `today`: 12 for a past year, 0 for a
    future one, last month's number in the current year (0 in January)."""
    if year < today.year:
        return 12
    if year > today.year:
        return 0
    return today.month - 1


def value_to_date(
    months: Mapping[int, Decimal], upto: int, aggregation: str, decimals: int
) -> Decimal | None:
    """The roll-up of the months 1..upto reported; None when none was."""
    return rollup.roll_up(
        {m: v for m, v in months.items() if 1 <= m <= upto}, aggregation, decimals
    )


def due_to_date(
    annual_target: Decimal | None, upto: int, aggregation: str, decimals: int
) -> Decimal | None:
    """What is due by the end of month `upto`: the pro-rata share for a sum, the
    annual target itself for the other aggregations; None without a target."""
    if annual_target is None:
        return None
    if aggregation == rollup.SUM:
        return rollup.quantize(annual_target * upto / TWELVE, decimals)
    return annual_target


@dataclass(frozen=True)
class Progress:
    """One indicator's progress for one department up to month `upto`."""

    upto: int
    value: Decimal | None
    due: Decimal | None
    at_most: bool = False
    basis: str = BASIS_TARGET
    missing: tuple[int, ...] = ()
    weight: Decimal = Decimal(1)
    aggregation: str = rollup.SUM

    @property
    def ratio(self) -> Decimal | None:
        """Unrounded completion of what is due; a month reported nothing counts as
        nothing done (0), as at year end. None before any month is over."""
        if self.due is None or self.upto < 1:
            return None
        value = self.value
        if value is None:
            return None if self.at_most else ZERO
        return rollup.completion(value, self.due, self.at_most)

    @property
    def percent(self) -> Decimal | None:
        return rollup.percent(self.ratio)

    def as_rule_input(self) -> rules.IndicatorResult:
        return rules.IndicatorResult(
            value=self.value, target=self.due, at_most=self.at_most, weight=self.weight
        )


def progress(
    months: Mapping[int, Decimal],
    upto: int,
    *,
    aggregation: str = rollup.SUM,
    decimals: int = 0,
    annual_target: Decimal | None = None,
    at_most: bool = False,
    basis: str = BASIS_TARGET,
    last_year_months: Mapping[int, Decimal] | None = None,
    weight: Decimal = Decimal(1),
    expected_months: Iterable[int] | None = None,
) -> Progress:
    """Progress to the end of month `upto` (see the module's description).

    `expected_months` are the months that should have a figure (default 1..upto); the
    ones without are listed as missing. With the last-year basis, last year's months
    1..upto are what is due (None when last year reported none of them).
    """
    value = value_to_date(months, upto, aggregation, decimals)
    if basis == BASIS_LAST_YEAR:
        due = value_to_date(last_year_months or {}, upto, aggregation, decimals)
    else:
        due = due_to_date(annual_target, upto, aggregation, decimals)
    wanted = range(1, upto + 1) if expected_months is None else expected_months
    missing = tuple(m for m in wanted if m not in months)
    return Progress(upto, value, due, at_most, basis, missing, weight, aggregation)


def light(
    ratio: Decimal | None, green_from: Decimal, yellow_from: Decimal
) -> str | None:
    """Green from `green_from` per cent, yellow from `yellow_from`, red below (both
    inclusive, on the unrounded ratio); None without a ratio."""
    if ratio is None:
        return None
    percent = ratio * HUNDRED
    if percent >= green_from:
        return GREEN
    if percent >= yellow_from:
        return YELLOW
    return RED


def worst(lights: Iterable[str | None]) -> str | None:
    """The most severe of the lights given; None when none is lit."""
    present = set(lights)
    for colour in SEVERITY:
        if colour in present:
            return colour
    return None


def _period(upto: int) -> str:
    if upto == 1:
        return _("January")
    return _("Months 1–%(last)d") % {"last": upto}


def _measure(aggregation: str) -> str:
    if aggregation == rollup.AVERAGE:
        return _("average of the months")
    if aggregation == rollup.LAST:
        return _("latest month")
    return _("highest month")


def reason(item: Progress, unit: str, decimals: int) -> str:
    """The light in words, e.g. "1–10月累计 4,321 吨，按进度应完成 4,500 吨，完成 96.0 %"."""
    if item.upto <= 0:
        return _("No month is over yet.")
    unit_part = f" {unit}" if unit else ""
    period = _period(item.upto)
    if item.due is None:
        if item.basis == BASIS_LAST_YEAR:
            return _("%(period)s: last year has no figures to compare.") % {
                "period": period
            }
        return _("No annual target to compare.")
    value = formatting.figure(item.value, decimals) if item.value is not None else None
    due = formatting.figure(item.due, decimals) + unit_part
    if value is None:
        text = _("%(period)s: nothing reported; %(due)s due.") % {
            "period": period,
            "due": due,
        }
    else:
        data: dict[str, object] = {
            "period": period,
            "value": value + unit_part,
            "due": due,
            "percent": item.percent,
        }
        if item.aggregation != rollup.SUM and item.basis != BASIS_LAST_YEAR:
            data["measure"] = _measure(item.aggregation)
            if item.at_most:
                message = _(
                    "%(period)s: %(value)s (%(measure)s), at most %(due)s allowed; "
                    "%(percent)s %% achieved."
                )
            else:
                message = _(
                    "%(period)s: %(value)s (%(measure)s), target %(due)s; "
                    "%(percent)s %% achieved."
                )
            text = message % data
        elif item.basis == BASIS_LAST_YEAR:
            text = (
                _(
                    "%(period)s: %(value)s to date, %(due)s in the same period last "
                    "year; %(percent)s %% of last year."
                )
                % data
            )
        elif item.at_most:
            text = (
                _(
                    "%(period)s: %(value)s to date, at most %(due)s allowed by now; "
                    "%(percent)s %% achieved."
                )
                % data
            )
        else:
            text = (
                _(
                    "%(period)s: %(value)s to date, %(due)s due by now; "
                    "%(percent)s %% achieved."
                )
                % data
            )
    if item.missing:
        text += _(" Not reported: %(months)s.") % {
            "months": formatting.listing(
                _("month %(month)d") % {"month": m} for m in item.missing
            )
        }
    return text


@dataclass(frozen=True)
class TargetProjection:
    """A target's standing if the year ended now."""

    points: Decimal
    projected: Decimal | None  # the rule's score on the progress; None: no projection
    light: str | None
    items: Sequence[Progress] = field(default_factory=tuple)


def project_target(
    rule: str,
    points: Decimal,
    items: Sequence[Progress],
    green_from: Decimal,
    yellow_from: Decimal,
    deduction_per_unit: Decimal | None = None,
) -> TargetProjection:
    """The score the target's rule would award on the progress to date, and its light
    (the worst of its indicators'). No projection for the supervisor's judgement or
    without any comparable indicator."""
    comparable = [i for i in items if i.due is not None and i.upto >= 1]
    projected = None
    if comparable and rule != rules.JUDGEMENT:
        inputs = [
            rules.IndicatorResult(
                value=i.value if i.value is not None else (None if i.at_most else ZERO),
                target=i.due,
                at_most=i.at_most,
                weight=i.weight,
            )
            for i in comparable
        ]
        projected = rules.suggested_score(rule, points, inputs, deduction_per_unit)
    return TargetProjection(
        points=points,
        projected=projected,
        light=worst(light(i.ratio, green_from, yellow_from) for i in items),
        items=tuple(items),
    )


def projected_per_100(projections: Iterable[TargetProjection]) -> Decimal | None:
    """A department's projected result per 100: the projected scores over the points
    of the targets that have a projection (the others cannot be judged yet); None when
    none has."""
    scored = [p for p in projections if p.projected is not None]
    possible = sum((p.points for p in scored), ZERO)
    if possible <= 0:
        return None
    return rules.points(
        sum((p.projected or ZERO for p in scored), ZERO) * HUNDRED / possible
    )


def change_percent(current: Decimal | None, previous: Decimal | None) -> Decimal | None:
    """(current − previous) / previous in per cent, one decimal: 同比 against the same
    month last year, 环比 against the month before; None when either is missing or
    the previous is zero."""
    if current is None or previous is None or previous == 0:
        return None
    return rollup.quantize((current - previous) * HUNDRED / previous, 1)
