"""Background jobs: starting them, their page, its JSON status, the result, Retry.

A job is seen only by its starter and by supervisors; to anyone else it does not exist
(404). Starting one when the queue is down says so and leaves nothing behind.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assessment.access import (
    AuthedRequest,
    get_department_or_404,
    get_year_or_404,
    sees_all_required,
    supervisor_required,
)
from assessment.jobs import queue
from assessment.models import AssessmentYear, Department, Job, JobKind, JobState
from assessment.reporting.translation import report_language, valid_language


def _job_or_404(request: AuthedRequest, pk: int) -> Job:
    return get_object_or_404(
        Job.objects.visible_to(request.user).select_related(
            "year", "department", "started_by"
        ),
        pk=pk,
    )


def _unavailable(request: AuthedRequest) -> None:
    messages.error(
        request,
        _(
            "The background queue is unavailable just now, so the job was not "
            "started and nothing was changed. Please try again in a few minutes."
        ),
    )


def _start(
    request: AuthedRequest,
    kind: JobKind,
    year: AssessmentYear,
    department: Department | None,
    back_url: str,
    parameters: dict | None = None,
) -> HttpResponse:
    try:
        job = queue.start(request.user, kind, year, department, parameters)
    except queue.QueueUnavailable:
        _unavailable(request)
        return redirect(back_url)
    return redirect("assessment:job", pk=job.pk)


def _report_parameters(request: AuthedRequest) -> dict:
    language = valid_language(request.POST.get("language"))
    return {} if language == report_language() else {"language": language}


@require_POST
@sees_all_required
def prepare_report(request: AuthedRequest, year: int) -> HttpResponse:
    """The bureau's report PDF, made in the background."""
    assessment_year = get_year_or_404(year)
    return _start(
        request,
        JobKind.REPORT_PDF,
        assessment_year,
        None,
        reverse("assessment:report", args=[year]),
        _report_parameters(request),
    )


@require_POST
def prepare_department_report(
    request: AuthedRequest, year: int, code: str
) -> HttpResponse:
    department = get_department_or_404(request.user, code)
    assessment_year = get_year_or_404(year)
    return _start(
        request,
        JobKind.REPORT_PDF,
        assessment_year,
        department,
        reverse("assessment:department-report", args=[year, code]),
        _report_parameters(request),
    )


@require_POST
@supervisor_required
def start_archive(request: AuthedRequest, year: int) -> HttpResponse:
    """The year's archive of every department's documents: supervisors."""
    assessment_year = get_year_or_404(year)
    return _start(
        request,
        JobKind.ARCHIVE,
        assessment_year,
        None,
        reverse("assessment:scoring-index", args=[year]),
    )


def _available(job: Job) -> bool:
    return job.has_result and (
        job.expires_at is None or job.expires_at > timezone.now()
    )


def _title(job: Job) -> str:
    if job.kind == JobKind.IMPORT and job.department is not None:
        return _("Figures import %(year)s: %(department)s") % {
            "year": job.year.year,
            "department": job.department.name,
        }
    if job.kind == JobKind.ARCHIVE:
        return _("Archive of the %(year)s assessment year") % {"year": job.year.year}
    if job.department is None:
        return _("Report PDF %(year)s: the whole bureau") % {"year": job.year.year}
    return _("Report PDF %(year)s: %(department)s") % {
        "year": job.year.year,
        "department": job.department.name,
    }


def _back(job: Job) -> tuple[str, str]:
    """Where the job was started from: the scoring page, the import, or the report."""
    if job.kind == JobKind.IMPORT and job.department is not None:
        return _("Back to the import"), reverse(
            "assessment:import", args=[job.year.year, job.department.code]
        )
    if job.kind == JobKind.ARCHIVE:
        return _("Back to scoring"), reverse(
            "assessment:scoring-index", args=[job.year.year]
        )
    if job.department is None:
        return _("Back to the report"), reverse(
            "assessment:report", args=[job.year.year]
        )
    return _("Back to the report"), reverse(
        "assessment:department-report", args=[job.year.year, job.department.code]
    )


def progress_text(job: Job) -> str:
    """What the job is doing, in the reader's language."""
    if job.state == JobState.QUEUED:
        return _("Waiting for a worker…")
    if job.state == JobState.FAILED:
        return _("Failed")
    if job.state == JobState.DONE:
        return _("Done")
    if job.kind == JobKind.ARCHIVE and job.progress_total:
        text = _("Department %(done)s of %(total)s") % {
            "done": min(job.progress_done + 1, job.progress_total),
            "total": job.progress_total,
        }
        return f"{text} · {job.progress_label}" if job.progress_label else text
    if job.kind == JobKind.IMPORT:
        return _("Importing…")
    return _("Rendering…")


def imported(job: Job) -> dict | None:
    """A finished import's counts and the entry pages of its months."""
    if job.kind != JobKind.IMPORT or job.state != JobState.DONE:
        return None
    if job.department is None:
        return None
    outcome = job.outcome or {}
    created, updated = int(outcome.get("created", 0)), int(outcome.get("updated", 0))
    return {
        "count": created + updated,
        "created": created,
        "updated": updated,
        "months": [
            (
                month,
                reverse(
                    "assessment:entry",
                    kwargs={
                        "year": job.year.year,
                        "code": job.department.code,
                        "month": month,
                    },
                ),
            )
            for month in outcome.get("months", [])
            if isinstance(month, int) and 1 <= month <= 12
        ],
    }


def _status(job: Job) -> dict:
    return {
        "state": job.state,
        "state_label": str(job.get_state_display()),
        "done": job.progress_done,
        "total": job.progress_total,
        "text": progress_text(job),
        "finished": job.is_finished,
        "result_url": reverse("assessment:job-download", args=[job.pk])
        if _available(job)
        else "",
    }


@require_GET
def job_page(request: AuthedRequest, pk: int) -> HttpResponse:
    job = _job_or_404(request, pk)
    back_label, back_url = _back(job)
    return render(
        request,
        "assessment/jobs/job.html",
        {
            "job": job,
            "title": _title(job),
            "back_label": back_label,
            "back_url": back_url,
            "status": _status(job),
            "available": _available(job),
            "imported": imported(job),
            "expired": job.expired or (job.has_result and not _available(job)),
        },
    )


@require_GET
def job_status(request: AuthedRequest, pk: int) -> JsonResponse:
    return JsonResponse(_status(_job_or_404(request, pk)))


@require_GET
def job_download(request: AuthedRequest, pk: int) -> FileResponse:
    job = _job_or_404(request, pk)
    if not _available(job):
        raise Http404
    return FileResponse(
        default_storage.open(job.result_name, "rb"),
        as_attachment=True,
        filename=job.result_filename,
    )


@require_POST
def job_retry(request: AuthedRequest, pk: int) -> HttpResponse:
    job = _job_or_404(request, pk)
    try:
        queue.retry(job)
    except queue.QueueUnavailable:
        _unavailable(request)
    return redirect("assessment:job", pk=job.pk)
