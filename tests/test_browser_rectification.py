"""Rectification (整改) in headless Chromium: a clerk on a phone finds last year's
item on the board, reports it with a file; a supervisor returns it, then accepts the
second report. axe on every page at desktop width and at 390 px."""

from __future__ import annotations

import os
from decimal import Decimal as D

import pytest
import time_machine

from assessment.models import AssessmentYear, Evidence, Rectification, Score
from assessment.scoring import publication as publishing
from tests.appeals_support import AFTER, ENDS_ON, STARTS_ON, at
from tests.browser_support import PHONE, assert_accessible, log_in
from tests.conftest import PASSWORD
from tests.evidence_samples import png_bytes

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 900}
SHOTS = os.environ.get("SHOTS_DIR")


@pytest.fixture
def open_item(transactional_db, year, catalogue, dept_a, dept_b, supervisor):
    """B fails (5 + 8 of 30) and 垃圾清运 (5 of 20): two items once final; next year."""
    for target, department, value in (
        (catalogue["target_a"], dept_a, "18"),
        (catalogue["common"], dept_a, "9"),
        (catalogue["target_b"], dept_b, "5"),
        (catalogue["common"], dept_b, "8"),
    ):
        Score.objects.create(
            target=target, department=department, assessed_score=D(value)
        )
    with time_machine.travel(at(2, 9), tick=False):
        publishing.publish(year, supervisor, STARTS_ON, ENDS_ON)
    with time_machine.travel(AFTER, tick=False):
        publishing.finalize(year, supervisor)
    AssessmentYear.objects.create(year=year.year + 1, title="Next year")
    return Rectification.objects.get(key=f"target:{catalogue['target_b'].pk}")


def check(page, name: str, size=DESKTOP) -> None:
    page.set_viewport_size(size)
    assert_accessible(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= size["width"], f"{page.url} is {width}px wide"
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}-{size['width']}.png", full_page=True)


def test_report_return_and_accept(new_page, year, open_item, clerk_b, supervisor):
    clerk = new_page()
    clerk.set_viewport_size(PHONE)
    log_in(clerk, clerk_b.username, PASSWORD)
    clerk.goto(f"/years/{year.year + 1}/board/")
    card = clerk.locator(".rectification-card")
    assert card.count() == 1 and card.locator("li").count() == 2
    check(clerk, "board", PHONE)
    check(clerk, "board")
    clerk.set_viewport_size(PHONE)
    card.locator(f"li[data-rectification='{open_item.pk}'] a").click()
    clerk.wait_for_load_state("networkidle")
    check(clerk, "item-open", PHONE)
    check(clerk, "item-open")
    clerk.set_viewport_size(PHONE)
    clerk.fill("textarea[name=measures]", "建立车辆清运台账，每日核对清运量")
    clerk.fill("input[name=owner]", "李志刚")
    clerk.fill("textarea[name=report]", "已建立台账，3月起每日核对")
    clerk.set_input_files(
        "input[name=files]",
        files=[
            {"name": "清运台账.png", "mimeType": "image/png", "buffer": png_bytes()}
        ],
    )
    clerk.click("button[name=action][value=report]")
    clerk.wait_for_load_state("networkidle")
    open_item.refresh_from_db()
    assert open_item.status == "reported"
    assert Evidence.objects.filter(rectification=open_item).count() == 1
    check(clerk, "item-reported", PHONE)

    lead = new_page()
    lead.set_viewport_size(DESKTOP)
    log_in(lead, supervisor.username, PASSWORD)
    lead.goto(f"/years/{year.year}/rectification/")
    assert lead.locator("tr[data-rectification]").count() == 2
    check(lead, "list")
    check(lead, "list", PHONE)
    lead.set_viewport_size(DESKTOP)
    lead.click(f"tr[data-rectification='{open_item.pk}'] a")
    lead.wait_for_load_state("networkidle")
    check(lead, "item-review")
    lead.check("input[name=decision][value=return]")
    lead.fill("textarea[name=comment]", "请补充台账照片")
    lead.click("#review button[type=submit]")
    lead.wait_for_load_state("networkidle")
    open_item.refresh_from_db()
    assert open_item.status == "returned"

    clerk.goto(f"/years/{year.year}/rectification/{open_item.pk}/")
    assert "请补充台账照片" in clerk.locator("[data-field=comment]").inner_text()
    clerk.fill("textarea[name=report]", "已建立台账，3月起每日核对，照片已补充")
    clerk.click("button[name=action][value=report]")
    clerk.wait_for_load_state("networkidle")

    lead.reload()
    lead.check("input[name=decision][value=accept]")
    lead.click("#review button[type=submit]")
    lead.wait_for_load_state("networkidle")
    open_item.refresh_from_db()
    assert open_item.status == "accepted"
    check(lead, "item-accepted")
    clerk.goto(f"/years/{year.year + 1}/board/")
    assert clerk.locator(".rectification-card li").count() == 1  # the grade item
