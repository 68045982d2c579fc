"""A leader reads the dashboard and follows a red light to its figures, on a desktop
screen and on a phone."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.browser_support import PHONE, assert_accessible, log_in
from tests.conftest import PASSWORD
from tests.test_progress_views import put

pytestmark = [pytest.mark.browser]

DESKTOP = {"width": 1366, "height": 900}


@pytest.mark.parametrize("screen", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_leader_follows_a_red_light_to_its_figures(
    transactional_db, new_page, leader, dept_a, dept_b, catalogue, year, screen
):
    put(year, dept_a, catalogue["pits"], {m: Decimal(40000) for m in range(1, 7)})
    put(year, dept_a, catalogue["area"], {m: Decimal(150) for m in range(1, 7)})
    put(year, dept_b, catalogue["waste"], {m: Decimal(4000) for m in range(1, 7)})
    page = new_page()
    page.set_viewport_size(screen)
    log_in(page, leader.username, PASSWORD)
    assert reverse("assessment:dashboard", args=[year.year]) in page.url
    page.select_option("#progress-month", "6")
    page.click(".month-picker button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-field=bureau-projected]").inner_text() == "89.00"
    assert page.locator("[data-count=red]").inner_text() == "1"
    assert page.locator("#projected svg").count() == 1
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= screen["width"], f"the dashboard is {width}px wide"
    assert_accessible(page)

    red = page.locator('[data-red-light="dept-b:waste"]')
    assert "80.0 %" in red.inner_text()
    red.locator("[data-action=open-figures]").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(
        reverse("assessment:entry", args=[year.year, dept_b.code, 6])
    )
    assert "垃圾清运量" in page.content()
