"""Scoring pages by role: workbench, scores, adjustments, vetoes, results, ranking, close."""

from __future__ import annotations

import uuid
from decimal import Decimal as D

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment.models import (
    Adjustment,
    AssessmentYear,
    Department,
    Figure,
    MonthlyReturn,
    Score,
    Veto,
)
from assessment.models.catalogue import YearStatus


@pytest.fixture
def scored(year, catalogue, dept_a):
    """A's area and pits figures: suggestion for target 1.1 is 16.00."""
    for month in range(1, 13):
        monthly_return = MonthlyReturn.objects.create(
            year=year, department=dept_a, month=month
        )
        Figure.objects.create(
            monthly_return=monthly_return, indicator=catalogue["area"], value=D(150)
        )
        Figure.objects.create(
            monthly_return=monthly_return, indicator=catalogue["pits"], value=D(25000)
        )
    return catalogue


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


def snapshot() -> tuple:
    """Everything scoring can change, to prove that nothing changed."""
    return (
        list(Score.objects.values_list("pk", "assessed_score", "reason", "version")),
        list(Adjustment.objects.values_list("pk", "kind", "points", "reason")),
        list(Veto.objects.values_list("pk", "reason")),
        list(AssessmentYear.objects.values_list("pk", "status")),
        Score.history.count(),
        Adjustment.history.count(),
        Veto.history.count(),
    )


def error_messages(response) -> list[str]:
    return [
        str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"
    ]


# --- who may see what ----------------------------------------------------------------


def read_urls(year, catalogue) -> dict[str, str]:
    return {
        "scoring-index": url("scoring-index", year.year),
        "workbench": url("workbench", year.year, "dept-a"),
        "department-result": url("department-result", year.year, "dept-a"),
        "ranking": url("ranking", year.year),
        "score-detail": url(
            "score-detail", year.year, "dept-a", catalogue["target_a"].pk
        ),
        "close-year": url("close-year", year.year),
    }


#: Expected GET status of each page for each role (clerk_a belongs to A, clerk_b to B).
EXPECTED = {
    "scoring-index": {"a": 403, "b": 403, "supervisor": 200, "leader": 403},
    "workbench": {"a": 403, "b": 403, "supervisor": 200, "leader": 403},
    "department-result": {"a": 200, "b": 404, "supervisor": 200, "leader": 200},
    "ranking": {"a": 403, "b": 403, "supervisor": 200, "leader": 200},
    "score-detail": {"a": 200, "b": 404, "supervisor": 200, "leader": 200},
    "close-year": {"a": 403, "b": 403, "supervisor": 200, "leader": 403},
}


@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_each_page_by_role(
    page, year, catalogue, client_a, client_b, client_supervisor, client_leader
):
    target = read_urls(year, catalogue)[page]
    clients = {
        "a": client_a,
        "b": client_b,
        "supervisor": client_supervisor,
        "leader": client_leader,
    }
    for role, expected in EXPECTED[page].items():
        response = clients[role].get(target)
        assert response.status_code == expected, (page, role)
        if role == "b":
            assert "清扫保洁队" not in response.content.decode()


@pytest.mark.parametrize(
    "page", ["scoring-index", "workbench", "department-result", "ranking"]
)
def test_anonymous_is_sent_to_login(page, year, catalogue):
    response = Client().get(read_urls(year, catalogue)[page])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_unknown_department_or_target_is_404(year, catalogue, client_supervisor):
    assert client_supervisor.get(url("workbench", year.year, "nope")).status_code == 404
    # target_b belongs to B, not to A
    detail = url("score-detail", year.year, "dept-a", catalogue["target_b"].pk)
    assert client_supervisor.get(detail).status_code == 404
    assert client_supervisor.get(url("ranking", 1999)).status_code == 404


def test_rank_is_shown_to_supervisors_not_to_clerks(
    year, catalogue, client_a, client_supervisor
):
    page = url("department-result", year.year, "dept-a")
    assert 'data-field="rank"' in client_supervisor.get(page).content.decode()
    assert 'data-field="rank"' not in client_a.get(page).content.decode()


# --- supervisor actions refused to everyone else --------------------------------------


def once(prefix: str) -> dict[str, str]:
    """The one-time token a freshly rendered create form carries."""
    return {f"{prefix}-once": str(uuid.uuid4())}


def supervisor_posts(year, catalogue, adjustment, veto) -> list[tuple[str, dict]]:
    target = catalogue["target_a"]
    return [
        (score_url(year, target), score_data(target, "5", "r")),
        (
            url("adjustment-add", year.year, "dept-a"),
            {"adj-kind": "bonus", "adj-points": "1", "adj-reason": "r", **once("adj")},
        ),
        (url("adjustment-delete", year.year, "dept-a", adjustment.pk), {}),
        (url("veto-add", year.year, "dept-a"), {"veto-reason": "r", **once("veto")}),
        (url("veto-delete", year.year, "dept-a", veto.pk), {}),
        (url("start-scoring", year.year), {}),
        (url("close-year", year.year), {"confirm": "on", "reason": "年终"}),
    ]


@pytest.fixture
def adjustment_and_veto(year, dept_a):
    adjustment = Adjustment.objects.create(
        year=year, department=dept_a, kind="deduction", points=D(1), reason="late"
    )
    veto = Veto.objects.create(year=year, department=dept_a, reason="accident")
    return adjustment, veto


@pytest.mark.parametrize("who", ["client_a", "client_b", "client_leader"])
def test_clerks_and_leaders_cannot_score_veto_adjust_or_close(
    who, request, year, catalogue, adjustment_and_veto
):
    client = request.getfixturevalue(who)
    before = snapshot()
    for target_url, data in supervisor_posts(year, catalogue, *adjustment_and_veto):
        assert client.post(target_url, data).status_code == 403, target_url
    assert snapshot() == before


def test_anonymous_posts_change_nothing(year, catalogue, adjustment_and_veto):
    before = snapshot()
    for target_url, data in supervisor_posts(year, catalogue, *adjustment_and_veto):
        assert Client().post(target_url, data).status_code == 302
    assert snapshot() == before


def test_actions_need_post(year, catalogue, client_supervisor):
    target = catalogue["target_a"]
    assert client_supervisor.get(score_url(year, target)).status_code == 405
    assert (
        client_supervisor.get(url("veto-add", year.year, "dept-a")).status_code == 405
    )


# --- scoring --------------------------------------------------------------------------


def test_workbench_shows_points_suggestion_and_figures(year, scored, client_supervisor):
    page = client_supervisor.get(url("workbench", year.year, "dept-a")).content.decode()
    assert "道路清扫保洁" in page and "安全生产" in page
    assert "16.00" in page  # suggested
    assert "150.0" in page and "60.0%" in page  # area and pits completion
    assert "垃圾清运" not in page.replace("垃圾清运队", "")  # B's target is not A's


def test_an_at_most_target_says_so_in_chinese_brackets(year, scored, client_supervisor):
    scored["pits"].direction = "at_most"
    scored["pits"].save()
    page = client_supervisor.get(url("workbench", year.year, "dept-a")).content.decode()
    assert "（不高于）" in page and "(不高于)" not in page


def test_saving_the_suggestion_needs_no_reason(year, scored, dept_a, supervisor):
    client = Client()
    client.force_login(supervisor)
    response = client.post(
        score_url(year, scored["target_a"]), score_data(scored["target_a"], "16")
    )
    assert response.status_code == 302
    score = Score.objects.get(target=scored["target_a"], department=dept_a)
    assert score.assessed_score == D(16)
    assert score.scored_by == supervisor
    assert score.version == 1
    history = list(score.history.all())
    assert len(history) == 1 and history[0].history_user == supervisor
    # Enter goes on to the next target
    assert f"focus={scored['common'].pk}" in response["Location"]


def test_a_score_away_from_the_suggestion_demands_a_reason(
    year, scored, client_supervisor
):
    target = scored["target_a"]
    response = client_supervisor.post(score_url(year, target), score_data(target, "12"))
    assert response.status_code == 200
    assert "reason" in response.context["rows"][0].form.errors
    assert not Score.objects.exists()
    response = client_supervisor.post(
        score_url(year, target), score_data(target, "12", "路面保洁抽查不合格 3 次")
    )
    assert response.status_code == 302
    assert Score.objects.get().reason == "路面保洁抽查不合格 3 次"


def test_a_judgement_target_takes_a_score_without_a_reason(
    year, scored, client_supervisor
):
    target = scored["common"]
    response = client_supervisor.post(
        score_url(year, target), score_data(target, "9.5")
    )
    assert response.status_code == 302
    assert Score.objects.get().assessed_score == D("9.5")


@pytest.mark.parametrize(
    "value",
    ["-1", "20.01", "21", "NaN", "nan", "Infinity", "-Infinity", "1e309", "1E2"]
    + ["1.234", "1,5", "", "abc", "<script>", "1.5.1", "\x00"],
)
def test_bad_scores_are_field_errors_and_change_nothing(
    value, year, scored, client_supervisor
):
    target = scored["target_a"]
    before = snapshot()
    response = client_supervisor.post(
        score_url(year, target), score_data(target, value, "reason given")
    )
    assert response.status_code == 200
    row = next(r for r in response.context["rows"] if r.line.target == target)
    assert "score" in row.form.errors
    assert snapshot() == before


def test_full_width_digits_are_read_as_digits(year, scored, client_supervisor):
    target = scored["common"]
    client_supervisor.post(score_url(year, target), score_data(target, "９．５"))
    assert Score.objects.get().assessed_score == D("9.5")


def test_a_target_of_another_department_cannot_be_scored(
    year, catalogue, client_supervisor
):
    target = catalogue["target_b"]
    response = client_supervisor.post(
        score_url(year, target, "dept-a"), score_data(target, "5", "r")
    )
    assert response.status_code == 404
    assert not Score.objects.exists()


def test_a_stale_version_is_a_conflict_naming_who_changed_it(
    year, scored, dept_a, supervisor
):
    other = type(supervisor).objects.create_user(
        "other", password="x", role="supervisor", first_name="王", last_name="考核"
    )
    target = scored["target_a"]
    first, second = Client(), Client()
    first.force_login(other)
    second.force_login(supervisor)
    assert (
        first.post(score_url(year, target), score_data(target, "15", "a")).status_code
        == 302
    )
    # the second supervisor started from the same (empty) version
    response = second.post(score_url(year, target), score_data(target, "14", "b"))
    assert response.status_code == 302
    text = " ".join(error_messages(response))
    assert other.display_name in text and "14.00" in text
    score = Score.objects.get()
    assert (score.assessed_score, score.reason, score.scored_by) == (D(15), "a", other)
    assert score.history.count() == 1
    # from the current version it goes through
    response = second.post(
        score_url(year, target), score_data(target, "14", "b", version=score.version)
    )
    score.refresh_from_db()
    assert score.assessed_score == D(14) and score.version == 2


def test_an_identical_double_submit_stores_one_value(year, scored, client_supervisor):
    target = scored["target_a"]
    data = score_data(target, "15", "抽查扣分")
    for _ in range(2):
        response = client_supervisor.post(score_url(year, target), data)
        assert response.status_code == 302
        assert not error_messages(response)
    score = Score.objects.get()
    assert score.version == 1
    assert score.history.count() == 1


def test_the_workbench_carries_the_version(year, scored, dept_a, client_supervisor):
    Score.objects.create(
        target=scored["target_a"], department=dept_a, assessed_score=D(10), version=7
    )
    page = client_supervisor.get(url("workbench", year.year, "dept-a")).content.decode()
    assert f'name="t{scored["target_a"].pk}-version" value="7"' in page


# --- deductions, bonus items, vetoes --------------------------------------------------


def test_adjustments_are_added_deleted_and_audited(
    year, scored, dept_a, supervisor, client_supervisor
):
    add = url("adjustment-add", year.year, "dept-a")
    response = client_supervisor.post(
        add,
        {
            "adj-kind": "deduction",
            "adj-points": "1.5",
            "adj-target": scored["target_a"].pk,
            "adj-reason": "群众投诉 3 起",
            **once("adj"),
        },
    )
    assert response.status_code == 302
    adjustment = Adjustment.objects.get()
    assert adjustment.department == dept_a and adjustment.created_by == supervisor
    assert adjustment.history.get().history_user == supervisor
    response = client_supervisor.post(
        url("adjustment-delete", year.year, "dept-a", adjustment.pk)
    )
    assert response.status_code == 302
    assert not Adjustment.objects.exists()
    assert Adjustment.history.filter(history_type="-").get().history_user == supervisor


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"adj-kind": "bonus", "adj-points": "0", "adj-reason": "r"}, "points"),
        ({"adj-kind": "bonus", "adj-points": "-2", "adj-reason": "r"}, "points"),
        ({"adj-kind": "bonus", "adj-points": "NaN", "adj-reason": "r"}, "points"),
        ({"adj-kind": "bonus", "adj-points": "1e3", "adj-reason": "r"}, "points"),
        ({"adj-kind": "bonus", "adj-points": "1000", "adj-reason": "r"}, "points"),
        ({"adj-kind": "bonus", "adj-points": "2", "adj-reason": ""}, "reason"),
        ({"adj-kind": "bonus", "adj-points": "2", "adj-reason": "x" * 2001}, "reason"),
        ({"adj-kind": "gift", "adj-points": "2", "adj-reason": "r"}, "kind"),
    ],
)
def test_bad_adjustments_are_field_errors(data, field, year, scored, client_supervisor):
    response = client_supervisor.post(url("adjustment-add", year.year, "dept-a"), data)
    assert response.status_code == 200
    assert field in response.context["adjustment_form"].errors
    assert not Adjustment.objects.exists()


def test_an_adjustment_cannot_name_another_departments_target(
    year, catalogue, client_supervisor
):
    response = client_supervisor.post(
        url("adjustment-add", year.year, "dept-a"),
        {
            "adj-kind": "deduction",
            "adj-points": "1",
            "adj-target": catalogue["target_b"].pk,
            "adj-reason": "r",
        },
    )
    assert "target" in response.context["adjustment_form"].errors
    assert not Adjustment.objects.exists()


def test_an_adjustment_of_another_department_is_404_through_this_one(
    year, catalogue, dept_b, client_supervisor
):
    other = Adjustment.objects.create(
        year=year, department=dept_b, kind="bonus", points=D(1), reason="b"
    )
    response = client_supervisor.post(
        url("adjustment-delete", year.year, "dept-a", other.pk)
    )
    assert response.status_code == 404
    assert Adjustment.objects.filter(pk=other.pk).exists()


def test_the_bonus_cap_is_shown_when_it_bites(year, scored, dept_a, client_supervisor):
    for points in ("4", "3"):
        Adjustment.objects.create(
            year=year, department=dept_a, kind="bonus", points=D(points), reason="r"
        )
    response = client_supervisor.get(url("workbench", year.year, "dept-a"))
    assert response.context["result"].total.bonus == D("5.00")
    assert "7.00" in response.content.decode()


def test_a_veto_forces_fail_and_can_be_removed(
    year, scored, dept_a, supervisor, client_supervisor
):
    client_supervisor.post(
        url("score-save", year.year, "dept-a", scored["common"].pk),
        score_data(scored["common"], "10"),
    )
    response = client_supervisor.post(
        url("veto-add", year.year, "dept-a"),
        {"veto-reason": "发生亡人安全事故", **once("veto")},
    )
    assert response.status_code == 302
    veto = Veto.objects.get()
    assert veto.created_by == supervisor and veto.history.get().history_user
    result_page = client_supervisor.get(url("department-result", year.year, "dept-a"))
    assert result_page.context["result"].grade == "fail"
    client_supervisor.post(url("veto-delete", year.year, "dept-a", veto.pk))
    assert not Veto.objects.exists()
    result_page = client_supervisor.get(url("department-result", year.year, "dept-a"))
    assert result_page.context["result"].grade != "fail"


def test_a_veto_needs_a_reason(year, catalogue, client_supervisor):
    response = client_supervisor.post(
        url("veto-add", year.year, "dept-a"), {"veto-reason": "  "}
    )
    assert "reason" in response.context["veto_form"].errors
    assert not Veto.objects.exists()


# --- results, ranking, detail ---------------------------------------------------------


def test_ranking_shows_ties_chart_and_bureau(
    year, catalogue, dept_a, dept_b, client_leader
):
    Score.objects.create(
        target=catalogue["common"], department=dept_a, assessed_score=D(10)
    )
    Score.objects.create(
        target=catalogue["common"], department=dept_b, assessed_score=D(10)
    )
    Score.objects.create(
        target=catalogue["target_a"], department=dept_a, assessed_score=D(20)
    )
    Score.objects.create(
        target=catalogue["target_b"], department=dept_b, assessed_score=D(20)
    )
    response = client_leader.get(url("ranking", year.year))
    page = response.content.decode()
    assert [r.rank for r in response.context["results"]] == [1, 1]
    assert response.context["tied_ranks"] == {1}
    assert (
        "<svg" in page and "<script" not in page.split("<svg", 1)[1].split("</svg>")[0]
    )
    assert response.context["bureau"].total == D("100.00")


def test_department_names_are_escaped_in_the_chart(year, catalogue, client_supervisor):
    Department.objects.create(code="evil", name='<script>alert("x")</script>')
    page = client_supervisor.get(url("ranking", year.year)).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in page


def test_score_detail_shows_months_history_and_who(
    year, scored, dept_a, supervisor, client_supervisor, client_a
):
    target = scored["target_a"]
    client_supervisor.post(score_url(year, target), score_data(target, "16"))
    client_supervisor.post(
        score_url(year, target), score_data(target, "15", "复核", version=1)
    )
    detail = url("score-detail", year.year, "dept-a", target.pk)
    response = client_a.get(detail)
    assert response.status_code == 200
    page = response.content.decode()
    assert "25000" in page and "150.0" in page  # months
    assert len(response.context["history"]) == 2
    assert supervisor.display_name in page
    assert "复核" in page


def test_score_detail_links_the_records_behind_record_fed_values(
    year, catalogue, dept_a, client_a
):
    import datetime

    from assessment.models import Indicator
    from sanitation.bureau.models import Donation

    donations = Indicator.objects.create(
        year=year,
        target=catalogue["common"],
        code="donations",
        name="捐款",
        decimals=2,
        annual_target=D(20000),
        source="bureau.donation_amount",
    )
    donations.departments.add(dept_a)
    Donation.objects.create(
        department=dept_a,
        date=datetime.date(year.year, 6, 1),
        title="捐款",
        amount=D("7540"),
    )
    page = client_a.get(
        url("score-detail", year.year, "dept-a", catalogue["common"].pk)
    ).content.decode()
    assert "7540.00" in page
    assert f"department=dept-a&amp;year={year.year}&amp;month=6" in page


# --- the year's status ----------------------------------------------------------------


def test_start_scoring_moves_an_open_year_on(year, client_supervisor):
    client_supervisor.post(url("start-scoring", year.year))
    year.refresh_from_db()
    assert year.status == YearStatus.SCORING


def test_closing_needs_confirmation(year, client_supervisor):
    response = client_supervisor.post(url("close-year", year.year), {})
    assert response.status_code == 400
    assert "confirm" in response.context["form"].errors
    year.refresh_from_db()
    assert not year.is_closed


def test_a_closed_year_refuses_every_scoring_change(
    year, scored, adjustment_and_veto, client_supervisor
):
    response = client_supervisor.post(
        url("close-year", year.year), {"confirm": "on", "reason": "年终考核结束"}
    )
    assert response.status_code == 302
    year.refresh_from_db()
    assert year.is_closed
    before = snapshot()
    for target_url, data in supervisor_posts(year, scored, *adjustment_and_veto):
        response = client_supervisor.post(target_url, data)
        assert response.status_code in (200, 302), target_url
        assert error_messages(response), target_url
    assert snapshot() == before
    page = client_supervisor.get(url("workbench", year.year, "dept-a")).content.decode()
    assert "score-input" not in page and "veto-add" not in page


def test_a_year_closed_behind_the_pages_back_is_refused(
    year, scored, client_supervisor
):
    """The page showed an open year; the server still checks at save time."""
    target = scored["target_a"]
    AssessmentYear.objects.filter(pk=year.pk).update(status=YearStatus.CLOSED)
    response = client_supervisor.post(score_url(year, target), score_data(target, "16"))
    assert response.status_code == 302
    assert error_messages(response)
    assert not Score.objects.exists()


# --- query counts ---------------------------------------------------------------------


def add_departments(year, catalogue, count: int) -> None:
    start = Department.objects.count()
    for n in range(start, start + count):
        department = Department.objects.create(code=f"d{n}", name=f"队{n}", order=n)
        catalogue["area"].departments.add(department)
        monthly_return = MonthlyReturn.objects.create(
            year=year, department=department, month=1
        )
        Figure.objects.create(
            monthly_return=monthly_return, indicator=catalogue["area"], value=D(140)
        )
        Score.objects.create(
            target=catalogue["common"], department=department, assessed_score=D(8)
        )
        Adjustment.objects.create(
            year=year, department=department, kind="bonus", points=D(1), reason="r"
        )


def queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("page", ["workbench", "ranking", "scoring-index"])
def test_the_same_number_of_queries_at_10_and_100_departments(
    page, year, scored, client_supervisor
):
    path = read_urls(year, scored)[page]
    add_departments(year, scored, 8)  # 10 departments with A and B
    assert Department.objects.count() == 10
    at_10 = queries(client_supervisor, path)
    assert at_10 < 40
    add_departments(year, scored, 90)
    assert Department.objects.count() == 100
    assert queries(client_supervisor, path) == at_10
