"""The life of a department's month, as pure functions of its facts.

A month is *editable* by its clerk while it is a draft or returned, the year is open, and
either the deadline (the year's deadline day of the following month) has not passed or a
supervisor has reopened it. Supervisors approve or return submitted months; approved
months are locked until a supervisor reopens them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReturnStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")


class MonthState(models.TextChoices):
    """What the board shows: the stored status plus what the calendar says."""

    NOT_STARTED = "not_started", _("Not started")
    NOT_DUE = "not_due", _("Not yet due")
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")
    OVERDUE = "overdue", _("Overdue")


#: Bootstrap colour of each state, for badges and matrix cells.
STATE_COLOURS: dict[str, str] = {
    MonthState.NOT_DUE: "light",
    MonthState.NOT_STARTED: "secondary",
    MonthState.DRAFT: "info",
    MonthState.SUBMITTED: "primary",
    MonthState.RETURNED: "warning",
    MonthState.APPROVED: "success",
    MonthState.OVERDUE: "danger",
}


def deadline_for(year: int, month: int, deadline_day: int) -> datetime.date:
    """The last day on which a month's figures may be entered: a day of the next month."""
    if month == 12:
        return datetime.date(year + 1, 1, deadline_day)
    return datetime.date(year, month + 1, deadline_day)


def month_started(year: int, month: int, today: datetime.date) -> bool:
    return (today.year, today.month) >= (year, month)


@dataclass(frozen=True)
class MonthFacts:
    year: int
    month: int
    deadline: datetime.date
    status: str | None  # None: no return exists yet
    has_figures: bool
    reopened: bool
    year_closed: bool


def month_state(facts: MonthFacts, today: datetime.date) -> MonthState:
    if facts.status == ReturnStatus.APPROVED:
        return MonthState.APPROVED
    if facts.status == ReturnStatus.SUBMITTED:
        return MonthState.SUBMITTED
    if is_past_deadline(facts, today) and not facts.reopened:
        return MonthState.OVERDUE
    if facts.status == ReturnStatus.RETURNED:
        return MonthState.RETURNED
    if facts.status == ReturnStatus.DRAFT and (facts.has_figures or facts.reopened):
        # A reopened month is a draft again, even one whose values all come from
        # work records (it has no typed figures to show that it was started).
        return MonthState.DRAFT
    if not month_started(facts.year, facts.month, today):
        return MonthState.NOT_DUE
    return MonthState.NOT_STARTED


def is_past_deadline(facts: MonthFacts, today: datetime.date) -> bool:
    return today > facts.deadline


def lock_reason(facts: MonthFacts, today: datetime.date) -> str | None:
    """Why the clerk may not change this month, or None when they may."""
    if facts.year_closed:
        return str(_("The assessment year is closed."))
    if facts.status == ReturnStatus.APPROVED:
        return str(_("This month has been approved and is locked."))
    if facts.status == ReturnStatus.SUBMITTED:
        return str(_("This month has been submitted and awaits review."))
    if not month_started(facts.year, facts.month, today):
        return str(_("This month has not started yet."))
    if is_past_deadline(facts, today) and not facts.reopened:
        return str(
            _("The deadline for this month has passed; a supervisor must reopen it.")
        )
    return None


def reviewer_lock(facts: MonthFacts, *, is_supervisor: bool) -> str | None:
    """Why a supervisor does not change this month although a clerk may: a returned
    month is the department's to correct and resubmit, so it reads as it was sent."""
    if is_supervisor and facts.status == ReturnStatus.RETURNED:
        return str(
            _(
                "This month was returned to the department: its clerk corrects and "
                "resubmits it."
            )
        )
    return None


def can_submit(facts: MonthFacts, today: datetime.date, *, may_edit: bool) -> bool:
    """A clerk (or supervisor) may submit a draft or returned month that is not locked."""
    return (
        may_edit
        and lock_reason(facts, today) is None
        and facts.status in (None, ReturnStatus.DRAFT, ReturnStatus.RETURNED)
    )


def can_review(facts: MonthFacts, *, is_supervisor: bool) -> bool:
    """A supervisor approves or returns a submitted month of an open year."""
    return (
        is_supervisor
        and not facts.year_closed
        and facts.status == ReturnStatus.SUBMITTED
    )


def can_reopen(facts: MonthFacts, today: datetime.date, *, is_supervisor: bool) -> bool:
    """A supervisor reopens an approved month, or one whose deadline passed unreopened."""
    if not is_supervisor or facts.year_closed:
        return False
    if facts.status == ReturnStatus.APPROVED:
        return True
    return (
        is_past_deadline(facts, today)
        and facts.status != ReturnStatus.SUBMITTED
        and not facts.reopened
    )


def days_late(
    deadline: datetime.date,
    submitted_at: datetime.datetime | None,
    tz: datetime.tzinfo,
) -> int:
    """Whole days between the deadline and the day (in `tz`) the month was submitted.

    A month may be entered until the end of its deadline day, so a submission on that
    day is on time (0) and one on the next day is one day late.
    """
    if submitted_at is None:
        return 0
    return max(0, (submitted_at.astimezone(tz).date() - deadline).days)
