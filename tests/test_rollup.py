from __future__ import annotations

from decimal import Decimal as D

import pytest

from assessment.figures.rollup import combine_departments, completion, percent, roll_up

MONTHS = {1: D("10"), 2: D("20"), 3: D("15.5")}


@pytest.mark.parametrize(
    ("aggregation", "expected"),
    [("sum", D("45.5")), ("avg", D("15.17")), ("last", D("15.5")), ("max", D("20"))],
)
def test_roll_up_each_aggregation(aggregation, expected):
    assert roll_up(MONTHS, aggregation, decimals=2) == expected


def test_roll_up_without_months_is_none():
    assert roll_up({}, "sum") is None


def test_last_takes_the_latest_month_not_the_last_inserted():
    assert roll_up({12: D(3), 1: D(9)}, "last") == D(3)


def test_average_ignores_missing_months():
    assert roll_up({1: D(100), 6: D(200)}, "avg", decimals=0) == D(150)


def test_rounding_happens_once_half_up():
    assert roll_up({1: D("0.125"), 2: D("0.125")}, "sum", decimals=2) == D("0.25")
    assert roll_up({1: D("0.005")}, "sum", decimals=2) == D("0.01")


def test_unknown_aggregation_is_an_error():
    with pytest.raises(ValueError):
        roll_up(MONTHS, "median")


def test_departments_add_up():
    assert combine_departments([D(1), D("2.5")], "sum", decimals=1) == D("3.5")
    assert combine_departments([], "sum") is None


@pytest.mark.parametrize(
    ("value", "target", "at_most", "expected"),
    [
        (D(50), D(100), False, D("0.5")),
        (D(150), D(100), False, D("1.5")),
        (D(0), D(0), False, D(1)),
        (D(2), D(1), True, D("0.5")),
        (D(0), D(1), True, D(1)),
        (None, D(1), False, None),
        (D(1), None, False, None),
    ],
)
def test_completion(value, target, at_most, expected):
    assert completion(value, target, at_most) == expected


def test_percent():
    assert percent(D("0.98765")) == D("98.8")
    assert percent(None) is None
