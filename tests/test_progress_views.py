"""The leader's dashboard, a department's lights and the monthly bulletin, by role."""

from __future__ import annotations

import datetime
import subprocess
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessment.figures.workflow import ReturnStatus
from assessment.models import (
    AssessmentYear,
    Bulletin,
    Department,
    Figure,
    Indicator,
    MonthlyReturn,
    Notice,
)
from assessment.progress import watch

YEAR = timezone.localdate().year
TODAY = datetime.date(YEAR, 7, 15)  # January to June are over


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def put(year, department, indicator, months: dict[int, Decimal], status="approved"):
    for month, value in months.items():
        monthly_return, _ = MonthlyReturn.objects.get_or_create(
            year=year, department=department, month=month, defaults={"status": status}
        )
        Figure.objects.create(
            monthly_return=monthly_return, indicator=indicator, value=value
        )


@pytest.fixture
def figures(year, dept_a, dept_b, catalogue):
    """A: pits 96 % of what is due (yellow), area on target (green);
    B: waste 80 % (red), June submitted late."""
    put(year, dept_a, catalogue["pits"], {m: Decimal(40000) for m in range(1, 7)})
    put(year, dept_a, catalogue["area"], {m: Decimal(150) for m in range(1, 7)})
    put(year, dept_b, catalogue["waste"], {m: Decimal(4000) for m in range(1, 7)})
    return catalogue


def dashboard_url(month: int | None = None) -> str:
    url = reverse("assessment:dashboard", args=[YEAR])
    return f"{url}?month={month}" if month else url


def bulletin_url(month: int = 6) -> str:
    return reverse("assessment:bulletin", args=[YEAR, month])


def progress_url(code: str) -> str:
    return reverse("assessment:department-progress", args=[YEAR, code])


# --- the loader -----------------------------------------------------------------------


def test_lights_from_the_figures(year, dept_a, dept_b, figures):
    watched = watch.year_progress(year, [dept_a, dept_b], 6)
    lights = {
        (i.department.code, i.indicator.code): i for i in watched.indicator_lights
    }
    assert lights["dept-a", "pits"].light == "yellow"
    assert lights["dept-a", "pits"].progress.due == Decimal(250000)
    assert lights["dept-a", "area"].light == "green"
    assert lights["dept-b", "waste"].light == "red"
    assert "80.0" in lights["dept-b", "waste"].reason
    by_code = {d.department.code: d for d in watched.departments}
    # A: 1.1 (20 points) on pits 0.96 and area 1 (ratio rule) -> 19.60; the common
    # target has no indicator and cannot be judged yet.
    assert by_code["dept-a"].per_100 == Decimal("98.00")
    assert by_code["dept-b"].per_100 == Decimal("80.00")
    assert [d.department.code for d in watched.departments] == ["dept-a", "dept-b"]
    # The bureau: 1.1 19.60 + 1.2 16.00 of 40 points.
    assert watched.bureau_per_100 == Decimal("89.00")


def test_the_same_period_last_year(year, dept_b, figures):
    last = AssessmentYear.objects.create(year=YEAR - 1, status="closed")
    old = Indicator.objects.create(
        year=last, code="waste", name="垃圾清运量", aggregation="sum", decimals=1
    )
    old.departments.add(dept_b)
    put(last, dept_b, old, {m: Decimal(3000) for m in range(1, 13)})
    waste = figures["waste"]
    waste.progress_basis = "last_year"
    waste.save()
    watched = watch.year_progress(year, [dept_b], 6)
    (item,) = watched.indicator_lights
    assert item.progress.due == Decimal(18000)
    assert item.light == "green"
    (trend,) = watch.trends(watched, [waste], 6)
    assert trend.rows[1].year_on_year == Decimal("33.3")
    assert trend.rows[1].month_on_month == Decimal("0.0")
    assert trend.rows[0].month_on_month == Decimal("33.3")  # against last December


def test_no_month_over_yet_shows_no_lights(year, dept_a, figures):
    watched = watch.year_progress(year, [dept_a], 0)
    assert all(i.light is None for i in watched.indicator_lights)


# --- dashboard ------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["client_leader", "client_supervisor"])
def test_dashboard_for_who_sees_every_department(request, who, figures, dept_b):
    response = request.getfixturevalue(who).get(dashboard_url())
    assert response.status_code == 200
    assert response.context["month"] == 6
    page = response.content.decode()
    entry = reverse("assessment:entry", args=[YEAR, dept_b.code, 6])
    assert 'data-red-light="dept-b:waste"' in page
    assert entry in page
    assert response.context["completeness"].expected == 2
    assert response.context["completeness"].approved == 2
    assert reverse("assessment:matrix", args=[YEAR]) in page
    assert "<svg" in page and 'id="projected-table"' in page


def test_dashboard_month_can_be_chosen(client_leader, figures):
    response = client_leader.get(dashboard_url(3))
    assert response.context["watched"].upto == 3


def test_clerks_may_not_open_the_dashboard(client_a, figures):
    assert client_a.get(dashboard_url()).status_code == 403


def test_dashboard_needs_login(year):
    response = Client().get(dashboard_url())
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_leader_lands_on_the_dashboard(client_leader, year):
    response = client_leader.get(reverse("assessment:home"))
    assert response["Location"] == dashboard_url()


def test_the_dashboard_is_in_english_too(client_leader, figures):
    client_leader.cookies.load({"django_language": "en"})
    page = client_leader.get(dashboard_url(), HTTP_ACCEPT_LANGUAGE="en").content
    assert b"due by now" in page


# --- a department's lights ------------------------------------------------------------


def test_a_clerk_reads_their_own_lights(client_a, dept_a, figures):
    response = client_a.get(progress_url(dept_a.code))
    assert response.status_code == 200
    assert response.context["row"].per_100 == Decimal("98.00")
    assert b'data-light="yellow"' in response.content


def test_the_board_leads_to_the_lights(client_a, dept_a, figures):
    page = client_a.get(reverse("assessment:board", args=[YEAR])).content.decode()
    assert progress_url(dept_a.code) in page


def test_another_departments_lights_are_not_found(client_a, dept_b, figures):
    assert client_a.get(progress_url(dept_b.code)).status_code == 404


def test_leaders_read_any_departments_lights(client_leader, dept_b, figures):
    response = client_leader.get(progress_url(dept_b.code))
    assert response.status_code == 200
    assert b'data-light="red"' in response.content


def test_lights_need_login(dept_a, year):
    response = Client().get(progress_url(dept_a.code))
    assert response.status_code == 302 and "login" in response["Location"]


# --- bulletin -------------------------------------------------------------------------


def test_the_bulletin_ranks_and_lists(client_leader, figures):
    response = client_leader.get(bulletin_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index('data-department="dept-a"') < page.index(
        'data-department="dept-b"'
    )
    assert 'data-light="red"' in page and 'data-light="yellow"' in page
    assert not response.context["can_issue"]


def test_late_and_missing_returns_are_listed(client_leader, year, dept_b, figures):
    MonthlyReturn.objects.filter(department=dept_b, month=6).update(
        status=ReturnStatus.SUBMITTED,
        submitted_at=timezone.make_aware(datetime.datetime(YEAR, 7, 13, 9)),
    )
    MonthlyReturn.objects.filter(department=dept_b, month=5).update(
        status=ReturnStatus.DRAFT
    )
    page = client_leader.get(bulletin_url()).content.decode()
    assert 'data-late="dept-b:5"' in page  # overdue
    assert 'data-late="dept-b:6"' in page  # submitted after the 10th


def test_clerks_may_not_read_the_bulletin(client_a, figures):
    assert client_a.get(bulletin_url()).status_code == 403
    assert (
        client_a.post(reverse("assessment:bulletin-issue", args=[YEAR, 6])).status_code
        == 403
    )


def test_a_month_that_does_not_exist_is_not_found(client_leader, year):
    assert client_leader.get(bulletin_url(13)).status_code == 404


def test_the_bulletin_needs_login(year):
    response = Client().get(bulletin_url())
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_supervisor_issues_the_bulletin_once(
    client_supervisor, supervisor, figures
):
    assert client_supervisor.get(bulletin_url()).context["can_issue"]
    issue = reverse("assessment:bulletin-issue", args=[YEAR, 6])
    response = client_supervisor.post(issue)
    assert response.status_code == 302 and response["Location"] == bulletin_url()
    bulletin = Bulletin.objects.get(year__year=YEAR, month=6)
    assert bulletin.issued_by == supervisor
    assert bulletin.history.count() == 1
    client_supervisor.post(issue)
    assert Bulletin.objects.count() == 1
    response = client_supervisor.get(bulletin_url())
    assert not response.context["can_issue"]
    assert supervisor.display_name in response.content.decode()


def test_issuing_tells_the_departments_clerks(
    client_supervisor, client_a, clerk_a, clerk_b, dept_a, figures
):
    client_supervisor.post(reverse("assessment:bulletin-issue", args=[YEAR, 6]))
    assert sorted(
        Notice.objects.filter(kind="bulletin").values_list(
            "recipient__username", flat=True
        )
    ) == sorted([clerk_a.username, clerk_b.username])
    notice = Notice.objects.get(recipient=clerk_a)
    response = client_a.get(reverse("assessment:notice-open", args=[notice.pk]))
    assert response.status_code == 302
    assert response["Location"] == progress_url(dept_a.code) + "?month=6"
    assert client_a.get(response["Location"]).status_code == 200
    inbox = client_a.get(reverse("assessment:inbox")).content.decode()
    assert "进度通报已印发" in inbox


def test_leaders_may_not_issue(client_leader, figures):
    issue = reverse("assessment:bulletin-issue", args=[YEAR, 6])
    assert client_leader.post(issue).status_code == 403
    assert not Bulletin.objects.exists()


def test_a_closed_year_issues_nothing(client_supervisor, year, figures):
    year.status = "closed"
    year.save()
    client_supervisor.post(reverse("assessment:bulletin-issue", args=[YEAR, 6]))
    assert not Bulletin.objects.exists()


def test_the_bulletin_as_pdf(client_leader, figures):
    response = client_leader.get(reverse("assessment:bulletin-pdf", args=[YEAR, 6]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f"bulletin-{YEAR}-06.pdf" in response["Content-Disposition"]
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    assert f"{YEAR}年6月目标管理进度通报" in text
    assert "垃圾清运队" in text and "红灯" in text
    assert "（草稿）" in text  # not issued yet


# --- query counts ---------------------------------------------------------------------


def _count(client: Client, url: str) -> int:
    client.get(url)  # the catalogue's kept values read first (catalogue_cache)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def _grow_to(year, total: int, indicator) -> None:
    existing = Department.objects.count()
    for i in range(existing, total):
        department = Department.objects.create(code=f"d{i}", name=f"队{i}", order=i)
        indicator.departments.add(department)
        indicator.target.departments.add(department)
        put(year, department, indicator, {1: Decimal(5000), 2: Decimal(100)})


def test_dashboard_and_bulletin_queries_do_not_grow_with_departments(
    client_leader, year, figures
):
    _grow_to(year, 10, figures["waste"])
    dashboard_10 = _count(client_leader, dashboard_url())
    bulletin_10 = _count(client_leader, bulletin_url())
    _grow_to(year, 100, figures["waste"])
    assert len(client_leader.get(dashboard_url()).context["watched"].departments) == 100
    assert _count(client_leader, dashboard_url()) == dashboard_10
    assert _count(client_leader, bulletin_url()) == bulletin_10


def test_the_yellow_threshold_stays_below_the_green(year):
    from django.core.exceptions import ValidationError

    year.light_yellow_from = Decimal(101)
    with pytest.raises(ValidationError):
        year.full_clean()
    year.light_green_from, year.light_yellow_from = Decimal(95), Decimal(80)
    year.full_clean()
