"""The spreadsheet round trip in headless Chromium: template, fill, dry run, confirm."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from assessment.models import Figure
from tests.browser_support import log_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser]

MONTH = timezone.localdate().month


def test_a_clerk_imports_figures_from_the_template(
    transactional_db, new_page, clerk_a, catalogue, tmp_path: Path
):
    year = timezone.localdate().year
    page = new_page()
    log_in(page, clerk_a.username, PASSWORD)
    page.goto(reverse("assessment:import", args=[year, "dept-a"]))
    assert page.locator("#template-month").input_value() == str(MONTH)

    with page.expect_download() as download_info:
        page.click("#template-download")
    download = download_info.value
    assert download.suggested_filename.endswith("-dept-a.xlsx")
    template = tmp_path / "template.xlsx"
    download.save_as(template)

    wb = openpyxl.load_workbook(template)
    ws = wb["figures"]
    codes = {ws.cell(row, 2).value: row for row in range(2, ws.max_row + 1)}
    assert set(codes) == {"area", "pits"}
    ws.cell(codes["area"], 6).value = 150.5
    ws.cell(codes["pits"], 6).value = 41000
    ws.cell(codes["pits"], 7).value = "含背街小巷"
    buffer = io.BytesIO()
    wb.save(buffer)
    filled = tmp_path / "filled.xlsx"
    filled.write_bytes(buffer.getvalue())

    page.set_input_files("#id_file", str(filled))
    with page.expect_navigation():
        page.click("#check-button")
    changes = page.locator("#import-changes tbody tr")
    assert changes.count() == 2
    assert "150.5" in changes.nth(0).inner_text()
    assert (
        "41,000" in changes.nth(1).inner_text()
        or "41000" in changes.nth(1).inner_text()
    )
    assert page.locator("#import-problems").count() == 0
    assert not Figure.objects.exists()  # the dry run wrote nothing

    with page.expect_navigation():
        page.click("#confirm-button")
    assert page.locator("#import-result").is_visible()
    assert Figure.objects.count() == 2

    with page.expect_navigation():
        page.click(".entry-link")
    assert page.url.endswith(reverse("assessment:entry", args=[year, "dept-a", MONTH]))
    area = catalogue["area"]
    pits = catalogue["pits"]
    assert Decimal(page.input_value(f"#id_f-{area.pk}-value")) == Decimal("150.5")
    assert Decimal(page.input_value(f"#id_f-{pits.pk}-value")) == Decimal(41000)
    assert page.input_value(f"#id_f-{pits.pk}-note") == "含背街小巷"
