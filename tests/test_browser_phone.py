"""On a phone, no page is wider than the screen: wide tables scroll inside their box."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from sanitation.bureau.models import Donation
from tests.browser_support import log_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser]

PHONE = {"width": 390, "height": 844}


def test_a_clerks_pages_fit_a_phone_screen(
    transactional_db, new_page, clerk_a, dept_a, catalogue, year
):
    Donation.objects.create(
        department=dept_a,
        date=datetime.date(year.year, 3, 15),
        title="扶贫助困捐款",
        amount=Decimal("7540.00"),
        updated_by=clerk_a,
    )
    page = new_page()
    page.set_viewport_size(PHONE)
    log_in(page, clerk_a.username, PASSWORD)
    for url in (
        reverse("assessment:board", args=[year.year]),
        reverse("assessment:entry", args=[year.year, dept_a.code, 1]),
        reverse("bureau:record-list", args=["donations"]) + f"?year={year.year}",
        reverse("assessment:department-report", args=[year.year, dept_a.code]),
    ):
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{url} is {width}px wide"


def test_the_boards_months_read_as_blocks_on_a_phone(
    transactional_db, new_page, clerk_a, catalogue, year
):
    page = new_page()
    page.set_viewport_size(PHONE)
    log_in(page, clerk_a.username, PASSWORD)
    page.goto(reverse("assessment:board", args=[year.year]))
    row = page.locator(".board-table tbody tr[data-month]").first
    button = row.locator(".btn")
    label = row.locator("th[scope=row]")
    # The button's text is on one line, beside the month, not stacked a character a line.
    box, line = button.bounding_box(), label.bounding_box()
    assert box["height"] < 2 * line["height"]
    assert box["width"] > box["height"]
    assert abs(box["y"] - line["y"]) < line["height"]


def test_the_entry_pages_value_is_in_view_on_a_phone(
    transactional_db, new_page, clerk_a, dept_a, catalogue, year
):
    page = new_page()
    page.set_viewport_size(PHONE)
    log_in(page, clerk_a.username, PASSWORD)
    page.goto(reverse("assessment:entry", args=[year.year, dept_a.code, 1]))
    value = page.locator("input.fig-value").first
    box = value.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    scroller = page.evaluate(
        "Math.max(...[...document.querySelectorAll('.table-responsive')]"
        ".map(e => e.scrollLeft))"
    )
    assert scroller == 0  # nothing had to scroll sideways to show it
