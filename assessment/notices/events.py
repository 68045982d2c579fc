"""Notices that events create, inside the write that causes them.

Each function is called from a write of the spine (or opens its own transaction) and
adds one notice per recipient under a key naming the event, so a retried request or a
repeated call never tells anyone twice.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from assessment import spine
from assessment.figures import workflow
from assessment.figures.periods import month_facts, today
from assessment.models import (
    AssessmentYear,
    Department,
    MonthlyReturn,
    Notice,
    NoticeKind,
    Role,
    User,
)
from assessment.models.scoring import SelfAssessmentSubmission
from assessment.notices import rules


def department_clerks(department_ids: Iterable[int]) -> dict[int, list[int]]:
    """{department id: ids of its active clerks}, from one query."""
    ids = list(department_ids)
    clerks: dict[int, list[int]] = {pk: [] for pk in ids}
    rows = User.departments.through.objects.filter(
        department_id__in=ids, user__role=Role.CLERK, user__is_active=True
    ).values_list("department_id", "user_id")
    for department_id, user_id in rows.order_by("user_id"):
        clerks[department_id].append(user_id)
    return clerks


def create_notices(notices: list[Notice]) -> list[Notice]:
    """Store the notices whose (recipient, key) is new; return those it stored.

    The unique constraint settles a race with a concurrent run: a notice stored by the
    other one a moment ago is skipped here, never stored twice.
    """
    if not notices:
        return []
    existing = set(
        Notice.objects.filter(
            key__in={n.key for n in notices},
            recipient_id__in={n.recipient_id for n in notices},
        ).values_list("recipient_id", "key")
    )
    new: list[Notice] = []
    seen: set[tuple[int, str]] = set()
    for notice in notices:
        pair = (notice.recipient_id, notice.key)
        if pair in existing or pair in seen:
            continue
        seen.add(pair)
        new.append(notice)
    with transaction.atomic():
        Notice.objects.bulk_create(new, ignore_conflicts=True)
    return new


def month_reviewed(
    current: spine.Write, monthly_return: MonthlyReturn, kind: NoticeKind
) -> list[Notice]:
    """Tell the department's clerks that their month was returned, approved or
    reopened. Call inside the write, after the return was saved: its new version
    names the event."""
    detail = ""
    if kind == NoticeKind.RETURNED:
        detail = monthly_return.comment
    elif kind == NoticeKind.REOPENED:
        detail = monthly_return.reopen_reason
    key = f"{kind}:{monthly_return.pk}:v{monthly_return.version}"
    recipients = department_clerks([monthly_return.department_id])[
        monthly_return.department_id
    ]
    return create_notices(
        [
            Notice(
                recipient_id=user_id,
                kind=kind,
                key=key,
                year_id=current.year.pk,
                department_id=monthly_return.department_id,
                month=monthly_return.month,
                detail=detail,
                actor=current.user,
            )
            for user_id in recipients
            if current.user is None or user_id != current.user.pk
        ]
    )


def self_assessment_returned(
    current: spine.Write, submission: SelfAssessmentSubmission
) -> list[Notice]:
    """Tell the department's clerks that their self-assessment came back."""
    key = f"{NoticeKind.SELF_ASSESSMENT_RETURNED}:{submission.pk}:v{submission.version}"
    recipients = department_clerks([submission.department_id])[submission.department_id]
    return create_notices(
        [
            Notice(
                recipient_id=user_id,
                kind=NoticeKind.SELF_ASSESSMENT_RETURNED,
                key=key,
                year_id=current.year.pk,
                department_id=submission.department_id,
                detail=submission.comment,
                actor=current.user,
            )
            for user_id in recipients
        ]
    )


def urge_month(
    user: User,
    year: AssessmentYear,
    department: Department,
    month: int,
    *,
    on: datetime.date | None = None,
) -> list[Notice]:
    """A supervisor's urgent reminder (催报) of an overdue month to its clerks.

    Once a day at most: a second call on the same day (in the bureau's time zone) is
    refused. Refused too for a month that is not overdue and for a closed year.
    """
    on = on or today()
    with spine.write(year, user) as current:
        monthly_return = MonthlyReturn.objects.filter(
            year=current.year, department=department, month=month
        ).first()
        facts = month_facts(monthly_return, current.year, month, has_figures=False)
        if workflow.month_state(facts, on) != workflow.MonthState.OVERDUE:
            raise spine.Refused(_("Only an overdue month can be urged."))
        key = rules.daily_key(
            f"{NoticeKind.URGED}:{current.year.pk}:{department.pk}:{month}", on
        )
        if Notice.objects.filter(key=key).exists():
            raise spine.Refused(
                _(
                    "The clerks of %(department)s were already reminded of this "
                    "month today."
                )
                % {"department": department.name}
            )
        recipients = department_clerks([department.pk])[department.pk]
        if not recipients:
            raise spine.Refused(
                _("%(department)s has no clerk to remind.")
                % {"department": department.name}
            )
        return create_notices(
            [
                Notice(
                    recipient_id=user_id,
                    kind=NoticeKind.URGED,
                    key=key,
                    year_id=current.year.pk,
                    department_id=department.pk,
                    month=month,
                    actor=user,
                )
                for user_id in recipients
            ]
        )


def targets_unacknowledged(
    year: AssessmentYear,
    department: Department,
    *,
    on: datetime.date | None = None,
) -> list[Notice]:
    """Remind the department's clerks that its issued targets (目标责任书) await their
    acknowledgement: one notice per clerk and day. The caller decides that the
    targets were issued and not yet acknowledged."""
    on = on or today()
    key = rules.daily_key(
        f"{NoticeKind.TARGETS_UNACKNOWLEDGED}:{year.pk}:{department.pk}", on
    )
    recipients = department_clerks([department.pk])[department.pk]
    return create_notices(
        [
            Notice(
                recipient_id=user_id,
                kind=NoticeKind.TARGETS_UNACKNOWLEDGED,
                key=key,
                year_id=year.pk,
                department_id=department.pk,
            )
            for user_id in recipients
        ]
    )
