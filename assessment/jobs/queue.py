"""Starting and retrying jobs: a row for the job page, then a message for the workers.

When the queue (Redis) cannot be reached, `QueueUnavailable` is raised and nothing is
left behind: a new job's row is deleted again, a retried job gets its previous state
back. Without a broker configured the task runs here and now (see sanitation/celery.py).
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

from assessment.models import AssessmentYear, Department, Job, JobKind, JobState, User

logger = logging.getLogger(__name__)


class QueueUnavailable(Exception):
    """The job could not be handed to the workers (the broker is down)."""


def publish(task: Any, **options: Any) -> None:
    """Send a task to the workers; `QueueUnavailable` when the broker is down."""
    try:
        task.apply_async(**options)
    except (OperationalError, RedisError, OSError) as exc:
        logger.warning("%s not queued: %s", task.name, exc)
        raise QueueUnavailable(str(exc)) from exc


def _publish(job: Job) -> None:
    from assessment.jobs.tasks import run_job

    publish(run_job, args=[job.pk])


def start(
    user: User,
    kind: JobKind,
    year: AssessmentYear,
    department: Department | None = None,
    parameters: dict[str, Any] | None = None,
) -> Job:
    """Start a job, or return the same one already queued or running (no duplicate)."""
    parameters = parameters or {}
    same = (
        Job.objects.visible_to(user)
        .active()
        .filter(kind=kind, year=year, department=department, parameters=parameters)
        .first()
    )
    if same is not None:
        return same
    with transaction.atomic():
        job = Job.objects.create(
            started_by=user,
            kind=kind,
            year=year,
            department=department,
            parameters=parameters,
        )
    try:
        _publish(job)
    except QueueUnavailable:
        job.delete()
        raise
    job.refresh_from_db()
    return job


RESET_FIELDS = (
    "state",
    "error",
    "progress_done",
    "progress_total",
    "progress_label",
    "started_at",
    "finished_at",
)


def retry(job: Job) -> Job:
    """Run a failed job (or one whose result expired) again."""
    if not (job.state == JobState.FAILED or job.expired):
        return job
    previous = {name: getattr(job, name) for name in RESET_FIELDS}
    Job.objects.filter(pk=job.pk).update(
        state=JobState.QUEUED,
        error="",
        progress_done=0,
        progress_total=0,
        progress_label="",
        started_at=None,
        finished_at=None,
    )
    try:
        _publish(job)
    except QueueUnavailable:
        Job.objects.filter(pk=job.pk).update(**previous)
        raise
    job.refresh_from_db()
    return job
