"""Publishing the results (公示): refusals while published, the published pages by
role, making final, closing the year, the report's statement and the notice PDF."""

from __future__ import annotations

import io
import uuid
from decimal import Decimal

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from assessment import spine, years
from assessment.models import (
    Adjustment,
    Department,
    Objection,
    Publication,
    Score,
    Veto,
)
from assessment.reporting.report import build_report
from assessment.scoring import objections, results, scores
from assessment.scoring import publication as publishing
from tests.appeals_support import (
    AFTER,
    ENDS_ON,
    STARTS_ON,
    at,
    score,
)
from tests.conftest import login
from tests.test_results import count_queries

D = Decimal


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def url(name: str, *args) -> str:
    return reverse(f"assessment:{name}", args=args)


# --- publishing -----------------------------------------------------------------------


def test_publishing_needs_every_target_scored(year, catalogue, dept_a, supervisor):
    score(catalogue["target_a"], dept_a, "18")
    with pytest.raises(spine.Refused, match="Score every target"):
        publishing.publish(year, supervisor, STARTS_ON, ENDS_ON)
    assert not Publication.objects.exists()


def test_the_publish_page_lists_what_is_unscored(
    year, catalogue, dept_a, client_supervisor
):
    response = client_supervisor.get(url("publication", year.year))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-field="outstanding"' in page and "清扫保洁队" in page


def test_the_publish_form_defaults_to_five_working_days(
    year, scored, client_supervisor
):
    with time_machine.travel(at(4, 10), tick=False):  # a Wednesday
        response = client_supervisor.get(url("publication", year.year))
    form = response.context["form"]
    assert form.initial["starts_on"].isoformat() == "2026-03-04"
    assert form.initial["ends_on"].isoformat() == "2026-03-10"


def test_the_supervisor_publishes(year, scored, client_supervisor, supervisor):
    with time_machine.travel(at(2, 9), tick=False):
        response = client_supervisor.post(
            url("publish", year.year),
            {"starts_on": "2026-03-02", "ends_on": "2026-03-06"},
        )
        assert response.status_code == 302
        publication = Publication.objects.get(year=year)
        assert publication.published_by == supervisor
        assert publication.history.count() == 1
        # a second post publishes nothing more
        again = client_supervisor.post(
            url("publish", year.year),
            {"starts_on": "2026-03-02", "ends_on": "2026-03-09"},
        )
        assert "already published" in " ".join(messages_of(again))
        assert Publication.objects.get(year=year).ends_on == ENDS_ON


def test_a_window_cannot_end_before_it_starts(year, scored, client_supervisor):
    response = client_supervisor.post(
        url("publish", year.year), {"starts_on": "2026-03-06", "ends_on": "2026-03-02"}
    )
    assert response.status_code == 400
    assert not Publication.objects.exists()


@pytest.mark.parametrize("who", ["client_a", "client_leader"])
def test_only_supervisors_publish_and_finalize(request, who, year, scored):
    client = request.getfixturevalue(who)
    for name in ("publish", "finalize"):
        response = client.post(
            url(name, year.year), {"starts_on": "2026-03-02", "ends_on": "2026-03-06"}
        )
        assert response.status_code == 403
    assert not Publication.objects.exists()


# --- while published, the results change only through an objection --------------------


def test_the_spine_refuses_score_writes_while_published(
    year, published, dept_a, supervisor
):
    target = Score.objects.get(department=dept_a, target__code="1.1").target
    with pytest.raises(spine.Refused) as refused:
        scores.save_score(year, dept_a, target, D(20), "更正", 1, supervisor)
    assert refused.value.code == "published"
    assert "only by answering an objection" in refused.value.message
    with pytest.raises(spine.Refused):
        scores.add_adjustment(
            year,
            dept_a,
            kind="bonus",
            points=D(1),
            reason="r",
            target=None,
            user=supervisor,
            once=uuid.uuid4(),
        )
    with pytest.raises(spine.Refused):
        scores.add_veto(year, dept_a, reason="事故", user=supervisor, once=uuid.uuid4())
    assert Score.objects.get(department=dept_a, target=target).assessed_score == 18
    assert not Adjustment.objects.exists() and not Veto.objects.exists()


def test_the_workbench_says_why_it_is_read_only(
    year, published, dept_a, client_supervisor
):
    response = client_supervisor.get(url("workbench", year.year, dept_a.code))
    assert response.context["editable"] is False
    assert "only by answering an objection" in response.content.decode()
    post = client_supervisor.post(
        url(
            "score-save",
            year.year,
            dept_a.code,
            response.context["rows"][0].line.target.pk,
        ),
        {
            f"t{response.context['rows'][0].line.target.pk}-score": "20",
            f"t{response.context['rows'][0].line.target.pk}-reason": "x",
            f"t{response.context['rows'][0].line.target.pk}-version": "1",
        },
    )
    assert post.status_code == 302
    assert "only by answering an objection" in " ".join(messages_of(post))


# --- the published pages by role ---------------------------------------------------------


def test_nothing_is_published_to_clerks_before_publishing(year, scored, client_a):
    assert client_a.get(url("publication", year.year)).status_code == 404
    assert client_a.get(url("published-sheet", year.year, "dept-a")).status_code == 404
    assert client_a.get(url("publication-notice", year.year)).status_code == 404


@pytest.mark.parametrize(
    "who", ["client_a", "client_b", "client_supervisor", "client_leader"]
)
def test_everyone_reads_the_published_list(request, who, year, published):
    response = request.getfixturevalue(who).get(url("publication", year.year))
    assert response.status_code == 200
    ranks = {r.department.code: r.rank for r in response.context["results"]}
    assert ranks == {"dept-a": 1, "dept-b": 2}


def test_a_clerk_reads_the_own_sheet_only(year, published, client_a, dept_a):
    own = client_a.get(url("published-sheet", year.year, "dept-a"))
    assert own.status_code == 200
    page = own.content.decode()
    assert "评分理由" in page and 'data-item="score:' in page
    assert "?item=score%3A" in page  # may object within the window
    assert client_a.get(url("published-sheet", year.year, "dept-b")).status_code == 404
    # the list links only to the sheets the clerk may read
    listed = client_a.get(url("publication", year.year)).content.decode()
    assert url("published-sheet", year.year, "dept-a") in listed
    assert url("published-sheet", year.year, "dept-b") not in listed


@pytest.mark.parametrize("who", ["client_supervisor", "client_leader"])
def test_supervisors_and_leaders_read_every_sheet_and_do_not_object(
    request, who, year, published
):
    response = request.getfixturevalue(who).get(
        url("published-sheet", year.year, "dept-b")
    )
    assert response.status_code == 200
    assert response.context["may_object"] is False
    assert "?item=" not in response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(year, published):
    for path in (
        url("publication", year.year),
        url("published-sheet", year.year, "dept-a"),
        url("publication-notice", year.year),
        url("objection-list", year.year),
        url("objection-new", year.year, "dept-a"),
    ):
        response = Client().get(path)
        assert response.status_code == 302 and "/login" in response["Location"]


def make_departments(year, catalogue, count: int, supervisor) -> None:
    for n in range(count):
        department = Department.objects.create(code=f"extra-{n}", name=f"队{n}")
        catalogue["target_a"].departments.add(department)
        score(catalogue["target_a"], department, "15")
        score(catalogue["common"], department, "7")
        Adjustment.objects.create(
            year=year, department=department, kind="bonus", points=D(1), reason="r"
        )
        Objection.objects.create(
            year=year,
            department=department,
            kind="score",
            item=f"score:{catalogue['target_a'].pk}",
            target=catalogue["target_a"],
            item_label="1.1",
            grounds="g",
            filed_by=supervisor,
        )


def test_query_counts_do_not_grow_with_departments(
    year, published, scored, client_supervisor, supervisor
):
    pages = [url("publication", year.year), url("objection-list", year.year)]
    make_departments(year, scored, 8, supervisor)  # 10 departments
    small = [count_queries(lambda p=p: client_supervisor.get(p)) for p in pages]
    make_departments_count = 90
    for n in range(make_departments_count):
        department = Department.objects.create(code=f"more-{n}", name=f"组{n}")
        scored["target_a"].departments.add(department)
        score(scored["target_a"], department, "12")
        score(scored["common"], department, "6")
        Objection.objects.create(
            year=year,
            department=department,
            kind="score",
            item=f"score:{scored['common'].pk}",
            target=scored["common"],
            item_label="1.3",
            grounds="g",
            filed_by=supervisor,
        )
    assert Department.objects.count() == 100
    large = [count_queries(lambda p=p: client_supervisor.get(p)) for p in pages]
    assert large == small


# --- finalizing and closing ------------------------------------------------------------


def file(year, department, key, user, grounds="理由"):
    return objections.file_objection(
        year=year,
        department=department,
        item_key=key,
        grounds=grounds,
        user=user,
        once=uuid.uuid4(),
    ).objection


def test_finalizing_waits_for_the_window_to_close(year, published, supervisor):
    with pytest.raises(spine.Refused, match="runs until"):
        publishing.finalize(year, supervisor)
    assert not Publication.objects.get(year=year).is_final


def test_finalizing_is_refused_with_an_open_objection(
    year, published, scored, dept_b, clerk_b, supervisor, client_supervisor
):
    objection = file(year, dept_b, f"score:{scored['target_b'].pk}", clerk_b)
    with time_machine.travel(AFTER, tick=False):
        # signed in again: the session of three days ago has expired
        response = login(supervisor).post(url("finalize", year.year))
        assert "not answered" in " ".join(messages_of(response))
        assert not Publication.objects.get(year=year).is_final
        objections.answer_objection(
            objection,
            upheld=False,
            answer="评分依据充分",
            new_points=None,
            version=objection.version,
            user=supervisor,
        )
        publishing.finalize(year, supervisor)
    publication = Publication.objects.get(year=year)
    year.refresh_from_db()
    assert publication.finalized_by == supervisor
    assert publication.finalized_at == AFTER
    assert year.results_final_at == AFTER
    # final: no score changes any more, by any path
    with pytest.raises(spine.Refused, match="final"):
        scores.save_score(year, dept_b, scored["target_b"], D(20), "x", 1, supervisor)


def test_the_year_cannot_close_with_an_open_objection(
    year, published, scored, dept_b, clerk_b, supervisor, client_supervisor
):
    file(year, dept_b, f"score:{scored['target_b'].pk}", clerk_b)
    page = client_supervisor.get(url("close-year", year.year))
    text = page.content.decode()
    assert 'data-field="blockers"' in text and "Objections not answered" in text
    response = client_supervisor.post(
        url("close-year", year.year), {"confirm": "on", "reason": "年底必须关闭"}
    )
    assert response.status_code == 302
    assert "not answered" in " ".join(messages_of(response))
    year.refresh_from_db()
    assert not year.is_closed
    with pytest.raises(spine.Refused):
        years.close_year(year, supervisor, Department.objects.all(), "reason")


def test_the_report_states_the_final_result(
    year, published, scored, dept_b, supervisor
):
    with time_machine.travel(AFTER, tick=False):
        publishing.finalize(year, supervisor)
    year.refresh_from_db()
    report = build_report(year, dept_b)
    assert not report.is_draft
    assert report.date.isoformat() == "2026-03-07"
    assert "final since" in report.final_note
    assert "upheld: 0, rejected: 0" in report.final_note
    assert build_report(year, None, Department.objects.all()).final_note


def test_the_notice_downloads_as_a_pdf(year, published, scored, client_a, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    response = client_a.get(url("publication-notice", year.year))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join("".join(p.extract_text() for p in reader.pages).split())
    assert "考核结果公示" in text
    assert "清扫保洁队" in text and "垃圾清运队" in text
    assert "90.00" in text and "80.00" in text
    assert "2026年3月2日" in text  # the date it was published
    assert not reader.attachments


def test_results_rank_in_the_published_order(year, published):
    ranked = results.year_results(year, Department.objects.all())
    assert [(r.department.code, r.rank) for r in ranked] == [
        ("dept-a", 1),
        ("dept-b", 2),
    ]
