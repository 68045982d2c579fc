"""Scoring bodies on the workbench and the scoring index; panels through the views.

Cast beyond conftest's: a safety scorer (安全办), an office scorer (考核办), the lead
assessor (考核办 lead), and three Party committee members scoring one target as a panel.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.test import Client
from django.urls import reverse

from assessment.models import (
    PanelScore,
    Role,
    Score,
    ScoringBody,
    ScoringBodyMember,
    Target,
)
from tests.conftest import login, make_user


def url(name: str, *args) -> str:
    return reverse(f"assessment:{name}", args=args)


def score_url(year, target, code="dept-a") -> str:
    return url("score-save", year.year, code, target.pk)


def score_data(target, score, reason="", version=0) -> dict[str, str]:
    prefix = f"t{target.pk}"
    return {
        f"{prefix}-score": score,
        f"{prefix}-reason": reason,
        f"{prefix}-version": str(version),
    }


@pytest.fixture
def bodies(year, catalogue, dept_a, dept_b):
    """考核办 owns 1.1, 1.2 and 信息报送; 安全办 owns 安全生产; 党支部 owns 党建 (a panel)."""
    office = ScoringBody.objects.create(
        year=year, code="office", name="考核办", order=1
    )
    safety = ScoringBody.objects.create(
        year=year, code="safety", name="安全办", order=2
    )
    party = ScoringBody.objects.create(year=year, code="party", name="党支部", order=3)
    category = catalogue["category"]
    info = Target.objects.create(
        category=category,
        code="1.4",
        name="信息报送",
        points=D(5),
        rule="judgement",
        order=4,
        scoring_body=office,
    )
    info.departments.add(dept_a)
    party_building = Target.objects.create(
        category=category,
        code="1.5",
        name="党建工作",
        points=D(10),
        rule="judgement",
        order=5,
        scoring_body=party,
        panel=True,
        panel_drop_extremes=True,
    )
    party_building.departments.add(dept_a)
    for key in ("target_a", "target_b"):
        catalogue[key].scoring_body = office
        catalogue[key].save()
    catalogue["common"].scoring_body = safety
    catalogue["common"].rule = "judgement"
    catalogue["common"].save()

    def member(username: str, body: ScoringBody, lead: bool = False):
        user = make_user(username, Role.SUPERVISOR)
        ScoringBodyMember.objects.create(body=body, user=user, is_lead=lead)
        return user

    return {
        "office": office,
        "safety": safety,
        "party": party,
        "info": info,
        "party_building": party_building,
        "safety_scorer": member("safety_scorer", safety),
        "office_scorer": member("office_scorer", office),
        "lead": member("lead", office, lead=True),
        "panel": [member(f"party_{n}", party) for n in (1, 2, 3)],
    }


def test_a_safety_scorer_cannot_score_information_reporting(year, bodies):
    info = bodies["info"]
    client = login(bodies["safety_scorer"])
    response = client.post(score_url(year, info), score_data(info, "5"))
    assert response.status_code == 403
    assert not Score.objects.filter(target=info).exists()


def test_a_safety_scorer_scores_safety_production(year, bodies, catalogue):
    common = catalogue["common"]
    client = login(bodies["safety_scorer"])
    response = client.post(score_url(year, common), score_data(common, "9", "检查到位"))
    assert response.status_code == 302
    score = Score.objects.get(target=common, department__code="dept-a")
    assert score.assessed_score == D(9) and score.scored_by == bodies["safety_scorer"]


def test_the_lead_assessor_scores_any_target(year, bodies, catalogue):
    client = login(bodies["lead"])
    for target in (bodies["info"], catalogue["common"], catalogue["target_a"]):
        response = client.post(score_url(year, target), score_data(target, "5", "评定"))
        assert response.status_code == 302
        assert Score.objects.get(target=target).assessed_score == D(5)


def test_an_office_scorer_cannot_score_safety_even_for_another_department(
    year, bodies, catalogue
):
    common = catalogue["common"]
    client = login(bodies["office_scorer"])
    for code in ("dept-a", "dept-b"):
        response = client.post(
            score_url(year, common, code), score_data(common, "9", "r")
        )
        assert response.status_code == 403
    assert not Score.objects.filter(target=common).exists()
    target_b = catalogue["target_b"]
    response = client.post(
        score_url(year, target_b, "dept-b"), score_data(target_b, "20")
    )
    assert response.status_code == 302


def test_a_supervisor_in_no_body_scores_only_targets_no_body_owns(
    year, bodies, catalogue, supervisor
):
    client = login(supervisor)
    info = bodies["info"]
    assert client.post(score_url(year, info), score_data(info, "5")).status_code == 403
    info.scoring_body = None
    info.save()
    assert client.post(score_url(year, info), score_data(info, "5")).status_code == 302


def test_clerks_leaders_and_anonymous_cannot_score(
    year, bodies, catalogue, client_a, client_leader
):
    common = catalogue["common"]
    data = score_data(common, "9", "r")
    assert client_a.post(score_url(year, common), data).status_code == 403
    assert client_leader.post(score_url(year, common), data).status_code == 403
    response = Client().post(score_url(year, common), data)
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not Score.objects.exists()


def _row(page: str, code: str) -> str:
    start = page.index(f'data-target="{code}"')
    return page[start : page.index("</tr>", start)]


def test_the_workbench_shows_other_bodies_targets_read_only(year, bodies):
    page = (
        login(bodies["safety_scorer"])
        .get(url("workbench", year.year, "dept-a"))
        .content.decode()
    )
    safety_row = _row(page, "1.3")
    info_row = _row(page, "1.4")
    assert "score-input" in safety_row and "<form" in safety_row
    assert "score-input" not in info_row and "<form" not in info_row
    assert 'data-field="read-only"' in info_row
    assert "考核办" in info_row  # who scores it instead


def test_the_lead_assessor_gets_a_form_on_every_row(year, bodies):
    page = (
        login(bodies["lead"])
        .get(url("workbench", year.year, "dept-a"))
        .content.decode()
    )
    for code in ("1.1", "1.3", "1.4", "1.5"):
        assert "score-input" in _row(page, code)


def test_after_saving_the_cursor_goes_to_the_next_target_the_scorer_may_score(
    year, bodies, catalogue
):
    client = login(bodies["office_scorer"])
    target_a = catalogue["target_a"]
    response = client.post(
        score_url(year, target_a), score_data(target_a, "20", "满分")
    )
    # 1.3 (safety) is skipped: the next is 信息报送.
    assert response["Location"].endswith(f"?focus={bodies['info'].pk}")


# --- the scoring index: which bodies have finished -------------------------------------


def _badge(page: str, department: str, body: str) -> str:
    row_start = page.index(f'data-department="{department}"')
    row = page[row_start : page.index("</tr>", row_start)]
    start = row.index(f'data-body="{body}"')
    return row[row.rindex("<span", 0, start) : row.index("</span>", start)]


def test_the_index_shows_per_department_which_bodies_have_finished(
    year, bodies, catalogue, dept_a, dept_b
):
    Score.objects.create(
        target=catalogue["common"], department=dept_a, assessed_score=D(10)
    )
    Score.objects.create(
        target=catalogue["target_a"], department=dept_a, assessed_score=D(20)
    )
    Score.objects.create(
        target=catalogue["target_b"], department=dept_b, assessed_score=D(20)
    )
    page = (
        login(bodies["safety_scorer"])
        .get(url("scoring-index", year.year))
        .content.decode()
    )
    assert 'data-body-finished="yes"' in _badge(page, "dept-a", "safety")
    office_a = _badge(page, "dept-a", "office")
    assert 'data-body-finished="no"' in office_a and "1/2" in office_a  # 信息报送
    assert 'data-body-finished="no"' in _badge(page, "dept-a", "party")
    assert 'data-body-finished="yes"' in _badge(page, "dept-b", "office")
    assert 'data-body-finished="no"' in _badge(page, "dept-b", "safety")
    assert 'data-body="party"' not in page[page.index('data-department="dept-b"') :]


def test_the_index_is_for_supervisors(year, bodies, client_a, client_leader):
    assert client_a.get(url("scoring-index", year.year)).status_code == 403
    assert client_leader.get(url("scoring-index", year.year)).status_code == 403
    response = Client().get(url("scoring-index", year.year))
    assert response.status_code == 302 and "/login/" in response["Location"]


# --- panels ----------------------------------------------------------------------------


def test_a_panel_dropping_extremes_needs_three_scores(year, bodies, dept_a):
    target = bodies["party_building"]
    first, second, third = bodies["panel"]
    for user, value in ((first, "9"), (second, "6")):
        response = login(user).post(
            score_url(year, target), score_data(target, value, "测评")
        )
        assert response.status_code == 302
    assert PanelScore.objects.filter(target=target).count() == 2
    assert not Score.objects.filter(target=target).exists()  # not yet three
    login(third).post(score_url(year, target), score_data(target, "8", "测评"))
    score = Score.objects.get(target=target, department=dept_a)
    assert score.assessed_score == D("8.00")  # 9 and 6 dropped
    # A member changes their mind: the panel's score follows.
    login(first).post(score_url(year, target), score_data(target, "7", "测评", 1))
    score.refresh_from_db()
    assert score.assessed_score == D("7.00")  # 6, 7, 8: only 7 is left
    assert score.version == 2


def test_a_panel_without_dropping_takes_the_plain_mean(year, bodies, dept_a):
    target = bodies["party_building"]
    target.panel_drop_extremes = False
    target.save()
    first, second, _third = bodies["panel"]
    login(first).post(score_url(year, target), score_data(target, "9", "测评"))
    assert Score.objects.get(target=target).assessed_score == D("9.00")
    login(second).post(score_url(year, target), score_data(target, "8", "测评"))
    assert Score.objects.get(target=target).assessed_score == D("8.50")
    assert PanelScore.objects.get(scorer=first).score == D(9)  # each kept apart


def test_a_panel_member_outside_the_body_is_refused(year, bodies):
    target = bodies["party_building"]
    response = login(bodies["safety_scorer"]).post(
        score_url(year, target), score_data(target, "9", "测评")
    )
    assert response.status_code == 403
    assert not PanelScore.objects.exists()


def test_individual_panel_scores_are_for_the_lead_assessor_only(year, bodies):
    target = bodies["party_building"]
    first, second, third = bodies["panel"]
    for user, value in ((first, "9.25"), (second, "6.75"), (third, "8.5")):
        login(user).post(score_url(year, target), score_data(target, value, "测评"))
    lead_row = _row(
        login(bodies["lead"])
        .get(url("workbench", year.year, "dept-a"))
        .content.decode(),
        "1.5",
    )
    assert "9.25" in lead_row and "6.75" in lead_row and "8.50" in lead_row
    assert 'data-field="panel-scores"' in lead_row
    member_row = _row(
        login(first).get(url("workbench", year.year, "dept-a")).content.decode(), "1.5"
    )
    assert 'data-field="panel-scores"' not in member_row
    assert "6.75" not in member_row
    assert 'data-own="9.25"' in member_row  # their own
    assert 'data-count="3"' in member_row  # how many scored
    assert 'data-panel-result="8.50"' in member_row  # the panel's score is no secret
    for other in (bodies["safety_scorer"], bodies["office_scorer"]):
        row = _row(
            login(other).get(url("workbench", year.year, "dept-a")).content.decode(),
            "1.5",
        )
        assert "9.25" not in row and "6.75" not in row
