"""Background jobs on a real Celery worker process with Redis on 127.0.0.1:6379.

Skipped when Redis is not reachable (`.ci/run` starts it). The worker listens on a
queue of its own, so other workers on the same Redis take nothing of it. A whole job
needs a database the worker can share: on PostgreSQL the test database; SQLite's test
database lives in this process's memory, so there only the worker's round trip runs.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.storage import default_storage
from django.db import connection

from assessment.jobs import manifest, queue
from assessment.models import Figure, JobKind, JobState, MonthlyReturn
from sanitation.celery import app as celery_app

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
BROKER = f"redis://{REDIS_HOST}:{REDIS_PORT}/0"
ROOT = Path(__file__).resolve().parent.parent


def redis_reachable() -> bool:
    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


pytestmark = pytest.mark.skipif(
    not redis_reachable(), reason="Redis is not running on 127.0.0.1:6379"
)


postgresql_only = pytest.mark.skipif(
    not django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="the worker needs a database it can share (PostgreSQL)",
)


def reset_connections() -> None:
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    # and the result backend, cached once used
    celery_app._backend_cache = None
    celery_app._local.__dict__.pop("backend", None)


def database_url() -> str:
    db = connection.settings_dict
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


@pytest.fixture
def workers(transactional_db, settings, tmp_path):
    """start(**env) -> a `celery -A sanitation worker` process on this test's own
    queue; this process sends its tasks there. All are stopped at the end."""
    queue_name = f"test-jobs-{uuid.uuid4().hex[:12]}"
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    base_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "CELERY_BROKER_URL": BROKER,
        "TEST_MEDIA_ROOT": str(media),
    }
    if connection.vendor == "postgresql":
        base_env["DATABASE_URL"] = database_url()
    processes: list[subprocess.Popen] = []
    logs = []

    def start(**env: str) -> subprocess.Popen:
        number = len(processes) + 1
        log = (tmp_path / f"worker-{number}.log").open("w")
        logs.append(log)
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "sanitation",
                "worker",
                "--pool=solo",
                "-Q",
                queue_name,
                "-n",
                f"{queue_name}-{number}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=INFO",
            ],
            cwd=ROOT,
            env={**base_env, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        processes.append(process)
        return process

    saved = {
        key: celery_app.conf[key]
        for key in (
            "broker_url",
            "result_backend",
            "task_always_eager",
            "task_default_queue",
        )
    }
    celery_app.conf.update(
        broker_url=BROKER,
        result_backend=BROKER,
        task_always_eager=False,
        task_default_queue=queue_name,
    )
    reset_connections()
    yield start
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    for log in logs:
        log.close()
    # What this test's queue still holds goes with it.
    import redis

    redis.Redis(host=REDIS_HOST, port=REDIS_PORT).delete(queue_name)
    celery_app.conf.update(saved)
    reset_connections()


@pytest.fixture
def worker(workers):
    return workers()


def wait_for(job, test, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if test(job):
            return
        time.sleep(0.1)
    raise AssertionError(f"job {job.pk} stuck: {job.state} {job.error}")


def test_a_worker_runs_a_task_through_redis(worker):
    from assessment.jobs.tasks import ping

    assert ping.delay().get(timeout=90) == "pong"


@postgresql_only
def test_a_worker_makes_a_department_report_end_to_end(
    worker, catalogue, year, dept_a, clerk_a
):
    for month in (1, 2):
        monthly_return = MonthlyReturn.objects.create(
            year=year, department=dept_a, month=month
        )
        Figure.objects.create(
            monthly_return=monthly_return,
            indicator=catalogue["area"],
            value=Decimal(150),
        )
    job = queue.start(clerk_a, JobKind.REPORT_PDF, year, dept_a)
    assert job.state in (JobState.QUEUED, JobState.RUNNING)  # handed over
    wait_for(job, lambda job: job.is_finished)
    assert job.state == JobState.DONE, job.error
    assert job.progress_done == job.progress_total == 1
    with default_storage.open(job.result_name) as result:
        assert result.read(5) == b"%PDF-"


@postgresql_only
def test_a_worker_killed_mid_archive_leaves_it_to_another_with_one_result(
    workers, catalogue, year, dept_a, dept_b, supervisor
):
    """SIGKILL while the archive is being made: unacknowledged, the task is delivered
    again (after the visibility timeout, short here) and another worker makes it; the
    result is one archive, complete."""
    quick = {"CELERY_VISIBILITY_TIMEOUT": "3"}
    first = workers(**quick)
    job = queue.start(supervisor, JobKind.ARCHIVE, year)
    wait_for(job, lambda job: job.state == JobState.RUNNING and job.progress_done >= 1)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    job.refresh_from_db()
    assert job.state == JobState.RUNNING and job.result_name == ""  # half done
    workers(**quick)
    wait_for(job, lambda job: job.is_finished, seconds=180)
    assert job.state == JobState.DONE, job.error
    assert job.attempts >= 2
    _dirs, files = default_storage.listdir(f"jobs/{job.pk}")
    assert files == [f"archive-{year.year}.zip"]
    with default_storage.open(job.result_name) as stored:
        with zipfile.ZipFile(stored) as archive:
            names = archive.namelist()
            raw = archive.read(f"archive-{year.year}/manifest.json")
            files_in = {
                name.removeprefix(f"archive-{year.year}/"): archive.read(name)
                for name in names
                if not name.endswith(("manifest.json", "SHA256SUMS"))
            }
    assert manifest.verify(files_in, raw) == []


@postgresql_only
def test_a_clerks_save_is_rendered_by_a_worker_and_the_page_follows_it(
    worker, settings, catalogue, year, dept_a, clerk_a
):
    import datetime

    from assessment.figures import returns
    from assessment.jobs import rerender
    from assessment.reporting import readiness

    settings.REPORT_RERENDER_SECONDS = 0
    row = returns.FigureRow(catalogue["pits"], Decimal(4321), "", 0)
    returns.save_figures(
        clerk_a, year, dept_a, 2, [row], on=datetime.date(year.year, 3, 3)
    )  # committed: the after-commit hook queues the department's and the bureau's
    seen = {rerender.status(year, dept_a, "zh-hans").state}
    assert seen <= {readiness.QUEUED, readiness.RENDERING, readiness.READY}
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        status = rerender.status(year, dept_a, "zh-hans")
        seen.add(status.state)
        if status.state not in (readiness.QUEUED, readiness.RENDERING):
            break
        time.sleep(0.05)
    assert status.state == readiness.READY, (status, seen)
    assert rerender.status(year, None, "zh-hans").state in (
        readiness.QUEUED,
        readiness.RENDERING,
        readiness.READY,
    )
    # The page's "make it now" for another language goes to the worker as well.
    assert rerender.render_now(year, dept_a, "en").state == readiness.QUEUED
    deadline = time.monotonic() + 120
    while rerender.status(year, dept_a, "en").state != readiness.READY:
        assert time.monotonic() < deadline, "the English PDF was never made"
        time.sleep(0.1)
