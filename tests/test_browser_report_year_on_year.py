"""Year-on-year in headless Chromium: a leader reads the bureau's report with last
year's values and the two-year charts, on a desk and on a phone."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.browser_support import PHONE, assert_accessible, log_in

pytestmark = [pytest.mark.browser]

DESK = {"width": 1366, "height": 900}


@pytest.mark.parametrize("viewport", [DESK, PHONE], ids=["desk", "phone"])
def test_a_leader_reads_last_years_figures_in_the_report(
    transactional_db, new_page, viewport
):
    call_command("load_demo", "--force", stdout=io.StringIO())
    page = new_page()
    page.set_viewport_size(viewport)
    log_in(page, "leader", "demo-pass-2021")
    page.goto(reverse("assessment:report", args=[2021]))
    table = page.locator("table.figures-table", has_text="日均垃圾清运量")
    assert table.locator("thead th").all_inner_texts()[-2:] == ["上年", "同比增减"]
    row = table.locator("tr", has_text="日均垃圾清运量")
    cells = row.locator("td").all_inner_texts()
    assert cells[-2] == "157.9"
    assert cells[-1].split() == ["+12.1", "+7.7%"]
    chart = page.locator(".report-chart", has_text="日均垃圾清运量").first
    legend = chart.locator("svg text").all_text_contents()
    assert "2020年" in legend and "2021年" in legend
    # Nothing wider than the screen: a wide table scrolls inside its own box.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"the report is {width}px wide"
    table.scroll_into_view_if_needed()
    page.screenshot(path=f"/tmp/shots/report-yoy-{viewport['width']}.png")
    assert_accessible(page)
