"""A supervisor scores in headless Chromium: reason demanded, deduction, ranking, close."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from assessment.models import Adjustment, AssessmentYear, Figure, MonthlyReturn, Score
from tests.browser_support import log_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def figures(transactional_db, year, catalogue, dept_a, dept_b):
    """A's suggestion for 1.1 is 16.00 (area met, pits at 60 %); B's 1.2 is 20.00."""
    for month in range(1, 13):
        a_return = MonthlyReturn.objects.create(
            year=year, department=dept_a, month=month
        )
        Figure.objects.create(
            monthly_return=a_return, indicator=catalogue["area"], value=D(150)
        )
        Figure.objects.create(
            monthly_return=a_return, indicator=catalogue["pits"], value=D(25000)
        )
        b_return = MonthlyReturn.objects.create(
            year=year, department=dept_b, month=month
        )
        Figure.objects.create(
            monthly_return=b_return, indicator=catalogue["waste"], value=D(5000)
        )
    Score.objects.create(
        target=catalogue["common"], department=dept_a, assessed_score=D(10)
    )
    Score.objects.create(
        target=catalogue["common"], department=dept_b, assessed_score=D(8)
    )
    return catalogue


def row_for(page, code: str):
    return page.locator(f"tr[data-target='{code}']")


def test_supervisor_scores_adjusts_ranks_and_closes(
    new_page, year, figures, dept_a, supervisor
):
    page = new_page()
    log_in(page, supervisor.username, PASSWORD)

    # A: 16 + 10 = 26 of 30 → 86.67; B: 20 + 8 = 28 of 30 → 93.33
    page.goto(f"/years/{year.year}/ranking/")
    assert (
        page.locator("tr[data-department='dept-b']").get_attribute("data-rank") == "1"
    )
    assert (
        page.locator("tr[data-department='dept-a']").get_attribute("data-rank") == "2"
    )

    page.goto(f"/years/{year.year}/scoring/dept-a/")
    row = row_for(page, "1.1")
    assert row.locator("[data-field=suggested]").inner_text().strip() == "16.00"
    score = row.locator("input.score-input")
    score.fill("20")
    score.press("Enter")  # away from the suggestion without a reason
    page.wait_for_load_state("networkidle")
    row = row_for(page, "1.1")
    assert row.locator(".invalid-feedback").count() == 1
    assert not Score.objects.filter(target=figures["target_a"]).exists()
    # the cursor waits in the reason field
    assert (
        page.evaluate("document.activeElement.name")
        == f"t{figures['target_a'].pk}-reason"
    )

    reason = row.locator("[name$='-reason']")
    reason.fill("道路保洁群众满意度测评第一，评定满分")
    reason.press("Enter")
    page.wait_for_load_state("networkidle")
    assert Score.objects.get(target=figures["target_a"]).assessed_score == D(20)
    assert page.locator("[data-field=per-100]").inner_text().strip() == "100.00"
    # Enter moved the focus on to the next target's score
    assert (
        page.evaluate("document.activeElement.name") == f"t{figures['common'].pk}-score"
    )

    page.select_option("select[name=adj-kind]", "deduction")
    page.fill("input[name=adj-points]", "3")
    page.fill("[name=adj-reason]", "环卫作业车辆未按规定清洗，被通报一次")
    page.click("#adjustment-add-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert Adjustment.objects.get(department=dept_a).points == D(3)
    # 30 of 30 is 100 per 100, minus 3 on that scale: 97.00, still excellent
    assert page.locator("[data-field=scores]").inner_text().startswith("30.00")
    assert page.locator("[data-field=per-100]").inner_text().strip() == "97.00"
    assert (
        page.locator("[data-field=grade] [data-grade]").get_attribute("data-grade")
        == "excellent"
    )

    page.goto(f"/years/{year.year}/ranking/")
    # A 97.00 vs B 93.33: first now, and excellent
    assert (
        page.locator("tr[data-department='dept-a']").get_attribute("data-rank") == "1"
    )
    assert (
        page.locator("tr[data-department='dept-a'] [data-grade]").get_attribute(
            "data-grade"
        )
        == "excellent"
    )

    # close the year
    page.goto(f"/years/{year.year}/close/")
    # the months of the year are not all approved: listed, and a reason is asked for
    assert page.locator("[data-list=months] li").count() > 0
    page.fill("textarea[name=reason]", "年度考核结束，未报月份已另行说明")
    page.check("input[name=confirm]")
    page.click("form button[type=submit].btn-danger")
    page.wait_for_load_state("networkidle")
    assert AssessmentYear.objects.get(pk=year.pk).is_closed

    page.goto(f"/years/{year.year}/scoring/dept-a/")
    assert page.locator("input.score-input").count() == 0
    assert page.locator("input[name=adj-points]").count() == 0
    assert page.locator("[name=veto-reason]").count() == 0

    # and a hand-made POST is refused on the server
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    target = figures["target_a"]
    response = page.request.post(
        f"/years/{year.year}/scoring/dept-a/targets/{target.pk}/score/",
        form={
            f"t{target.pk}-score": "1",
            f"t{target.pk}-reason": "after closing",
            f"t{target.pk}-version": "1",
        },
        headers={"X-CSRFToken": token},
    )
    assert response.ok
    assert Score.objects.get(target=target).assessed_score == D(20)
