"""Every role's main pages pass axe-core's WCAG 2 A/AA rules, on the demo's real data."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from sanitation.bureau.demo.people import PASSWORD
from tests.browser_support import PHONE, axe_violations, log_in

pytestmark = [pytest.mark.browser]

YEAR = 2021


def pages_of(role: str) -> list[str]:
    year = [YEAR]
    if role == "clerk_waste":
        return [
            reverse("assessment:board", args=year),
            reverse("assessment:entry", args=[YEAR, "waste", 10]),
            reverse("assessment:self-assessment", args=[YEAR, "waste"]),
            reverse("assessment:department-result", args=[YEAR, "waste"]),
            reverse("assessment:import", args=[YEAR, "waste"]),
            reverse("bureau:record-list", args=["donations"]) + f"?year={YEAR}",
        ]
    if role == "supervisor":
        return [
            reverse("assessment:matrix", args=year),
            reverse("assessment:entry", args=[YEAR, "street", 12]),
            reverse("assessment:scoring-index", args=year),
            reverse("assessment:workbench", args=[YEAR, "waste"]),
            reverse("assessment:ranking", args=year),
            reverse("assessment:report", args=year),
            reverse("assessment:close-year", args=year),
        ]
    current = timezone.localdate().year
    return [
        reverse("assessment:dashboard", args=[current]),
        reverse("assessment:dashboard", args=year),
        reverse("assessment:bulletin", args=[YEAR, 12]),
        reverse("assessment:department-progress", args=[current, "office"]),
        reverse("assessment:matrix", args=year),
        reverse("assessment:ranking", args=year),
        reverse("assessment:department-report", args=[YEAR, "landfill"]),
    ]


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", "--force", stdout=io.StringIO())


def failures(page, urls: list[str]) -> list[str]:
    found = []
    for url in urls:
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        found += [
            f"{url}: {v['id']} ({v['impact']}) {v['help']} at {v['targets']}"
            for v in axe_violations(page)
        ]
    return found


def test_every_roles_pages_pass_axe(demo, new_page):
    found: list[str] = []
    anonymous = new_page()
    found += failures(anonymous, [reverse("login")])
    for username in ("clerk_waste", "supervisor", "leader"):
        page = new_page()
        log_in(page, username, PASSWORD)
        found += failures(page, pages_of(username))
    assert not found, "\n".join(found)


def test_a_clerks_pages_pass_axe_on_a_phone(demo, new_page):
    page = new_page()
    page.set_viewport_size(PHONE)
    log_in(page, "clerk_waste", PASSWORD)
    found = failures(page, pages_of("clerk_waste")[:3])
    assert not found, "\n".join(found)
