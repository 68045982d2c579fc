"""Faults with real processes on loopback: Redis killed under the web application, and
a worker's PostgreSQL connection terminated mid-task.

- Redis: a `redis-server` of this test's own on a free port, killed with SIGKILL while
  the application uses it: pages still answer, a job request says the queue is
  unavailable and leaves nothing behind; Redis back, jobs are queued again.
- PostgreSQL: a real worker making the year's archive has its database backend
  terminated (`pg_terminate_backend`) mid-task: its transaction is rolled back, the
  task runs again on a fresh connection and makes one archive.
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import time
import zipfile

import pytest
from django.conf import settings as django_settings
from django.core.files.storage import default_storage
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from assessment.jobs import manifest, queue
from assessment.models import Figure, Job, JobKind, JobState
from sanitation.celery import app as celery_app
from tests.spreadsheet_support import workbook_bytes
from tests.test_import_views import upload, url
from tests.test_jobs_worker import redis_reachable, wait_for
from tests.test_jobs_worker import workers as workers  # noqa: F401  (the fixture)

MONTH = timezone.localdate().month


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def reset_connections() -> None:
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    celery_app._backend_cache = None
    celery_app._local.__dict__.pop("backend", None)


class Redis:
    """A redis-server process of the test's own, on loopback, nothing saved."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not ping(self.port):
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        assert not ping(self.port)


@pytest.fixture
def own_redis():
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    redis = Redis(free_port())
    redis.start()
    broker = f"redis://127.0.0.1:{redis.port}/0"
    saved = {
        key: celery_app.conf[key]
        for key in ("broker_url", "task_always_eager", "result_backend")
    }
    celery_app.conf.update(
        broker_url=broker, task_always_eager=False, result_backend=None
    )
    reset_connections()
    yield redis
    celery_app.conf.update(saved)
    reset_connections()
    if redis.process is not None and redis.process.poll() is None:
        redis.process.kill()
        redis.process.wait()


def test_redis_killed_pages_work_and_job_requests_say_the_queue_is_down(
    own_redis, settings, client_a, client_supervisor, catalogue, year, dept_a
):
    settings.IMPORT_BACKGROUND_ROWS = 2
    report_url = reverse("assessment:department-report", args=[year.year, dept_a.code])
    prepare = reverse(
        "assessment:department-report-prepare", args=[year.year, dept_a.code]
    )
    archive = reverse("assessment:archive-start", args=[year.year])
    # Redis up: the job is handed over (no worker here, so it waits in the queue).
    response = client_a.post(prepare)
    queued = Job.objects.get()
    assert response["Location"] == reverse("assessment:job", args=[queued.pk])
    assert queued.state == JobState.QUEUED

    own_redis.kill()
    started = time.monotonic()
    assert client_a.get(report_url).status_code == 200
    assert client_a.get(response["Location"]).status_code == 200  # the job's page
    response = client_supervisor.post(archive, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "队列" in page or "queue" in page
    # A large import: checked, then its confirmation finds the queue down.
    checked = client_a.post(
        url("import", year),
        {
            "file": upload(
                workbook_bytes(
                    [
                        ["dept-a", "area", "", "", MONTH, 150.5, ""],
                        ["dept-a", "pits", "", "", MONTH, 42000, ""],
                    ]
                )
            )
        },
    )
    fingerprint = checked.context["report"].fingerprint
    response = client_a.post(
        url("import", year), {"confirm": "1", "fingerprint": fingerprint}
    )
    assert response.status_code == 503
    assert time.monotonic() - started < 20  # answered, not waited out
    # Nothing lost, nothing half done: the queued job as it was, no new job, no figure.
    assert list(Job.objects.values_list("pk", "state")) == [
        (queued.pk, JobState.QUEUED)
    ]
    assert Figure.objects.count() == 0

    own_redis.start()  # back on the same port
    reset_connections()
    response = client_supervisor.post(archive)
    assert response.status_code == 302
    assert Job.objects.filter(kind=JobKind.ARCHIVE, state=JobState.QUEUED).exists()


# --- PostgreSQL: a worker's connection terminated mid-task ----------------------------


postgresql_only = pytest.mark.skipif(
    not django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="terminates a PostgreSQL backend of a worker sharing the test database",
)


def terminate_other_backends() -> int:
    """Terminate every connection to the test database but this process's own."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        (count,) = cursor.fetchone()
    return int(count)


@postgresql_only
@pytest.mark.skipif(not redis_reachable(), reason="Redis is not running")
def test_a_worker_whose_connection_is_terminated_runs_the_archive_again(
    workers,  # noqa: F811
    catalogue,
    year,
    dept_a,
    dept_b,
    supervisor,
):
    workers()
    job = queue.start(supervisor, JobKind.ARCHIVE, year)
    wait_for(job, lambda job: job.state == JobState.RUNNING and job.progress_done >= 1)
    assert terminate_other_backends() >= 1
    wait_for(job, lambda job: job.is_finished, seconds=180)
    assert job.state == JobState.DONE, job.error
    assert job.attempts >= 2
    _dirs, files = default_storage.listdir(f"jobs/{job.pk}")
    assert files == [f"archive-{year.year}.zip"]
    with default_storage.open(job.result_name) as stored:
        with zipfile.ZipFile(stored) as archive:
            raw = archive.read(f"archive-{year.year}/manifest.json")
            files_in = {
                name.removeprefix(f"archive-{year.year}/"): archive.read(name)
                for name in archive.namelist()
                if not name.endswith(("manifest.json", "SHA256SUMS"))
            }
    assert manifest.verify(files_in, raw) == []


@postgresql_only
@pytest.mark.skipif(not redis_reachable(), reason="Redis is not running")
def test_a_worker_applies_a_large_import_from_shared_storage(
    workers,  # noqa: F811
    catalogue,
    year,
    dept_a,
    clerk_a,
):
    """The web side keeps the checked file in storage; a worker process reads it
    there, checks it again and applies it once; the job's counts come from the audit."""
    from assessment.jobs import imports as import_jobs
    from assessment.spreadsheets import imports

    data = workbook_bytes(
        [
            ["dept-a", "area", "", "", MONTH, 150.5, ""],
            ["dept-a", "pits", "", "", MONTH, 42000, ""],
        ]
    )
    report = imports.validate_upload(data, clerk_a, year, dept_a)
    assert report.can_apply
    name = import_jobs.pending_name(clerk_a, dept_a, report.fingerprint)
    import_jobs.keep(name, data)
    workers()
    job = queue.start(
        clerk_a,
        JobKind.IMPORT,
        year,
        dept_a,
        {"fingerprint": report.fingerprint, "file": name},
    )
    wait_for(job, lambda job: job.is_finished)
    assert job.state == JobState.DONE, job.error
    assert job.outcome == {"created": 2, "updated": 0, "months": [MONTH]}
    assert Figure.objects.count() == 2 and Figure.history.count() == 2
    assert not default_storage.exists(name)


@postgresql_only
@pytest.mark.skipif(not redis_reachable(), reason="Redis is not running")
def test_a_worker_killed_mid_import_leaves_all_or_nothing_then_it_runs_once(
    workers,  # noqa: F811
    catalogue,
    year,
    dept_a,
    clerk_a,
):
    """SIGKILL while the worker applies a 3,000-row import: the database holds none
    of it or all of it, never part; delivered again, another worker finishes it and
    every figure is written exactly once."""
    from decimal import Decimal

    from assessment.jobs import imports as import_jobs
    from assessment.models import Indicator
    from assessment.spreadsheets import imports

    indicators = Indicator.objects.bulk_create(
        Indicator(
            year=year,
            target=catalogue["target_a"],
            code=f"K{i:04d}",
            name=f"指标 {i}",
            decimals=1,
            aggregation="sum",
            plausible_min=Decimal(0),
            plausible_max=Decimal(100000),
            order=10 + i,
        )
        for i in range(3000)
    )
    Indicator.departments.through.objects.bulk_create(
        Indicator.departments.through(indicator_id=i.pk, department_id=dept_a.pk)
        for i in indicators
    )
    data = workbook_bytes(
        [
            ["dept-a", i.code, "", "", MONTH, n + 0.5, ""]
            for n, i in enumerate(indicators)
        ]
    )
    report = imports.validate_upload(data, clerk_a, year, dept_a)
    assert report.can_apply and len(report.changes) == 3000
    name = import_jobs.pending_name(clerk_a, dept_a, report.fingerprint)
    import_jobs.keep(name, data)
    quick = {"CELERY_VISIBILITY_TIMEOUT": "3"}
    first = workers(**quick)
    job = queue.start(
        clerk_a,
        JobKind.IMPORT,
        year,
        dept_a,
        {"fingerprint": report.fingerprint, "file": name},
    )
    # progress 1 of 2: checked again, now applying in its transaction.
    wait_for(job, lambda job: job.state == JobState.RUNNING and job.progress_done >= 1)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    assert Figure.objects.count() in (0, 3000)  # never part of it
    workers(**quick)
    wait_for(job, lambda job: job.is_finished, seconds=180)
    assert job.state == JobState.DONE, job.error
    assert job.attempts >= 2
    assert job.outcome["created"] == 3000 and job.outcome["updated"] == 0
    assert Figure.objects.count() == 3000
    assert Figure.history.count() == 3000
