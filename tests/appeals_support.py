"""A scored year ready to publish: A 90 per 100 (rank 1), B 80 (rank 2)."""

from __future__ import annotations

import datetime
import zoneinfo
from decimal import Decimal

import pytest
import time_machine

from assessment.models import Score
from assessment.scoring import publication as publishing

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
#: The window of the tests: Monday 2 to Friday 6 March 2026, Beijing time.
STARTS_ON = datetime.date(2026, 3, 2)
ENDS_ON = datetime.date(2026, 3, 6)


def at(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime.datetime:
    """A moment in March 2026, Beijing time."""
    return datetime.datetime(2026, 3, day, hour, minute, second, tzinfo=SHANGHAI)


#: Within the window, before it and after it.
DURING = at(4, 10)
BEFORE = at(1, 23, 59, 59)
AFTER = at(7, 0, 0, 1)


def score(target, department, value: str, user=None) -> Score:
    return Score.objects.create(
        target=target,
        department=department,
        assessed_score=Decimal(value),
        reason="评分理由",
        scored_by=user,
    )


@pytest.fixture
def scored(year, catalogue, dept_a, dept_b, supervisor):
    """Every target scored: A 18 + 9 of 30 (90), B 16 + 8 of 30 (80)."""
    score(catalogue["target_a"], dept_a, "18", supervisor)
    score(catalogue["common"], dept_a, "9", supervisor)
    score(catalogue["target_b"], dept_b, "16", supervisor)
    score(catalogue["common"], dept_b, "8", supervisor)
    return catalogue


@pytest.fixture
def published(year, scored, supervisor):
    """Published on 2 March for the window 2–6 March; the clock stands on 4 March."""
    with time_machine.travel(at(2, 9), tick=False):
        publication = publishing.publish(year, supervisor, STARTS_ON, ENDS_ON)
    with time_machine.travel(DURING, tick=False):
        yield publication
