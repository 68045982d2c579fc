"""Follow-up marks: a value flagged until a supervisor resolves it with a comment.

A supervisor marks a value (`mark`); a save with a note against a needs-a-note rule or
outside the plausible range flags it by itself (`flag`, inside the save's write). Every
change goes through the write spine, so a closed year refuses it and the audit trail
(django-simple-history) records who did what.
"""

from __future__ import annotations

from collections.abc import Collection

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment import spine, text
from assessment.models import AssessmentYear, Figure, FollowUp, User

MAX_COMMENT_LENGTH = 2000
DETAIL_MAX_LENGTH = 500


def flag(
    current: spine.Write,
    figure: Figure,
    reason: str,
    *,
    rule_id: int | None = None,
    detail: str = "",
) -> FollowUp | None:
    """Inside a write: flag a value unless it is already flagged for the same cause."""
    existing = FollowUp.objects.open().filter(
        figure=figure, reason=reason, rule_id=rule_id
    )
    if existing.exists():
        return None
    follow_up = FollowUp(
        figure=figure,
        reason=reason,
        rule_id=rule_id,
        detail=detail[:DETAIL_MAX_LENGTH],
        created_by=current.user,
    )
    current.save(follow_up)
    return follow_up


def mark(user: User, figure: Figure, detail: str) -> FollowUp:
    """A supervisor marks a value for follow-up, saying what to check."""
    detail = _required(
        detail,
        _("Say what should be checked: a reason is required."),
        DETAIL_MAX_LENGTH,
    )
    year = figure.monthly_return.year_id
    with spine.write(year, user) as current:
        if not Figure.objects.filter(pk=figure.pk).exists():
            raise spine.Refused(_("This value no longer exists."))
        if (
            FollowUp.objects.open()
            .filter(figure=figure, reason=FollowUp.Reason.MARKED)
            .exists()
        ):
            raise spine.Refused(_("This value is already marked for follow-up."))
        follow_up = FollowUp(
            figure=figure,
            reason=FollowUp.Reason.MARKED,
            detail=detail,
            created_by=user,
        )
        current.save(follow_up)
    return follow_up


def resolve(user: User, follow_up: FollowUp, comment: str) -> FollowUp:
    """A supervisor resolves a follow-up with a comment; it is then no longer flagged."""
    comment = _required(
        comment,
        _("Say how it was resolved: a comment is required."),
        MAX_COMMENT_LENGTH,
    )
    year = follow_up.figure.monthly_return.year_id
    with spine.write(year, user) as current:
        locked = (
            FollowUp.objects.select_for_update(of=("self",))
            .filter(pk=follow_up.pk)
            .first()
        )
        if locked is None or locked.resolved_at is not None:
            raise spine.Refused(_("This follow-up was already resolved."))
        locked.resolved_at = timezone.now()
        locked.resolved_by = user
        locked.resolution = comment
        current.save(locked)
    return locked


def _required(value: str, message: str, max_length: int) -> str:
    try:
        return text.required_text(value, message, max_length=max_length)
    except ValueError as exc:
        raise spine.Refused(str(exc)) from None


def open_counts(
    year: AssessmentYear, department_ids: Collection[int]
) -> dict[tuple[int, int], int]:
    """(department id, month) -> open follow-ups, in one query."""
    rows = (
        FollowUp.objects.open()
        .filter(
            figure__monthly_return__year=year,
            figure__monthly_return__department_id__in=list(department_ids),
        )
        .values_list(
            "figure__monthly_return__department_id", "figure__monthly_return__month"
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(department, month): n for department, month, n in rows}


def open_counts_by_return(return_ids: Collection[int]) -> dict[int, int]:
    """{monthly return id: open follow-ups} of any years' months, in one query."""
    rows = (
        FollowUp.objects.open()
        .filter(figure__monthly_return_id__in=list(return_ids))
        .values_list("figure__monthly_return_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return dict(rows)
