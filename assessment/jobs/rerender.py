"""After a change, the reports it touched are rendered again in the background.

The spine's after-commit hook (`schedule`) queues one task per touched department's
report and one for the bureau's, `REPORT_RERENDER_SECONDS` later, carrying the data
versions as they were. A task that finds the versions moved on since does nothing: a
later change has queued its own, so a burst of saves renders each report once
(debounced). Only with workers: without a broker the next download renders it.
"""

from __future__ import annotations

import logging

from django.conf import settings

from assessment import spine
from assessment.jobs import queue
from assessment.models import AssessmentYear, Department
from assessment.reporting import store
from assessment.reporting.report import build_report

logger = logging.getLogger(__name__)


def _enabled() -> bool:
    from sanitation.celery import app

    return not app.conf.task_always_eager


def schedule(write: spine.Write) -> None:
    """The after-commit hook: queue the touched reports' re-render (never raises)."""
    if not write.touched or not _enabled():
        return
    from assessment.jobs.tasks import rerender_report

    year = write.year
    versions = spine.data_versions(year, write.touched.keys())
    targets = [(code, versions[pk]) for pk, code in _codes(write.touched.keys())]
    targets.append(("bureau", sum(spine.data_versions(year, _all_ids()).values())))
    try:
        for scope, version in targets:
            queue.publish(
                rerender_report,
                args=[year.pk, scope, version],
                countdown=settings.REPORT_RERENDER_SECONDS,
            )
    except queue.QueueUnavailable:
        logger.warning("reports of %s not re-rendered: the queue is down", year.year)


def _codes(ids: object) -> list[tuple[int, str]]:
    return list(Department.objects.filter(pk__in=ids).values_list("pk", "code"))


def _all_ids() -> list[int]:
    return list(Department.objects.values_list("pk", flat=True))


def current_version(year: AssessmentYear, scope: str) -> int:
    if scope == "bureau":
        return sum(spine.data_versions(year, _all_ids()).values())
    department = Department.objects.get(code=scope)
    return spine.data_versions(year, [department.pk])[department.pk]


def rerender(year_id: int, scope: str, version: int) -> bool:
    """Render the report again if nothing changed since this was queued; True if it
    rendered (or found the stored one current)."""
    year = AssessmentYear.objects.filter(pk=year_id).first()
    if year is None or current_version(year, scope) != version:
        return False  # gone, or a later change has queued its own
    if scope == "bureau":
        report = build_report(year, None, Department.objects.all())
    else:
        report = build_report(year, Department.objects.get(code=scope))
    store.report_pdf(report)
    return True
