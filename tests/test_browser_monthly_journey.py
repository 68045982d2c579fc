"""A month's whole journey in headless Chromium: typed, fixed, submitted, returned,
corrected, approved, and then locked for the clerk."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment.figures.workflow import ReturnStatus
from assessment.models import Figure, MonthlyReturn
from tests.browser_support import log_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser]

YEAR = timezone.localdate().year
TODAY = datetime.date(YEAR, 3, 5)
MONTH = 2


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    # The live server runs in a thread of this process, so the patch reaches it.
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def test_a_month_from_typing_to_approval(
    transactional_db, new_page, clerk_a, supervisor, catalogue
):
    area, pits = catalogue["area"], catalogue["pits"]
    entry = reverse("assessment:entry", args=[YEAR, "dept-a", MONTH])
    area_field = f"#id_f-{area.pk}-value"
    pits_field = f"#id_f-{pits.pk}-value"

    clerk = new_page()
    log_in(clerk, clerk_a.username, PASSWORD)
    clerk.goto(entry)

    # The first value field has the focus: type, Tab to its note, Tab to the next value.
    clerk.keyboard.type("150.5")
    clerk.keyboard.press("Tab")
    assert clerk.evaluate("document.activeElement.id") == f"id_f-{area.pk}-note"
    clerk.keyboard.press("Tab")
    assert clerk.evaluate("document.activeElement.id") == f"id_f-{pits.pk}-value"
    clerk.keyboard.type("1,400")
    with clerk.expect_navigation():
        clerk.keyboard.press("Enter")
    assert clerk.locator(f"{pits_field}.is-invalid").count() == 1
    assert clerk.locator(f"#id_f-{pits.pk}-value-error").is_visible()
    assert not Figure.objects.exists()

    # The field in error has the focus; fix it and save with Enter.
    assert clerk.evaluate("document.activeElement.id") == f"id_f-{pits.pk}-value"
    clerk.keyboard.press("Control+A")
    clerk.keyboard.type("1400")
    with clerk.expect_navigation():
        clerk.keyboard.press("Enter")
    assert clerk.locator(".alert-success").count() == 1
    assert clerk.input_value(area_field) == "150.5"
    assert Figure.objects.get(indicator=pits).value == Decimal(1400)

    with clerk.expect_navigation():
        clerk.click("#submit-button")
    assert clerk.locator("#submit-locks").is_visible()  # the confirmation first
    with clerk.expect_navigation():
        clerk.click("#confirm-submit-button")
    assert MonthlyReturn.objects.get().status == ReturnStatus.SUBMITTED
    assert clerk.locator(area_field).is_disabled()

    # The supervisor returns it with a comment.
    boss = new_page()
    log_in(boss, supervisor.username, PASSWORD)
    boss.goto(reverse("assessment:matrix", args=[YEAR]))
    with boss.expect_navigation():
        boss.click(f'a[href="{entry}"]')
    # An empty comment is stopped by the browser (and refused by the server, see
    # test_review_workflow); the return needs one.
    boss.click("#return-button")
    assert boss.locator("#id_comment:invalid").count() == 1
    assert MonthlyReturn.objects.get().status == ReturnStatus.SUBMITTED
    boss.fill("#id_comment", "垃圾池清掏数请按实际核对")
    with boss.expect_navigation():
        boss.click("#return-button")
    assert MonthlyReturn.objects.get().status == ReturnStatus.RETURNED

    # The clerk sees the comment on the board and the page, corrects and resubmits.
    clerk.goto(reverse("assessment:board", args=[YEAR]))
    assert "垃圾池清掏数请按实际核对" in clerk.content()
    clerk.goto(entry)
    assert "垃圾池清掏数请按实际核对" in clerk.inner_text("#supervisor-comment")
    clerk.focus(pits_field)
    clerk.keyboard.press("Control+A")
    clerk.keyboard.type("1380")
    with clerk.expect_navigation():
        clerk.keyboard.press("Enter")
    assert Figure.objects.get(indicator=pits).value == Decimal(1380)
    with clerk.expect_navigation():
        clerk.click("#submit-button")
    assert clerk.locator("#submit-locks").is_visible()  # the confirmation first
    with clerk.expect_navigation():
        clerk.click("#confirm-submit-button")
    assert MonthlyReturn.objects.get().status == ReturnStatus.SUBMITTED

    # The supervisor approves.
    boss.goto(entry)
    with boss.expect_navigation():
        boss.click("#approve-button")
    assert MonthlyReturn.objects.get().status == ReturnStatus.APPROVED

    # The month is locked for the clerk: the fields are disabled, and a crafted POST
    # with a valid CSRF token is refused on the server.
    clerk.goto(entry)
    assert clerk.locator(area_field).is_disabled()
    assert clerk.locator(pits_field).is_disabled()
    assert clerk.locator("#save-button").count() == 0
    assert clerk.locator("#lock-reason").is_visible()
    token = clerk.input_value("input[name=csrfmiddlewaretoken] >> nth=0")
    response = clerk.request.post(
        entry,
        form={
            "csrfmiddlewaretoken": token,
            f"f-{pits.pk}-value": "9999",
            f"f-{pits.pk}-note": "",
            f"f-{pits.pk}-version": "2",
        },
        headers={"Referer": clerk.url},
    )
    assert response.ok  # redirected back to the page with the refusal
    assert "lock-reason" in response.text()
    assert Figure.objects.get(indicator=pits).value == Decimal(1380)
