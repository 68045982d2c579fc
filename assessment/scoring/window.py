"""The objection window of a publication (公示期), as pure rules.

A window runs from the start of its first day to the end of its last day, in the
bureau's time zone (Asia/Shanghai): a department in Kunming and a server in UTC agree
on when it closes. Working days are Monday to Friday.
"""

from __future__ import annotations

import datetime
import zoneinfo
from enum import Enum

#: Working days a publication stays open for objections unless the supervisor says else.
DEFAULT_WORKING_DAYS = 5


class WindowState(Enum):
    BEFORE = "before"
    OPEN = "open"
    CLOSED = "closed"


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5


def working_days_end(start: datetime.date, days: int) -> datetime.date:
    """The last day of a window of `days` working days beginning on `start`.

    A start on a weekend counts from the next Monday.
    """
    if days < 1:
        raise ValueError("a window has at least one working day")
    day = start
    counted = 0
    while True:
        if is_working_day(day):
            counted += 1
            if counted == days:
                return day
        day += datetime.timedelta(days=1)


def bounds(
    starts_on: datetime.date, ends_on: datetime.date, zone: str
) -> tuple[datetime.datetime, datetime.datetime]:
    """The window as aware instants: [start of the first day, start of the day after
    the last one)."""
    tz = zoneinfo.ZoneInfo(zone)
    start = datetime.datetime.combine(starts_on, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(
        ends_on + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
    )
    return start, end


def state(
    now: datetime.datetime,
    starts_on: datetime.date,
    ends_on: datetime.date,
    zone: str,
) -> WindowState:
    """Before, within or after the window at the aware instant `now`."""
    start, end = bounds(starts_on, ends_on, zone)
    if now < start:
        return WindowState.BEFORE
    if now < end:
        return WindowState.OPEN
    return WindowState.CLOSED
