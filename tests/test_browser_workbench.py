"""The scoring workbench in headless Chromium at desktop width and on a phone: no
sideways scrolling with a capped bonus and long reasons, a long reason on several
lines kept whole, and a deletion that asks first."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from assessment.models import Adjustment, Score
from tests.browser_support import PHONE, assert_accessible, log_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 900}
LONG_REASON = (
    "道路保洁群众满意度测评全区第一；4月、9月两次暗访检查无扣分；冬季除雪期间主次干道"
    "2小时内全部清出，受到区政府通报表扬。\n另：背街小巷保洁质量抽查合格率100%，评定满分。"
)


def no_sideways_scroll(page) -> None:
    width, inner = page.evaluate(
        "[document.scrollingElement.scrollWidth, window.innerWidth]"
    )
    assert width <= inner, f"{page.url} is {width}px wide in a {inner}px window"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_supervisor_scores_with_a_long_reason_and_deletes_with_confirmation(
    transactional_db, new_page, year, catalogue, dept_a, supervisor, viewport
):
    kept = Adjustment.objects.create(
        year=year,
        department=dept_a,
        kind="bonus",
        points=D(50),
        reason="全年承担重大活动环境保障任务十余次，" * 6,
    )
    page = new_page()
    page.set_viewport_size(viewport)
    log_in(page, supervisor.username, PASSWORD)
    workbench = f"/years/{year.year}/scoring/dept-a/"
    page.goto(workbench)
    # the capped bonus's note stays inside the result card
    assert page.locator("[data-field=capped]").is_visible()
    no_sideways_scroll(page)

    target = catalogue["target_a"]
    row = page.locator("tr[data-target='1.1']")
    row.locator("input.score-input").fill("18")
    reason = row.locator("textarea[name$='-reason']")
    reason.fill(LONG_REASON)
    with page.expect_navigation():
        row.get_by_role("button").click()
    assert Score.objects.get(target=target).reason == LONG_REASON
    page.goto(workbench)
    row = page.locator("tr[data-target='1.1']")
    assert row.get_attribute("data-state") == "scored"
    area = row.locator("textarea[name$='-reason']")
    assert area.input_value() == LONG_REASON
    # the text area is tall enough to show the reason whole
    assert area.evaluate("a => a.scrollHeight <= a.clientHeight + 2")
    no_sideways_scroll(page)
    assert_accessible(page)

    # an invalid score: the row says it needs correction, not "scored"
    row.locator("input.score-input").fill("99")
    with page.expect_navigation():
        row.get_by_role("button").click()
    row = page.locator("tr[data-target='1.1']")
    assert row.get_attribute("data-state") == "needs-correction"
    assert row.locator("[data-field=state]").inner_text().strip() != "已评分"
    # the targets' table fits its card: the Save buttons are in view, not scrolled off
    assert page.locator(".workbench-table").evaluate(
        "t => t.parentElement.scrollWidth <= t.parentElement.clientWidth + 1"
    )

    # deleting asks first, lists the item, and Cancel keeps it
    page.goto(workbench)
    with page.expect_navigation():
        page.locator(".adjustment-delete").first.click()
    item = page.locator("#confirm-removal")
    assert "全年承担重大活动环境保障任务" in item.inner_text()
    assert "+50.00" in item.inner_text()
    no_sideways_scroll(page)
    assert_accessible(page)
    with page.expect_navigation():
        page.locator("#confirm-removal a.btn").click()
    assert Adjustment.objects.filter(pk=kept.pk).exists()
    with page.expect_navigation():
        page.locator(".adjustment-delete").first.click()
    with page.expect_navigation():
        page.click("#confirm-removal-button")
    assert not Adjustment.objects.filter(pk=kept.pk).exists()
    assert page.locator(".adjustment-item").count() == 0


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_in_english_the_top_bar_and_the_pages_keep_to_the_window(
    transactional_db, new_page, live_server, year, catalogue, viewport
):
    from assessment.models import User

    admin = User.objects.create_superuser("root", "root@example.org", PASSWORD)
    page = new_page()
    page.context.add_cookies(
        [{"name": "django_language", "value": "en", "url": live_server.url}]
    )
    page.set_viewport_size(viewport)
    log_in(page, admin.username, PASSWORD)
    for path in (f"/years/{year.year}/scoring/dept-a/", f"/years/{year.year}/scoring/"):
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == "en"
        no_sideways_scroll(page)
        # the language chooser shows its choice, not an empty squeezed box
        select = page.locator("select[name=language]")
        if viewport is DESKTOP:
            assert select.evaluate("s => s.clientWidth >= s.scrollWidth - 1")
            assert page.locator("nav a[href='/admin/']").count() == 1
