"""In headless Chromium, at desktop width and on a 390 px phone: a supervisor lands on
the review queue, approves the oldest month and lands on the next one, then approves the
rest together after a confirmation; a clerk confirms before a month is submitted."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment.figures import returns
from assessment.figures.workflow import ReturnStatus
from assessment.models import MonthlyReturn
from tests.browser_support import PHONE, assert_accessible, log_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = timezone.localdate().year
TODAY = datetime.date(YEAR, 3, 5)
VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": PHONE}


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    # The live server runs in a thread of this process, so the patch reaches it.
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def _submit(clerk, department, indicator, month, value, hour):
    monthly_return = returns.get_or_create_return(indicator.year, department, month)
    on = datetime.date(YEAR, month + 1, 5)
    returns.save_figures(
        clerk,
        indicator.year,
        department,
        month,
        [returns.FigureRow(indicator, Decimal(value), "", 0)],
        on=on,
    )
    returns.submit_return(clerk, monthly_return, on=on)
    moment = datetime.datetime(YEAR, month + 1, 5, hour, tzinfo=datetime.UTC)
    MonthlyReturn.objects.filter(pk=monthly_return.pk).update(submitted_at=moment)
    return monthly_return


@pytest.fixture
def three_queued(year, dept_a, dept_b, clerk_a, clerk_b, catalogue):
    """Oldest first: A January, B February, A February."""
    return [
        _submit(clerk_a, dept_a, catalogue["area"], 1, "150", 9),
        _submit(clerk_b, dept_b, catalogue["waste"], 2, "5000", 8),
        _submit(clerk_a, dept_a, catalogue["area"], 2, "151", 10),
    ]


def entry(code: str, month: int) -> str:
    return reverse("assessment:entry", args=[YEAR, code, month])


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_supervisor_approves_from_the_queue_then_the_rest_together(
    viewport, new_page, three_queued, supervisor
):
    first, second, third = three_queued
    page = new_page()
    page.set_viewport_size(VIEWPORTS[viewport])
    log_in(page, supervisor.username, PASSWORD)

    # Signing in lands on the queue, oldest submission first.
    assert page.url.endswith("/review/")
    rows = page.locator(".queue-table tbody tr")
    assert rows.count() == 3
    assert rows.nth(0).get_attribute("data-return") == str(first.pk)
    assert (
        page.evaluate("document.documentElement.scrollWidth")
        <= VIEWPORTS[viewport]["width"]
    )
    assert_accessible(page)

    # Open the oldest, approve it: the next item opens, saying what was done.
    with page.expect_navigation():
        rows.nth(0).locator("a.btn").click()
    assert page.url.endswith(entry("dept-a", 1))
    with page.expect_navigation():
        page.click("#approve-button")
    assert page.url.endswith(entry("dept-b", 2))
    message = page.inner_text(".alert-success")
    assert "清扫保洁队" in message and "垃圾清运队" in message
    assert page.locator("#approve-button").is_visible()
    assert MonthlyReturn.objects.get(pk=first.pk).status == ReturnStatus.APPROVED

    # Back on the queue, the two left are approved together after a confirmation.
    page.goto("/review/")
    assert page.locator(".queue-table tbody tr").count() == 2
    page.check(f"#pick-{second.pk}")
    page.check(f"#pick-{third.pk}")
    with page.expect_navigation():
        page.click("#bulk-approve-button")
    items = page.locator("#bulk-list li")
    assert items.count() == 2
    assert "垃圾清运队" in items.nth(0).inner_text()
    assert_accessible(page)
    assert MonthlyReturn.objects.filter(status=ReturnStatus.SUBMITTED).count() == 2
    with page.expect_navigation():
        page.click("#confirm-approve-button")
    assert page.locator("#queue-empty").is_visible()
    assert not MonthlyReturn.objects.exclude(status=ReturnStatus.APPROVED).exists()


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_clerk_confirms_before_the_month_is_submitted(
    viewport, new_page, year, clerk_a, catalogue
):
    returns.save_figures(
        clerk_a,
        year,
        catalogue["area"].departments.get(),
        2,
        [
            returns.FigureRow(catalogue["area"], Decimal("150.5"), "", 0),
            returns.FigureRow(catalogue["pits"], Decimal(1400), "", 0),
        ],
        on=TODAY,
    )
    page = new_page()
    page.set_viewport_size(VIEWPORTS[viewport])
    log_in(page, clerk_a.username, PASSWORD)
    page.goto(entry("dept-a", 2))
    with page.expect_navigation():
        page.click("#submit-button")
    assert page.locator("#submit-locks").is_visible()
    assert "150.5" in page.inner_text(".submit-table")
    assert (
        page.evaluate("document.documentElement.scrollWidth")
        <= VIEWPORTS[viewport]["width"]
    )
    assert_accessible(page)
    assert MonthlyReturn.objects.get().status == ReturnStatus.DRAFT

    # Going back changes nothing; confirming submits and locks.
    with page.expect_navigation():
        page.click("#cancel-submit")
    assert MonthlyReturn.objects.get().status == ReturnStatus.DRAFT
    with page.expect_navigation():
        page.click("#submit-button")
    with page.expect_navigation():
        page.click("#confirm-submit-button")
    assert MonthlyReturn.objects.get().status == ReturnStatus.SUBMITTED
    assert page.locator(f"#id_f-{catalogue['area'].pk}-value").is_disabled()
