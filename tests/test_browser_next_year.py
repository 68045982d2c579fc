"""In headless Chromium, at desktop width and on a 390 px phone: a supervisor sets up
next year from this one, changes a target value on the plan page and publishes (目标下达);
a clerk sees the notice, opens the 目标责任书 and acknowledges it; the supervisor sees who
has acknowledged and who has not."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment.models import (
    AssessmentYear,
    Indicator,
    Notice,
    TargetAcknowledgement,
)
from tests.browser_support import PHONE, assert_accessible, log_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = timezone.localdate().year
NEXT = YEAR + 1
VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": PHONE}


@pytest.fixture
def this_year(year, catalogue):
    """The conftest catalogue brought to 100 points, open."""
    target = catalogue["target_a"]
    target.points = Decimal(70)
    target.save()
    return catalogue


def fits(page, viewport: dict) -> None:
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= viewport["width"], f"{page.url} is {width} px wide"


def lines_of(locator) -> int:
    """How many lines the element's text takes."""
    return locator.evaluate(
        "e => { const r = document.createRange(); r.selectNodeContents(e);"
        " return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size }"
    )


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_next_year_is_set_up_published_and_acknowledged(
    viewport, new_page, this_year, supervisor, clerk_a, clerk_b
):
    size = VIEWPORTS[viewport]
    boss = new_page()
    boss.set_viewport_size(size)
    log_in(boss, supervisor.username, PASSWORD)

    # From the year's scoring page: set up next year, which copies this one.
    boss.goto(reverse("assessment:scoring-index", args=[YEAR]))
    with boss.expect_navigation():
        boss.click("#next-year")
    assert boss.locator('[data-list="copied"] li').count() == 4
    fits(boss, size)
    assert_accessible(boss)
    with boss.expect_navigation():
        boss.click("#set-up-next-year")
    assert boss.url.endswith(reverse("assessment:plan", args=[NEXT]))
    assert AssessmentYear.objects.get(year=NEXT).is_draft

    # The plan page: change the street area's target value and save.
    row = boss.locator('tr[data-target="1.1"]')
    value = row.locator(".plan-values input").first
    assert value.input_value() == "150"
    fits(boss, size)
    assert_accessible(boss)
    value.fill("160")
    with boss.expect_navigation():
        boss.click("#save-plan")
    assert boss.locator(".alert-success").is_visible()
    area = Indicator.objects.get(year__year=NEXT, code=this_year["area"].code)
    assert area.annual_target == Decimal(160)
    old_area = Indicator.objects.get(pk=this_year["area"].pk)
    assert old_area.annual_target == Decimal(150)  # this year is untouched
    assert (
        boss.locator('tr[data-target="1.1"] .plan-values input').first.input_value()
        == "160"
    )

    # Publish: the page lists who receives the targets, then issues them.
    with boss.expect_navigation():
        boss.click("#to-publish")
    assert boss.url.endswith(reverse("assessment:issue-targets", args=[NEXT]))
    assert "清扫保洁队" in boss.inner_text('[data-list="departments"]')
    fits(boss, size)
    assert_accessible(boss)
    with boss.expect_navigation():
        boss.click("#publish")
    assert boss.url.endswith(reverse("assessment:acknowledgements", args=[NEXT]))
    assert not AssessmentYear.objects.get(year=NEXT).is_draft
    assert boss.locator('[data-department="dept-a"] .badge').inner_text() == "未签收"

    # The clerk is told: the bell, the inbox, the notice opens the letter.
    clerk = new_page()
    clerk.set_viewport_size(size)
    log_in(clerk, clerk_a.username, PASSWORD)
    assert clerk.locator("#notice-bell").is_visible()
    unread = Notice.objects.filter(recipient=clerk_a, read_at__isnull=True).count()
    assert unread >= 1
    assert clerk.inner_text("#notice-count") == str(unread)
    with clerk.expect_navigation():
        clerk.click("#notice-bell")
    item = clerk.locator('li.notice[data-kind="targets_unacknowledged"]')
    assert item.count() == 1
    fits(clerk, size)
    with clerk.expect_navigation():
        item.locator("a").first.click()
    letter = reverse("assessment:target-letter", args=[NEXT, "dept-a"])
    assert clerk.url.endswith(letter)
    body = clerk.inner_text(".report-sheet")
    assert "道路清扫保洁" in body and "160" in body
    assert "垃圾清运" not in body  # department B's own target is not in A's letter
    fits(clerk, size)
    assert_accessible(clerk)
    with clerk.expect_navigation():
        clerk.click("#acknowledge")
    assert clerk.locator(".alert-success").is_visible()
    assert clerk.locator('[data-field="acknowledged"] .badge').inner_text() == "已签收"
    assert not clerk.locator("#acknowledge").count()
    ack = TargetAcknowledgement.objects.get(year__year=NEXT, department__code="dept-a")
    assert ack.acknowledged_by == clerk_a

    # The supervisor sees who has acknowledged and who has not.
    boss.reload()
    assert boss.locator('[data-department="dept-a"] .badge').inner_text() == "已签收"
    assert clerk_a.display_name in boss.inner_text('[data-department="dept-a"]')
    assert boss.locator('[data-department="dept-b"] .badge').inner_text() == "未签收"
    assert "1" in boss.inner_text('[data-field="outstanding"]')
    # Names stay on one line, on a phone too.
    for cell in (
        '[data-department="dept-a"] th',
        '[data-department="dept-a"] td >> nth=1',
    ):
        assert lines_of(boss.locator(cell)) == 1, cell
    fits(boss, size)
    assert_accessible(boss)
