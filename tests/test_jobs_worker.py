"""Background jobs on a real Celery worker process with Redis on 127.0.0.1:6379.

Skipped when Redis is not reachable (`.ci/run` starts it). The worker listens on a
queue of its own, so other workers on the same Redis take nothing of it. A whole job
needs a database the worker can share: on PostgreSQL the test database; SQLite's test
database lives in this process's memory, so there only the worker's round trip runs.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.storage import default_storage
from django.db import connection

from assessment.jobs import queue
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


def reset_connections() -> None:
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def database_url() -> str:
    db = connection.settings_dict
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


@pytest.fixture
def worker(transactional_db, settings, tmp_path):
    """A `celery -A sanitation worker` on its own queue; this process sends to it."""
    queue_name = f"test-jobs-{uuid.uuid4().hex[:12]}"
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "CELERY_BROKER_URL": BROKER,
        "TEST_MEDIA_ROOT": str(media),
    }
    if connection.vendor == "postgresql":
        env["DATABASE_URL"] = database_url()
    log = (tmp_path / "worker.log").open("w")
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
            f"{queue_name}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
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
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    log.close()
    celery_app.conf.update(saved)
    reset_connections()


def test_a_worker_runs_a_task_through_redis(worker):
    from assessment.jobs.tasks import ping

    assert ping.delay().get(timeout=90) == "pong"


@pytest.mark.skipif(
    not django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="the worker needs a database it can share (PostgreSQL)",
)
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
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            break
        time.sleep(0.5)
    assert job.state == JobState.DONE, job.error
    assert job.progress_done == job.progress_total == 1
    with default_storage.open(job.result_name) as result:
        assert result.read(5) == b"%PDF-"
