"""The validation run in headless Chromium: a supervisor opens it, filters to one
department and follows a violation to its value, at desktop width and on a phone."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment.models import Figure, MonthlyReturn, RuleTerm, ValidationRule
from tests.browser_support import PHONE, assert_accessible, log_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser]

YEAR = timezone.localdate().year
TODAY = datetime.date(YEAR, 6, 20)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


@pytest.fixture
def violations(catalogue, year, dept_a, dept_b, clerk_a):
    rule = ValidationRule.objects.create(
        name="垃圾池清掏不超过清运量",
        message="清掏数大于垃圾清运量，请核对",
        importance="block",
        operator="le",
    )
    RuleTerm.objects.create(
        rule=rule, side="left", indicator_code="pits", department=dept_a
    )
    RuleTerm.objects.create(
        rule=rule, side="right", indicator_code="waste", department=dept_b
    )
    for department, indicator, month, value in [
        (dept_a, catalogue["pits"], 3, "6000"),
        (dept_b, catalogue["waste"], 3, "5123.7"),
        (dept_a, catalogue["area"], 4, "250"),
        (dept_b, catalogue["waste"], 5, "12000"),
    ]:
        monthly_return, _ = MonthlyReturn.objects.get_or_create(
            year=year,
            department=department,
            month=month,
            defaults={"status": "submitted"},
        )
        Figure.objects.create(
            monthly_return=monthly_return,
            indicator=indicator,
            value=Decimal(value),
            updated_by=clerk_a,
        )
    return catalogue


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_a_supervisor_follows_a_violation_to_its_value(
    transactional_db, new_page, supervisor, violations, viewport
):
    page = new_page()
    page.set_viewport_size(viewport or {"width": 1366, "height": 900})
    log_in(page, supervisor.username, PASSWORD)
    page.goto(reverse("assessment:matrix", args=[YEAR]))
    with page.expect_navigation():
        page.click("#validation-run-link")
    assert page.locator(".run-line").count() == 3
    assert (
        page.locator('#run-counts [data-importance="block"] .fw-semibold').inner_text()
        == "1"
    )
    assert_accessible(page)

    page.select_option("#id_department", ["dept-a"])
    with page.expect_navigation():
        page.click("#run-button")
    assert "department=dept-a" in page.url
    lines = page.locator(".run-line")
    assert lines.count() == 2
    assert set(lines.evaluate_all("rows => rows.map(r => r.dataset.department)")) == {
        "dept-a"
    }
    first = lines.first
    assert "垃圾池清掏不超过清运量" in first.inner_text()
    assert "6,000" in first.inner_text() and "5,123.7" in first.inner_text()
    assert_accessible(page)
    if viewport:
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    with page.expect_navigation():
        first.locator("a.run-open").click()
    field = f"id_f-{violations['pits'].pk}-value"
    assert page.url.endswith(
        reverse("assessment:entry", args=[YEAR, "dept-a", 3]) + f"#{field}"
    )
    assert page.locator(f"#{field}").input_value() == "6000"
    assert page.locator(f"#{field}").is_visible()
    in_view = page.locator(f"#{field}").evaluate(
        "el => { const r = el.getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= window.innerHeight; }"
    )
    assert in_view
    # The review panel counts the month's violations and links back to the run.
    count = page.locator("#validation-count a")
    assert "1" in count.inner_text()
    with page.expect_navigation():
        count.click()
    assert page.locator(".run-line").count() == 1
