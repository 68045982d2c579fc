"""When a month calls for a reminder: pure functions of dates."""

from __future__ import annotations

import datetime


def days_until(deadline: datetime.date, today: datetime.date) -> int:
    """Days left before the deadline (0 on the deadline day, negative after it)."""
    return (deadline - today).days


def is_due_soon(deadline: datetime.date, today: datetime.date, lead_days: int) -> bool:
    """The deadline is today or within the next `lead_days` days."""
    return 0 <= days_until(deadline, today) <= lead_days


def is_overdue(deadline: datetime.date, today: datetime.date) -> bool:
    """The deadline day has ended."""
    return days_until(deadline, today) < 0


def daily_key(prefix: str, on: datetime.date) -> str:
    """A key that repeats once a day: one notice per person and day."""
    return f"{prefix}:{on.isoformat()}"
