"""Background jobs: permissions by role, the job page and its status, results through
the storage API, failure and Retry, expiry, the queue being down, and the archive.

Tasks run in-process here (no broker configured); `test_jobs_worker.py` runs them on a
real worker with Redis. The archive is rendered once for the module.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import zipfile
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from assessment.jobs import manifest, queue, work
from assessment.models import (
    Figure,
    Job,
    JobKind,
    JobState,
    MonthlyReturn,
    SelfAssessment,
)
from sanitation.celery import app as celery_app
from tests.conftest import login, make_user

# --- the manifest (pure) ------------------------------------------------------------


def test_the_manifest_lists_each_file_with_its_sha256():
    entries = [manifest.entry("b/x.pdf", b"%PDF-x"), manifest.entry("a/y.xlsx", b"PK")]
    document = json.loads(manifest.manifest_json(2021, "2022-01-10T09:00:00", entries))
    assert document["year"] == 2021
    assert [f["name"] for f in document["files"]] == ["a/y.xlsx", "b/x.pdf"]
    assert document["files"][1] == {
        "name": "b/x.pdf",
        "size": 6,
        "sha256": hashlib.sha256(b"%PDF-x").hexdigest(),
    }
    files = {"b/x.pdf": b"%PDF-x", "a/y.xlsx": b"PK"}
    raw = manifest.manifest_json(2021, "t", entries)
    assert manifest.verify(files, raw) == []
    assert manifest.verify({**files, "a/y.xlsx": b"changed"}, raw) == ["a/y.xlsx"]
    assert manifest.verify({"b/x.pdf": b"%PDF-x"}, raw) == ["a/y.xlsx"]


def test_sha256sums_is_in_the_format_sha256sum_checks():
    entries = [manifest.entry("a.pdf", b"abc")]
    assert manifest.sha256sums(entries) == (
        b"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  a.pdf\n"
    )


# --- jobs with a result, made without rendering -------------------------------------


def done_job(user, year, *, content: bytes = b"%PDF-1.7 test", hours: int = 24) -> Job:
    job = Job.objects.create(
        started_by=user, kind=JobKind.REPORT_PDF, year=year, state=JobState.DONE
    )
    name = default_storage.save(f"jobs/{job.pk}/report.pdf", ContentFile(content))
    job.result_name = name
    job.result_filename = "report.pdf"
    job.result_size = len(content)
    job.finished_at = timezone.now()
    job.expires_at = timezone.now() + datetime.timedelta(hours=hours)
    job.save()
    return job


@pytest.fixture
def clerk_job(clerk_a, year):
    return done_job(clerk_a, year)


def test_the_starter_sees_the_job_and_downloads_its_result(client_a, clerk_job):
    page = client_a.get(reverse("assessment:job", args=[clerk_job.pk]))
    assert page.status_code == 200
    assert b'id="job-download"' in page.content
    download = client_a.get(reverse("assessment:job-download", args=[clerk_job.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.7 test"
    assert "report.pdf" in download["Content-Disposition"]
    status = client_a.get(reverse("assessment:job-status", args=[clerk_job.pk])).json()
    assert status["state"] == "done" and status["finished"] is True
    assert status["result_url"].endswith(f"/jobs/{clerk_job.pk}/download/")


def test_a_supervisor_sees_anyones_job(client_supervisor, clerk_job):
    for name in ("job", "job-status", "job-download"):
        url = reverse(f"assessment:{name}", args=[clerk_job.pk])
        assert client_supervisor.get(url).status_code == 200


@pytest.mark.parametrize("who", ["client_b", "client_leader"])
def test_another_clerk_or_a_leader_gets_404(request, who, clerk_job):
    client = request.getfixturevalue(who)
    for name in ("job", "job-status", "job-download"):
        url = reverse(f"assessment:{name}", args=[clerk_job.pk])
        assert client.get(url).status_code == 404
    retry = client.post(reverse("assessment:job-retry", args=[clerk_job.pk]))
    assert retry.status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, clerk_job):
    for name in ("job", "job-status", "job-download"):
        response = client.get(reverse(f"assessment:{name}", args=[clerk_job.pk]))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_expired_results_are_deleted_and_the_page_says_so(client_a, clerk_a, year):
    old = done_job(clerk_a, year, hours=-1)
    fresh = done_job(clerk_a, year, hours=5)
    out = io.StringIO()
    call_command("delete_expired_jobs", stdout=out)
    assert "1" in out.getvalue()
    old.refresh_from_db()
    assert old.result_name == "" and old.expired
    assert not default_storage.exists(f"jobs/{old.pk}/report.pdf")
    assert default_storage.exists(fresh.result_name)
    page = client_a.get(reverse("assessment:job", args=[old.pk]))
    assert b'id="job-expired"' in page.content and b'id="job-retry"' in page.content
    assert (
        client_a.get(reverse("assessment:job-download", args=[old.pk])).status_code
        == 404
    )


def test_a_result_past_its_time_is_not_served_before_the_sweep(client_a, clerk_a, year):
    job = done_job(clerk_a, year, hours=-1)
    assert (
        client_a.get(reverse("assessment:job-download", args=[job.pk])).status_code
        == 404
    )


# --- starting jobs: report PDFs (rendering stubbed), failures, Retry --------------------


@pytest.fixture
def cheap_pdf(monkeypatch):
    """Report PDFs without WeasyPrint: the views and the task are what is tested."""
    calls = []

    def fake(report):
        calls.append(report)
        return b"%PDF-1.7 " + report.title.encode()

    monkeypatch.setattr(work, "render_report_pdf", fake)
    return calls


def test_a_clerk_prepares_the_department_report_in_the_background(
    client_a, clerk_a, year, dept_a, cheap_pdf
):
    url = reverse("assessment:department-report-prepare", args=[year.year, dept_a.code])
    response = client_a.post(url)
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("assessment:job", args=[job.pk])
    assert job.started_by == clerk_a and job.department == dept_a
    assert job.state == JobState.DONE and job.attempts == 1
    assert job.result_filename == f"report-{year.year}-{dept_a.code}.pdf"
    assert default_storage.open(job.result_name).read().startswith(b"%PDF-1.7")
    page = client_a.get(response["Location"])
    assert b'id="job-download"' in page.content


def test_a_clerk_cannot_prepare_another_departments_report(
    client_a, year, dept_b, cheap_pdf
):
    url = reverse("assessment:department-report-prepare", args=[year.year, dept_b.code])
    assert client_a.post(url).status_code == 404
    assert not Job.objects.exists()


def test_only_those_who_see_all_prepare_the_bureau_report(
    client_a, client_leader, year, cheap_pdf
):
    url = reverse("assessment:report-prepare", args=[year.year])
    assert client_a.post(url).status_code == 403
    assert client_leader.post(url).status_code == 302
    assert Job.objects.get().department is None


def test_only_supervisors_start_the_archive(client_a, client_leader, year):
    url = reverse("assessment:archive-start", args=[year.year])
    assert client_a.post(url).status_code == 403
    assert client_leader.post(url).status_code == 403
    assert not Job.objects.exists()


def test_anonymous_visitors_cannot_start_jobs(client, year, dept_a):
    for url in (
        reverse("assessment:report-prepare", args=[year.year]),
        reverse("assessment:department-report-prepare", args=[year.year, dept_a.code]),
        reverse("assessment:archive-start", args=[year.year]),
    ):
        assert client.post(url).status_code == 302
    assert not Job.objects.exists()


def test_a_task_that_raises_is_shown_failed_with_its_reason_and_retry_works(
    client_a, year, dept_a, monkeypatch, cheap_pdf
):
    def broken(job, progress):
        raise ValueError("the chart has no months")

    monkeypatch.setitem(work.MAKERS, JobKind.REPORT_PDF, broken)
    url = reverse("assessment:department-report-prepare", args=[year.year, dept_a.code])
    job_url = client_a.post(url)["Location"]
    job = Job.objects.get()
    assert job.state == JobState.FAILED
    assert "the chart has no months" in job.error and job.result_name == ""
    page = client_a.get(job_url).content.decode()
    assert 'id="job-error"' in page and "the chart has no months" in page
    assert 'id="job-retry"' in page

    monkeypatch.setitem(work.MAKERS, JobKind.REPORT_PDF, work.make_report_pdf)
    client_a.post(reverse("assessment:job-retry", args=[job.pk]))
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.error == "" and job.attempts == 2
    assert Job.objects.count() == 1


def test_running_a_job_again_replaces_its_result_never_duplicates(
    clerk_a, year, dept_a, cheap_pdf
):
    job = Job.objects.create(
        started_by=clerk_a, kind=JobKind.REPORT_PDF, year=year, department=dept_a
    )
    work.run(job.pk)
    job.refresh_from_db()
    first = job.result_name
    # The message delivered again after a worker died mid-task: the job still running.
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING)
    work.run(job.pk)
    job.refresh_from_db()
    assert job.result_name == first and job.attempts == 2
    _dirs, files = default_storage.listdir(f"jobs/{job.pk}")
    assert files == [first.rsplit("/", 1)[1]]
    # Once done, a further delivery does nothing.
    work.run(job.pk)
    job.refresh_from_db()
    assert job.attempts == 2


def test_a_second_request_while_one_runs_returns_the_same_job(clerk_a, year, dept_a):
    running = Job.objects.create(
        started_by=clerk_a,
        kind=JobKind.REPORT_PDF,
        year=year,
        department=dept_a,
        state=JobState.RUNNING,
    )
    assert queue.start(clerk_a, JobKind.REPORT_PDF, year, dept_a) == running
    assert Job.objects.count() == 1


def test_a_clerk_moved_away_from_the_department_gets_a_failure_in_words(
    clerk_a, year, dept_a, dept_b, cheap_pdf
):
    job = Job.objects.create(
        started_by=clerk_a, kind=JobKind.REPORT_PDF, year=year, department=dept_a
    )
    clerk_a.departments.set([dept_b])
    with pytest.raises(work.JobError):
        work.run(job.pk)
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.error


# --- the queue down -----------------------------------------------------------------


def reset_connections() -> None:
    """Forget the app's connection and producer pools (they hold the broker URL)."""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    # and the result backend, cached once used
    celery_app._backend_cache = None
    celery_app._local.__dict__.pop("backend", None)


@pytest.fixture
def broker_down():
    """A broker on a closed port: publishing fails at once."""
    saved = {
        key: celery_app.conf[key]
        for key in ("broker_url", "task_always_eager", "result_backend")
    }
    celery_app.conf.update(
        broker_url="redis://127.0.0.1:9/0", task_always_eager=False, result_backend=None
    )
    reset_connections()
    yield
    celery_app.conf.update(saved)
    reset_connections()


def test_with_the_queue_down_pages_work_and_a_job_request_says_so(
    broker_down, client_a, clerk_a, year, dept_a
):
    report_url = reverse("assessment:department-report", args=[year.year, dept_a.code])
    started = timezone.now()
    response = client_a.post(
        reverse("assessment:department-report-prepare", args=[year.year, dept_a.code]),
        follow=True,
    )
    assert (timezone.now() - started).total_seconds() < 10
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == report_url
    assert "队列" in response.content.decode() or "queue" in response.content.decode()
    assert not Job.objects.exists()
    assert client_a.get(report_url).status_code == 200


def test_with_the_queue_down_retry_keeps_the_failure_as_it_was(
    broker_down, client_a, clerk_a, year
):
    job = Job.objects.create(
        started_by=clerk_a,
        kind=JobKind.REPORT_PDF,
        year=year,
        state=JobState.FAILED,
        error="earlier reason",
    )
    response = client_a.post(
        reverse("assessment:job-retry", args=[job.pk]), follow=True
    )
    assert response.status_code == 200
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.error == "earlier reason"


# --- the year archive, rendered once --------------------------------------------------


@pytest.fixture
def archive_data(year, catalogue, dept_a, dept_b, supervisor):
    SelfAssessment.objects.create(
        target=catalogue["target_a"], department=dept_a, text="全年清扫保洁全覆盖"
    )
    for month in (1, 2):
        monthly_return = MonthlyReturn.objects.create(
            year=year, department=dept_a, month=month
        )
        Figure.objects.create(
            monthly_return=monthly_return,
            indicator=catalogue["area"],
            value=Decimal(150),
        )
    return year


def test_a_supervisor_makes_the_year_archive_with_checked_manifest(
    archive_data, supervisor, dept_a, dept_b
):
    year = archive_data
    client = login(supervisor)
    response = client.post(reverse("assessment:archive-start", args=[year.year]))
    job = Job.objects.get()
    assert response["Location"] == reverse("assessment:job", args=[job.pk])
    assert job.state == JobState.DONE, job.error
    assert job.progress_done == job.progress_total == 3
    assert job.result_filename == f"archive-{year.year}.zip"
    body = client.get(reverse("assessment:job-download", args=[job.pk]))
    content = b"".join(body.streaming_content)
    assert len(content) == job.result_size
    folder = f"archive-{year.year}"
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert all(name.startswith(f"{folder}/") for name in archive.namelist())
        files = {
            name.removeprefix(f"{folder}/"): archive.read(name)
            for name in archive.namelist()
        }
    raw = files.pop("manifest.json")
    sums = files.pop("SHA256SUMS").decode()
    assert manifest.verify(files, raw) == []
    listed = [item["name"] for item in json.loads(raw)["files"]]
    assert sorted(listed) == sorted(files)
    assert len(listed) == len(set(listed))
    for code in ("bureau", dept_a.code, dept_b.code):
        assert any(n.startswith(f"{code}/report-") for n in listed)
        assert any(n.startswith(f"{code}/figures-") for n in listed)
    assert f"bureau/score-sheet-{year.year}-bureau.pdf" in listed
    assert f"{dept_a.code}/score-sheet-{year.year}-{dept_a.code}.pdf" in listed
    for line in sums.splitlines():
        digest, name = line.split("  ")
        assert hashlib.sha256(files[name]).hexdigest() == digest
    assert all(files[n].startswith(b"%PDF") for n in listed if n.endswith(".pdf"))
    assert sums.count("\n") == len(listed)
    # A supervisor asking for it again while it is kept gets a new run, not a copy of
    # another's files: each job's result lives under its own name.
    other = make_user("supervisor2", "supervisor")
    assert Job.objects.visible_to(other).get() == job


# --- the schedule -------------------------------------------------------------------


def test_beat_sends_the_reminders_every_five_minutes_and_sweeps_hourly():
    schedule = celery_app.conf.beat_schedule
    assert schedule["send-reminders"]["schedule"] == 300
    assert schedule["delete-expired-job-results"]["schedule"] == 3600
    celery_app.loader.import_default_modules()
    for entry in schedule.values():
        assert entry["task"] in celery_app.tasks


def test_the_reminder_task_runs_send_reminders(db, monkeypatch):
    from assessment.jobs import tasks

    calls = []
    monkeypatch.setattr(tasks, "call_command", lambda name: calls.append(name))
    tasks.send_reminders.delay()
    assert calls == ["send_reminders"]


def test_without_a_broker_tasks_run_in_process(settings):
    assert not settings.CELERY_BROKER_URL
    assert celery_app.conf.task_always_eager is True
    assert celery_app.conf.task_acks_late is True


def test_an_archive_of_someone_no_longer_a_supervisor_fails_in_words(supervisor, year):
    job = Job.objects.create(started_by=supervisor, kind=JobKind.ARCHIVE, year=year)
    supervisor.role = "clerk"
    supervisor.save()
    with pytest.raises(work.JobError):
        work.run(job.pk)
    job.refresh_from_db()
    assert job.state == JobState.FAILED and "考核员" in job.error
