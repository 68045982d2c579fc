"""Progress to date and its lights (亮灯) as pure functions over Decimal tables."""

from __future__ import annotations

import datetime
from decimal import Decimal as D

import pytest
from django.utils import translation

from assessment.progress import lights
from assessment.progress.lights import GREEN, RED, YELLOW

MONTHS = {m: D(450) for m in range(1, 13)}  # 5,400 a year


@pytest.mark.parametrize(
    ("year", "today", "elapsed"),
    [
        (2021, datetime.date(2026, 12, 3), 12),
        (2026, datetime.date(2026, 12, 3), 11),
        (2026, datetime.date(2026, 1, 20), 0),
        (2027, datetime.date(2026, 12, 3), 0),
    ],
)
def test_months_elapsed(year: int, today: datetime.date, elapsed: int) -> None:
    assert lights.months_elapsed(year, today) == elapsed


@pytest.mark.parametrize(
    ("months", "upto", "annual", "value", "due", "percent"),
    [
        # exact: ten months of 450 against 10/12 of 5,400
        (MONTHS, 10, D(5400), D(4500), D(4500), D("100.0")),
        # behind
        ({**MONTHS, 10: D(271)}, 10, D(5400), D(4321), D(4500), D("96.0")),
        # only months up to `upto` count
        (MONTHS, 6, D(5400), D(2700), D(2700), D("100.0")),
        # a missing month counts as nothing done
        (
            {m: D(450) for m in range(1, 10) if m != 5},
            9,
            D(5400),
            D(3600),
            D(4050),
            D("88.9"),
        ),
        # nothing at all reported: none done
        ({}, 3, D(1200), None, D(300), D("0.0")),
        # zero target: anything at least meets it
        ({1: D(0)}, 1, D(0), D(0), D(0), D("100.0")),
    ],
)
def test_progress_against_the_pro_rata_target(
    months: dict[int, D], upto: int, annual: D, value: D | None, due: D, percent: D
) -> None:
    item = lights.progress(months, upto, annual_target=annual)
    assert item.value == value
    assert item.due == due
    assert item.percent == percent


def test_nothing_is_lit_before_a_month_is_over() -> None:
    item = lights.progress({}, 0, annual_target=D(12))
    assert item.ratio is None
    projection = lights.project_target("ratio", D(5), [item], D(100), D(90))
    assert projection.light is None and projection.projected is None


def test_missing_months_are_listed() -> None:
    item = lights.progress({1: D(1), 3: D(1)}, 4, annual_target=D(12))
    assert item.missing == (2, 4)
    assert (
        lights.progress({1: D(1)}, 4, annual_target=D(12), expected_months=()).missing
        == ()
    )


def test_averages_compare_with_the_annual_target_itself() -> None:
    item = lights.progress(
        {1: D(160), 2: D(170)}, 2, aggregation="avg", decimals=1, annual_target=D(170)
    )
    assert item.due == D(170)
    assert item.value == D("165.0")
    assert item.percent == D("97.1")


def test_no_target_no_light() -> None:
    item = lights.progress(MONTHS, 3)
    assert item.ratio is None
    assert lights.light(item.ratio, D(100), D(90)) is None


@pytest.mark.parametrize(
    ("value", "percent"),
    [
        (D(40), D("125.0")),  # 50 allowed by now, 40 happened: better than the ceiling
        (D(50), D("100.0")),
        (D(55), D("90.9")),
        (D(0), D("100.0")),
    ],
)
def test_lower_is_better_inverts(value: D, percent: D) -> None:
    item = lights.progress({1: value}, 6, annual_target=D(100), at_most=True)
    assert item.due == D(50)
    assert item.percent == percent


def test_last_year_basis() -> None:
    this_year = {1: D(110), 2: D(100), 3: D(500)}
    last_year = {1: D(100), 2: D(100), 3: D(100), 4: D(100)}
    item = lights.progress(
        this_year,
        2,
        annual_target=D(99999),
        basis=lights.BASIS_LAST_YEAR,
        last_year_months=last_year,
    )
    assert item.due == D(200)
    assert item.percent == D("105.0")
    nothing = lights.progress(this_year, 2, basis=lights.BASIS_LAST_YEAR)
    assert nothing.due is None
    assert nothing.ratio is None


@pytest.mark.parametrize(
    ("ratio", "expected"),
    [
        (D("1.5"), GREEN),
        (D(1), GREEN),
        (D("0.99999"), YELLOW),
        (D("0.9"), YELLOW),
        (D("0.89999"), RED),
        (D(0), RED),
        (None, None),
    ],
)
def test_light_thresholds_at_the_boundary(
    ratio: D | None, expected: str | None
) -> None:
    assert lights.light(ratio, D(100), D(90)) == expected


def test_thresholds_come_from_the_year() -> None:
    assert lights.light(D("0.95"), D(95), D(80)) == GREEN
    assert lights.light(D("0.80"), D(95), D(80)) == YELLOW


def test_worst() -> None:
    assert lights.worst([GREEN, None, YELLOW]) == YELLOW
    assert lights.worst([GREEN, RED, YELLOW]) == RED
    assert lights.worst([None]) is None


def test_projected_score_reuses_the_rules() -> None:
    behind = lights.progress({**MONTHS, 10: D(271)}, 10, annual_target=D(5400))
    ratio = lights.project_target("ratio", D(10), [behind], D(100), D(90))
    assert ratio.projected == D("9.60")
    assert ratio.light == YELLOW
    threshold = lights.project_target("threshold", D(10), [behind], D(100), D(90))
    assert threshold.projected == D("0.00")
    deduction = lights.project_target(
        "deduction", D(10), [behind], D(100), D(90), deduction_per_unit=D("0.01")
    )
    assert deduction.projected == D("8.21")  # 179 t short × 0.01
    judged = lights.project_target("judgement", D(10), [behind], D(100), D(90))
    assert judged.projected is None
    assert judged.light == YELLOW
    nothing = lights.project_target(
        "ratio", D(10), [lights.progress({}, 3, annual_target=D(12))], D(100), D(90)
    )
    assert nothing.projected == D("0.00")
    assert nothing.light == RED


def test_projected_per_100_leaves_out_what_cannot_be_judged() -> None:
    full = lights.TargetProjection(D(10), D(10), GREEN)
    half = lights.TargetProjection(D(30), D(15), RED)
    unknown = lights.TargetProjection(D(60), None, None)
    assert lights.projected_per_100([full, half, unknown]) == D("62.50")
    assert lights.projected_per_100([unknown]) is None


@pytest.mark.parametrize(
    ("current", "previous", "change"),
    [
        (D(110), D(100), D("10.0")),
        (D(90), D(120), D("-25.0")),
        (D(5), D(0), None),
        (None, D(1), None),
        (D(1), None, None),
    ],
)
def test_change_percent(
    current: D | None, previous: D | None, change: D | None
) -> None:
    assert lights.change_percent(current, previous) == change


def test_reason_in_words() -> None:
    behind = lights.progress({**MONTHS, 10: D(271)}, 10, annual_target=D(5400))
    with translation.override("zh-hans"):
        text = lights.reason(behind, "吨", 0)
    assert "4,321 吨" in text
    assert "4,500 吨" in text
    assert "96.0 %" in text
    with translation.override("en"):
        assert lights.reason(behind, "t", 0) == (
            "Months 1–10: 4,321 t to date, 4,500 t due by now; 96.0 % achieved."
        )
        average = lights.progress(
            {1: D(160), 2: D(170)}, 2, aggregation="avg", annual_target=D(170)
        )
        assert lights.reason(average, "t", 0) == (
            "Months 1–2: 165 t (average of the months), target 170 t; 97.1 % achieved."
        )
        missing = lights.progress({1: D(1)}, 2, annual_target=D(12))
        assert "Not reported: month 2." in lights.reason(missing, "", 0)
        assert "nothing reported" in lights.reason(
            lights.progress({}, 2, annual_target=D(12)), "", 0
        )
