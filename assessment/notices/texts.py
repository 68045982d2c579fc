"""What each notice says, in the reader's language, and where it leads."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from assessment import formatting
from assessment.models import Notice, NoticeKind


@dataclass(frozen=True)
class NoticeText:
    title: str
    body: str
    url: str


def _month(notice: Notice) -> str:
    return formatting.month_label(notice.year.year, notice.month or 1)


def target_url(notice: Notice) -> str:
    """The page a notice is about: the month, the self-assessment or the board."""
    year, code = notice.year.year, notice.department.code
    if notice.kind == NoticeKind.TARGETS_UNACKNOWLEDGED:
        return reverse("assessment:target-letter", kwargs={"year": year, "code": code})
    if notice.kind in (
        NoticeKind.RECTIFICATION_RETURNED,
        NoticeKind.RECTIFICATION_ACCEPTED,
    ):
        return reverse("assessment:rectification-list", kwargs={"year": year})
    if notice.kind == NoticeKind.BULLETIN_DRAFT:
        return reverse(
            "assessment:bulletin", kwargs={"year": year, "month": notice.month or 1}
        )
    if notice.kind == NoticeKind.BULLETIN:
        url = reverse(
            "assessment:department-progress", kwargs={"year": year, "code": code}
        )
        return f"{url}?month={notice.month}"
    if notice.kind == NoticeKind.SELF_ASSESSMENT_RETURNED:
        return reverse(
            "assessment:self-assessment", kwargs={"year": year, "code": code}
        )
    if notice.month:
        return reverse(
            "assessment:entry",
            kwargs={"year": year, "code": code, "month": notice.month},
        )
    return reverse("assessment:board", kwargs={"year": year})


def describe(notice: Notice) -> NoticeText:
    """Title and body of a notice. Needs `year`, `department` and `actor` loaded."""
    values = {
        "month": _month(notice) if notice.month else "",
        "department": notice.department.name,
        "year": notice.year.year,
        "who": notice.actor.display_name if notice.actor else _("A supervisor"),
        "deadline": formatting.day(
            notice.year.deadline_for(notice.month) if notice.month else None
        ),
    }
    kind = notice.kind
    if kind == NoticeKind.DUE:
        title = _("%(month)s of %(department)s is due by %(deadline)s")
        body = _("The month's figures have not been submitted yet.")
    elif kind == NoticeKind.OVERDUE:
        title = _("%(month)s of %(department)s is overdue")
        body = _(
            "The deadline was %(deadline)s and the month has not been submitted. "
            "Ask a supervisor to reopen it if it still needs figures."
        )
    elif kind == NoticeKind.URGED:
        title = _("Urgent: submit %(month)s of %(department)s")
        body = _(
            "%(who)s asks for the overdue figures now (the deadline was "
            "%(deadline)s); ask them to reopen the month so that you can enter them."
        )
    elif kind == NoticeKind.RETURNED:
        title = _("%(month)s of %(department)s was returned")
        body = _("%(who)s returned the month for corrections.")
    elif kind == NoticeKind.APPROVED:
        title = _("%(month)s of %(department)s was approved")
        body = _("%(who)s approved the month; it is now locked.")
    elif kind == NoticeKind.REOPENED:
        title = _("%(month)s of %(department)s was reopened")
        body = _("%(who)s reopened the month for corrections.")
    elif kind == NoticeKind.SELF_ASSESSMENT_RETURNED:
        title = _("The %(year)s self-assessment of %(department)s was returned")
        body = _("%(who)s returned the self-assessment for changes.")
    elif kind == NoticeKind.RECTIFICATION_RETURNED:
        title = _("The %(year)s rectification of %(department)s was returned")
        body = _("%(who)s returned the rectification report: see the comment.")
    elif kind == NoticeKind.RECTIFICATION_ACCEPTED:
        title = _("The %(year)s rectification of %(department)s was accepted")
        body = _("%(who)s accepted the rectification report.")
    elif kind == NoticeKind.BULLETIN:
        title = _("The progress bulletin for %(month)s is issued")
        body = _(
            "%(who)s issued the monthly progress bulletin: the lights and projected "
            "score of %(department)s are on its progress page."
        )
    elif kind == NoticeKind.BULLETIN_DRAFT:
        title = _("The progress bulletin for %(month)s is ready to issue")
        body = _(
            "The month's bulletin is drafted from the returns: review it and issue it "
            "to the departments."
        )
    else:
        title = _("The %(year)s targets of %(department)s await acknowledgement")
        body = _(
            "The targets have been issued; acknowledge the department's target "
            "responsibility letter."
        )
    return NoticeText(title=title % values, body=body % values, url=target_url(notice))
