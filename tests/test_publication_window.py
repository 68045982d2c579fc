"""The objection window as pure rules: working days, bounds in Beijing time, states."""

from __future__ import annotations

import datetime

import pytest

from assessment.scoring import window
from assessment.scoring.window import WindowState
from tests.appeals_support import ENDS_ON, STARTS_ON, at

D = datetime.date


@pytest.mark.parametrize(
    ("start", "days", "end"),
    [
        (D(2026, 3, 2), 5, D(2026, 3, 6)),  # Monday: to Friday
        (D(2026, 3, 4), 5, D(2026, 3, 10)),  # Wednesday: over the weekend
        (D(2026, 3, 7), 5, D(2026, 3, 13)),  # Saturday: counts from Monday
        (D(2026, 3, 8), 1, D(2026, 3, 9)),
        (D(2026, 3, 6), 1, D(2026, 3, 6)),
        (D(2026, 12, 28), 5, D(2027, 1, 1)),
    ],
)
def test_working_days_end(start, days, end):
    assert window.working_days_end(start, days) == end


def test_a_window_has_at_least_one_day():
    with pytest.raises(ValueError):
        window.working_days_end(D(2026, 3, 2), 0)


def test_bounds_are_midnights_in_the_bureaus_zone():
    start, end = window.bounds(STARTS_ON, ENDS_ON, "Asia/Shanghai")
    assert start == at(2, 0)
    assert end == at(7, 0)
    # 16:00 UTC the day before is midnight in Beijing
    assert start.astimezone(datetime.UTC) == datetime.datetime(
        2026, 3, 1, 16, tzinfo=datetime.UTC
    )


@pytest.mark.parametrize(
    ("now", "state"),
    [
        (at(1, 23, 59, 59), WindowState.BEFORE),
        (at(2, 0), WindowState.OPEN),
        (at(6, 23, 59, 59), WindowState.OPEN),
        (at(7, 0), WindowState.CLOSED),
        # 23:30 UTC on the 6th is already 7:30 on the 7th in Beijing
        (
            datetime.datetime(2026, 3, 6, 23, 30, tzinfo=datetime.UTC),
            WindowState.CLOSED,
        ),
        (datetime.datetime(2026, 3, 6, 15, 59, tzinfo=datetime.UTC), WindowState.OPEN),
    ],
)
def test_state(now, state):
    assert window.state(now, STARTS_ON, ENDS_ON, "Asia/Shanghai") is state
