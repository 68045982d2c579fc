"""Two-factor sign-in in headless Chromium: a supervisor sets it up, signs out, and
signs in again with the password and a code computed here from the secret."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from tests.browser_support import log_in
from tests.conftest import PASSWORD
from tests.totp import totp

pytestmark = [pytest.mark.browser]


@pytest.fixture
def required(settings):
    settings.TWO_FACTOR_REQUIRED = True


def test_a_supervisor_enrols_then_signs_in_with_password_and_code(
    transactional_db, required, new_page, supervisor, year
):
    page = new_page()
    csp_errors: list[str] = []
    page.on(
        "console",
        lambda message: (
            csp_errors.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    log_in(page, "supervisor", PASSWORD)
    # Required of a supervisor: every page leads to the set-up first.
    assert reverse("accounts:two-factor-enrol") in page.url
    assert page.locator(".qr-box svg.qr-code").is_visible()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path="/tmp/shots/two-factor-enrol.png", full_page=True)
    secret = page.locator("#totp-secret").inner_text()
    page.fill("input[name=code]", totp(secret))
    page.click("form.enrol-form button[type=submit]")
    page.wait_for_url(f"**{reverse('accounts:two-factor-recovery-codes')}")
    codes = page.locator("#recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    page.screenshot(path="/tmp/shots/two-factor-codes.png", full_page=True)
    page.click("#codes-continue")
    page.wait_for_load_state("networkidle")
    assert page.locator("form[action='/logout/'] button").count() >= 1

    # Sign out, then in again: the password alone does not get in.
    page.locator("nav form[action='/logout/'] button").click()
    page.wait_for_url("**/login/")
    log_in(page, "supervisor", PASSWORD)
    assert reverse("accounts:two-factor-verify") in page.url
    page.goto(reverse("assessment:matrix", args=[year.year]))
    assert "/login/" in page.url  # not signed in between the two steps

    log_in(page, "supervisor", PASSWORD)
    page.fill("input[name=code]", "000000")
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator(".invalid-feedback").is_visible()
    assert reverse("accounts:two-factor-verify") in page.url
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path="/tmp/shots/two-factor-verify-390.png", full_page=True)

    time.sleep(1.1)  # the wrong code made the device wait a second
    # The next step's code: the one typed at enrolment may not be used twice.
    page.fill("input[name=code]", totp(secret, at=time.time() + 30))
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "/login/" not in page.url and "two-factor" not in page.url
    page.goto(reverse("assessment:matrix", args=[year.year]))
    assert page.url.endswith(reverse("assessment:matrix", args=[year.year]))
    assert csp_errors == []
