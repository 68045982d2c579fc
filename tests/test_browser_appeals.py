"""Publication, objection and re-check in headless Chromium: the lead assessor
publishes; a clerk (on a phone) reads the score sheet and files an objection with
evidence; the safety scorer upholds it with a new score; the clerk sees the new total
and rank; the lead assessor finalizes; the notice downloads as PDF. Every page passes
axe, at desktop width and at 390 px."""

from __future__ import annotations

import datetime
from decimal import Decimal as D

import pytest

from assessment.models import (
    Evidence,
    Objection,
    Publication,
    Role,
    Score,
    ScoringBody,
    ScoringBodyMember,
)
from tests.browser_support import PHONE, assert_accessible, log_in
from tests.conftest import PASSWORD, make_user
from tests.evidence_samples import png_bytes

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture
def round_ready(transactional_db, year, catalogue, dept_a, dept_b):
    """考核办 (its lead) owns 1.1 and 1.2, 安全办 owns 1.3 安全生产.
    A 16 + 9 of 30 (83.33, rank 1); B 16 + 8 of 30 (80.00, rank 2)."""
    office = ScoringBody.objects.create(year=year, code="office", name="考核办")
    safety = ScoringBody.objects.create(year=year, code="safety", name="安全办")
    for key in ("target_a", "target_b"):
        catalogue[key].scoring_body = office
        catalogue[key].save()
    catalogue["common"].scoring_body = safety
    catalogue["common"].save()
    lead = make_user("lead", Role.SUPERVISOR)
    ScoringBodyMember.objects.create(body=office, user=lead, is_lead=True)
    scorer = make_user("safety_scorer", Role.SUPERVISOR)
    ScoringBodyMember.objects.create(body=safety, user=scorer)
    clerk = make_user("clerk_b", Role.CLERK, dept_b)
    for target, department, value in (
        (catalogue["target_a"], dept_a, "16"),
        (catalogue["common"], dept_a, "9"),
        (catalogue["target_b"], dept_b, "16"),
        (catalogue["common"], dept_b, "8"),
    ):
        Score.objects.create(
            target=target,
            department=department,
            assessed_score=D(value),
            reason="评分理由",
            scored_by=lead,
        )
    return {"lead": lead, "scorer": scorer, "clerk": clerk}


def check(page, size=DESKTOP) -> None:
    """axe at this size, and nothing wider than the screen."""
    page.set_viewport_size(size)
    assert_accessible(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= size["width"], f"{page.url} is {width}px wide"


def test_publish_object_uphold_finalize(
    new_page, year, round_ready, catalogue, dept_b, tmp_path
):
    people = round_ready
    common = catalogue["common"]

    # the lead assessor publishes with the default window (today + 5 working days)
    lead = new_page()
    lead.set_viewport_size(DESKTOP)
    log_in(lead, people["lead"].username, PASSWORD)
    lead.goto(f"/years/{year.year}/publication/")
    check(lead)
    check(lead, PHONE)
    lead.click("form[action$='/publish/'] button[type=submit]")
    lead.wait_for_load_state("networkidle")
    assert Publication.objects.filter(year=year).exists()
    assert (
        lead.locator("tr[data-department='dept-a']").get_attribute("data-rank") == "1"
    )
    check(lead)
    check(lead, PHONE)

    # a clerk, on a phone, reads the sheet and objects to 安全生产 with a file
    clerk = new_page()
    clerk.set_viewport_size(PHONE)
    log_in(clerk, people["clerk"].username, PASSWORD)
    clerk.goto(f"/years/{year.year}/publication/departments/dept-b/")
    assert clerk.locator("#summary [data-field=rank]").inner_text().strip() == "2"
    check(clerk, PHONE)
    check(clerk)
    clerk.set_viewport_size(PHONE)
    clerk.click(f"tr[data-item='score:{common.pk}'] a")
    clerk.wait_for_load_state("networkidle")
    check(clerk, PHONE)
    clerk.fill(
        "textarea[name=grounds]", "全年未发生安全事故，安全培训记录齐全，请求复核。"
    )
    clerk.set_input_files(
        "input[name=files]",
        files=[
            {"name": "安全培训记录.png", "mimeType": "image/png", "buffer": png_bytes()}
        ],
    )
    clerk.click("form button[type=submit].btn-primary")
    clerk.wait_for_load_state("networkidle")
    objection = Objection.objects.get(department=dept_b)
    assert objection.is_open and objection.previous_points == 8
    assert Evidence.objects.filter(objection=objection).count() == 1
    assert clerk.locator("a[href*='/evidence/']").count() == 1
    check(clerk, PHONE)

    # the safety scorer upholds it with a new score
    scorer = new_page()
    scorer.set_viewport_size(DESKTOP)
    log_in(scorer, people["scorer"].username, PASSWORD)
    scorer.goto(f"/years/{year.year}/publication/objections/")
    check(scorer)
    check(scorer, PHONE)
    scorer.set_viewport_size(DESKTOP)
    scorer.click(f"tr[data-objection='{objection.pk}'] a")
    scorer.wait_for_load_state("networkidle")
    check(scorer)
    scorer.check("input[name=decision][value=upheld]")
    scorer.fill("input[name=new_points]", "10")
    scorer.fill("textarea[name=answer]", "经复核，安全培训记录齐全，评定满分。")
    scorer.click("#answer button[type=submit]")
    scorer.wait_for_load_state("networkidle")
    objection.refresh_from_db()
    assert objection.status == "upheld" and objection.answered_by == people["scorer"]
    assert Score.objects.get(target=common, department=dept_b).assessed_score == 10
    check(scorer)
    check(scorer, PHONE)

    # the clerk sees the new total and rank: 16 + 10 of 30 = 86.67, first now
    clerk.goto(f"/years/{year.year}/publication/departments/dept-b/")
    assert (
        clerk.locator("#summary [data-field=per-100]").inner_text().strip() == "86.67"
    )
    assert clerk.locator("#summary [data-field=rank]").inner_text().strip() == "1"
    assert (
        clerk.locator(f"tr[data-item='score:{common.pk}'] [data-field=points]")
        .inner_text()
        .strip()
        == "10.00"
    )
    clerk.goto(f"/years/{year.year}/publication/")
    assert (
        clerk.locator("tr[data-department='dept-b']").get_attribute("data-rank") == "1"
    )

    # the window has passed (five working days later); the lead assessor finalizes
    today = datetime.date.today()
    Publication.objects.filter(year=year).update(
        starts_on=today - datetime.timedelta(days=8),
        ends_on=today - datetime.timedelta(days=2),
    )
    lead.goto(f"/years/{year.year}/publication/")
    lead.click("form[action$='/finalize/'] button[type=submit]")
    lead.wait_for_load_state("networkidle")
    assert Publication.objects.get(year=year).is_final
    check(lead)
    with lead.expect_download() as download_info:
        lead.click(f"a[href='/years/{year.year}/publication/notice.pdf']")
    download = download_info.value
    assert download.suggested_filename == f"publication-{year.year}.pdf"
    saved = tmp_path / "notice.pdf"
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
