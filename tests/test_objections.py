"""Objections (申诉) and their re-checks (复核): the window on the server, one open
objection per item, evidence files, answers that move totals and ranks, and every
view by role."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessment import spine
from assessment.models import (
    Adjustment,
    DataVersion,
    Department,
    Evidence,
    Objection,
    Score,
    Veto,
)
from assessment.scoring import objections, results
from tests.appeals_support import (
    AFTER,
    BEFORE,
    DURING,
)
from tests.conftest import login
from tests.evidence_samples import pdf_bytes, png_bytes

D = Decimal


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


def url(name: str, *args) -> str:
    return reverse(f"assessment:{name}", args=args)


def score_key(catalogue, name: str) -> str:
    return f"score:{catalogue[name].pk}"


def post_objection(client, year, code, key, grounds="评分偏低，清运量已达标", **extra):
    new = client.get(url("objection-new", year.year, code), {"item": key})
    once = (
        new.context["form"].initial["once"] if new.status_code == 200 else uuid.uuid4()
    )
    data = {"item": key, "grounds": grounds, "once": str(once), **extra}
    return client.post(url("objection-new", year.year, code), data)


def ranks(year) -> dict[str, int | None]:
    return {
        r.department.code: r.rank
        for r in results.year_results(year, Department.objects.all())
    }


# --- the window, on the server ---------------------------------------------------------


@pytest.mark.parametrize(("moment", "stored"), [(BEFORE, 0), (DURING, 1), (AFTER, 0)])
def test_objections_are_accepted_only_within_the_window(
    year, published, scored, clerk_b, moment, stored
):
    with time_machine.travel(moment, tick=False):
        client = login(clerk_b)
        response = post_objection(client, year, "dept-b", score_key(scored, "target_b"))
        assert response.status_code == 302
    assert Objection.objects.count() == stored


def test_the_domain_refuses_outside_the_window_too(
    year, published, scored, dept_b, clerk_b
):
    for moment, words in ((BEFORE, "can be filed from"), (AFTER, "window closed")):
        with time_machine.travel(moment, tick=False):
            with pytest.raises(spine.Refused, match=words):
                objections.file_objection(
                    year=year,
                    department=dept_b,
                    item_key=score_key(scored, "target_b"),
                    grounds="g",
                    user=clerk_b,
                    once=uuid.uuid4(),
                )
    assert not Objection.objects.exists()


def test_the_sheet_offers_no_objection_after_the_window(year, published, clerk_b):
    with time_machine.travel(AFTER, tick=False):
        page = login(clerk_b).get(url("published-sheet", year.year, "dept-b"))
    assert page.context["may_object"] is False
    assert "window closed" in page.content.decode()


# --- one open objection per item -------------------------------------------------------


def test_posting_twice_stores_one_objection(year, published, scored, client_b):
    key = score_key(scored, "target_b")
    first = post_objection(client_b, year, "dept-b", key)
    second = post_objection(client_b, year, "dept-b", key, grounds="再次申诉")
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Objection.objects.count() == 1
    assert Objection.objects.get().grounds == "评分偏低，清运量已达标"


def test_the_same_form_posted_twice_stores_one(year, published, scored, client_b):
    key = score_key(scored, "target_b")
    once = str(uuid.uuid4())
    for _ in range(2):
        client_b.post(
            url("objection-new", year.year, "dept-b"),
            {"item": key, "grounds": "g", "once": once},
        )
    assert Objection.objects.count() == 1


def test_an_answered_item_may_be_objected_to_again(
    year, published, scored, client_b, supervisor
):
    key = score_key(scored, "target_b")
    post_objection(client_b, year, "dept-b", key)
    objection = Objection.objects.get()
    objections.answer_objection(
        objection,
        upheld=False,
        answer="依据充分",
        new_points=None,
        version=objection.version,
        user=supervisor,
    )
    post_objection(client_b, year, "dept-b", key, grounds="补充材料")
    assert Objection.objects.count() == 2


def test_grounds_are_required(year, published, scored, client_b):
    response = post_objection(
        client_b, year, "dept-b", score_key(scored, "target_b"), grounds="  "
    )
    assert response.status_code == 400
    assert not Objection.objects.exists()


def test_an_item_of_another_department_is_not_found(year, published, scored, client_b):
    # target_a is not on B's sheet
    response = client_b.get(
        url("objection-new", year.year, "dept-b"),
        {"item": score_key(scored, "target_a")},
    )
    assert response.status_code == 404


# --- evidence --------------------------------------------------------------------------


def test_evidence_files_are_checked_and_served_to_the_department_only(
    year, published, scored, client_a, client_b, client_supervisor
):
    files = [
        SimpleUploadedFile("台账.png", png_bytes(), content_type="image/png"),
        SimpleUploadedFile("说明.pdf", pdf_bytes(), content_type="application/pdf"),
    ]
    response = post_objection(
        client_b, year, "dept-b", score_key(scored, "target_b"), files=files
    )
    assert response.status_code == 302
    objection = Objection.objects.get()
    evidence = list(Evidence.objects.filter(objection=objection))
    assert sorted(e.original_name for e in evidence) == ["台账.png", "说明.pdf"]
    assert all(e.department_id == objection.department_id for e in evidence)
    assert client_b.get(url("evidence-download", evidence[0].pk)).status_code == 200
    assert (
        client_supervisor.get(url("evidence-download", evidence[0].pk)).status_code
        == 200
    )
    assert client_a.get(url("evidence-download", evidence[0].pk)).status_code == 404


def test_a_disguised_file_is_refused_and_nothing_is_stored(
    year, published, scored, client_b
):
    bad = SimpleUploadedFile(
        "scan.pdf", b"<html><script>x</script></html>", content_type="application/pdf"
    )
    response = post_objection(
        client_b, year, "dept-b", score_key(scored, "target_b"), files=[bad]
    )
    assert response.status_code == 400
    assert "scan.pdf" in response.content.decode()
    assert not Objection.objects.exists() and not Evidence.objects.exists()


# --- answers -------------------------------------------------------------------------------


def answer(client, year, objection, decision, reason="复核意见", points=None):
    data = {"decision": decision, "answer": reason, "version": objection.version}
    if points is not None:
        data["new_points"] = points
    return client.post(url("objection-answer", year.year, objection.pk), data)


def test_an_upheld_objection_changes_the_score_and_the_rank(
    year, published, scored, dept_b, client_b, client_supervisor, supervisor
):
    assert ranks(year) == {"dept-a": 1, "dept-b": 2}
    post_objection(client_b, year, "dept-b", score_key(scored, "target_b"))
    objection = Objection.objects.get()
    assert objection.previous_points == 16
    version = DataVersion.objects.get(year=year, department=dept_b).version
    response = answer(
        client_supervisor, year, objection, "upheld", "台账核实，清运量达标", "20"
    )
    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.status == "upheld" and objection.new_points == 20
    assert objection.answered_by == supervisor
    stored = Score.objects.get(department=dept_b, target=scored["target_b"])
    assert stored.assessed_score == 20
    assert "台账核实" in stored.reason
    latest = stored.history.order_by("-history_id").first()  # the clock is frozen
    assert latest.history_user == supervisor and latest.assessed_score == 20
    assert DataVersion.objects.get(year=year, department=dept_b).version > version
    # 28 of 30 = 93.33: B is first now, on every page
    assert ranks(year) == {"dept-b": 1, "dept-a": 2}
    listed = client_b.get(url("publication", year.year))
    assert {r.department.code: r.rank for r in listed.context["results"]} == {
        "dept-b": 1,
        "dept-a": 2,
    }
    sheet = client_b.get(url("published-sheet", year.year, "dept-b"))
    assert sheet.context["result"].rank == 1
    assert sheet.context["result"].total_per_100 == D("93.33")
    detail = client_b.get(
        url("objection-detail", year.year, objection.pk)
    ).content.decode()
    assert "台账核实，清运量达标" in detail and "Upheld" in detail


def test_a_rejected_objection_changes_nothing(
    year, published, scored, dept_b, client_b, client_supervisor
):
    post_objection(client_b, year, "dept-b", score_key(scored, "target_b"))
    objection = Objection.objects.get()
    answer(client_supervisor, year, objection, "rejected", "依据不足")
    objection.refresh_from_db()
    assert objection.status == "rejected" and objection.new_points is None
    assert (
        Score.objects.get(department=dept_b, target=scored["target_b"]).assessed_score
        == 16
    )
    assert ranks(year) == {"dept-a": 1, "dept-b": 2}


def test_an_upheld_score_needs_new_points_within_the_targets(
    year, published, scored, client_b, client_supervisor
):
    post_objection(client_b, year, "dept-b", score_key(scored, "target_b"))
    objection = Objection.objects.get()
    assert answer(client_supervisor, year, objection, "upheld").status_code == 400
    assert (
        answer(client_supervisor, year, objection, "upheld", points="21").status_code
        == 400
    )
    objection.refresh_from_db()
    assert objection.is_open


def test_answering_twice_changes_once(
    year, published, scored, dept_b, client_b, client_supervisor
):
    post_objection(client_b, year, "dept-b", score_key(scored, "target_b"))
    objection = Objection.objects.get()
    answer(client_supervisor, year, objection, "upheld", "核实", "18")
    answer(client_supervisor, year, objection, "upheld", "核实", "18")
    assert (
        Score.objects.get(department=dept_b, target=scored["target_b"]).history.count()
        == 2
    )


def test_an_upheld_deduction_and_veto(
    year, published, scored, dept_b, clerk_b, supervisor
):
    deduction = Adjustment.objects.create(
        year=year,
        department=dept_b,
        kind="deduction",
        points=D(3),
        reason="12月报表逾期",
    )
    veto = Veto.objects.create(year=year, department=dept_b, reason="安全事故")
    for key, points in (
        (f"adjustment:{deduction.pk}", D(1)),
        (f"veto:{veto.pk}", None),
    ):
        filed = objections.file_objection(
            year=year,
            department=dept_b,
            item_key=key,
            grounds="g",
            user=clerk_b,
            once=uuid.uuid4(),
        ).objection
        objections.answer_objection(
            filed,
            upheld=True,
            answer="核实",
            new_points=points,
            version=filed.version,
            user=supervisor,
        )
    deduction.refresh_from_db()
    assert deduction.points == 1
    assert not Veto.objects.filter(pk=veto.pk).exists()
    lifted = Objection.objects.get(kind="veto")
    assert lifted.veto is None and lifted.status == "upheld"
    assert not results.department_result(year, dept_b).vetoed


# --- views by role -------------------------------------------------------------------------


def test_object_page_by_role(
    year, published, scored, client_a, client_b, client_supervisor, client_leader
):
    key = score_key(scored, "target_b")
    assert (
        client_b.get(
            url("objection-new", year.year, "dept-b"), {"item": key}
        ).status_code
        == 200
    )
    assert (
        client_a.get(
            url("objection-new", year.year, "dept-b"), {"item": key}
        ).status_code
        == 404
    )
    assert (
        client_supervisor.get(
            url("objection-new", year.year, "dept-b"), {"item": key}
        ).status_code
        == 403
    )
    assert (
        client_leader.get(
            url("objection-new", year.year, "dept-b"), {"item": key}
        ).status_code
        == 403
    )


def test_objection_list_and_detail_by_role(
    year, published, scored, client_a, client_b, client_supervisor, client_leader
):
    post_objection(client_b, year, "dept-b", score_key(scored, "target_b"))
    post_objection(client_a, year, "dept-a", score_key(scored, "target_a"))
    objection_b = Objection.objects.get(department__code="dept-b")
    listed = client_a.get(url("objection-list", year.year))
    assert [o.department.code for o in listed.context["objections"]] == ["dept-a"]
    assert "垃圾清运队" not in listed.content.decode()
    for client in (client_supervisor, client_leader):
        assert (
            len(client.get(url("objection-list", year.year)).context["objections"]) == 2
        )
    detail = url("objection-detail", year.year, objection_b.pk)
    assert client_b.get(detail).status_code == 200
    assert client_a.get(detail).status_code == 404
    assert client_leader.get(detail).status_code == 200
    assert client_leader.get(detail).context["form"] is None
    assert client_supervisor.get(detail).context["form"] is not None
    # only supervisors answer
    for client in (client_a, client_b, client_leader):
        response = answer(client, year, objection_b, "upheld", "x", "20")
        assert response.status_code == 403
    objection_b.refresh_from_db()
    assert objection_b.is_open
