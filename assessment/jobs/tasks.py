"""The Celery tasks. Each is safe to run twice (acks late: a task whose worker died is
delivered again to another)."""

from __future__ import annotations

from celery import shared_task
from django.core.management import call_command

from assessment.jobs import rerender, work


@shared_task(name="assessment.jobs.tasks.run_job", acks_late=True)
def run_job(job_id: int) -> None:
    work.run(job_id)


@shared_task(name="assessment.jobs.tasks.rerender_report", acks_late=True)
def rerender_report(year_id: int, scope: str, version: int) -> bool:
    """A report rendered again after a change, unless a later change came (debounce)."""
    return rerender.rerender(year_id, scope, version)


@shared_task(name="assessment.jobs.tasks.send_reminders", acks_late=True)
def send_reminders() -> None:
    """The reminders due now and pending e-mails (beat: every five minutes)."""
    call_command("send_reminders")


@shared_task(name="assessment.jobs.tasks.delete_expired_results", acks_late=True)
def delete_expired_results() -> int:
    return work.delete_expired_results()


@shared_task(name="assessment.jobs.tasks.ping")
def ping() -> str:
    """A worker's sign of life: `celery -A sanitation call assessment.jobs.tasks.ping`."""
    return "pong"
