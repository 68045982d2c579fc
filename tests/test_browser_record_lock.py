"""A clerk adds a safety activity to an approved month in Chromium, reads why it is
refused, a supervisor reopens the month, the clerk adds it, and the month goes back to
review. At desktop width and on a 390 px phone."""

from __future__ import annotations

import datetime
import os

import pytest
from django.urls import reverse

from assessment.figures import returns
from assessment.figures.workflow import ReturnStatus
from assessment.models import AssessmentYear, MonthlyReturn
from sanitation.bureau.models import SafetyActivity
from tests.browser_support import log_in
from tests.conftest import PASSWORD
from tests.test_record_locks import safety_count_indicator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR, OCTOBER = 2021, 10
VIEWPORTS = {"desktop": (1280, 900), "phone": (390, 844)}
#: Set to a directory to keep screenshots of each step (for looking, not committed).
SHOTS = os.environ.get("SCREENSHOTS_DIR", "")


@pytest.fixture
def approved_october(dept_a, clerk_a, supervisor):
    """2021: 安全活动次数 of department A counts its safety activities; October has
    two and is approved by 黄文军."""
    supervisor.last_name, supervisor.first_name = "黄", "文军"
    supervisor.save()
    year = AssessmentYear.objects.create(year=YEAR, title="2021年度目标管理考核")
    safety_count_indicator(year, dept_a)
    for day, title in ((8, "十月安全例会"), (15, "十月安全检查")):
        SafetyActivity.objects.create(
            department=dept_a,
            date=datetime.date(YEAR, OCTOBER, day),
            title=title,
            kind="meeting",
        )
    monthly_return = returns.get_or_create_return(year, dept_a, OCTOBER)
    returns.submit_return(clerk_a, monthly_return, on=datetime.date(YEAR, 11, 5))
    returns.approve_return(supervisor, monthly_return)
    return year


def status() -> str:
    return MonthlyReturn.objects.get(month=OCTOBER).status


def shot(page, name: str, viewport: str) -> None:
    if SHOTS:
        page.screenshot(
            path=f"{SHOTS}/record-lock-{viewport}-{name}.png", full_page=True
        )


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_a_record_in_an_approved_month_waits_for_a_reopen(
    viewport, new_page, approved_october, clerk_a, supervisor, dept_a
):
    width, height = VIEWPORTS[viewport]
    entry = reverse("assessment:entry", args=[YEAR, dept_a.code, OCTOBER])

    clerk = new_page()
    clerk.set_viewport_size({"width": width, "height": height})
    log_in(clerk, clerk_a.username, PASSWORD)
    clerk.goto(reverse("bureau:record-add", args=["safety"]))
    clerk.select_option("select[name=kind]", "inspection")
    clerk.fill("input[name=date]", f"{YEAR}-10-20")
    clerk.fill("input[name=title]", "安全隐患排查")
    with clerk.expect_navigation():
        clerk.click("form.record-form button[type=submit]")

    # Refused, and the clerk reads why: the month, what it feeds, who can reopen it.
    alert = clerk.locator("form.record-form .alert-danger")
    assert alert.is_visible()
    reason = alert.inner_text()
    assert "2021年10月" in reason and "安全活动次数" in reason and "黄文军" in reason
    box = alert.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
    assert SafetyActivity.objects.count() == 2
    assert status() == ReturnStatus.APPROVED
    shot(clerk, "refused", viewport)

    # The supervisor reopens October, with a reason.
    boss = new_page()
    boss.set_viewport_size({"width": width, "height": height})
    log_in(boss, supervisor.username, PASSWORD)
    boss.goto(entry)
    boss.fill("#id_reason", "补录10月安全隐患排查")
    with boss.expect_navigation():
        boss.click("#reopen-button")
    assert status() == ReturnStatus.DRAFT
    shot(boss, "reopened", viewport)

    # The same form, sent again, now goes through.
    with clerk.expect_navigation():
        clerk.click("form.record-form button[type=submit]")
    assert "安全隐患排查" in clerk.locator("table.records-table").inner_text()
    assert SafetyActivity.objects.count() == 3
    shot(clerk, "saved", viewport)

    # The month is a draft again: the clerk submits it, the supervisor sees it to review.
    clerk.goto(entry)
    assert clerk.get_attribute(".state-badge", "data-state") == "draft"
    with clerk.expect_navigation():
        clerk.click("#submit-button")
    assert clerk.locator("#submit-locks").is_visible()  # the confirmation first
    with clerk.expect_navigation():
        clerk.click("#confirm-submit-button")
    assert status() == ReturnStatus.SUBMITTED
    boss.goto(entry)
    assert boss.get_attribute(".state-badge", "data-state") == "submitted"
    assert boss.locator("#approve-button").is_visible()
    shot(boss, "to-review", viewport)
