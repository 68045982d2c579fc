"""The demo's 2020: a finished round of publication, two objections (one upheld with
a new score, one rejected), final results, and one rectification item that 2021 shows
open, on its home pages and in its report."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from assessment.models import (
    AssessmentYear,
    Department,
    Objection,
    Publication,
    Rectification,
    Score,
    User,
)
from assessment.reporting.report import build_report
from assessment.scoring import rectification, results
from sanitation.bureau import demo


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("demo")):
                demo.load(io.StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def y2020(loaded, db) -> AssessmentYear:
    return AssessmentYear.objects.get(year=2020)


def as_user(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_2020_was_published_and_made_final(y2020):
    publication = Publication.objects.get(year=y2020)
    assert (publication.starts_on, publication.ends_on) == (
        datetime.date(2021, 1, 21),
        datetime.date(2021, 1, 27),
    )
    assert publication.finalized_at == y2020.results_final_at
    assert publication.finalized_by.username == "supervisor"
    assert publication.history.count() == 2


def test_2020_has_one_objection_upheld_and_one_rejected(y2020):
    upheld, rejected = Objection.objects.filter(year=y2020).order_by("filed_at")
    assert (upheld.department.code, upheld.status) == ("nightsoil", "upheld")
    assert (upheld.previous_points, upheld.new_points) == (Decimal("6.5"), Decimal(7))
    assert upheld.answered_by.username == "assessor_office"
    score = Score.objects.get(target=upheld.target, department=upheld.department)
    assert score.assessed_score == 7 and score.reason == upheld.answer
    before, after = score.history.order_by("history_date")
    assert (before.assessed_score, after.assessed_score) == (Decimal("6.5"), 7)
    assert after.history_user.username == "assessor_office"
    assert (rejected.department.code, rejected.status) == ("office", "rejected")
    assert rejected.new_points is None
    assert all(
        o.filed_at < o.answered_at < y2020.results_final_at for o in (upheld, rejected)
    )


def test_the_upheld_score_counts_in_2020s_results(y2020):
    ranked = {
        r.department.code: r
        for r in results.year_results(y2020, Department.objects.all())
    }
    assert ranked["nightsoil"].total_per_100 == 100 and ranked["nightsoil"].rank == 1


def test_2020s_rectification_item_is_what_the_rules_make(y2020):
    (item,) = Rectification.objects.filter(year=y2020)
    assert (item.department.code, item.target.code) == ("office", "2.5")
    assert (item.score, item.points, item.status) == (Decimal(2), Decimal(4), "open")
    assert item.owner == "杨丽萍" and item.measures
    assert item.deadline == datetime.date(2021, 4, 28)
    assert [h.history_user.username for h in item.history.order_by("history_date")] == [
        "supervisor",
        "clerk_office",
    ]
    # making the items again finds exactly this one
    assert rectification.create_items(y2020, None) == []


def test_2021_shows_2020s_open_item(y2020):
    page = as_user("supervisor").get(reverse("assessment:matrix", args=[2021]))
    assert "rectification-card" in page.content.decode()
    board = as_user("clerk_office").get(reverse("assessment:board", args=[2021]))
    assert "2.5 推行阳光政府" in board.content.decode()
    other = as_user("clerk_street").get(reverse("assessment:board", args=[2021]))
    assert "rectification-card" not in other.content.decode()
    report = build_report(
        AssessmentYear.objects.get(year=2021), None, Department.objects.all()
    )
    assert [(line.department, line.state) for line in report.rectification] == [
        ("办公室", "待整改")
    ]
    english = build_report(
        AssessmentYear.objects.get(year=2021),
        None,
        Department.objects.all(),
        language="en",
    )
    assert english.rectification[0].department == "Office"
    assert "[not translated]" not in english.rectification[0].item


def test_the_demo_item_can_be_reported_and_accepted(y2020):
    (item,) = Rectification.objects.filter(year=y2020)
    page = reverse("assessment:rectification-detail", args=[2020, item.pk])
    clerk = as_user("clerk_office")
    assert clerk.get(page).context["report_form"] is not None
    response = clerk.post(
        reverse("assessment:rectification-report", args=[2020, item.pk]),
        {
            "measures": item.measures,
            "owner": item.owner,
            "deadline": "2021-04-28",
            "report": "已建立公开事项台账并按月更新。",
            "version": item.version,
            "action": "report",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "reported"
    supervisor = as_user("supervisor")
    response = supervisor.post(
        reverse("assessment:rectification-review", args=[2020, item.pk]),
        {"decision": "accept", "comment": "", "version": item.version},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "accepted"
