"""月度通报: the monthly progress bulletin, as a page and as a PDF in the report's
layout (`reporting.pdf`, the report's faces and stylesheet), and issuing it.

On the 1st of each month the beat schedule prepares the month just ended
(`prepare_drafts`): its bulletin is a draft that every supervisor is told is ready to
review and issue. It is never issued by the schedule: issuing records the supervisor
who signs for it and tells every department, which a bureau leaves to a person.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, models, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assessment import formatting, spine
from assessment.figures import periods
from assessment.models import (
    AssessmentYear,
    Bulletin,
    Department,
    Notice,
    NoticeKind,
    Role,
    User,
)
from assessment.models.catalogue import YearStatus
from assessment.notices import events
from assessment.progress import watch
from assessment.reporting import pdf
from assessment.reporting.formatting import report_date
from assessment.reporting.report import unit_name
from assessment.reporting.translation import report_language


@dataclass(frozen=True)
class BulletinData:
    year: AssessmentYear
    month: int
    watched: watch.YearProgress
    completeness: watch.Completeness | None
    issued: Bulletin | None

    @property
    def title(self) -> str:
        return _("Progress bulletin for %(month)s") % {
            "month": formatting.month_label(self.year.year, self.month)
        }


def bulletin_data(
    year: AssessmentYear, departments: list[Department], month: int
) -> BulletinData:
    return BulletinData(
        year=year,
        month=month,
        watched=watch.year_progress(year, departments, month),
        completeness=watch.completeness(year, departments, month),
        issued=Bulletin.objects.filter(year=year, month=month)
        .select_related("issued_by")
        .first(),
    )


def render_pdf(data: BulletinData) -> bytes:
    language = report_language()
    with translation.override(language):
        issued = data.issued
        date = timezone.localdate(issued.issued_at) if issued else periods.today()
        html = render_to_string(
            "assessment/progress/bulletin_pdf.html",
            {
                "data": data,
                "language": language,
                "unit_name": unit_name(),
                "title": data.title,
                "date_text": report_date(date, issued is None),
            },
        )
    return pdf.render_pdf(html)


def filename(data: BulletinData) -> str:
    return f"bulletin-{data.year.year}-{data.month:02d}.pdf"


def issue(user: User, year: AssessmentYear, month: int) -> Bulletin:
    """Record that `user` issued the month's bulletin; a month is issued once."""
    with spine.write(year, user) as current:
        bulletin = Bulletin(
            year=current.year, month=month, issued_at=timezone.now(), issued_by=user
        )
        try:
            with transaction.atomic():
                current.save(bulletin)
        except IntegrityError:
            raise spine.Refused(
                _("The bulletin for this month was issued already."), code="invalid"
            ) from None
        _tell_departments(current, month)
    return bulletin


def _tell_departments(current: spine.Write, month: int) -> None:
    """A notice to the clerks of every department the year assesses (one query for
    the departments, one for their clerks, one to store)."""
    year = current.year
    assessed = Department.objects.filter(
        models.Q(targets__category__year=year) | models.Q(indicators__year=year)
    ).distinct()
    clerks = events.department_clerks(assessed.values_list("pk", flat=True))
    events.create_notices(
        [
            Notice(
                recipient_id=user_id,
                kind=NoticeKind.BULLETIN,
                key=f"{NoticeKind.BULLETIN}:{year.pk}:{month}:{department_id}",
                year_id=year.pk,
                department_id=department_id,
                month=month,
                actor=current.user,
            )
            for department_id, user_ids in clerks.items()
            for user_id in user_ids
        ]
    )


def month_before(today: datetime.date) -> tuple[int, int]:
    """(year, month) of the month before `today`'s."""
    last = today.replace(day=1) - datetime.timedelta(days=1)
    return last.year, last.month


def prepare_drafts(today: datetime.date | None = None) -> list[Notice]:
    """The bulletin of the month before `today`'s, drafted: a notice to each
    supervisor that it is ready to issue, unless it was issued already or its year
    is closed. Safe to run again (a notice per key)."""
    year_number, month = month_before(today or periods.today())
    year = (
        AssessmentYear.objects.filter(year=year_number)
        .exclude(status__in=[YearStatus.DRAFT, YearStatus.CLOSED])
        .first()
    )
    if year is None or Bulletin.objects.filter(year=year, month=month).exists():
        return []
    bureau = Department.objects.filter(parent__isnull=True).order_by("pk").first()
    if bureau is None:
        return []
    supervisors = User.objects.filter(is_active=True).filter(
        models.Q(role__in=[Role.SUPERVISOR, Role.ADMIN]) | models.Q(is_superuser=True)
    )
    return events.create_notices(
        [
            Notice(
                recipient_id=user_id,
                kind=NoticeKind.BULLETIN_DRAFT,
                key=f"{NoticeKind.BULLETIN_DRAFT}:{year.pk}:{month}",
                year_id=year.pk,
                department_id=bureau.pk,
                month=month,
            )
            for user_id in supervisors.values_list("pk", flat=True)
        ]
    )
