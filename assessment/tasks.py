"""Celery finds the app's tasks here (`autodiscover_tasks`); they live in assessment.jobs."""

from assessment.jobs.tasks import (
    delete_expired_results,
    ping,
    rerender_report,
    run_job,
    send_reminders,
)

__all__ = [
    "delete_expired_results",
    "ping",
    "rerender_report",
    "run_job",
    "send_reminders",
]
