"""Spreadsheets: the figures and score-sheet exports, and the figures import.

The import is a dry run first: the uploaded file is checked and every change and problem
shown; nothing is written. The bytes are kept through the storage API (`default_storage`,
shared by web servers and workers) under a name made of the user, the department and
their SHA-256, referenced from the session; confirming reads them back, validates them
again (the stored figures may have changed meanwhile) and applies everything or nothing:
in the request, or, when it changes `IMPORT_BACKGROUND_ROWS` figures or more, in a
background job whose page the clerk is sent to.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from assessment import access, spine
from assessment.access import AuthedRequest
from assessment.figures import periods
from assessment.jobs import imports as import_jobs
from assessment.jobs import queue
from assessment.middleware import accepts_upload
from assessment.models import AssessmentYear, Department, JobKind, User
from assessment.spreadsheets import exports, imports

PENDING_KEY = "pending-import"
#: The longest file name the check page shows.
UPLOAD_NAME_MAX = 120
PENDING_MAX_AGE = 24 * 3600


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=exports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _scope(
    request: AuthedRequest, year: int, code: str
) -> tuple[AssessmentYear, Department]:
    assessment_year = access.get_year_or_404(year)
    department = access.get_department_or_404(request.user, code)
    return assessment_year, department


# --- exports ----------------------------------------------------------------------


@require_GET
def figures_export(request: AuthedRequest, year: int, code: str) -> HttpResponse:
    assessment_year, department = _scope(request, year, code)
    title = _("%(department)s: monthly figures %(year)s") % {
        "department": department.name,
        "year": assessment_year.year,
    }
    content = exports.figures_workbook(assessment_year, [department], title)
    return _xlsx(content, f"figures-{assessment_year.year}-{department.code}.xlsx")


@require_GET
@access.sees_all_required
def bureau_figures_export(request: AuthedRequest, year: int) -> HttpResponse:
    assessment_year = access.get_year_or_404(year)
    title = _("Monthly figures %(year)s") % {"year": assessment_year.year}
    departments = access.departments_for(request.user)
    content = exports.figures_workbook(assessment_year, departments, title)
    return _xlsx(content, f"figures-{assessment_year.year}.xlsx")


@require_GET
def score_sheet_export(request: AuthedRequest, year: int, code: str) -> HttpResponse:
    assessment_year, department = _scope(request, year, code)
    content = exports.score_sheet_workbook(assessment_year, department)
    return _xlsx(content, f"score-sheet-{assessment_year.year}-{department.code}.xlsx")


@require_GET
@access.sees_all_required
def bureau_score_sheet_export(request: AuthedRequest, year: int) -> HttpResponse:
    assessment_year = access.get_year_or_404(year)
    content = exports.score_sheet_workbook(
        assessment_year,
        None,
        departments=access.departments_for(request.user),
        bureau_title=_("The whole bureau"),
    )
    return _xlsx(content, f"score-sheet-{assessment_year.year}.xlsx")


# --- import -----------------------------------------------------------------------


def _month_param(request: AuthedRequest) -> int | None:
    raw = request.GET.get("month", "")
    if not raw:
        return None
    if not raw.isdigit() or not 1 <= int(raw) <= 12:
        raise Http404
    return int(raw)


@require_GET
def import_template(request: AuthedRequest, year: int, code: str) -> HttpResponse:
    assessment_year, department = _scope(request, year, code)
    month = _month_param(request)
    content = imports.template_workbook(assessment_year, department, month)
    suffix = f"-{month:02d}" if month else ""
    return _xlsx(
        content,
        f"figures-template-{assessment_year.year}{suffix}-{department.code}.xlsx",
    )


def _pending_name(user: User, department: Department, fingerprint: str) -> str:
    return import_jobs.pending_name(user, department, fingerprint)


def _remove_stale_pending() -> None:
    cutoff = timezone.now() - datetime.timedelta(seconds=PENDING_MAX_AGE)
    try:
        _dirs, files = default_storage.listdir(import_jobs.PENDING_FOLDER)
    except OSError:
        return
    for filename in files:
        name = f"{import_jobs.PENDING_FOLDER}/{filename}"
        try:
            if default_storage.get_modified_time(name) < cutoff:
                default_storage.delete(name)
        except OSError:
            pass


@dataclass(frozen=True)
class UploadInfo:
    """What the user knows of the file they uploaded: its name, size and when."""

    name: str
    size: int
    uploaded_at: datetime.datetime

    def as_session(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "size": self.size,
            "uploaded_at": self.uploaded_at.isoformat(),
        }

    @classmethod
    def from_session(cls, stored: Any) -> UploadInfo | None:
        try:
            return cls(
                name=str(stored["name"]),
                size=int(stored["size"]),
                uploaded_at=datetime.datetime.fromisoformat(stored["uploaded_at"]),
            )
        except (KeyError, TypeError, ValueError):
            return None


def _upload_name(raw: str | None) -> str:
    """The uploaded file's own name, without any folder a browser sent with it."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    return name[:UPLOAD_NAME_MAX] or _("(no name)")


def _keep_pending(
    request: AuthedRequest,
    department: Department,
    year: AssessmentYear,
    data: bytes,
    info: UploadInfo,
) -> str:
    fingerprint = hashlib.sha256(data).hexdigest()
    _remove_stale_pending()
    import_jobs.keep(_pending_name(request.user, department, fingerprint), data)
    request.session[PENDING_KEY] = {
        "department": department.pk,
        "year": year.pk,
        "fingerprint": fingerprint,
        "file": info.as_session(),
    }
    return fingerprint


def _read_pending(
    request: AuthedRequest, department: Department, year: AssessmentYear
) -> bytes | None:
    """The bytes the dry run saw, if this user's session holds that very upload."""
    pending = request.session.get(PENDING_KEY) or {}
    fingerprint = request.POST.get("fingerprint", "")
    if (
        pending.get("department") != department.pk
        or pending.get("year") != year.pk
        or pending.get("fingerprint") != fingerprint
    ):
        return None
    return import_jobs.read(
        _pending_name(request.user, department, fingerprint), fingerprint
    )


def _forget_pending(
    request: AuthedRequest, department: Department, fingerprint: str
) -> None:
    request.session.pop(PENDING_KEY, None)
    import_jobs.forget(_pending_name(request.user, department, fingerprint))


def _entry_url(year: AssessmentYear, department: Department, month: int) -> str:
    return reverse(
        "assessment:entry",
        kwargs={"year": year.year, "code": department.code, "month": month},
    )


@accepts_upload(lambda: settings.IMPORT_MAX_BYTES)
@require_http_methods(["GET", "POST"])
def import_figures(request: AuthedRequest, year: int, code: str) -> HttpResponse:
    assessment_year, department = _scope(request, year, code)
    user: User = request.user
    can_import = access.can_edit_department_data(user)
    context = {
        "year": assessment_year,
        "department": department,
        "can_import": can_import,
        "max_mb": settings.IMPORT_MAX_BYTES / 1024 / 1024,
        "current_month": periods.today().month
        if periods.today().year == assessment_year.year
        else None,
        "months": range(1, 13),
    }
    if request.method == "GET":
        return render(request, "assessment/spreadsheets/import.html", context)
    if not can_import:
        raise PermissionDenied
    upload = request.FILES.get("file")
    confirming = request.POST.get("confirm") == "1"
    info: UploadInfo | None
    if upload is not None:
        data, refusal = imports.read_upload(upload)
        if refusal is not None:
            context["refusal"] = refusal
            return render(
                request, "assessment/spreadsheets/import.html", context, status=400
            )
        assert data is not None
        info = UploadInfo(_upload_name(upload.name), len(data), timezone.now())
    elif confirming:
        data = _read_pending(request, department, assessment_year)
        info = UploadInfo.from_session(
            (request.session.get(PENDING_KEY) or {}).get("file")
        )
        if data is None:
            messages.error(
                request,
                _("The checked file is no longer available. Upload it again."),
            )
            return redirect("assessment:import", year=year, code=code)
    else:
        context["refusal"] = _("Choose a file to upload.")
        return render(
            request, "assessment/spreadsheets/import.html", context, status=400
        )

    report = imports.validate_upload(data, user, assessment_year, department)
    context["report"] = report
    context["upload"] = info
    if not confirming or not report.can_apply:
        if report.can_apply:
            _keep_pending(
                request,
                department,
                assessment_year,
                data,
                info or UploadInfo(_("(no name)"), len(data), timezone.now()),
            )
        status = 200 if report.ok else 400
        return render(
            request, "assessment/spreadsheets/dry_run.html", context, status=status
        )
    if len(report.changes) >= settings.IMPORT_BACKGROUND_ROWS:
        started = _apply_in_background(
            request, assessment_year, department, report, data
        )
        if started is not None:
            return started
        # The queue is down: the dry run again, its file still kept, to confirm later.
        return render(
            request, "assessment/spreadsheets/dry_run.html", context, status=503
        )
    try:
        result = imports.apply_import(report, user)
    except spine.Refused as refused:
        _forget_pending(request, department, report.fingerprint)
        messages.error(request, refused.message)
        return redirect("assessment:import", year=year, code=code)
    _forget_pending(request, department, report.fingerprint)
    months = sorted({change.month for change in report.changes})
    messages.success(
        request,
        ngettext(
            "Imported %(count)d figure (%(created)d new, %(updated)d changed).",
            "Imported %(count)d figures (%(created)d new, %(updated)d changed).",
            result.count,
        )
        % {"count": result.count, "created": result.created, "updated": result.updated},
    )
    context.update(
        {
            "result": result,
            "imported_months": [
                (m, _entry_url(assessment_year, department, m)) for m in months
            ],
            "imported_at": timezone.now(),
        }
    )
    return render(request, "assessment/spreadsheets/imported.html", context)


def _apply_in_background(
    request: AuthedRequest,
    year: AssessmentYear,
    department: Department,
    report: imports.ImportReport,
    data: bytes,
) -> HttpResponse | None:
    """A large import: a worker checks the file again and applies it (the checked
    bytes stay in storage for it); the page shows the job."""
    name = _pending_name(request.user, department, report.fingerprint)
    if not default_storage.exists(name):  # confirmed with the file uploaded again
        import_jobs.keep(name, data)
    try:
        job = queue.start(
            request.user,
            JobKind.IMPORT,
            year,
            department,
            {"fingerprint": report.fingerprint, "file": name},
        )
    except queue.QueueUnavailable:
        messages.error(
            request,
            _(
                "The background queue is unavailable just now, so nothing was "
                "imported. Please confirm the import again in a few minutes."
            ),
        )
        return None
    request.session.pop(PENDING_KEY, None)
    return redirect("assessment:job", pk=job.pk)
