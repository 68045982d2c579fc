"""Rectification (整改): items made when the results become final, the department's
report with its evidence, and the supervisor's acceptance or return.

Items are made by `create_items` inside the write that makes the results final (and,
for a year already final, by `manage.py create_rectifications`): it may run any number
of times, since an item per (department, cause) is made once (a constraint in the
database). The work on the items goes on after the year closed, so their writes are
follow-ups of the spine (`spine.write(..., follow_up=True)`): locked, audited, never
changing the year's results.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import IO

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment import formatting, spine
from assessment.models import (
    AssessmentYear,
    Department,
    Evidence,
    Notice,
    NoticeKind,
    Rectification,
    RectificationCause,
    RectificationStatus,
    User,
)
from assessment.notices import events
from assessment.scoring import rectify_rules, results, rules
from assessment.scoring.evidence import CheckedUpload
from assessment.scoring.self_assessment import is_department_clerk


def create_items(year: AssessmentYear, user: User | None) -> list[Rectification]:
    """Make the items the final results call for; return those made now.

    Refused while the results are not final. Items made before stay as they are.
    """
    with spine.write(year, user, follow_up=True) as current:
        final_at = current.year.results_final_at
        if final_at is None:
            raise spine.Refused(
                _("The %(year)s results are not final: nothing to rectify yet.")
                % {"year": current.year.year}
            )
        deadline = rectify_rules.default_deadline(timezone.localdate(final_at))
        existing = set(
            Rectification.objects.filter(year=current.year).values_list(
                "department_id", "key"
            )
        )
        made: list[Rectification] = []
        for result in results.year_results(current.year, Department.objects.all()):
            found = rectify_rules.findings(
                failed=result.grade == rules.Grade.FAIL,
                lines=[
                    rectify_rules.TargetLine(line.target.pk, line.counted, line.points)
                    for line in result.targets
                ],
                percent=current.year.rectify_below_percent,
            )
            for finding in found:
                if (result.department.pk, finding.key) in existing:
                    continue
                item = Rectification(
                    year=current.year,
                    department=result.department,
                    key=finding.key,
                    cause=RectificationCause.GRADE
                    if finding.is_grade
                    else RectificationCause.TARGET,
                    target_id=finding.target_id,
                    score=result.total_per_100 if finding.is_grade else finding.score,
                    points=finding.points,
                    deadline=deadline,
                )
                try:
                    with transaction.atomic():
                        current.save(item)
                except IntegrityError:
                    continue  # made by a concurrent run a moment ago
                made.append(item)
        return made


def may_report(user: User, item: Rectification) -> bool:
    """The department's clerks report; only while it is theirs to report."""
    return is_department_clerk(user, item.department) and item.is_with_department


def may_review(user: User, item: Rectification) -> bool:
    """A supervisor accepts or returns a reported item."""
    return (
        user.is_active
        and user.is_supervisor
        and item.status == RectificationStatus.REPORTED
    )


def _locked(item: Rectification) -> Rectification:
    return (
        Rectification.objects.select_for_update(of=("self",))
        .select_related("department")
        .get(pk=item.pk)
    )


def _conflict(row: Rectification) -> spine.Refused:
    return spine.Refused(
        _("This rectification item changed while you were editing it (now: %(state)s).")
        % {"state": row.get_status_display()},
        code="conflict",
    )


def save_report(
    item: Rectification,
    *,
    measures: str,
    owner: str,
    deadline: datetime.date,
    report: str,
    submit: bool,
    version: int,
    user: User,
    uploads: Sequence[tuple[CheckedUpload, IO[bytes]]] = (),
) -> bool:
    """The department's plan and report; `submit` hands it to the supervisor.

    False if nothing changed (the same form posted twice).
    """
    stored: list[str] = []
    try:
        with spine.write(item.year_id, user, follow_up=True) as current:
            row = _locked(item)
            if not is_department_clerk(user, row.department):
                raise spine.Refused(
                    _("Only the department's clerks report its rectification.")
                )
            status = RectificationStatus.REPORTED if submit else row.status
            values = {
                "measures": measures,
                "owner": owner,
                "deadline": deadline,
                "report": report,
                "status": status,
            }
            outcome = spine.versioned_outcome(row, values, version)
            if outcome is spine.Outcome.UNCHANGED and not uploads:
                return False
            if outcome is spine.Outcome.CONFLICT or not row.is_with_department:
                raise _conflict(row)
            if submit and not report.strip():
                raise spine.Refused(_("Describe what was done before reporting it."))
            for name, value in values.items():
                setattr(row, name, value)
            if submit:
                row.reported_at = timezone.now()
                row.reported_by = user
            row.version += 1
            current.save(row)
            for upload, handle in uploads:
                name = default_storage.save(
                    upload.storage_name,
                    File(upload.stored_file(handle), name=upload.storage_name),
                )
                stored.append(name)
                current.save(
                    Evidence(
                        department=row.department,
                        rectification=row,
                        file=name,
                        original_name=upload.display_name,
                        content_type=upload.kind.content_type,
                        size=upload.size,
                        sha256=upload.sha256,
                        uploaded_by=user,
                    )
                )
            return True
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise


def review(
    item: Rectification,
    *,
    accept: bool,
    comment: str,
    version: int,
    user: User,
) -> bool:
    """A supervisor accepts or returns a reported item; the clerks are told.

    False if it had been decided so already (a second post).
    """
    with spine.write(item.year_id, user, follow_up=True) as current:
        if not user.is_supervisor:
            raise spine.Refused(
                _("Only a supervisor accepts or returns rectification.")
            )
        row = _locked(item)
        status = (
            RectificationStatus.ACCEPTED if accept else RectificationStatus.RETURNED
        )
        if row.status == status and row.comment == comment:
            return False
        if row.status != RectificationStatus.REPORTED or row.version != version:
            raise _conflict(row)
        if not accept and not comment.strip():
            raise spine.Refused(_("Say what is still missing when returning it."))
        row.status = status
        row.comment = comment
        row.reviewed_at = timezone.now()
        row.reviewed_by = user
        row.version += 1
        current.save(row)
        recipients = events.department_clerks([row.department_id])[row.department_id]
        kind = (
            NoticeKind.RECTIFICATION_ACCEPTED
            if accept
            else NoticeKind.RECTIFICATION_RETURNED
        )
        events.create_notices(
            [
                Notice(
                    recipient_id=user_id,
                    kind=kind,
                    key=f"{kind}:{row.pk}:v{row.version}",
                    year_id=row.year_id,
                    department_id=row.department_id,
                    detail=comment,
                    actor=user,
                )
                for user_id in recipients
            ]
        )
        return True


def open_items_before(year: AssessmentYear, user: User) -> list[Rectification]:
    """The previous year's items not accepted yet, that `user` may see."""
    return list(
        Rectification.objects.for_user(user)
        .filter(year__year=year.year - 1)
        .exclude(status=RectificationStatus.ACCEPTED)
        .select_related("year", "department", "target")
    )


def finding_text(item: Rectification) -> str:
    """What failed, in the reader's language."""
    if item.target is None:
        return _("Graded fail (%(total)s per 100 points)") % {
            "total": formatting.points(item.score)
        }
    return _("%(target)s: %(score)s of %(points)s points") % {
        "target": f"{item.target.code} {item.target.name}",
        "score": formatting.points(item.score),
        "points": formatting.points(item.points),
    }
