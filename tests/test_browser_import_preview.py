"""The import's check page in headless Chromium, at desktop width and on a phone: the
file is named, the changes read one block each, nothing scrolls sideways."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.browser_support import PHONE, assert_accessible, log_in
from tests.conftest import PASSWORD
from tests.spreadsheet_support import workbook_bytes

pytestmark = pytest.mark.browser

MONTH = timezone.localdate().month
NAME = "2026年清扫保洁队统计数据（第二次修订稿）-final.xlsx"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.mark.parametrize(
    "viewport", [{"width": 1366, "height": 900}, PHONE], ids=["desktop", "phone"]
)
def test_the_check_page_names_the_file_and_fits_the_window(
    transactional_db, new_page, clerk_a, catalogue, viewport
):
    year = timezone.localdate().year
    page = new_page()
    page.set_viewport_size(viewport)
    log_in(page, clerk_a.username, PASSWORD)
    page.goto(reverse("assessment:import", args=[year, "dept-a"]))
    data = workbook_bytes(
        [
            ["dept-a", "area", "", "", MONTH, 150.5, "含背街小巷"],
            ["dept-a", "pits", "", "", MONTH, 42000, ""],
        ]
    )
    page.set_input_files("#id_file", {"name": NAME, "mimeType": XLSX, "buffer": data})
    with page.expect_navigation():
        page.click("#check-button")
    assert page.locator("[data-field=file-name]").inner_text().strip() == NAME
    assert page.locator("[data-field=file-size]").inner_text().strip()
    assert page.locator("[data-field=uploaded-at]").inner_text().strip()
    width, inner = page.evaluate(
        "[document.scrollingElement.scrollWidth, window.innerWidth]"
    )
    assert width <= inner
    # each change's new value is in view, right of its indicator or under it
    for i in range(2):
        box = page.locator("#import-changes tbody tr").nth(i).locator("td").nth(5)
        bounds = box.bounding_box()
        assert bounds and bounds["x"] + bounds["width"] <= inner
    assert_accessible(page)
