"""The calendar's reminders: months due soon and months overdue.

`create_reminders(on)` looks at every year that is not closed and adds, for each clerk
of a department whose month is due within `REMINDER_DAYS_BEFORE` days (or overdue) and
not yet submitted, one notice per month and kind. Run it as often as you like: a
notice that exists is not created again.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings

from assessment.figures import periods
from assessment.figures.workflow import MonthState
from assessment.models import AssessmentYear, Department, Notice, NoticeKind
from assessment.models.catalogue import YearStatus
from assessment.notices import events, rules
from assessment.notices.events import create_notices, department_clerks

#: States of a month that its clerks still have to submit.
_UNSUBMITTED = {MonthState.NOT_STARTED, MonthState.DRAFT, MonthState.RETURNED}


def reminder_kind(
    state: str, deadline: datetime.date, on: datetime.date, lead_days: int
) -> NoticeKind | None:
    """Which reminder a month in `state` calls for on day `on`, if any (pure)."""
    if state == MonthState.OVERDUE:
        return NoticeKind.OVERDUE
    if state in _UNSUBMITTED and rules.is_due_soon(deadline, on, lead_days):
        return NoticeKind.DUE
    return None


def _unacknowledged_targets(year: AssessmentYear, on: datetime.date) -> list[Notice]:
    """A daily reminder to each department whose issued 目标责任书 awaits acknowledgement."""
    if year.targets_issued_at is None:
        return []
    from assessment.planning.issuing import receiving_departments

    acknowledged = set(year.acknowledgements.values_list("department_id", flat=True))
    created: list[Notice] = []
    for department in receiving_departments(year):
        if department.pk not in acknowledged:
            created.extend(events.targets_unacknowledged(year, department, on=on))
    return created


def create_reminders(
    on: datetime.date | None = None,
    years: Iterable[AssessmentYear] | None = None,
) -> list[Notice]:
    """Create the reminders due on day `on` (today) in every year that is not closed
    (or those given); return the notices it created."""
    on = on or periods.today()
    lead_days = settings.REMINDER_DAYS_BEFORE
    notices: list[Notice] = []
    if years is None:
        years = AssessmentYear.objects.exclude(
            status__in=[YearStatus.CLOSED, YearStatus.DRAFT]
        )
    for year in years:
        if year.is_closed or year.status == YearStatus.DRAFT:
            continue
        notices.extend(_unacknowledged_targets(year, on))
        departments = periods.reporting(year, Department.objects.active()).order_by(
            "order", "code"
        )
        wanted: list[tuple[NoticeKind, int, int]] = []
        for row in periods.month_grid(year, departments, on=on):
            for cell in row.cells:
                kind = reminder_kind(cell.state, cell.deadline, on, lead_days)
                if kind is not None:
                    wanted.append((kind, row.department.pk, cell.month))
        if not wanted:
            continue
        clerks = department_clerks({pk for _kind, pk, _month in wanted})
        for kind, department_id, month in wanted:
            key = f"{kind}:{year.pk}:{department_id}:{month}"
            notices.extend(
                Notice(
                    recipient_id=user_id,
                    kind=kind,
                    key=key,
                    year_id=year.pk,
                    department_id=department_id,
                    month=month,
                )
                for user_id in clerks[department_id]
            )
    return create_notices(notices)
