"""The idle-session warning in headless Chromium, with the page's clock moved on."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.browser_support import log_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser]


def test_the_page_warns_before_signing_out_and_can_stay_signed_in(
    transactional_db, new_page, clerk_a, year, catalogue
):
    page = new_page()
    page.clock.install()
    log_in(page, "clerk_a", PASSWORD)
    board = reverse("assessment:board", args=[year.year])
    page.goto(board)
    dialog = page.locator("#session-timeout")
    assert not dialog.is_visible()
    page.clock.run_for("27:00")
    assert not dialog.is_visible()
    page.clock.run_for("01:30")  # 28:30: inside the two-minute warning
    dialog.wait_for(state="visible")
    assert "1:3" in page.locator("#session-timeout-countdown").inner_text()
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path="/tmp/shots/session-warning-390.png")
    with page.expect_response("**/account/session/keep-alive/") as renewal:
        page.click("#session-timeout-stay")
    assert renewal.value.status == 200
    dialog.wait_for(state="hidden")
    page.clock.run_for("27:00")  # renewed: 27 minutes later, no warning yet
    assert not dialog.is_visible()
    page.clock.run_for("03:05")  # and now past the end: signed out
    page.wait_for_url("**/login/**")
    assert page.locator("#signed-out-idle").is_visible()
    assert "next=" in page.url
    page.goto(board)
    assert "/login/" in page.url
