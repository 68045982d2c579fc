"""A department's self-assessment (自评): who may change it, and the changes themselves.

Each change runs in one transaction that re-reads (and locks) the department's submission,
so a self-assessment submitted a moment ago refuses an edit that was already under way.
Rows carry a version: an edit started from an older version is refused with who changed
it and when, unless the stored values already equal what was sent (a double-click).
Every change is saved with `.save()`, so django-simple-history records exactly one entry.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from assessment import formatting, spine
from assessment.figures.values import parse_value
from assessment.figures.workflow import SubmissionStatus
from assessment.models import (
    AssessmentYear,
    Department,
    Evidence,
    SelfAssessment,
    SelfAssessmentSubmission,
    Target,
    User,
)
from assessment.notices import events
from assessment.scoring.evidence import CheckedUpload, duplicate_error, find_duplicate

SCORE_DECIMALS = 2


def lock_reason(*, year_closed: bool, status: str | None) -> str | None:
    """Why the department's self-assessment cannot be changed now, or None."""
    if year_closed:
        return _("The assessment year is closed; nothing in it can be changed.")
    if status == SubmissionStatus.SUBMITTED:
        return _(
            "This self-assessment has been submitted and is locked. A supervisor can "
            "return it for changes."
        )
    return None


def is_department_clerk(user: User, department: Department) -> bool:
    """Writes this department's self-assessment: a member who is not read-only."""
    if not user.is_authenticated or not user.is_active or user.is_leader:
        return False
    return department.members.filter(pk=user.pk).exists()


def parse_self_score(raw: str, points: Decimal) -> Decimal | None:
    """A self score between 0 and the target's points, at most two decimals."""
    value = parse_value(raw, decimals=SCORE_DECIMALS, allow_negative=False)
    if value is not None and value > points:
        raise ValidationError(
            _("The self score cannot exceed the target's %(points)s points.")
            % {"points": _plain(points)},
            code="above_points",
        )
    return value


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def changed_by_text(who: User | None, when: datetime.datetime | None) -> str:
    name = who.display_name if who is not None else _("someone")
    moment = (
        date_format(timezone.localtime(when), "DATETIME_FORMAT")
        if when
        else _("just now")
    )
    return _("%(name)s changed it on %(when)s.") % {"name": name, "when": moment}


@dataclass(frozen=True)
class Conflict:
    """Someone saved the row after the editor loaded it."""

    current: SelfAssessment
    message: str


@dataclass(frozen=True)
class SaveOutcome:
    row: SelfAssessment | None
    changed: bool
    evidence: Evidence | None = None
    conflict: Conflict | None = None


def _locked_submission(
    current: spine.Write, department: Department
) -> SelfAssessmentSubmission:
    """The department's submission row, locked for this write; refuses if submitted."""
    submission, _created = SelfAssessmentSubmission.objects.get_or_create(
        year=current.year, department=department
    )
    submission = SelfAssessmentSubmission.objects.select_for_update(of=("self",)).get(
        pk=submission.pk
    )
    reason = lock_reason(year_closed=False, status=submission.status)
    if reason:
        raise spine.Refused(reason, code="locked")
    return submission


def save_self_assessment(
    *,
    year: AssessmentYear,
    department: Department,
    target: Target,
    user: User,
    version: int,
    self_score: Decimal | None,
    text: str,
    upload: CheckedUpload | None = None,
    upload_file: IO[bytes] | None = None,
    once: uuid.UUID | None = None,
) -> SaveOutcome:
    """Store a target's self score and text, and attach an evidence file if given.

    Raises `spine.Refused` when the self-assessment is locked, ValidationError when the
    file is already attached. Nothing is written in either case, nor on a version
    conflict. The form's `once` token makes a second post of the same file a no-op.
    """
    stored_name: str | None = None
    try:
        with spine.write(year, user) as current:
            _locked_submission(current, department)
            saved = spine.save_versioned(
                current,
                SelfAssessment,
                {"target": target, "department": department},
                {"self_score": self_score, "text": text},
                version,
            )
            row = saved.row
            if saved.conflict:
                return SaveOutcome(
                    row=row,
                    changed=False,
                    conflict=Conflict(
                        current=row,
                        message=changed_by_text(row.updated_by, row.updated_at),
                    ),
                )
            current.touch(department.pk)
            evidence = None
            if upload is not None and upload_file is not None:

                def attach() -> Evidence:
                    nonlocal stored_name
                    existing = find_duplicate(row, upload.sha256)
                    if existing is not None:
                        raise duplicate_error(existing)
                    stored_name = default_storage.save(
                        upload.storage_name,
                        File(upload.stored_file(upload_file), name=upload.storage_name),
                    )
                    return Evidence(
                        department=department,
                        self_assessment=row,
                        file=stored_name,
                        original_name=upload.display_name,
                        content_type=upload.kind.content_type,
                        size=upload.size,
                        sha256=upload.sha256,
                        uploaded_by=user,
                    )

                evidence, created = spine.create_once(current, once, Evidence, attach)
                if not created:
                    return SaveOutcome(row=row, changed=saved.changed, evidence=None)
            return SaveOutcome(
                row=row,
                changed=saved.changed or evidence is not None,
                evidence=evidence,
            )
    except BaseException:
        if stored_name is not None:
            default_storage.delete(stored_name)
        raise


def delete_evidence(evidence: Evidence, user: User) -> None:
    """Remove an evidence file: its row now, its stored file once that is committed."""
    assessment = evidence.self_assessment
    if assessment is None:
        raise spine.Refused(_("Only self-assessment evidence can be deleted here."))
    with spine.write(assessment.target.category.year_id, user) as current:
        if not user.is_supervisor:
            _locked_submission(current, evidence.department)
        current.delete(evidence)
        current.touch(evidence.department_id)


def missing_self_scores(
    targets: list[Target], rows: dict[int, SelfAssessment]
) -> list[Target]:
    """The targets that still have no self score."""
    return [
        target
        for target in targets
        if target.pk not in rows or rows[target.pk].self_score is None
    ]


def missing_evidence(
    targets: list[Target], evidence: dict[int, list[Any]]
) -> list[Target]:
    """The targets whose standard asks for evidence and that have no file attached."""
    return [
        target
        for target in targets
        if target.evidence_required.strip() and not evidence.get(target.pk)
    ]


def submit(
    *,
    year: AssessmentYear,
    department: Department,
    user: User,
    targets: list[Target],
) -> bool:
    """Submit the department's self-assessment; False if it already was (double-click)."""
    with spine.write(year, user) as current:
        submission, _created = SelfAssessmentSubmission.objects.get_or_create(
            year=current.year, department=department
        )
        submission = SelfAssessmentSubmission.objects.select_for_update(
            of=("self",)
        ).get(pk=submission.pk)
        if submission.status == SubmissionStatus.SUBMITTED:
            return False
        rows = {
            row.target_id: row
            for row in SelfAssessment.objects.filter(
                department=department, target__in=targets
            )
        }
        missing = missing_self_scores(targets, rows)
        if missing:
            raise spine.Refused(
                _("Enter a self score for every target before submitting: %(list)s.")
                % {"list": formatting.listing(missing)}
            )
        submission.status = SubmissionStatus.SUBMITTED
        submission.submitted_at = timezone.now()
        submission.submitted_by = user
        submission.version += 1
        current.save(submission)
        current.touch(department.pk)
        return True


def return_for_changes(
    *, year: AssessmentYear, department: Department, comment: str, user: User
) -> bool:
    """A supervisor returns a submitted self-assessment; False if already returned."""
    with spine.write(year, user) as current:
        submission = (
            SelfAssessmentSubmission.objects.select_for_update(of=("self",))
            .filter(year=current.year, department=department)
            .first()
        )
        if submission is not None and (
            submission.status == SubmissionStatus.RETURNED
            and submission.comment == comment
        ):
            return False
        if submission is None or submission.status != SubmissionStatus.SUBMITTED:
            raise spine.Refused(_("Only a submitted self-assessment can be returned."))
        submission.status = SubmissionStatus.RETURNED
        submission.comment = comment
        submission.version += 1
        current.save(submission)
        current.touch(department.pk)
        events.self_assessment_returned(current, submission)
        return True
