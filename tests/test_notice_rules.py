"""When a month calls for a reminder and how late it came in: pure functions."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest

from assessment.figures.workflow import MonthState, days_late
from assessment.models import NoticeKind
from assessment.notices import rules
from assessment.notices.reminders import reminder_kind

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
UTC = datetime.UTC
DEADLINE = datetime.date(2021, 11, 10)


@pytest.mark.parametrize(
    ("today", "lead", "due", "overdue"),
    [
        (datetime.date(2021, 11, 6), 3, False, False),  # four days ahead
        (datetime.date(2021, 11, 7), 3, True, False),  # three days ahead
        (datetime.date(2021, 11, 10), 3, True, False),  # the deadline day itself
        (datetime.date(2021, 11, 11), 3, False, True),  # the day after
        (datetime.date(2021, 11, 10), 0, True, False),  # no lead: the day only
        (datetime.date(2021, 11, 9), 0, False, False),
        (datetime.date(2021, 10, 1), 60, True, False),
    ],
)
def test_due_soon_and_overdue(today, lead, due, overdue):
    assert rules.is_due_soon(DEADLINE, today, lead) is due
    assert rules.is_overdue(DEADLINE, today) is overdue


def test_days_until_counts_calendar_days():
    assert rules.days_until(DEADLINE, datetime.date(2021, 11, 7)) == 3
    assert rules.days_until(DEADLINE, datetime.date(2021, 11, 12)) == -2
    # Across a year's end: December's figures are due in January.
    assert (
        rules.days_until(datetime.date(2022, 1, 10), datetime.date(2021, 12, 31)) == 10
    )


def test_a_daily_key_changes_with_the_day():
    assert rules.daily_key("urged:1:2:3", datetime.date(2021, 11, 12)) == (
        "urged:1:2:3:2021-11-12"
    )
    assert rules.daily_key("x", datetime.date(2021, 11, 12)) != rules.daily_key(
        "x", datetime.date(2021, 11, 13)
    )


@pytest.mark.parametrize(
    ("submitted_at", "tz", "late"),
    [
        (None, SHANGHAI, 0),
        (datetime.datetime(2021, 11, 9, 8, 0, tzinfo=SHANGHAI), SHANGHAI, 0),
        (datetime.datetime(2021, 11, 10, 23, 59, tzinfo=SHANGHAI), SHANGHAI, 0),
        (datetime.datetime(2021, 11, 11, 0, 0, tzinfo=SHANGHAI), SHANGHAI, 1),
        (datetime.datetime(2021, 11, 24, 9, 0, tzinfo=SHANGHAI), SHANGHAI, 14),
        # 16:30 UTC on the 10th is half past midnight on the 11th in Shanghai.
        (datetime.datetime(2021, 11, 10, 16, 30, tzinfo=UTC), SHANGHAI, 1),
        (datetime.datetime(2021, 11, 10, 16, 30, tzinfo=UTC), UTC, 0),
        # 15:59 UTC is still the deadline day in Shanghai.
        (datetime.datetime(2021, 11, 10, 15, 59, tzinfo=UTC), SHANGHAI, 0),
        # December's figures, due on 10 January, submitted in February.
        (datetime.datetime(2022, 2, 1, 10, 0, tzinfo=SHANGHAI), SHANGHAI, 22),
    ],
)
def test_days_late(submitted_at, tz, late):
    deadline = (
        datetime.date(2022, 1, 10)
        if submitted_at and submitted_at.year == 2022
        else DEADLINE
    )
    assert days_late(deadline, submitted_at, tz) == late


@pytest.mark.parametrize(
    ("state", "today", "kind"),
    [
        (MonthState.NOT_STARTED, datetime.date(2021, 11, 8), NoticeKind.DUE),
        (MonthState.DRAFT, datetime.date(2021, 11, 10), NoticeKind.DUE),
        (MonthState.RETURNED, datetime.date(2021, 11, 9), NoticeKind.DUE),
        (MonthState.NOT_STARTED, datetime.date(2021, 11, 6), None),
        (MonthState.SUBMITTED, datetime.date(2021, 11, 9), None),
        (MonthState.APPROVED, datetime.date(2021, 11, 9), None),
        (MonthState.NOT_DUE, datetime.date(2021, 10, 20), None),
        (MonthState.OVERDUE, datetime.date(2021, 11, 11), NoticeKind.OVERDUE),
    ],
)
def test_which_reminder_a_month_calls_for(state, today, kind):
    assert reminder_kind(state, DEADLINE, today, 3) == kind
