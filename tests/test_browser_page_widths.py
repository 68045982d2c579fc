"""Pages keep to the window: the admin's target page with its indicator table at
1366 px, and the top bar on a 390 px phone, in Chinese and in English."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessment.models import User
from tests.browser_support import PHONE, log_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}
LANGUAGES = ["zh-hans", "en"]


def speaking(page, live_server, language: str) -> None:
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )


def page_width(page) -> int:
    return page.evaluate("document.scrollingElement.scrollWidth")


def top_bar_right(page) -> float:
    """The right edge of the furthest-reaching box in the top bar."""
    return page.evaluate(
        """() => Math.max(0, ...[...document.querySelectorAll('nav.app-navbar, nav.app-navbar *')]
            .map(e => e.getBoundingClientRect())
            .filter(r => r.width > 0)
            .map(r => r.right))"""
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_admins_target_page_fits_1366_px(
    new_page, live_server, catalogue, language
):
    User.objects.create_superuser("root", "root@example.org", PASSWORD)
    target = catalogue["target_a"]
    assert target.indicators.count() == 2
    page = new_page()
    speaking(page, live_server, language)
    page.set_viewport_size(DESKTOP)
    log_in(page, "root", PASSWORD)
    page.goto(reverse("admin:assessment_target_change", args=[target.pk]))
    assert page.locator("#indicators-group table").is_visible()
    assert page.locator("#indicators-0 input[name$=annual_target]").is_visible()
    assert page_width(page) <= DESKTOP["width"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_top_bar_fits_a_phone_on_every_role_page(
    new_page, live_server, catalogue, clerk_a, supervisor, leader, language
):
    pages = {
        None: [reverse("login")],
        clerk_a: [
            reverse("assessment:board", args=[catalogue["area"].year.year]),
            reverse("assessment:inbox"),
        ],
        supervisor: [reverse("assessment:queue")],
        leader: [reverse("assessment:home")],
    }
    for user, urls in pages.items():
        page = new_page()
        speaking(page, live_server, language)
        page.set_viewport_size(PHONE)
        if user is not None:
            log_in(page, user.username, PASSWORD)
        for url in urls:
            page.goto(url)
            assert page.locator("html").get_attribute("lang") == (
                "en" if language == "en" else "zh-hans"
            )
            assert top_bar_right(page) <= PHONE["width"], url
            assert page_width(page) <= PHONE["width"], url
