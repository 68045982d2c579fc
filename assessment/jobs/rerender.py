"""After a change, the reports it touched are rendered again, and the page can tell.

With workers, the spine's after-commit hook (`schedule`) queues one task per touched
department's report and one for the bureau's, `REPORT_RERENDER_SECONDS` later,
carrying the data versions as they were, and marks each report "waiting for a worker"
(a `ReportRender` row). A task that finds the versions moved on since does nothing: a
later change has queued its own, so a burst of saves renders each report once
(debounced). The task marks the row "being made", and removes it once the PDF is
stored (or marks it failed, with the reason).

Without workers (or with the queue down), nothing is queued: the report page finds
its PDF stale and asks for it (`render_now`), which makes it in that request. The page
follows either through `status`.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessment import spine
from assessment.jobs import queue
from assessment.models import (
    AssessmentYear,
    Department,
    RenderState,
    ReportRender,
    StoredReport,
)
from assessment.reporting import readiness, store
from assessment.reporting.report import build_report
from assessment.reporting.translation import report_language

logger = logging.getLogger(__name__)

#: A render that has not moved for this long is taken for lost (its worker died, the
#: queue lost it): the page asks for it anew.
PATIENCE = datetime.timedelta(minutes=15)


def _enabled() -> bool:
    from sanitation.celery import app

    return not app.conf.task_always_eager


def schedule(write: spine.Write) -> None:
    """The after-commit hook: queue the touched reports' re-render (never raises)."""
    if not write.touched or not _enabled():
        return
    year = write.year
    versions = spine.data_versions(year, write.touched.keys())
    targets = [(code, versions[pk]) for pk, code in _codes(write.touched.keys())]
    targets.append(("bureau", current_version(year, "bureau")))
    language = report_language()
    try:
        for scope, version in targets:
            _queue(year, scope, language, version, settings.REPORT_RERENDER_SECONDS)
    except queue.QueueUnavailable:
        logger.warning("reports of %s not re-rendered: the queue is down", year.year)


def _queue(
    year: AssessmentYear, scope: str, language: str, version: int, countdown: int
) -> None:
    """Mark the report waiting for a worker and send the task; on `QueueUnavailable`
    the mark is taken back (the page then makes the PDF itself)."""
    from assessment.jobs.tasks import rerender_report

    _mark(year, scope, language, version, RenderState.QUEUED)
    try:
        queue.publish(
            rerender_report,
            args=[year.pk, scope, version],
            kwargs={"language": language},
            countdown=countdown,
        )
    except queue.QueueUnavailable:
        _clear(year, scope, language, version)
        raise


def _codes(ids: object) -> list[tuple[int, str]]:
    return list(Department.objects.filter(pk__in=ids).values_list("pk", "code"))


def _department(scope: str) -> Department | None:
    return None if scope == "bureau" else Department.objects.get(code=scope)


def current_version(year: AssessmentYear, scope: str) -> int:
    """The report's data version: its department's, the sum of all for the bureau."""
    return sum(store.versions_of(year, _department(scope)).values())


def _key(year: AssessmentYear, scope: str, language: str) -> dict:
    return {"year": year, "scope": scope, "language": language}


def _mark(
    year: AssessmentYear,
    scope: str,
    language: str,
    version: int,
    state: str,
    error: str = "",
) -> None:
    fields = {"state": state, "data_version": version, "error": error}
    try:
        with transaction.atomic():
            ReportRender.objects.update_or_create(
                **_key(year, scope, language), defaults=fields
            )
    except IntegrityError:  # created by a concurrent request a moment ago
        ReportRender.objects.filter(**_key(year, scope, language)).update(**fields)


def _clear(year: AssessmentYear, scope: str, language: str, version: int) -> None:
    """Remove the mark, unless a later change has put its own there meanwhile."""
    ReportRender.objects.filter(
        **_key(year, scope, language), data_version=version
    ).delete()


def rerender(
    year_id: int, scope: str, version: int, language: str | None = None
) -> bool:
    """Render the report again if nothing changed since this was queued; True if it
    rendered (or found the stored one current). A failure is marked with its reason
    and raised."""
    language = language or report_language()
    year = AssessmentYear.objects.filter(pk=year_id).first()
    if year is None:
        return False  # gone
    department = _department(scope)
    versions = store.versions_of(year, department)
    if sum(versions.values()) != version:
        return False  # a later change has queued its own
    if _stored_current(year, scope, language, versions):
        _clear(year, scope, language, version)
        return True  # made meanwhile (the page, a download, a duplicate task)
    _mark(year, scope, language, version, RenderState.RENDERING)
    try:
        if department is None:
            report = build_report(year, None, Department.objects.all(), language)
        else:
            report = build_report(year, department, language=language)
        store.report_pdf(report)
    except Exception as exc:
        reason = f"{type(exc).__name__}: {exc}"[:500]
        _mark(year, scope, language, version, RenderState.FAILED, reason)
        raise
    _clear(year, scope, language, version)
    return True


def _stored_current(
    year: AssessmentYear, scope: str, language: str, versions: dict[str, int]
) -> bool:
    row = StoredReport.objects.filter(**_key(year, scope, language)).first()
    return row is not None and row.data_versions == versions


def status(
    year: AssessmentYear, department: Department | None, language: str
) -> readiness.Readiness:
    """How far the report's PDF is from ready (three queries, no report built)."""
    scope = department.code if department is not None else "bureau"
    versions = store.versions_of(year, department)
    stored = StoredReport.objects.filter(**_key(year, scope, language)).first()
    render = ReportRender.objects.filter(**_key(year, scope, language)).first()
    return readiness.readiness(
        stored=stored is not None,
        stored_current=stored is not None and stored.data_versions == versions,
        made_at=timezone.localtime(stored.rendered_at) if stored else None,
        data_version=sum(versions.values()),
        render_state=render.state if render else None,
        render_version=render.data_version if render else None,
        render_changed_at=render.changed_at if render else None,
        now=timezone.now(),
        patience=PATIENCE,
        error=render.error if render else "",
    )


def render_now(
    year: AssessmentYear, department: Department | None, language: str
) -> readiness.Readiness:
    """The report page's request for a stale PDF: queued for the workers when there
    are any (and the queue is up), else made here and now. Nothing is done while a
    render for the current data is under way or the PDF is current; a failed one is
    tried again."""
    now = status(year, department, language)
    if now.state not in (readiness.STALE, readiness.NONE, readiness.FAILED):
        return now
    scope = department.code if department is not None else "bureau"
    version = current_version(year, scope)
    if _enabled():
        try:
            _queue(year, scope, language, version, countdown=0)
        except queue.QueueUnavailable:
            logger.warning("report %s %s made here: the queue is down", year, scope)
        else:
            return status(year, department, language)
    try:
        rerender(year.pk, scope, version, language)
    except Exception:
        logger.exception("report %s %s could not be made", year.year, scope)
    return status(year, department, language)
