"""Closing the year: what is outstanding first, a reason when anything is, and no write
committing after a concurrent close (PostgreSQL, real threads)."""

from __future__ import annotations

import datetime
import io
import threading
import time
import uuid
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from assessment import spine, years
from assessment.figures import returns
from assessment.figures.workflow import ReturnStatus, SubmissionStatus
from assessment.models import (
    Adjustment,
    AssessmentYear,
    Category,
    DataVersion,
    Department,
    Figure,
    FormToken,
    Indicator,
    MonthlyReturn,
    ReportText,
    Score,
    SelfAssessment,
    SelfAssessmentSubmission,
    Target,
)
from assessment.models.catalogue import YearStatus
from assessment.reporting import texts
from assessment.scoring import scores
from assessment.scoring import self_assessment as self_assessments
from assessment.spreadsheets import imports
from sanitation.bureau import records
from sanitation.bureau.models import Donation
from tests.spreadsheet_support import workbook_bytes


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


def close_url(year) -> str:
    return reverse("assessment:close-year", args=[year.year])


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- the page lists what is outstanding -------------------------------------------------


def test_the_page_lists_months_self_assessments_and_targets_with_links(
    client_supervisor, year, catalogue, dept_a, dept_b, clerk_a, supervisor
):
    # A's January approved, and A's self-assessment submitted and target 1.1 scored:
    # those are not listed; everything else is.
    january = returns.get_or_create_return(year, dept_a, 1)
    MonthlyReturn.objects.filter(pk=january.pk).update(status=ReturnStatus.APPROVED)
    SelfAssessmentSubmission.objects.create(
        year=year, department=dept_a, status=SubmissionStatus.SUBMITTED
    )
    Score.objects.create(
        target=catalogue["target_a"],
        department=dept_a,
        assessed_score=Decimal(15),
        reason="r",
    )
    response = client_supervisor.get(close_url(year))
    assert response.status_code == 200
    outstanding = response.context["outstanding"]
    months = {(m.department.code, m.month) for m in outstanding.months}
    assert len(months) == 23 and ("dept-a", 1) not in months
    assert ("dept-a", 2) in months and ("dept-b", 1) in months
    assert [d.code for d in outstanding.self_assessments] == ["dept-b"]
    assert {(u.department.code, u.count) for u in outstanding.unscored} == {
        ("dept-a", 1),  # the common target
        ("dept-b", 2),
    }
    body = response.content.decode()
    assert reverse("assessment:entry", args=[year.year, "dept-a", 2]) in body
    assert reverse("assessment:entry", args=[year.year, "dept-a", 1]) not in body
    assert reverse("assessment:self-assessment", args=[year.year, "dept-b"]) in body
    assert reverse("assessment:self-assessment", args=[year.year, "dept-a"]) not in body
    assert reverse("assessment:workbench", args=[year.year, "dept-b"]) in body
    assert 'name="reason"' in body


def test_closing_with_work_outstanding_needs_a_reason(
    client_supervisor, year, catalogue
):
    # A reason of invisible characters only is no reason either.
    for reason in (None, "   ", "\u202e\u2066"):
        data = (
            {"confirm": "on"} if reason is None else {"confirm": "on", "reason": reason}
        )
        response = client_supervisor.post(close_url(year), data)
        assert response.status_code == 400
        assert response.context["form"].errors["reason"]
    year.refresh_from_db()
    assert year.status == YearStatus.OPEN and year.close_reason == ""


def test_close_year_refuses_without_a_reason_on_the_server(year, catalogue, supervisor):
    with pytest.raises(spine.Refused):
        years.close_year(year, supervisor, Department.objects.all(), " \u202e ")
    year.refresh_from_db()
    assert not year.is_closed


@pytest.fixture
def finished(year, dept_a, supervisor):
    """A year with nothing outstanding: every month approved, the self-assessment
    submitted, every target scored."""
    category = Category.objects.create(year=year, code="1", name="勤政建设")
    target = Target.objects.create(
        category=category, code="1.1", name="道路清扫保洁", points=Decimal(100)
    )
    target.departments.add(dept_a)
    indicator = Indicator.objects.create(
        year=year, target=target, code="area", name="清扫面积", aggregation="avg"
    )
    indicator.departments.add(dept_a)
    MonthlyReturn.objects.bulk_create(
        MonthlyReturn(
            year=year, department=dept_a, month=m, status=ReturnStatus.APPROVED
        )
        for m in range(1, 13)
    )
    SelfAssessmentSubmission.objects.create(
        year=year, department=dept_a, status=SubmissionStatus.SUBMITTED
    )
    Score.objects.create(target=target, department=dept_a, assessed_score=Decimal(95))
    return year


def test_without_anything_outstanding_it_closes_without_a_reason(
    client_supervisor, finished, supervisor
):
    page = client_supervisor.get(close_url(finished))
    assert page.context["outstanding"].is_empty
    assert 'name="reason"' not in page.content.decode()
    response = client_supervisor.post(close_url(finished), {"confirm": "on"})
    assert response.status_code == 302
    finished.refresh_from_db()
    assert finished.is_closed and finished.close_reason == ""
    assert finished.closed_by == supervisor


def test_the_reason_who_and_when_are_stored_and_shown(
    client_supervisor, year, catalogue, supervisor
):
    supervisor.last_name, supervisor.first_name = "黄", "文军"
    supervisor.save()
    before = timezone.now()
    response = client_supervisor.post(
        close_url(year), {"confirm": "on", "reason": "区考核办要求12月31日前关闭"}
    )
    assert response.status_code == 302
    year.refresh_from_db()
    assert year.status == YearStatus.CLOSED
    assert year.close_reason == "区考核办要求12月31日前关闭"
    assert year.closed_by == supervisor
    assert before <= year.closed_at <= timezone.now()
    assert year.history.latest().history_user == supervisor
    body = client_supervisor.get(close_url(year)).content.decode()
    assert "黄文军" in body and "区考核办要求12月31日前关闭" in body
    assert str(timezone.localtime(year.closed_at).year) in body
    assert 'name="confirm"' not in body  # nothing left to do there


def test_a_closed_year_is_not_closed_again(client_supervisor, year, catalogue):
    client_supervisor.post(close_url(year), {"confirm": "on", "reason": "年终"})
    year.refresh_from_db()
    closed_at = year.closed_at
    response = client_supervisor.post(close_url(year), {"confirm": "on", "reason": "x"})
    assert any("closed" in m for m in messages_of(response))
    year.refresh_from_db()
    assert (year.closed_at, year.close_reason) == (closed_at, "年终")


@pytest.mark.parametrize("who", ["client_a", "client_b", "client_leader"])
def test_only_supervisors_close(who, request, year, catalogue):
    client = request.getfixturevalue(who)
    assert client.get(close_url(year)).status_code == 403
    assert client.post(
        close_url(year), {"confirm": "on", "reason": "x"}
    ).status_code == (403)
    year.refresh_from_db()
    assert not year.is_closed


# --- no write commits after a concurrent close (PostgreSQL) -----------------------------

MONTH = timezone.localdate().month


def write_figures(ctx):
    return returns.save_figures(
        ctx["clerk"],
        ctx["year"],
        ctx["dept"],
        MONTH,
        [returns.FigureRow(ctx["catalogue"]["area"], Decimal("150.5"), "", 0)],
    )


def write_record(ctx):
    kind = records.KINDS["donations"]
    form = kind.form_class(
        {
            "department": ctx["dept"].pk,
            "date": datetime.date(ctx["year"].year, MONTH, 1).isoformat(),
            "title": "献爱心捐款",
            "amount": "3740",
            "items": "",
            "description": "",
            "once": str(uuid.uuid4()),
        },
        user=ctx["clerk"],
    )
    assert form.is_valid(), form.errors
    ctx["ready"]()  # validated while the year was open; the save must still refuse
    return records.create_record(kind, form, ctx["clerk"])


def write_self_assessment(ctx):
    return self_assessments.save_self_assessment(
        year=ctx["year"],
        department=ctx["dept"],
        target=ctx["catalogue"]["target_a"],
        user=ctx["clerk"],
        version=0,
        self_score=Decimal(18),
        text="全年完成道路清扫保洁任务",
    )


def write_report_text(ctx):
    return texts.save_report_text(
        year=ctx["year"],
        department=None,
        user=ctx["supervisor"],
        version=0,
        overview="全年工作概述",
        closing="",
    )


def write_import(ctx):
    data = workbook_bytes([["dept-a", "area", "", "", MONTH, 150.5, ""]])
    report = imports.validate_upload(
        io.BytesIO(data), ctx["clerk"], ctx["year"], ctx["dept"]
    )
    assert report.can_apply, report.problems
    ctx["ready"]()
    return imports.apply_import(report, ctx["clerk"])


def write_score(ctx):
    return scores.save_score(
        ctx["year"],
        ctx["dept"],
        ctx["catalogue"]["target_a"],
        Decimal(16),
        "",
        0,
        ctx["supervisor"],
    )


def write_adjustment(ctx):
    return scores.add_adjustment(
        ctx["year"],
        ctx["dept"],
        kind="bonus",
        points=Decimal(2),
        reason="市级表彰",
        target=None,
        user=ctx["supervisor"],
        once=uuid.uuid4(),
    )


WRITES = {
    "figures": write_figures,
    "record": write_record,
    "self-assessment": write_self_assessment,
    "report-text": write_report_text,
    "import": write_import,
    "score": write_score,
    "adjustment": write_adjustment,
}


def stored() -> dict[str, int]:
    """Everything any of the writes would store, with its audit entries."""
    models = [
        Figure,
        MonthlyReturn,
        Donation,
        SelfAssessment,
        SelfAssessmentSubmission,
        ReportText,
        Score,
        Adjustment,
    ]
    counts = {model.__name__: model.objects.count() for model in models}
    counts.update({f"{m.__name__} history": m.history.count() for m in models})
    counts["DataVersion"] = DataVersion.objects.count()
    counts["FormToken"] = FormToken.objects.count()
    return counts


def waiting_for_a_lock(timeout: float = 10) -> bool:
    """Whether another connection waits for a row lock (the write behind the close)."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.05)
    return False


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
@pytest.mark.parametrize("name", sorted(WRITES))
def test_no_write_commits_after_a_concurrent_close(
    name,
    transactional_db,
    year,
    catalogue,
    dept_a,
    clerk_a,
    supervisor,
    monkeypatch,
):
    holding = threading.Event()  # the close holds the year's exclusive lock
    release = threading.Event()  # let the close commit
    write_ready = threading.Event()  # the write validated and is about to save
    outcome: dict[str, object] = {}
    real_outstanding = years.outstanding_work

    def outstanding_while_holding_the_lock(*args, **kwargs):
        holding.set()
        assert release.wait(timeout=20)
        return real_outstanding(*args, **kwargs)

    monkeypatch.setattr(years, "outstanding_work", outstanding_while_holding_the_lock)

    def close() -> None:
        try:
            outcome["close"] = years.close_year(
                AssessmentYear.objects.get(pk=year.pk), supervisor, [], "年终关闭"
            )
        except Exception as exc:  # the test inspects what happened
            outcome["close"] = exc
        finally:
            connections.close_all()

    ctx = {
        "year": AssessmentYear.objects.get(pk=year.pk),  # as the page loaded it: open
        "dept": dept_a,
        "clerk": clerk_a,
        "supervisor": supervisor,
        "catalogue": catalogue,
        "ready": write_ready.set,
    }

    def write() -> None:
        try:
            outcome["write"] = WRITES[name](ctx)
        except Exception as exc:
            outcome["write"] = exc
        finally:
            connections.close_all()

    before = stored()
    closer = threading.Thread(target=close)
    closer.start()
    assert holding.wait(timeout=10), "the close never took the lock"
    writer = threading.Thread(target=write)
    writer.start()
    waited = waiting_for_a_lock()
    release.set()
    closer.join(timeout=30)
    writer.join(timeout=30)
    assert not closer.is_alive() and not writer.is_alive()
    assert isinstance(outcome["close"], AssessmentYear), outcome
    assert waited, "the write did not wait for the close"
    refused = outcome["write"]
    assert isinstance(refused, spine.Refused), outcome
    assert refused.code == "closed"
    assert stored() == before
    assert AssessmentYear.objects.get(pk=year.pk).is_closed
