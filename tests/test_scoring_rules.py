"""The scoring arithmetic as exact Decimal tables: no database."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from assessment.figures.rollup import roll_up
from assessment.scoring.rules import (
    Grade,
    IndicatorResult,
    bureau_target_score,
    bureau_total,
    deduction_score,
    department_total,
    grade,
    per_hundred,
    rank,
    ratio_score,
    suggested_score,
    threshold_score,
    weighted_completion,
)


def ind(value, target, *, at_most=False, weight="1") -> IndicatorResult:
    return IndicatorResult(
        value=None if value is None else D(value),
        target=None if target is None else D(target),
        at_most=at_most,
        weight=D(weight),
    )


# --- the rules on one indicator -------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "target", "at_most", "expected"),
    [
        ("150", "150", False, D("20.00")),  # exactly met
        ("75", "150", False, D("10.00")),  # half
        ("100", "150", False, D("13.33")),  # 13.333… rounded once
        ("0.1", "0.3", False, D("6.67")),  # 6.666… half up
        ("300", "150", False, D("20.00")),  # over-achievement capped at the points
        ("0", "150", False, D("0.00")),
        ("5", "0", False, D("20.00")),  # zero target, met
        ("0", "0", False, D("20.00")),
        ("4", "5", True, D("20.00")),  # at most 5 complaints, 4 received
        ("10", "5", True, D("10.00")),  # twice the ceiling: half
        ("0", "5", True, D("20.00")),  # none at all fully meets a ceiling
        ("1", "0", True, D("0.00")),  # ceiling of zero exceeded
        (None, "150", False, None),  # no figures: no suggestion
    ],
)
def test_completion_ratio_rule(value, target, at_most, expected):
    result = suggested_score("ratio", D(20), [ind(value, target, at_most=at_most)])
    assert result == expected


@pytest.mark.parametrize(
    ("value", "target", "at_most", "expected"),
    [
        ("150", "150", False, D("10.00")),
        ("149.99", "150", False, D("0.00")),  # all or nothing
        ("151", "150", False, D("10.00")),
        ("5", "5", True, D("10.00")),
        ("6", "5", True, D("0.00")),
        ("0", "0", False, D("10.00")),
        (None, "150", False, None),
    ],
)
def test_threshold_rule(value, target, at_most, expected):
    result = suggested_score("threshold", D(10), [ind(value, target, at_most=at_most)])
    assert result == expected


@pytest.mark.parametrize(
    ("value", "target", "at_most", "per_unit", "expected"),
    [
        ("100", "100", False, "0.5", D("10.00")),  # no shortfall
        ("120", "100", False, "0.5", D("10.00")),  # over-achievement: no bonus
        ("96", "100", False, "0.5", D("8.00")),  # 4 short × 0.5
        ("99.5", "100", False, "0.25", D("9.88")),  # 9.875 half up
        ("50", "100", False, "0.5", D("0.00")),  # down to zero, never below
        ("7", "5", True, "1", D("8.00")),  # two over a ceiling of five
        ("3", "5", True, "1", D("10.00")),
        ("0", "0", False, "1", D("10.00")),  # zero target
        (None, "100", False, "0.5", None),  # no figures
        ("96", "100", False, None, None),  # no deduction per unit configured
    ],
)
def test_deduction_rule(value, target, at_most, per_unit, expected):
    per = None if per_unit is None else D(per_unit)
    result = suggested_score(
        "deduction", D(10), [ind(value, target, at_most=at_most)], per
    )
    assert result == expected


def test_judgement_has_no_suggestion_even_with_figures():
    assert suggested_score("judgement", D(10), [ind("150", "150")]) is None


def test_unknown_rule_is_an_error():
    with pytest.raises(ValueError):
        suggested_score("lottery", D(10), [ind("1", "1")])


def test_rule_functions_directly():
    assert ratio_score(D(20), D("0.5")) == D("10.00")
    assert ratio_score(D(20), D("-0.5")) == D("0.00")
    assert ratio_score(D(20), None) is None
    assert threshold_score(D(5), D("0.9999")) == D("0.00")
    assert deduction_score(D(5), D(2), D("1.5")) == D("2.00")
    assert deduction_score(D(5), None, D(1)) is None


# --- several indicators ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("indicators", "expected"),
    [
        # equal weights: (1 + 0.5) / 2
        ([ind("150", "150"), ind("250000", "500000")], D("15.00")),
        # weights 3:1 → (3×1 + 1×0.5) / 4 = 0.875
        ([ind("150", "150", weight="3"), ind("50", "100")], D("17.50")),
        # over-achieving one indicator does not make up for the other
        ([ind("300", "150"), ind("50", "100")], D("15.00")),
        # an at-most indicator beside an at-least one: (0.5 + 1) / 2
        ([ind("10", "5", at_most=True), ind("100", "100")], D("15.00")),
        # one indicator reported, the other not: the missing one counts as 0
        ([ind("150", "150"), ind(None, "100")], D("10.00")),
        # an indicator without an annual target is not judged
        ([ind("150", "150"), ind("3", None)], D("20.00")),
        # none reported: no suggestion
        ([ind(None, "150"), ind(None, "100")], None),
        # no indicator at all
        ([], None),
        # all weights zero
        ([ind("150", "150", weight="0")], None),
    ],
)
def test_ratio_rule_weights_several_indicators(indicators, expected):
    assert suggested_score("ratio", D(20), indicators) == expected


def test_threshold_on_several_indicators_needs_all_of_them_met():
    assert suggested_score("threshold", D(8), [ind("1", "1"), ind("9", "10")]) == D(
        "0.00"
    )
    assert suggested_score("threshold", D(8), [ind("1", "1"), ind("12", "10")]) == D(
        "8.00"
    )


def test_deduction_adds_up_the_shortfalls_of_several_indicators():
    indicators = [ind("98", "100"), ind("7", "5", at_most=True), ind("50", "40")]
    # 2 + 2 + 0 units short, 0.5 each
    assert suggested_score("deduction", D(10), indicators, D("0.5")) == D("8.00")


def test_weighted_completion_is_unrounded():
    assert weighted_completion([ind("1", "3")]) == D(1) / D(3)


def test_missing_months_roll_up_before_the_rule():
    # A sum indicator with three months missing is short; an average is not.
    months = {m: D(40000) for m in range(1, 10)}
    pits = ind(roll_up(months, "sum", 0), "480000")
    assert suggested_score("ratio", D(20), [pits]) == D("15.00")
    area = ind(roll_up({1: D(150), 7: D(150)}, "avg", 1), "150")
    assert suggested_score("ratio", D(20), [area]) == D("20.00")


# --- totals, per hundred, grades ------------------------------------------------------


DED, BON = "deduction", "bonus"


@pytest.mark.parametrize(
    ("scores", "possible", "adjustments", "base", "total"),
    [
        # 28.5 of 30 is 95 per 100; minus 1.5, plus 7 claimed capped at 5.
        (
            ["18.5", "10", None],
            "30",
            [(DED, "1.5"), (BON, "3"), (BON, "4")],
            "95",
            "98.5",
        ),
        (["10"], "20", [(BON, "2.5")], "50", "52.5"),
        # A bonus far over the cap: at most 100 + 5, however small the department.
        (["40"], "40", [(BON, "50")], "100", "105"),
        (["36"], "40", [(BON, "50")], "90", "95"),
        # Deductions are points on the 100 scale too, and never below zero.
        (["2"], "20", [(DED, "15")], "10", "0"),
        (["15"], "20", [(DED, "2"), (BON, "1")], "75", "74"),
        # Rounded once, at the end: 2 of 3 is 66.666…, minus 0.005.
        (["2"], "3", [(DED, "0.005")], "66.67", "66.66"),
        # Nothing could be earned: no result.
        ([], "0", [(BON, "1")], None, None),
    ],
)
def test_the_result_is_per_100_then_adjusted_on_that_scale(
    scores, possible, adjustments, base, total
):
    result = department_total(
        [None if s is None else D(s) for s in scores],
        D(possible),
        [(kind, D(points)) for kind, points in adjustments],
        bonus_cap=D(5),
    )
    assert result.base == (None if base is None else D(base).quantize(D("0.01")))
    assert result.total == (None if total is None else D(total).quantize(D("0.01")))
    if result.total is not None:
        assert result.total <= D(105)


def test_the_cap_and_what_was_claimed_are_kept():
    result = department_total(
        [D("18.5"), D("10")],
        D(30),
        [("deduction", D("1.5")), ("bonus", D("3")), ("bonus", D("4"))],
        bonus_cap=D(5),
    )
    assert result.scores == D("28.50")
    assert result.possible == D("30.00")
    assert result.deductions == D("1.50")
    assert result.bonus_claimed == D("7.00")
    assert result.bonus == D("5.00")
    assert result.cap_bites


def test_bonus_under_the_cap_counts_whole():
    result = department_total([D(10)], D(20), [("bonus", D("2.5"))], bonus_cap=D(5))
    assert result.bonus == D("2.50")
    assert not result.cap_bites


def test_unknown_adjustment_kind_is_an_error():
    with pytest.raises(ValueError):
        department_total([D(1)], D(10), [("gift", D(1))], bonus_cap=D(5))


@pytest.mark.parametrize(
    ("total", "possible", "expected"),
    [
        (D(45), D(50), D("90.00")),
        (D(20), D(30), D("66.67")),
        (D("52.5"), D(50), D("105.00")),  # bonus may carry a department past 100
        (D(10), D(0), None),
    ],
)
def test_per_hundred(total, possible, expected):
    assert per_hundred(total, possible) == expected


THRESHOLDS = (D(90), D(80), D(60))


@pytest.mark.parametrize(
    ("total", "expected"),
    [
        (D("100"), Grade.EXCELLENT),
        (D("90.00"), Grade.EXCELLENT),  # thresholds are inclusive
        (D("89.99"), Grade.GOOD),
        (D("80"), Grade.GOOD),
        (D("79.99"), Grade.PASS),
        (D("60"), Grade.PASS),
        (D("59.99"), Grade.FAIL),
        (D("0"), Grade.FAIL),
        (None, None),
    ],
)
def test_grade_at_the_thresholds(total, expected):
    assert grade(total, THRESHOLDS) == expected


def test_veto_forces_the_lowest_grade():
    assert grade(D(100), THRESHOLDS, vetoed=True) == Grade.FAIL
    assert grade(None, THRESHOLDS, vetoed=True) == Grade.FAIL


def test_grade_labels_are_translatable():
    assert str(Grade.EXCELLENT.label) in {"Excellent", "优秀"}


# --- ranking --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("totals", "expected"),
    [
        ([D(90), D(95), D(80)], [2, 1, 3]),
        ([D(95), D(95), D(80)], [1, 1, 3]),  # competition ranking: 1, 1, 3
        ([D(80), D(95), D(95), D(95)], [4, 1, 1, 1]),
        ([D("90.00"), D("90")], [1, 1]),  # equal values, whatever the exponent
        ([D(90), None, D(70)], [1, None, 2]),  # no total: not ranked
        ([], []),
    ],
)
def test_rank_with_ties(totals, expected):
    assert rank(totals) == expected


def test_a_vetoed_department_ranks_after_the_others():
    assert rank([D(99), D(70), D(60)], [True, False, False]) == [3, 1, 2]
    assert rank([D(99), D(99), D(70)], [True, True, False]) == [2, 2, 1]


# --- the bureau -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scores", "combine", "expected"),
    [
        ([D(10), D(8), D("9.5")], "min", D("8.00")),
        ([D(10), D(8), D("9.5")], "avg", D("9.17")),
        ([D(10), None], "min", D("10.00")),  # an unscored department is left out
        ([None, None], "avg", None),
        ([], "min", None),
    ],
)
def test_bureau_target_score(scores, combine, expected):
    assert bureau_target_score(scores, combine) == expected


def test_unknown_combine_rule_is_an_error():
    with pytest.raises(ValueError):
        bureau_target_score([D(1)], "median")


def test_bureau_total_on_100_points():
    assert bureau_total([D(18), D("9.5"), None, D("60.25")], D(100)) == D("87.75")
    # a catalogue of 50 points is scaled to 100
    assert bureau_total([D(40)], D(50)) == D("80.00")
    assert bureau_total([], D(0)) is None
