"""The year-end report in headless Chromium: preview, then the PDF download."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from assessment.models import Figure, MonthlyReturn, SelfAssessment
from sanitation.bureau.models import Donation
from tests.browser_support import log_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser]


def test_a_supervisor_previews_the_report_and_downloads_the_pdf(
    transactional_db, new_page, supervisor, catalogue, year, dept_a, tmp_path: Path
):
    SelfAssessment.objects.create(
        target=catalogue["target_a"], department=dept_a, text="全年清扫保洁全覆盖"
    )
    Donation.objects.create(
        department=dept_a,
        date=datetime.date(year.year, 6, 8),
        title="献爱心扶贫捐款",
        amount=Decimal(7540),
    )
    for month in (1, 2):  # a chart needs two months
        monthly_return = MonthlyReturn.objects.create(
            year=year, department=dept_a, month=month
        )
        Figure.objects.create(
            monthly_return=monthly_return,
            indicator=catalogue["area"],
            value=Decimal(150),
        )
    page = new_page()
    log_in(page, supervisor.username, PASSWORD)
    page.click("a.nav-link[href*='my-report']")
    page.wait_for_url(f"**{reverse('assessment:report', args=[year.year])}")
    assert page.locator("h1.report-title").count() == 1
    assert "全年清扫保洁全覆盖" in page.content()
    assert "7,540" in page.content()
    assert page.locator(".report-chart svg").count() >= 1
    assert page.locator(".draft-label").is_visible()
    assert page.locator("#report-docx").is_visible()
    # Nothing written yet: the supervisor is told, the report prints nothing there.
    assert page.locator(".report-missing").is_visible()
    assert "尚未撰写概述" not in page.locator(".report-sheet").inner_text()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path="/tmp/shots/report-preview.png")

    with page.expect_download() as download_info:
        page.click("#report-pdf")
    download = download_info.value
    assert download.suggested_filename == f"report-{year.year}-bureau.pdf"
    saved = tmp_path / "report.pdf"
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
