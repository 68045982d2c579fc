"""The scoring workbench's defects: long reasons, the error state, the result card's
notes and a confirmation before a deduction, bonus item or veto is deleted."""

from __future__ import annotations

import re
from decimal import Decimal as D

import pytest
from django.test import Client
from django.urls import reverse

from assessment.models import Adjustment, AssessmentYear, Score, Veto
from assessment.models.catalogue import YearStatus
from assessment.views.scoring.workbench import reason_rows

LONG_REASON = (
    "道路保洁群众满意度测评全区第一；4月、9月两次暗访检查无扣分；"
    "冬季除雪期间主次干道2小时内全部清出，受到区政府通报表扬，评定满分。"
)


def url(name: str, *args) -> str:
    return reverse(f"assessment:{name}", args=args)


def row_html(html: str, code: str) -> str:
    """The workbench's table row of target `code`."""
    match = re.search(
        rf'<tr id="target-\d+"[^>]*data-target="{re.escape(code)}".*?</tr>', html, re.S
    )
    assert match, f"no row for {code}"
    return match.group(0)


# --- pure: how tall a reason's text area is -------------------------------------------


@pytest.mark.parametrize(
    ("text", "rows"),
    [
        ("", 2),
        ("短", 2),
        ("x" * 16, 2),
        ("x" * 40, 3),
        ("一\n二\n三", 3),
        ("x" * 2000, 10),
    ],
)
def test_a_reasons_rows_follow_its_length_within_bounds(text, rows):
    assert reason_rows(text) == rows


# --- reasons are multi-line and kept whole --------------------------------------------


def test_the_reason_is_a_text_area_holding_the_whole_reason(
    year, catalogue, dept_a, client_supervisor
):
    target = catalogue["target_a"]
    Score.objects.create(
        target=target, department=dept_a, assessed_score=D(18), reason=LONG_REASON
    )
    html = client_supervisor.get(url("workbench", year.year, "dept-a")).content.decode()
    row = row_html(html, "1.1")
    area = re.search(
        rf'<textarea[^>]*name="t{target.pk}-reason"[^>]*rows="(\d+)"[^>]*>\n?(.*?)</textarea>',
        row,
        re.S,
    )
    assert area, "the reason is not a text area"
    assert area.group(2) == LONG_REASON
    assert int(area.group(1)) >= 4
    assert (
        f'<input type="text" form="score-{target.pk}" name="t{target.pk}-reason"'
        not in row
    )


def test_a_reason_on_several_lines_is_saved_and_shown_on_several_lines(
    year, catalogue, dept_a, client_supervisor
):
    target = catalogue["target_a"]
    reason = "第一行：暗访无扣分\n第二行：通报表扬"
    response = client_supervisor.post(
        url("score-save", year.year, "dept-a", target.pk),
        {
            f"t{target.pk}-score": "18",
            f"t{target.pk}-reason": reason,
            f"t{target.pk}-version": "0",
        },
    )
    assert response.status_code == 302
    assert Score.objects.get(target=target).reason == reason
    html = client_supervisor.get(url("workbench", year.year, "dept-a")).content.decode()
    assert reason in row_html(html, "1.1")


def test_the_adjustment_and_veto_reasons_are_text_areas(
    year, catalogue, client_supervisor
):
    html = client_supervisor.get(url("workbench", year.year, "dept-a")).content.decode()
    assert re.search(r'<textarea[^>]*name="adj-reason"', html)
    assert re.search(r'<textarea[^>]*name="veto-reason"', html)


# --- the error state ------------------------------------------------------------------


def test_a_row_that_failed_to_save_reads_needs_correction_not_scored(
    year, catalogue, dept_a, client_supervisor
):
    target = catalogue["target_a"]
    Score.objects.create(
        target=target, department=dept_a, assessed_score=D(18), reason="r"
    )
    response = client_supervisor.post(
        url("score-save", year.year, "dept-a", target.pk),
        {
            f"t{target.pk}-score": "99",
            f"t{target.pk}-reason": "r",
            f"t{target.pk}-version": "1",
        },
    )
    assert response.status_code == 200
    row = row_html(response.content.decode(), "1.1")
    assert 'data-state="needs-correction"' in row
    state = re.search(r'data-field="state">([^<]*)<', row)
    assert state and state.group(1) in ("需更正：未保存", "needs correction: not saved")
    # the stored score still counts until a valid save, and the row says so
    assert 'data-field="stored"' in row and "18.00" in row
    assert Score.objects.get(target=target).assessed_score == D(18)
    # the other rows keep their own state
    assert 'data-state="not-scored"' in row_html(response.content.decode(), "1.3")


def test_after_a_valid_save_the_row_reads_scored(year, catalogue, client_supervisor):
    target = catalogue["target_a"]
    client_supervisor.post(
        url("score-save", year.year, "dept-a", target.pk),
        {
            f"t{target.pk}-score": "abc",
            f"t{target.pk}-reason": "",
            f"t{target.pk}-version": "0",
        },
    )
    client_supervisor.post(
        url("score-save", year.year, "dept-a", target.pk),
        {
            f"t{target.pk}-score": "18",
            f"t{target.pk}-reason": "r",
            f"t{target.pk}-version": "0",
        },
    )
    html = client_supervisor.get(url("workbench", year.year, "dept-a")).content.decode()
    assert 'data-state="scored"' in row_html(html, "1.1")


# --- the result card ------------------------------------------------------------------


def test_the_cap_note_is_a_line_of_its_own_that_may_wrap(
    year, catalogue, dept_a, client_supervisor
):
    Adjustment.objects.create(
        year=year, department=dept_a, kind="bonus", points=D(50), reason="r"
    )
    html = client_supervisor.get(url("workbench", year.year, "dept-a")).content.decode()
    note = re.search(r'<dd class="([^"]*)" data-field="capped">', html)
    assert note, "the cap note is not its own line"
    assert "col-12" in note.group(1) and "num" not in note.group(1).split()
    bonus = re.search(r'data-field="bonus">(.*?)</dd>', html, re.S)
    assert bonus and "capped" not in bonus.group(1)


# --- deleting asks first --------------------------------------------------------------


@pytest.fixture
def items(year, catalogue, dept_a):
    adjustment = Adjustment.objects.create(
        year=year,
        department=dept_a,
        kind="deduction",
        points=D("1.5"),
        target=catalogue["target_a"],
        reason="群众投诉 3 起，均已整改",
    )
    veto = Veto.objects.create(year=year, department=dept_a, reason="发生亡人安全事故")
    return adjustment, veto


def test_the_workbench_links_to_a_confirmation_instead_of_deleting(
    year, items, client_supervisor
):
    adjustment, veto = items
    html = client_supervisor.get(url("workbench", year.year, "dept-a")).content.decode()
    delete_adj = url("adjustment-delete", year.year, "dept-a", adjustment.pk)
    delete_veto = url("veto-delete", year.year, "dept-a", veto.pk)
    assert f'action="{delete_adj}"' not in html and f'href="{delete_adj}"' in html
    assert f'action="{delete_veto}"' not in html and f'href="{delete_veto}"' in html


def test_the_confirmation_lists_the_deduction_and_deletes_nothing(
    year, items, client_supervisor
):
    adjustment, _veto = items
    delete = url("adjustment-delete", year.year, "dept-a", adjustment.pk)
    response = client_supervisor.get(delete)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="confirm-removal-form"' in html and 'method="post"' in html
    assert "群众投诉 3 起，均已整改" in html
    assert "1.50" in html and "1.1 道路清扫保洁" in html
    assert 'data-kind="deduction"' in html
    assert Adjustment.objects.filter(pk=adjustment.pk).exists()
    # confirming deletes it
    response = client_supervisor.post(delete)
    assert response.status_code == 302
    assert not Adjustment.objects.filter(pk=adjustment.pk).exists()


def test_the_confirmation_shows_the_veto_and_deletes_nothing(
    year, items, client_supervisor
):
    _adjustment, veto = items
    delete = url("veto-delete", year.year, "dept-a", veto.pk)
    response = client_supervisor.get(delete)
    assert response.status_code == 200
    assert "发生亡人安全事故" in response.content.decode()
    assert Veto.objects.filter(pk=veto.pk).exists()
    client_supervisor.post(delete)
    assert not Veto.objects.exists()


@pytest.mark.parametrize("who", ["client_a", "client_b", "client_leader"])
def test_only_supervisors_see_the_confirmation(who, request, year, items):
    client = request.getfixturevalue(who)
    adjustment, veto = items
    for page in (
        url("adjustment-delete", year.year, "dept-a", adjustment.pk),
        url("veto-delete", year.year, "dept-a", veto.pk),
    ):
        response = client.get(page)
        assert response.status_code == 403, page
        assert "群众投诉" not in response.content.decode()


def test_anonymous_is_sent_to_login_from_the_confirmation(year, items):
    adjustment, _veto = items
    response = Client().get(
        url("adjustment-delete", year.year, "dept-a", adjustment.pk)
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_another_departments_item_is_404_through_this_one(
    year, items, client_supervisor
):
    adjustment, veto = items
    assert (
        client_supervisor.get(
            url("adjustment-delete", year.year, "dept-b", adjustment.pk)
        ).status_code
        == 404
    )
    assert (
        client_supervisor.get(
            url("veto-delete", year.year, "dept-b", veto.pk)
        ).status_code
        == 404
    )


def test_a_closed_year_offers_no_confirmation(year, items, client_supervisor):
    adjustment, _veto = items
    AssessmentYear.objects.filter(pk=year.pk).update(status=YearStatus.CLOSED)
    response = client_supervisor.get(
        url("adjustment-delete", year.year, "dept-a", adjustment.pk)
    )
    assert response.status_code == 302
    assert response["Location"].startswith(url("workbench", year.year, "dept-a"))
    assert Adjustment.objects.filter(pk=adjustment.pk).exists()
