"""The report's overview and closing paragraphs: who writes them, and saving them.

The bureau's texts are written by a supervisor, a department's by its clerks. A save is a
write of the spine: the year locked open, the row saved only from the version the editor
started from (a conflict says who changed it and when) unless the stored texts already
equal what was sent, one audit entry per change.
"""

from __future__ import annotations

from dataclasses import dataclass

from assessment import spine
from assessment.models import AssessmentYear, Department, ReportText, User
from assessment.scoring.self_assessment import changed_by_text, is_department_clerk


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
    """Store the texts; raises `spine.Refused` for a closed year. Version 0: never saved."""
    with spine.write(year, user) as current:
        saved = spine.save_versioned(
            current,
            ReportText,
            {"year": current.year, "department": department},
            {"overview": overview, "closing": closing},
            version,
        )
        if saved.conflict:
            return SaveOutcome(
                row=saved.row,
                changed=False,
                conflict=changed_by_text(saved.row.updated_by, saved.row.updated_at),
            )
        if saved.changed and department is not None:
            current.touch(department.pk)
        return SaveOutcome(row=saved.row, changed=saved.changed)
