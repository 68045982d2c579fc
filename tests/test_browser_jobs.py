"""Background jobs in headless Chromium: a supervisor starts the year's archive from the
scoring page and downloads it from the job page; the job page follows a running job.

The archive's contents are tested in test_jobs.py; here its PDFs are stubbed (the live
server runs in this process), so no PDF is rendered.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from assessment.jobs import work
from assessment.models import Job, JobKind, JobState
from tests.browser_support import PHONE, assert_accessible, log_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser]


@pytest.fixture
def stub_pdfs(monkeypatch):
    monkeypatch.setattr(work, "render_report_pdf", lambda report: b"%PDF-1.7 report")
    monkeypatch.setattr(
        work.score_sheet, "department_pdf", lambda result: b"%PDF-1.7 sheet"
    )
    monkeypatch.setattr(
        work.score_sheet, "summary_pdf", lambda year, ranked: b"%PDF-1.7 summary"
    )


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_a_supervisor_starts_the_archive_and_downloads_it(
    transactional_db,
    new_page,
    supervisor,
    catalogue,
    year,
    stub_pdfs,
    viewport,
    tmp_path: Path,
):
    page = new_page()
    if viewport:
        page.set_viewport_size(viewport)
    else:
        page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, supervisor.username, PASSWORD)
    page.goto(reverse("assessment:scoring-index", args=[year.year]))
    with page.expect_navigation():
        page.click("#archive-start")
    job = Job.objects.get()
    assert page.url.endswith(reverse("assessment:job", args=[job.pk]))
    assert page.locator("#job-state").inner_text() == "已完成"
    link = page.locator("#job-download")
    assert link.is_visible()
    assert_accessible(page)
    if viewport:
        assert (
            page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        )
    page.screenshot(
        path=f"/tmp/shots/job-done-{'phone' if viewport else 'desktop'}.png"
    )
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == f"archive-{year.year}.zip"
    saved = tmp_path / "archive.zip"
    download.save_as(saved)
    with zipfile.ZipFile(saved) as archive:
        names = archive.namelist()
    assert f"archive-{year.year}/manifest.json" in names
    assert any(
        name.endswith(f"/dept-a/score-sheet-{year.year}-dept-a.pdf") for name in names
    )


def test_the_job_page_follows_a_running_job_until_its_result(
    transactional_db, new_page, supervisor, year
):
    job = Job.objects.create(
        started_by=supervisor,
        kind=JobKind.ARCHIVE,
        year=year,
        state=JobState.RUNNING,
        progress_done=0,
        progress_total=3,
        progress_label="清扫保洁队",
    )
    page = new_page()
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, supervisor.username, PASSWORD)
    page.goto(reverse("assessment:job", args=[job.pk]))
    assert page.locator("#job-progress").is_visible()
    assert "单位 1 / 3" in page.inner_text("#job-progress-text")
    assert_accessible(page)

    Job.objects.filter(pk=job.pk).update(progress_done=1, progress_label="垃圾清运队")
    expect = pytest.importorskip("playwright.sync_api").expect
    expect(page.locator("#job-progress-text")).to_contain_text("2 / 3")
    assert "垃圾清运队" in page.inner_text("#job-progress-text")
    assert page.locator("#job-progress").get_attribute("aria-valuenow") == "1"
    page.screenshot(path="/tmp/shots/job-running-desktop.png")

    name = default_storage.save(f"jobs/{job.pk}/archive.zip", ContentFile(zip_bytes()))
    Job.objects.filter(pk=job.pk).update(
        state=JobState.DONE,
        progress_done=3,
        result_name=name,
        result_filename="archive.zip",
        result_size=default_storage.size(name),
        finished_at=timezone.now(),
        expires_at=timezone.now() + datetime.timedelta(hours=1),
    )
    page.wait_for_selector("#job-download", timeout=15_000)
    assert page.locator("#job-progress").count() == 0


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "a")
    return buffer.getvalue()
