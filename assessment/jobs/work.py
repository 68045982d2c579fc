"""What background jobs make, and running one job from start to end.

`run(job_id)` is what the Celery task calls. It is safe to run again for the same job
(a worker killed mid-task, the message delivered again): the result is written under a
name fixed by the job, replacing what an earlier attempt left, and the job row is
updated in place; a job already done is left alone.
"""

from __future__ import annotations

import datetime
import logging
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import (
    InterfaceError,
    OperationalError,
    close_old_connections,
    connection,
)
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assessment.access import departments_for
from assessment.jobs import manifest
from assessment.models import Department, Job, JobKind, JobState
from assessment.reporting import score_sheet
from assessment.reporting.rendering import report_filename
from assessment.reporting.report import assessed_units, build_report
from assessment.reporting.store import report_pdf as render_report_pdf
from assessment.scoring import results
from assessment.spine import Refused
from assessment.spreadsheets import exports

logger = logging.getLogger(__name__)

#: progress(done, total, label): what the job has done so far.
Progress = Callable[[int, int, str], None]


class JobError(Exception):
    """A job that cannot be done; `message` says why, in words for its starter."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ConnectionLost(Exception):
    """The database connection broke mid-task: the transaction was rolled back by the
    server; the task is to be run again (see tasks.run_job)."""


@dataclass
class Output:
    filename: str
    file: IO[bytes]


def _language(job: Job) -> str | None:
    language = job.parameters.get("language")
    return language if isinstance(language, str) else None


def _department(job: Job) -> Department:
    """The job's department, if its starter may still see it."""
    department = (
        departments_for(job.started_by).filter(pk=job.department_id).first()
        if job.department_id is not None
        else None
    )
    if department is None:
        raise JobError(_("You can no longer see this department's data."))
    return department


def make_report_pdf(job: Job, progress: Progress) -> Output:
    """The report PDF of the bureau (no department) or of one department."""
    progress(0, 1, "")
    if job.department_id is None:
        report = build_report(
            job.year, None, departments_for(job.started_by), _language(job)
        )
    else:
        report = build_report(job.year, _department(job), language=_language(job))
    content = render_report_pdf(report)
    progress(1, 1, "")
    out = tempfile.TemporaryFile()
    out.write(content)
    return Output(report_filename(report, "pdf"), out)


def _figures_title(department: Department | None, year: int) -> str:
    if department is None:
        return _("Monthly figures %(year)s") % {"year": year}
    return _("%(department)s: monthly figures %(year)s") % {
        "department": department.name,
        "year": year,
    }


def make_archive(job: Job, progress: Progress) -> Output:
    """A year's archive: every department's report PDF, score sheet PDF and figures
    spreadsheet, and the bureau's, in one zip with manifest.json and SHA256SUMS."""
    if not (job.started_by.is_active and job.started_by.is_supervisor):
        raise JobError(_("Only supervisors make the year's archive."))
    year = job.year
    visible = list(departments_for(job.started_by).order_by("order", "code"))
    units = assessed_units(visible)
    total = len(units) + 1
    folder = f"archive-{year.year}"
    entries: list[manifest.Entry] = []
    out = tempfile.TemporaryFile()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:

        def add(name: str, content: bytes) -> None:
            # Names in the manifest are relative to the folder that holds it, so
            # `sha256sum -c SHA256SUMS` checks the files from inside that folder.
            archive.writestr(f"{folder}/{name}", content)
            entries.append(manifest.entry(name, content))

        progress(0, total, _("the whole bureau"))
        bureau = build_report(year, None, visible)
        add(f"bureau/{report_filename(bureau, 'pdf')}", render_report_pdf(bureau))
        ranked = results.year_results(year, visible)
        add(
            f"bureau/{score_sheet.filename(year, None)}",
            score_sheet.summary_pdf(year, ranked),
        )
        add(
            f"bureau/figures-{year.year}.xlsx",
            exports.figures_workbook(year, visible, _figures_title(None, year.year)),
        )
        for done, department in enumerate(units, start=1):
            progress(done, total, department.name)
            report = build_report(year, department)
            add(
                f"{department.code}/{report_filename(report, 'pdf')}",
                render_report_pdf(report),
            )
            result = results.department_result(year, department)
            if result.targets:
                add(
                    f"{department.code}/{score_sheet.filename(year, department)}",
                    score_sheet.department_pdf(result),
                )
            add(
                f"{department.code}/figures-{year.year}-{department.code}.xlsx",
                exports.figures_workbook(
                    year, [department], _figures_title(department, year.year)
                ),
            )
        created = timezone.localtime().isoformat(timespec="seconds")
        archive.writestr(
            f"{folder}/{manifest.MANIFEST_NAME}",
            manifest.manifest_json(year.year, created, entries),
        )
        archive.writestr(f"{folder}/{manifest.SUMS_NAME}", manifest.sha256sums(entries))
    progress(total, total, "")
    return Output(f"{folder}.zip", out)


MAKERS: dict[str, Callable[[Job, Progress], Output]] = {
    JobKind.REPORT_PDF: make_report_pdf,
    JobKind.ARCHIVE: make_archive,
}


def storage_name(job: Job, filename: str) -> str:
    return f"jobs/{job.pk}/{filename}"


def _store(job: Job, output: Output) -> tuple[str, int]:
    """Save the result under the job's own name, replacing an earlier attempt's."""
    name = storage_name(job, output.filename)
    for old in {name, job.result_name} - {""}:
        if default_storage.exists(old):
            default_storage.delete(old)
    output.file.seek(0, 2)
    size = output.file.tell()
    output.file.seek(0)
    stored = default_storage.save(name, File(output.file, name=output.filename))
    return stored, size


def reason(exc: BaseException) -> str:
    """A failure in words for the job's starter."""
    from assessment.jobs.imports import ImportFailed

    if isinstance(exc, (JobError, Refused, ImportFailed)):
        return exc.message
    detail = str(exc).strip()
    return _("The work stopped with an error: %(error)s") % {
        "error": f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
    }


def run(job_id: int) -> None:
    """Do the job `job_id` (see the module's docstring); raises if the work failed,
    after recording the failure and its reason on the job.

    A database connection that drops at any point (server restart, failover, a
    terminated backend) rolls back what the task had written in its transaction; the
    job is queued again on a fresh connection and `ConnectionLost` raised, which
    tasks.run_job answers by running it again.
    """
    try:
        _run(job_id)
    except (OperationalError, InterfaceError) as exc:
        logger.warning("job %s lost its database connection: %s", job_id, exc)
        connection.close()
        close_old_connections()
        try:
            Job.objects.filter(pk=job_id).exclude(
                state__in=[JobState.DONE, JobState.FAILED]
            ).update(state=JobState.QUEUED)
        except (OperationalError, InterfaceError):
            connection.close()  # still down: the retry tries again
        raise ConnectionLost(str(exc)) from exc


def _run(job_id: int) -> None:
    job = (
        Job.objects.select_related("started_by", "year", "department")
        .filter(pk=job_id)
        .first()
    )
    if job is None or job.state in (JobState.DONE, JobState.FAILED):
        return  # deleted, or a message delivered again after the job ended
    rows = Job.objects.filter(pk=job.pk)
    rows.update(
        state=JobState.RUNNING,
        started_at=timezone.now(),
        attempts=F("attempts") + 1,
        error="",
    )

    def progress(done: int, total: int, label: str) -> None:
        rows.update(progress_done=done, progress_total=total, progress_label=label)

    outcome: dict = {}
    try:
        with translation.override(settings.LANGUAGE_CODE):
            if job.kind == JobKind.IMPORT:
                from assessment.jobs.imports import run_import

                outcome = run_import(job, progress)
                name, size, filename = "", 0, ""
            else:
                output = MAKERS[job.kind](job, progress)
                with output.file:
                    name, size = _store(job, output)
                filename = output.filename
    except (OperationalError, InterfaceError):
        raise  # not the job's fault: run() queues it again
    except Exception as exc:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        with translation.override(settings.LANGUAGE_CODE):
            message = reason(exc)
        rows.update(state=JobState.FAILED, error=message, finished_at=timezone.now())
        raise
    now = timezone.now()
    rows.update(
        state=JobState.DONE,
        result_name=name,
        result_filename=filename,
        result_size=size,
        outcome=outcome,
        finished_at=now,
        expires_at=now + datetime.timedelta(hours=settings.JOB_RESULT_HOURS),
    )


def give_up(job_id: int, exc: BaseException) -> None:
    """The job failed for good after its retries (the database kept failing)."""
    connection.close()
    with translation.override(settings.LANGUAGE_CODE):
        message = reason(exc)
    Job.objects.filter(pk=job_id).update(
        state=JobState.FAILED, error=message, finished_at=timezone.now()
    )


def delete_expired_results(now: datetime.datetime | None = None) -> int:
    """Delete the result files whose time is up; the jobs stay, marked expired."""
    now = now or timezone.now()
    count = 0
    for job in Job.objects.filter(expires_at__lte=now).exclude(result_name=""):
        if default_storage.exists(job.result_name):
            default_storage.delete(job.result_name)
        Job.objects.filter(pk=job.pk).update(result_name="")
        count += 1
    return count
