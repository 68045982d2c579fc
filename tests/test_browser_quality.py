"""Validation rules in headless Chromium: 填埋场's clerk types a December landfill
above what was collected, reads the rule's message with both sides as she types, is
asked for a note, adds one and saves; the supervisor sees the flag on the
review queue, the completeness matrix and the month's review page, and resolves it."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from assessment.figures.workflow import ReturnStatus
from assessment.models import Figure, FollowUp, Indicator, MonthlyReturn
from sanitation.bureau.demo.people import PASSWORD
from tests.browser_support import PHONE, assert_accessible, log_in

pytestmark = [pytest.mark.browser]

DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", "--force", stdout=io.StringIO())
    december = MonthlyReturn.objects.get(
        year__year=2021, department__code="landfill", month=12
    )
    december.status = ReturnStatus.DRAFT
    december.reopened_at = timezone.now()
    december.reopen_reason = "核对12月过磅记录"
    december.save()
    return december


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_landfill_above_what_was_collected_is_noted_flagged_and_resolved(
    demo, new_page, viewport
):
    landfill = Indicator.objects.get(year__year=2021, code="landfill_amount")
    entry = reverse("assessment:entry", args=[2021, "landfill", 12])
    value = f"#id_f-{landfill.pk}-value"
    note = f"#id_f-{landfill.pk}-note"
    findings = f"#findings-{landfill.pk}"

    clerk = new_page()
    clerk.set_viewport_size(viewport)
    log_in(clerk, "clerk_landfill", PASSWORD)
    clerk.goto(entry)
    clerk.fill(value, "")
    clerk.type(value, "7200")
    # As she types: the rule's message and both sides, without a save.
    message = clerk.locator(f"{findings} .rule-message")
    message.wait_for()
    assert (
        "本月填埋量超过了垃圾清运队和粪便清运队本月清运量之和" in message.inner_text()
    )
    sides = clerk.inner_text(f"{findings} .rule-sides")
    assert "7,200" in sides and "6,999.8" in sides
    others = clerk.inner_text(f"{findings} .rule-others")
    assert "垃圾清运队" in others and "李志刚" in others
    assert clerk.locator(f"{findings} .rule-unmet").count() == 1
    assert Figure.objects.get(indicator=landfill, monthly_return=demo).value == (
        Decimal(5047)
    )
    assert clerk.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert_accessible(clerk)

    # Saved without a note: the server asks for one.
    with clerk.expect_navigation():
        clerk.click("#save-button")
    assert clerk.locator(".alert-danger").count() == 1
    assert clerk.locator(f"{findings} .rule-unmet").count() == 1
    assert Figure.objects.get(indicator=landfill, monthly_return=demo).value == (
        Decimal(5047)
    )

    # With a note it saves, and the live message no longer asks for one.
    clerk.fill(note, "外区垃圾临时进场，见12月过磅单")
    clerk.locator(f"{findings} .rule-unmet").wait_for(state="detached")
    with clerk.expect_navigation():
        clerk.click("#save-button")
    saved = Figure.objects.get(indicator=landfill, monthly_return=demo)
    assert saved.value == Decimal(7200)
    flags = FollowUp.objects.open().filter(figure=saved)
    assert set(flags.values_list("reason", flat=True)) == {"rule", "range"}
    assert clerk.locator(".follow-up-flag").count() == 1
    assert_accessible(clerk)
    # The clerk submits the month for review.
    with clerk.expect_navigation():
        clerk.click("#submit-button")
    with clerk.expect_navigation():
        clerk.click("#confirm-submit-button")

    # The supervisor sees the flags in the review queue, on the matrix and on the
    # month's review page.
    boss = new_page()
    boss.set_viewport_size(viewport)
    log_in(boss, "supervisor", PASSWORD)
    boss.goto(reverse("assessment:queue") + "?year=2021")
    queued = boss.locator(f'tr[data-return="{demo.pk}"] .follow-up-count')
    assert "2" in queued.inner_text()
    assert_accessible(boss)
    boss.goto(reverse("assessment:matrix", args=[2021]))
    cell = boss.locator(f'td:has(a[href="{entry}"]) .follow-up-count')
    assert "2" in cell.inner_text()
    with boss.expect_navigation():
        boss.click(f'a[href="{entry}"]')
    panel = boss.locator("#follow-up-panel")
    assert "外区垃圾临时进场" not in panel.inner_text()  # the note is in the field
    assert panel.locator(".follow-up").count() == 2
    assert_accessible(boss)
    for flag in flags.order_by("pk"):
        boss.fill(f"#resolve-{flag.pk}", "已核对过磅单，外区垃圾经批准进场")
        with boss.expect_navigation():
            boss.click(f'[data-follow-up="{flag.pk}"] button[type=submit]')
    assert not FollowUp.objects.open().filter(figure=saved).exists()
    assert boss.locator("#follow-up-panel .follow-up").count() == 0
    boss.goto(reverse("assessment:matrix", args=[2021]))
    assert boss.locator(f'td:has(a[href="{entry}"]) .follow-up-count').count() == 0
    boss.goto(reverse("assessment:figure-history", args=[saved.pk]))
    assert "已核对过磅单，外区垃圾经批准进场" in boss.inner_text("#follow-up-panel")
    assert boss.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert_accessible(boss)
