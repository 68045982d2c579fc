"""The report's overview and closing paragraphs: who writes them, and saving them.

The bureau's texts are written by a supervisor, a department's by its clerks. A save runs
in one transaction that re-reads the year (a closed year refuses) and locks the row; an
edit started from an older version is refused with who changed it and when, unless the
stored texts already equal what was sent (a double-click). Every change is saved with
`.save()`, so django-simple-history records exactly one entry with the user.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from assessment.models import AssessmentYear, Department, ReportText, User
from assessment.scoring.self_assessment import changed_by_text, is_department_clerk


class Refused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def may_edit(user: User, department: Department | None) -> bool:
    """Supervisors write the bureau's texts; a department's clerks write its own."""
    if department is None:
        return user.is_supervisor
    return user.is_clerk and is_department_clerk(user, department)


@dataclass(frozen=True)
class SaveOutcome:
    row: ReportText
    changed: bool
    conflict: str = ""


def current_text(year: AssessmentYear, department: Department | None) -> ReportText:
    row = ReportText.objects.filter(year=year, department=department).first()
    return row or ReportText(year=year, department=department, version=0)


def save_report_text(
    *,
    year: AssessmentYear,
    department: Department | None,
    user: User,
    version: int,
    overview: str,
    closing: str,
) -> SaveOutcome:
    """Store the texts; raises Refused for a closed year. Version 0 = never saved."""
    with transaction.atomic():
        if AssessmentYear.objects.get(pk=year.pk).is_closed:
            raise Refused(
                _("The assessment year is closed; nothing in it can be changed.")
            )
        rows = ReportText.objects.select_for_update().filter(
            year=year, department=department
        )
        row = rows.first()
        if row is None:
            try:
                with transaction.atomic():
                    row = ReportText(
                        year=year,
                        department=department,
                        overview=overview,
                        closing=closing,
                        version=1,
                        updated_by=user,
                    )
                    row.save()
                return SaveOutcome(row=row, changed=True)
            except IntegrityError:
                # Someone saved the first texts at the same moment: compare with theirs.
                row = rows.get()
        same = row.overview == overview and row.closing == closing
        if same:
            return SaveOutcome(row=row, changed=False)
        if row.version != version:
            return SaveOutcome(
                row=row,
                changed=False,
                conflict=changed_by_text(row.updated_by, row.updated_at),
            )
        row.overview = overview
        row.closing = closing
        row.version += 1
        row.updated_by = user
        row.save()
        return SaveOutcome(row=row, changed=True)
