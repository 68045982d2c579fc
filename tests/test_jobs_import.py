"""Large figures imports applied by a background job (in-process here: no broker).

A confirmed import that changes `IMPORT_BACKGROUND_ROWS` figures or more is a job: the
page shows it, a worker checks the file again and applies it in one transaction; a task
delivered again never applies it twice; a connection dropped mid-task (PostgreSQL) is
rolled back and the task runs again.
"""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.core.files.storage import default_storage
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from assessment.jobs import imports as import_jobs
from assessment.jobs import work
from assessment.models import Figure, Job, JobKind, JobState
from assessment.spreadsheets.imports import apply as apply_module
from sanitation.celery import app as celery_app
from tests.spreadsheet_support import workbook_bytes
from tests.test_import_views import upload, url

MONTH = timezone.localdate().month


def big_file() -> bytes:
    return workbook_bytes(
        [
            ["dept-a", "area", "", "", MONTH, 150.5, ""],
            ["dept-a", "pits", "", "", MONTH, 42000, ""],
        ]
    )


@pytest.fixture
def background(settings):
    """Imports of two figures or more go to the background."""
    settings.IMPORT_BACKGROUND_ROWS = 2


def checked(client, year) -> str:
    response = client.post(url("import", year), {"file": upload(big_file())})
    assert response.status_code == 200
    return response.context["report"].fingerprint


def confirm(client, year, fingerprint: str):
    return client.post(
        url("import", year), {"confirm": "1", "fingerprint": fingerprint}
    )


def test_the_pending_name_is_the_users_departments_and_the_contents(clerk_a, dept_a):
    assert (
        import_jobs.pending_name(clerk_a, dept_a, "ab12")
        == f"imports/{clerk_a.pk}-{dept_a.pk}-ab12.xlsx"
    )


def test_a_checked_file_waits_in_storage_not_in_a_local_path(
    client_a, catalogue, year, clerk_a, dept_a
):
    fingerprint = checked(client_a, year)
    name = import_jobs.pending_name(clerk_a, dept_a, fingerprint)
    assert default_storage.exists(name)
    assert import_jobs.read(name, fingerprint) is not None
    assert import_jobs.read(name, "0" * 64) is None


def test_a_small_import_is_applied_in_the_request(client_a, catalogue, year):
    response = confirm(client_a, year, checked(client_a, year))
    assert response.status_code == 200
    assert Figure.objects.count() == 2
    assert not Job.objects.exists()


def test_a_large_import_is_a_job_whose_page_shows_the_counts(
    background, client_a, catalogue, year, clerk_a, dept_a
):
    fingerprint = checked(client_a, year)
    response = confirm(client_a, year, fingerprint)
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("assessment:job", args=[job.pk])
    assert job.kind == JobKind.IMPORT and job.department == dept_a
    assert job.state == JobState.DONE, job.error
    assert job.outcome == {"created": 2, "updated": 0, "months": [MONTH]}
    assert Figure.objects.get(indicator=catalogue["area"]).value == Decimal("150.5")
    assert not default_storage.exists(
        import_jobs.pending_name(clerk_a, dept_a, fingerprint)
    )
    page = client_a.get(response["Location"]).content.decode()
    assert 'id="job-imported"' in page
    entry = reverse(
        "assessment:entry", kwargs={"year": year.year, "code": "dept-a", "month": MONTH}
    )
    assert entry in page
    assert 'id="job-retry"' not in page and 'id="job-expired"' not in page


def test_a_large_import_confirmed_with_the_file_uploaded_again(
    background, client_a, catalogue, year
):
    response = client_a.post(
        url("import", year), {"confirm": "1", "file": upload(big_file())}
    )
    assert response.status_code == 302
    job = Job.objects.get()
    assert job.state == JobState.DONE, job.error
    assert Figure.objects.count() == 2


@pytest.fixture
def import_job(background, client_a, catalogue, year):
    confirm(client_a, year, checked(client_a, year))
    return Job.objects.get()


def test_a_supervisor_sees_the_import_job(client_supervisor, import_job):
    page = client_supervisor.get(reverse("assessment:job", args=[import_job.pk]))
    assert page.status_code == 200


@pytest.mark.parametrize("who", ["client_b", "client_leader"])
def test_another_clerk_or_a_leader_gets_404(request, who, import_job):
    client = request.getfixturevalue(who)
    assert (
        client.get(reverse("assessment:job", args=[import_job.pk])).status_code == 404
    )


def test_anonymous_visitors_are_sent_to_log_in(client, import_job):
    response = client.get(reverse("assessment:job", args=[import_job.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_task_delivered_again_does_not_apply_twice(import_job):
    """The worker committed the import and died before marking the job done: the
    message comes again, finds the import recorded, and reports the same counts."""
    history = Figure.history.count()
    Job.objects.filter(pk=import_job.pk).update(state=JobState.RUNNING, outcome={})
    work.run(import_job.pk)
    import_job.refresh_from_db()
    assert import_job.state == JobState.DONE
    assert import_job.outcome == {"created": 2, "updated": 0, "months": [MONTH]}
    assert Figure.history.count() == history
    assert Figure.objects.count() == 2


def test_an_import_that_dies_mid_apply_leaves_nothing_and_retry_applies_it(
    background, client_a, catalogue, year, monkeypatch
):
    def crash(*args, **kwargs):
        raise RuntimeError("worker lost")

    monkeypatch.setattr(apply_module, "_flag", crash)
    confirm(client_a, year, checked(client_a, year))
    job = Job.objects.get()
    assert job.state == JobState.FAILED and "worker lost" in job.error
    assert Figure.objects.count() == 0 and Figure.history.count() == 0
    monkeypatch.undo()
    client_a.post(reverse("assessment:job-retry", args=[job.pk]))
    job.refresh_from_db()
    assert job.state == JobState.DONE, job.error
    assert job.outcome["created"] == 2 and Figure.history.count() == 2


# --- the queue down -----------------------------------------------------------------


def reset_connections() -> None:
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    celery_app._backend_cache = None
    celery_app._local.__dict__.pop("backend", None)


def test_with_the_queue_down_a_large_import_says_so_and_keeps_the_file(
    background, client_a, catalogue, year, clerk_a, dept_a
):
    fingerprint = checked(client_a, year)
    saved = {
        key: celery_app.conf[key]
        for key in ("broker_url", "task_always_eager", "result_backend")
    }
    celery_app.conf.update(
        broker_url="redis://127.0.0.1:9/0", task_always_eager=False, result_backend=None
    )
    reset_connections()
    try:
        response = confirm(client_a, year, fingerprint)
    finally:
        celery_app.conf.update(saved)
        reset_connections()
    assert response.status_code == 503
    page = response.content.decode()
    assert "队列" in page or "queue" in page
    assert 'id="confirm-form"' in page
    assert not Job.objects.exists() and Figure.objects.count() == 0
    assert default_storage.exists(
        import_jobs.pending_name(clerk_a, dept_a, fingerprint)
    )
    # With the queue back, confirming the same check imports it.
    response = confirm(client_a, year, fingerprint)
    assert response.status_code == 302
    assert Figure.objects.count() == 2


# --- a PostgreSQL connection dropped mid-task -----------------------------------------


postgresql_only = pytest.mark.skipif(
    not django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="terminates a PostgreSQL backend",
)


def terminate(pid: int) -> None:
    """pg_terminate_backend(pid) from a connection of its own, as an operator or a
    failover would."""
    import psycopg2

    db = connection.settings_dict
    other = psycopg2.connect(
        dbname=db["NAME"],
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or "127.0.0.1",
        port=db.get("PORT") or 5432,
    )
    try:
        other.autocommit = True
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_connection_dropped_mid_apply_is_rolled_back_and_retried(
    background, client_a, catalogue, year, monkeypatch
):
    fingerprint = checked(client_a, year)
    real_flag = apply_module._flag
    dropped = threading.Event()

    def drop_once(current, report, locked, figures):
        # Inside the import's transaction, its figures written but not committed.
        if not dropped.is_set():
            dropped.set()
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                (pid,) = cursor.fetchone()
            assert Figure.objects.count() == 2  # seen by this transaction only
            terminate(pid)
        return real_flag(current, report, locked, figures)

    monkeypatch.setattr(apply_module, "_flag", drop_once)
    monkeypatch.setattr("assessment.jobs.tasks.RETRY_SECONDS", 0)
    response = confirm(client_a, year, fingerprint)
    assert dropped.is_set()
    assert response.status_code == 302
    job = Job.objects.get()
    assert job.state == JobState.DONE, job.error
    assert job.attempts == 2
    # Applied once: the first attempt's writes were rolled back with its connection.
    assert Figure.objects.count() == 2
    assert Figure.history.count() == 2
    assert job.outcome == {"created": 2, "updated": 0, "months": [MONTH]}
