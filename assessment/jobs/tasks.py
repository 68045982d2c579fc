"""The Celery tasks. Each is safe to run twice (acks late: a task whose worker died is
delivered again to another)."""

from __future__ import annotations

from celery import Task, shared_task
from django.core.management import call_command

from assessment.jobs import rerender, work

#: How often a job whose database connection dropped is run again, and after how long.
CONNECTION_RETRIES = 3
RETRY_SECONDS = 2


@shared_task(bind=True, name="assessment.jobs.tasks.run_job", acks_late=True)
def run_job(self: Task, job_id: int) -> None:
    try:
        work.run(job_id)
    except work.ConnectionLost as exc:
        if self.request.retries >= CONNECTION_RETRIES:
            work.give_up(job_id, exc)
            raise
        raise self.retry(exc=exc, countdown=RETRY_SECONDS, max_retries=None) from exc


@shared_task(name="assessment.jobs.tasks.rerender_report", acks_late=True)
def rerender_report(
    year_id: int, scope: str, version: int, language: str | None = None
) -> bool:
    """A report rendered again after a change, unless a later change came (debounce)."""
    return rerender.rerender(year_id, scope, version, language)


@shared_task(name="assessment.jobs.tasks.send_reminders", acks_late=True)
def send_reminders() -> None:
    """The reminders due now and pending e-mails (beat: every five minutes)."""
    call_command("send_reminders")


@shared_task(name="assessment.jobs.tasks.prepare_bulletin", acks_late=True)
def prepare_bulletin() -> int:
    """The month just ended's bulletin, drafted for the supervisors to issue (beat: the
    1st of each month)."""
    from assessment.progress import bulletin

    return len(bulletin.prepare_drafts())


@shared_task(name="assessment.jobs.tasks.delete_expired_results", acks_late=True)
def delete_expired_results() -> int:
    return work.delete_expired_results()


@shared_task(name="assessment.jobs.tasks.ping")
def ping() -> str:
    """A worker's sign of life: `celery -A sanitation call assessment.jobs.tasks.ping`."""
    return "pong"
