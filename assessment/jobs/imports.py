"""A large figures import applied by a worker.

The dry run happened in the request and the clerk confirmed it; the checked bytes wait
in `default_storage` under `pending_name`, so a worker on another machine reads the
same file. The worker checks the file again (the stored figures may have changed since)
and applies it with `imports.apply_import`: one transaction, all or nothing, so a worker
that dies mid-way leaves nothing half applied.

Running it again is safe: the import's fingerprint is recorded with every figure it
wrote, with its user and time, so a task delivered again after its import committed
finds it applied and reports the counts written then, never applying the file a second time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from assessment.access import departments_for
from assessment.models import Department, Figure, Job, User
from assessment.spine import Refused
from assessment.spreadsheets import imports

PENDING_FOLDER = "imports"


def pending_name(user: User, department: Department, fingerprint: str) -> str:
    """Where a checked upload waits: one name per user, department and content."""
    return f"{PENDING_FOLDER}/{user.pk}-{department.pk}-{fingerprint}.xlsx"


def keep(name: str, data: bytes) -> None:
    """Store `data` under exactly `name`, replacing what was there."""
    if default_storage.exists(name):
        default_storage.delete(name)
    default_storage.save(name, ContentFile(data))


def read(name: str, fingerprint: str) -> bytes | None:
    """The stored bytes, if they are still the ones with this fingerprint."""
    try:
        with default_storage.open(name, "rb") as stored:
            data = stored.read()
    except OSError:
        return None
    if hashlib.sha256(data).hexdigest() != fingerprint:
        return None
    return data


def forget(name: str) -> None:
    try:
        if default_storage.exists(name):
            default_storage.delete(name)
    except OSError:
        pass


def _written_by(job: Job, department: Department, fingerprint: str) -> QuerySet:
    """The audit rows this job's import wrote: the file's fingerprint as the reason,
    its starter, at or after the job was created (an earlier import of the same file
    by hand is not this job's)."""
    return Figure.history.filter(
        history_change_reason=imports.apply.CHANGE_REASON % fingerprint,
        history_user_id=job.started_by_id,
        history_date__gte=job.created_at,
        monthly_return__department_id=department.pk,
        monthly_return__year_id=job.year_id,
    )


def applied(job: Job, department: Department, fingerprint: str) -> bool:
    return _written_by(job, department, fingerprint).exists()


def applied_outcome(job: Job, department: Department, fingerprint: str) -> dict:
    """The counts this job's import wrote, read from the audit trail."""
    rows = _written_by(job, department, fingerprint)
    counts = rows.aggregate(
        created=Count("pk", filter=Q(history_type="+")),
        updated=Count("pk", filter=Q(history_type="~")),
    )
    months = sorted(set(rows.values_list("monthly_return__month", flat=True)))
    return {
        "created": counts["created"],
        "updated": counts["updated"],
        "months": months,
    }


class ImportFailed(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def run_import(job: Job, progress: Callable[[int, int, str], None]) -> dict:
    """Check the waiting file again and apply it; the outcome's counts. Raises
    `ImportFailed` (in words) when it cannot be applied."""
    department = (
        departments_for(job.started_by).filter(pk=job.department_id).first()
        if job.department_id is not None
        else None
    )
    if department is None:
        raise ImportFailed(_("You can no longer see this department's data."))
    fingerprint = str(job.parameters.get("fingerprint", ""))
    name = str(job.parameters.get("file", ""))
    if applied(job, department, fingerprint):
        forget(name)
        return applied_outcome(job, department, fingerprint)
    data = read(name, fingerprint)
    if data is None:
        raise ImportFailed(
            _("The checked file is no longer available. Upload it again.")
        )
    progress(0, 2, _("Checking the file again"))
    report = imports.validate_upload(data, job.started_by, job.year, department)
    if not report.can_apply:
        forget(name)
        raise ImportFailed(
            _(
                "Nothing was imported: the figures changed since the file was "
                "checked and it now has problems. Upload it again to see them."
            )
        )
    progress(1, 2, _("Applying the changes"))
    try:
        imports.apply_import(report, job.started_by)
    except Refused as refused:
        # A second delivery racing the first: the first's import counts.
        if applied(job, department, fingerprint):
            forget(name)
            return applied_outcome(job, department, fingerprint)
        forget(name)
        raise ImportFailed(refused.message) from refused
    forget(name)
    progress(2, 2, "")
    return applied_outcome(job, department, fingerprint)
