"""A clerk with a due month sees the reminder in the inbox, opens the month from it
and submits, on a desktop and on a 390 px phone, in headless Chromium."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment.figures.workflow import ReturnStatus
from assessment.models import MonthlyReturn, Notice, NoticeKind
from assessment.notices import reminders
from tests.browser_support import PHONE, assert_accessible, log_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser]

YEAR = timezone.localdate().year
TODAY = datetime.date(YEAR, 3, 8)  # February is due on 10 March: two days left
MONTH = 2


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    # The live server runs in a thread of this process, so the patch reaches it.
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_a_clerk_follows_the_reminder_and_submits(
    transactional_db, new_page, clerk_a, clerk_b, catalogue, viewport
):
    reminders.create_reminders(on=TODAY)
    due = Notice.objects.get(recipient=clerk_a, kind=NoticeKind.DUE)
    assert due.month == MONTH
    unread = Notice.objects.filter(recipient=clerk_a).count()  # January is overdue too

    page = new_page()
    if viewport:
        page.set_viewport_size(viewport)
    log_in(page, clerk_a.username, PASSWORD)
    # The bell in the top bar shows the unread count, on a phone too (not folded away).
    assert page.locator("#notice-bell").is_visible()
    assert page.inner_text("#notice-count") == str(unread)
    with page.expect_navigation():
        page.click("#notice-bell")
    assert page.url.endswith(reverse("assessment:inbox"))
    assert_accessible(page)
    if viewport:
        assert (
            page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        )
    item = page.locator('li.notice[data-kind="due"]')
    assert item.count() == 1
    assert "清扫保洁队" in item.inner_text()

    with page.expect_navigation():
        item.locator("a").first.click()
    entry = reverse("assessment:entry", args=[YEAR, "dept-a", MONTH])
    assert page.url.endswith(entry)
    assert page.inner_text("#notice-count") == str(unread - 1)

    page.fill(f"#id_f-{catalogue['area'].pk}-value", "150.5")
    page.fill(f"#id_f-{catalogue['pits'].pk}-value", "1400")
    with page.expect_navigation():
        page.click("#save-button")
    with page.expect_navigation():
        page.click("#submit-button")
    assert page.locator("#submit-locks").is_visible()  # the confirmation first
    with page.expect_navigation():
        page.click("#confirm-submit-button")
    assert MonthlyReturn.objects.get(month=MONTH).status == ReturnStatus.SUBMITTED

    # The notice was read; the other clerk was never told about department A.
    due.refresh_from_db()
    assert due.read_at is not None
    assert not Notice.objects.filter(recipient=clerk_b, department__code="dept-a")
