from __future__ import annotations

import random
from decimal import Decimal as D
from typing import Any

import pytest

from assessment.figures.rollup import (
    combine_departments,
    completion,
    percent,
    quantize,
    roll_up,
    stored_value,
    stored_values,
)

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


def _as_the_orm_reads_sqlite(raw, decimals):
    """Django's own reading of YearValue.value from SQLite, then the indicator's places."""
    from django.db.backends.sqlite3.base import DatabaseWrapper
    from django.db.models.expressions import Col

    from assessment.models import YearValue

    field = YearValue._meta.get_field("value")
    converter = DatabaseWrapper.ops_class(None).get_decimalfield_converter(  # type: ignore[arg-type]
        Col("v", field, field)
    )
    value = converter(raw, Col("v", field, field), None)
    return None if value is None else quantize(value, decimals)


@pytest.mark.parametrize(
    ("raw", "decimals", "expected"),
    [
        (None, 1, None),
        (D("100.2000"), 1, "100.2"),  # PostgreSQL's numeric(22, 4)
        (D("-3.2500"), 1, "-3.3"),  # half up, away from zero
        (D("0.0000"), 2, "0.00"),
        (0, 1, "0.0"),  # SQLite's integer
        (-7, 0, "-7"),
        (62.5, 1, "62.5"),  # SQLite's float
        (-0.1, 4, "-0.1000"),
        (1999999999998, 0, "1999999999998"),
        (123456789012.3456, 4, "123456789012.3460"),  # 15 significant digits kept
        (0.15, 1, "0.2"),  # more places than the indicator's: rounded half up once
        (0.12345, 4, "0.1234"),  # more than the column's 4: half even to 4 first
        (0.14995, 1, "0.2"),  # ... then half up to the indicator's places
        ("12.34567", 2, "12.35"),
    ],
)
def test_stored_value_is_exactly_what_the_orm_reads(raw, decimals, expected):
    value = stored_value(raw, decimals)
    assert (None if value is None else str(value)) == expected
    if raw is None or isinstance(raw, int | float):
        orm = _as_the_orm_reads_sqlite(raw, decimals)
        assert (None if orm is None else str(orm)) == expected


def test_stored_value_agrees_with_the_orm_on_many_sqlite_numbers():
    rng = random.Random(4)
    for _ in range(5000):
        decimals = rng.randint(0, 4)
        places = rng.choice([decimals, 4])
        digits = rng.randint(1, 18)
        number = D(rng.randint(-(10**digits), 10**digits)).scaleb(-places)
        for raw in (float(number), int(number)):
            assert str(stored_value(raw, decimals)) == str(
                _as_the_orm_reads_sqlite(raw, decimals)
            ), (raw, decimals)


@pytest.mark.parametrize("decimals", [0, 1, 2, 4])
def test_stored_values_in_bulk_are_each_stored_value(decimals):
    rng = random.Random(decimals)
    numbers = [
        D(rng.randint(-(10**12), 10**12)).scaleb(-rng.choice([decimals, 4]))
        for _ in range(300)
    ]
    columns: list[list[Any]] = [
        [float(n) for n in numbers],  # SQLite
        [int(n) for n in numbers],
        [n.quantize(D("0.0001")) for n in numbers],  # PostgreSQL
        [None, *(float(n) for n in numbers[:50]), None, 0, -0.5],
        [str(n) for n in numbers[:20]],
        [],
    ]
    for raws in columns:
        assert [str(v) for v in stored_values(raws, decimals)] == [
            str(stored_value(raw, decimals)) for raw in raws
        ]
