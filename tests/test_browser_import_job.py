"""A large import in headless Chromium: the clerk confirms the dry run, lands on the
import's job page, reads the counts and opens the imported month (desktop and phone)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment.models import Figure, Job, JobKind
from tests.browser_support import PHONE, assert_accessible, log_in
from tests.conftest import PASSWORD
from tests.spreadsheet_support import workbook_bytes

pytestmark = [pytest.mark.browser]

MONTH = timezone.localdate().month


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_a_clerk_confirms_a_large_import_and_follows_its_job(
    transactional_db, new_page, settings, clerk_a, catalogue, viewport, tmp_path: Path
):
    settings.IMPORT_BACKGROUND_ROWS = 2
    year = timezone.localdate().year
    filled = tmp_path / "figures.xlsx"
    filled.write_bytes(
        workbook_bytes(
            [
                ["dept-a", "area", "", "", MONTH, 150.5, ""],
                ["dept-a", "pits", "", "", MONTH, 42000, ""],
            ]
        )
    )
    page = new_page()
    page.set_viewport_size(viewport or {"width": 1366, "height": 900})
    log_in(page, clerk_a.username, PASSWORD)
    page.goto(reverse("assessment:import", args=[year, "dept-a"]))
    page.set_input_files("#id_file", str(filled))
    with page.expect_navigation():
        page.click("#check-button")
    assert page.locator("#import-changes tbody tr").count() == 2
    with page.expect_navigation():
        page.click("#confirm-button")
    job = Job.objects.get()
    assert job.kind == JobKind.IMPORT
    assert page.url.endswith(reverse("assessment:job", args=[job.pk]))
    assert page.locator("#job-state").inner_text() == "已完成"
    assert "已导入 2 条数据" in page.inner_text("#job-imported")
    assert_accessible(page)
    if viewport:
        assert (
            page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        )
    page.screenshot(
        path=f"/tmp/shots/import-job-{'phone' if viewport else 'desktop'}.png"
    )
    with page.expect_navigation():
        page.click(".entry-link")
    assert page.url.endswith(reverse("assessment:entry", args=[year, "dept-a", MONTH]))
    area = catalogue["area"]
    assert Decimal(page.input_value(f"#id_f-{area.pk}-value")) == Decimal("150.5")
    assert Figure.objects.count() == 2
