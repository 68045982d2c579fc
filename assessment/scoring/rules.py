"""Scoring arithmetic as pure functions: rules, totals, grades, ranks, the bureau's score.

Everything takes and returns `Decimal` (never float) and touches no database; the web
pages, the PDF and the spreadsheets call the same functions through `results.py`.
Intermediate values stay unrounded; each public function that yields a score rounds once,
at the end, to two places half-up (`points`).

Conventions the rules share:
- An indicator without an annual target has nothing to compare and is left out.
- An indicator that has a target but no figure for the year counts as not achieved
  (completion 0, full shortfall): what was not reported was not done. When none of a
  target's indicators has a figure, there is no suggestion at all (None).
- Each indicator's completion is capped at 1 before weighting, so over-achieving one
  indicator never makes up for another; several indicators are weighted by `weight`.
- At-most indicators (ceilings such as complaints) use `rollup.completion`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from assessment.figures.rollup import completion

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")

# The rule keys, as stored in Target.rule / Target.combine.
RATIO = "ratio"
THRESHOLD = "threshold"
DEDUCTION = "deduction"
JUDGEMENT = "judgement"
LOWEST = "min"
AVERAGE = "avg"


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")  # 优秀
    GOOD = "good", _("Good")  # 良好
    PASS = "pass", _("Pass")  # 合格
    FAIL = "fail", _("Fail")  # 不合格


#: Bootstrap colour of each grade, for badges and the chart.
GRADE_COLOURS: dict[str, str] = {
    Grade.EXCELLENT: "success",
    Grade.GOOD: "primary",
    Grade.PASS: "warning",
    Grade.FAIL: "danger",
}


def points(value: Decimal) -> Decimal:
    """The one rounding step: two places, half up."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class IndicatorResult:
    """One indicator's year for one department, as the rules see it."""

    value: Decimal | None
    target: Decimal | None
    at_most: bool = False
    weight: Decimal = ONE

    @property
    def completion(self) -> Decimal | None:
        """Unrounded completion ratio; None without a target or without a value."""
        return completion(self.value, self.target, self.at_most)

    @property
    def shortfall(self) -> Decimal | None:
        """Units missing from the target (0 when met); None without a target."""
        if self.target is None:
            return None
        if self.value is None:
            # Nothing reported: the whole target is missing for an at-least indicator;
            # a ceiling that nobody reported against cannot be said to be exceeded.
            return ZERO if self.at_most else max(self.target, ZERO)
        gap = self.value - self.target if self.at_most else self.target - self.value
        return max(gap, ZERO)


def _judged(results: Iterable[IndicatorResult]) -> list[IndicatorResult]:
    return [r for r in results if r.target is not None]


def weighted_completion(results: Iterable[IndicatorResult]) -> Decimal | None:
    """Weighted average of the indicators' completions, each capped to 0..1, unrounded.

    None when no indicator with a target has a figure, or when the weights add to zero.
    """
    judged = _judged(results)
    if not judged or all(r.value is None for r in judged):
        return None
    total_weight = sum((r.weight for r in judged), ZERO)
    if total_weight <= 0:
        return None
    weighted = ZERO
    for r in judged:
        ratio = r.completion if r.value is not None else ZERO
        weighted += r.weight * min(max(ratio or ZERO, ZERO), ONE)
    return weighted / total_weight


def ratio_score(max_points: Decimal, ratio: Decimal | None) -> Decimal | None:
    """Completion ratio: points × completion, never above the points nor below zero."""
    if ratio is None:
        return None
    return points(max_points * min(max(ratio, ZERO), ONE))


def threshold_score(max_points: Decimal, ratio: Decimal | None) -> Decimal | None:
    """All or nothing: full points only when the target is fully met."""
    if ratio is None:
        return None
    return points(max_points if ratio >= ONE else ZERO)


def deduction_score(
    max_points: Decimal, shortfall: Decimal | None, per_unit: Decimal | None
) -> Decimal | None:
    """Points minus `per_unit` for each unit of shortfall, down to zero."""
    if shortfall is None or per_unit is None:
        return None
    return points(max(max_points - shortfall * per_unit, ZERO))


def suggested_score(
    rule: str,
    max_points: Decimal,
    indicator_results: Sequence[IndicatorResult],
    deduction_per_unit: Decimal | None = None,
) -> Decimal | None:
    """The score the target's rule suggests from the year's figures, or None.

    None for the supervisor's judgement, when nothing was reported, or when a deduction
    rule has no deduction per unit. For the deduction rule several indicators' shortfalls
    add up (each weighted by its weight).
    """
    if rule == JUDGEMENT:
        return None
    if rule == RATIO:
        return ratio_score(max_points, weighted_completion(indicator_results))
    if rule == THRESHOLD:
        return threshold_score(max_points, weighted_completion(indicator_results))
    if rule == DEDUCTION:
        judged = _judged(indicator_results)
        if not judged or all(r.value is None for r in judged):
            return None
        shortfall = sum((r.weight * (r.shortfall or ZERO) for r in judged), ZERO)
        return deduction_score(max_points, shortfall, deduction_per_unit)
    raise ValueError(f"unknown scoring rule {rule!r}")


@dataclass(frozen=True)
class Total:
    """A department's result and how it came about, on the ranking's 100-point scale.

    The targets' scores add up to `scores` of `possible` points; `base` is that per 100
    of the possible points, so departments of different size compare fairly. Deductions
    and bonus items are points on the same 100 scale: `total = base - deductions +
    min(bonus claimed, cap)`, never below zero, so it never exceeds 100 + the cap.
    """

    scores: Decimal  # sum of the targets' scores
    possible: Decimal  # the points the department could earn
    base: (
        Decimal | None
    )  # scores per 100 of possible; None when nothing could be earned
    deductions: Decimal
    bonus_claimed: Decimal  # the bonus items as entered
    bonus: Decimal  # what counts, after the yearly cap
    bonus_cap: Decimal
    total: Decimal | None  # the result per 100

    @property
    def cap_bites(self) -> bool:
        return self.bonus_claimed > self.bonus


def department_total(
    scores: Iterable[Decimal | None],
    possible_points: Decimal,
    adjustments: Iterable[tuple[str, Decimal]],
    bonus_cap: Decimal,
) -> Total:
    """Scores per 100 of the possible points, minus deductions, plus bonus (at most
    `bonus_cap`), never below zero; every value rounded once, at the end.

    `adjustments` are (kind, points) pairs with kind "deduction" or "bonus" and positive
    points; a missing score counts as zero.
    """
    score_sum = sum((s for s in scores if s is not None), ZERO)
    deductions = ZERO
    bonus_claimed = ZERO
    for kind, value in adjustments:
        if kind == "deduction":
            deductions += value
        elif kind == "bonus":
            bonus_claimed += value
        else:
            raise ValueError(f"unknown adjustment kind {kind!r}")
    cap = max(bonus_cap, ZERO)
    bonus = min(bonus_claimed, cap)
    base = score_sum * HUNDRED / possible_points if possible_points > 0 else None
    total = None if base is None else max(base - deductions + bonus, ZERO)
    return Total(
        scores=points(score_sum),
        possible=points(possible_points),
        base=None if base is None else points(base),
        deductions=points(deductions),
        bonus_claimed=points(bonus_claimed),
        bonus=points(bonus),
        bonus_cap=points(cap),
        total=None if total is None else points(total),
    )


def per_hundred(total: Decimal, possible_points: Decimal) -> Decimal | None:
    """A total expressed per 100 of the points that could be earned; None if none could."""
    if possible_points <= 0:
        return None
    return points(total * HUNDRED / possible_points)


def grade(
    total_per_100: Decimal | None,
    thresholds: tuple[Decimal, Decimal, Decimal],
    vetoed: bool = False,
) -> Grade | None:
    """The grade from (excellent, good, pass) thresholds, each inclusive.

    A veto forces the lowest grade whatever the total; no total and no veto: None.
    """
    if vetoed:
        return Grade.FAIL
    if total_per_100 is None:
        return None
    excellent, good, passing = thresholds
    if total_per_100 >= excellent:
        return Grade.EXCELLENT
    if total_per_100 >= good:
        return Grade.GOOD
    if total_per_100 >= passing:
        return Grade.PASS
    return Grade.FAIL


def rank(
    totals: Sequence[Decimal | None], vetoed: Sequence[bool] | None = None
) -> list[int | None]:
    """Competition ranks (1, 1, 3) by descending total, in the order given.

    Equal totals share a rank. Vetoed entries rank after every entry without a veto;
    entries without a total are not ranked (None).
    """
    flags = list(vetoed) if vetoed is not None else [False] * len(totals)
    if len(flags) != len(totals):
        raise ValueError("totals and vetoed differ in length")
    keys = [
        None if total is None else (flag, -total)
        for total, flag in zip(totals, flags, strict=True)
    ]
    ordered = sorted(k for k in keys if k is not None)
    first_place: dict[tuple[bool, Decimal], int] = {}
    for position, key in enumerate(ordered, start=1):
        first_place.setdefault(key, position)
    return [None if key is None else first_place[key] for key in keys]


def bureau_target_score(
    department_scores: Iterable[Decimal | None], combine: str
) -> Decimal | None:
    """The bureau's score on a shared target from its departments' scores.

    `combine` is "min" (the lowest) or "avg" (the average); departments without a score
    are left out; None when no department has one.
    """
    values = [s for s in department_scores if s is not None]
    if not values:
        return None
    if combine == LOWEST:
        return points(min(values))
    if combine == AVERAGE:
        return points(sum(values, ZERO) / len(values))
    raise ValueError(f"unknown combine rule {combine!r}")


def bureau_total(
    target_scores: Iterable[Decimal | None], catalogue_points: Decimal
) -> Decimal | None:
    """The bureau's total on 100 points from its combined target scores.

    The catalogue's points normally add up to 100, so this is their sum; a catalogue
    that does not is scaled to 100. None for an empty catalogue.
    """
    score_sum = sum((s for s in target_scores if s is not None), ZERO)
    return per_hundred(score_sum, catalogue_points)


#: Scores a panel needs before dropping its highest and lowest leaves any to average.
PANEL_MINIMUM_TO_DROP = 3


def panel_score(
    scores: Sequence[Decimal], drop_extremes: bool = False
) -> Decimal | None:
    """A panel's score (民主测评): the mean of its members' scores, rounded once.

    With `drop_extremes` one highest and one lowest score are dropped first (one each,
    however many share the value), which needs at least three scores; with fewer, or
    with none at all, there is no panel score yet (None). The mean is unrounded until
    the end: two places, half up.
    """
    values = sorted(scores)
    if drop_extremes:
        if len(values) < PANEL_MINIMUM_TO_DROP:
            return None
        values = values[1:-1]
    if not values:
        return None
    return points(sum(values, ZERO) / len(values))
