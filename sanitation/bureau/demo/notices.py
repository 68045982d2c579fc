"""The demo's notices: what its clerks were told about their months, and the
reminders the calendar calls for today, so the inbox and the bell show them."""

from __future__ import annotations

from assessment import spine
from assessment.figures.workflow import ReturnStatus
from assessment.models import AssessmentYear, MonthlyReturn, NoticeKind, User
from assessment.notices import events, reminders
from sanitation.bureau.demo.year import DemoYear


def load_notices(data: DemoYear, year: AssessmentYear, users: dict[str, User]) -> None:
    told = spine.Write(year=year, user=users["supervisor"])
    for (code, month), (status, _comment, reopen_reason) in sorted(
        data.month_states.items()
    ):
        monthly_return = MonthlyReturn.objects.get(
            year=year, department__code=code, month=month
        )
        if status == ReturnStatus.RETURNED:
            events.month_reviewed(told, monthly_return, NoticeKind.RETURNED)
        elif reopen_reason:
            events.month_reviewed(told, monthly_return, NoticeKind.REOPENED)
    reminders.create_reminders(years=[year])
