"""A clerk records a donation in the browser, finds it in the month's list, edits it."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from sanitation.bureau.models import Donation
from tests.browser_support import log_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clerk_adds_sees_and_edits_a_donation(new_page, year, clerk_a, dept_a, dept_b):
    day = datetime.date(year.year, 6, 18)
    page = new_page()
    log_in(page, clerk_a.username, PASSWORD)

    page.goto("/records/")
    page.click(
        f"a[href='/records/donations/?department={dept_a.code}&year={year.year}']"
    )
    page.wait_for_load_state("networkidle")
    assert page.locator(".records-empty").is_visible()
    page.click("a.btn-primary[href*='/records/donations/add/']")

    # Only the clerk's own department is offered.
    options = page.locator("select[name=department] option").all_inner_texts()
    assert options == [dept_a.name]
    page.fill("input[name=date]", day.isoformat())
    page.fill("input[name=title]", "扶贫助困捐款")
    page.fill("input[name=amount]", "75,40")
    page.click("form.record-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    # A comma is refused next to the field; fix it and save.
    assert page.locator("#id_amount.is-invalid").count() == 1
    assert not Donation.objects.exists()
    page.fill("input[name=amount]", "7540")
    page.fill("input[name=items]", "衣物 8 件")
    page.click("form.record-form button[type=submit]")
    page.wait_for_load_state("networkidle")

    assert page.url.endswith(
        f"/records/donations/?department={dept_a.code}&year={year.year}&month=6"
    )
    table = page.locator("table.records-table")
    assert "扶贫助困捐款" in table.inner_text()
    assert "7540.00" in page.locator("tr.records-total").inner_text()

    page.click("table.records-table a.record-edit-link")
    page.wait_for_load_state("networkidle")
    page.fill("input[name=amount]", "7540.5")
    page.click("form.record-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "7540.50" in page.locator("tr.records-total").inner_text()

    donation = Donation.objects.get()
    assert donation.amount == Decimal("7540.50")
    assert donation.version == 2
    assert donation.department == dept_a
    assert [h.history_user for h in donation.history.all()] == [clerk_a, clerk_a]
