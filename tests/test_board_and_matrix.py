"""The clerk's board, the supervisors' completeness matrix and the home page."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessment.figures import periods
from assessment.figures.workflow import ReturnStatus
from assessment.models import AssessmentYear, Department, Figure, MonthlyReturn

YEAR = timezone.localdate().year
TODAY = datetime.date(YEAR, 3, 5)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def board_url(year: int = YEAR) -> str:
    return reverse("assessment:board", args=[year])


def matrix_url(year: int = YEAR) -> str:
    return reverse("assessment:matrix", args=[year])


def make_return(year, department, month, status, comment="", indicator=None):
    monthly_return = MonthlyReturn.objects.create(
        year=year, department=department, month=month, status=status, comment=comment
    )
    if indicator is not None:
        Figure.objects.create(
            monthly_return=monthly_return, indicator=indicator, value=Decimal(150)
        )
    return monthly_return


@pytest.fixture
def months(year, dept_a, dept_b, catalogue):
    """A: January approved, February returned; B: February submitted."""
    make_return(year, dept_a, 1, ReturnStatus.APPROVED, indicator=catalogue["area"])
    make_return(
        year,
        dept_a,
        2,
        ReturnStatus.RETURNED,
        comment="A 的面积请核实",
        indicator=catalogue["area"],
    )
    make_return(
        year,
        dept_b,
        2,
        ReturnStatus.RETURNED,
        comment="B 的清运量请核实",
        indicator=catalogue["waste"],
    )
    make_return(year, dept_b, 3, ReturnStatus.SUBMITTED, indicator=catalogue["waste"])


def states(response, department: Department) -> dict[int, str]:
    for row in response.context["grid"]:
        if row.department == department:
            return {cell.month: cell.state for cell in row.cells}
    raise AssertionError(f"{department} not on the page")


# --- board ----------------------------------------------------------------------------


def test_clerk_board_shows_their_months_in_words_and_colour(client_a, dept_a, months):
    response = client_a.get(board_url())
    assert response.status_code == 200
    got = states(response, dept_a)
    assert got[1] == "approved"
    assert got[2] == "returned"
    assert got[3] == "not_started"
    assert got[4] == "not_due"
    body = response.content.decode()
    assert "text-bg-success" in body and "text-bg-warning" in body
    assert "A 的面积请核实" in body
    assert reverse("assessment:entry", args=[YEAR, "dept-a", 2]) in body
    assert f"{YEAR}-03-10" in body  # February's deadline


def test_clerk_board_never_shows_another_department(client_a, dept_b, months):
    response = client_a.get(board_url())
    assert [row.department.code for row in response.context["grid"]] == ["dept-a"]
    body = response.content.decode()
    assert "垃圾清运队" not in body and "B 的清运量请核实" not in body
    assert "/dept-b/" not in body


def test_an_overdue_month_shows_as_overdue(client_a, dept_a, catalogue, year):
    make_return(year, dept_a, 1, ReturnStatus.DRAFT, indicator=catalogue["area"])
    response = client_a.get(board_url())
    assert states(response, dept_a)[1] == "overdue"
    assert "text-bg-danger" in response.content.decode()


def test_a_clerk_of_two_departments_sees_both(clerk_a, dept_a, dept_b, months):
    clerk_a.departments.add(dept_b)
    response = Client()
    response.force_login(clerk_a)
    codes = [row.department.code for row in response.get(board_url()).context["grid"]]
    assert codes == ["dept-a", "dept-b"]


def test_moving_a_clerk_takes_effect_on_the_next_request(
    client_a, clerk_a, dept_b, catalogue
):
    clerk_a.departments.set([dept_b])
    codes = [row.department.code for row in client_a.get(board_url()).context["grid"]]
    assert codes == ["dept-b"]
    assert (
        client_a.get(reverse("assessment:entry", args=[YEAR, "dept-a", 2])).status_code
        == 404
    )


def test_a_department_without_indicators_has_no_months_to_report(
    client_a, clerk_a, dept_a, year
):
    response = client_a.get(board_url())
    assert response.context["grid"] == []
    assert response.context["has_departments"]
    clerk_a.departments.clear()
    assert not client_a.get(board_url()).context["has_departments"]


def test_board_of_an_unknown_year_is_not_found(client_a, year):
    assert client_a.get(board_url(YEAR - 7)).status_code == 404


def test_board_needs_login(year):
    response = Client().get(board_url())
    assert response.status_code == 302 and "login" in response["Location"]


# --- matrix ---------------------------------------------------------------------------


def test_clerks_may_not_see_the_matrix(client_a, months):
    response = client_a.get(matrix_url())
    assert response.status_code == 403
    assert "B 的清运量请核实" not in response.content.decode()


@pytest.mark.parametrize("who", ["client_supervisor", "client_leader"])
def test_supervisors_and_leaders_see_every_department(
    request, who, dept_a, dept_b, months
):
    client = request.getfixturevalue(who)
    response = client.get(matrix_url())
    assert response.status_code == 200
    assert states(response, dept_b)[3] == "submitted"
    assert states(response, dept_a)[1] == "approved"
    body = response.content.decode()
    assert reverse("assessment:entry", args=[YEAR, "dept-b", 3]) in body
    counts = {state: n for state, _label, _colour, n in response.context["counts"]}
    assert counts["approved"] == 1
    assert counts["returned"] == 2
    assert counts["submitted"] == 1
    assert counts["not_due"] == 2 * 9  # April to December
    assert sum(counts.values()) == 24


def test_the_bureau_above_its_departments_owes_no_months(
    client_supervisor, dept_a, dept_b, months
):
    bureau = Department.objects.create(code="bureau", name="区环境卫生管理局")
    Department.objects.filter(pk__in=[dept_a.pk, dept_b.pk]).update(parent=bureau)
    response = client_supervisor.get(matrix_url())
    assert [row.department.code for row in response.context["grid"]] == [
        "dept-a",
        "dept-b",
    ]
    assert sum(n for *_state, n in response.context["counts"]) == 24
    assert "/bureau/" not in response.content.decode()


def test_matrix_needs_login(year):
    response = Client().get(matrix_url())
    assert response.status_code == 302 and "login" in response["Location"]


# --- home -----------------------------------------------------------------------------


def test_home_sends_clerks_to_their_board(client_a, year):
    response = client_a.get(reverse("assessment:home"))
    assert response.status_code == 302 and response["Location"] == board_url()


def test_home_sends_leaders_to_the_dashboard(client_leader, year):
    response = client_leader.get(reverse("assessment:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("assessment:dashboard", args=[YEAR])


def test_home_sends_supervisors_to_the_review_queue(client_supervisor, year):
    response = client_supervisor.get(reverse("assessment:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("assessment:queue")


def test_home_prefers_the_latest_open_year(client_a, year):
    AssessmentYear.objects.create(year=YEAR + 1, status="closed")
    AssessmentYear.objects.create(year=YEAR - 1)
    response = client_a.get(reverse("assessment:home"))
    assert response["Location"] == board_url(YEAR)


def test_home_without_any_year_explains_what_to_do(client_a):
    response = client_a.get(reverse("assessment:home"))
    assert response.status_code == 200
    assert "assessment/home_empty.html" in [t.name for t in response.templates]


def test_home_needs_login():
    response = Client().get(reverse("assessment:home"))
    assert response.status_code == 302 and "login" in response["Location"]


# --- query counts ----------------------------------------------------------------------


def _count(client: Client, url: str) -> int:
    client.get(url)  # the catalogue's kept values read first (catalogue_cache)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def _grow_to(year, total: int, indicator, clerk) -> None:
    existing = Department.objects.count()
    for i in range(existing, total):
        department = Department.objects.create(code=f"d{i}", name=f"队{i}", order=i)
        clerk.departments.add(department)
        indicator.departments.add(department)
        for month, status in ((1, "approved"), (2, "returned"), (3, "draft")):
            make_return(year, department, month, status, "请核实", indicator)


def test_board_and_matrix_queries_do_not_grow_with_departments(
    client_a, clerk_a, client_supervisor, catalogue, year
):
    _grow_to(year, 10, catalogue["area"], clerk_a)
    board_10 = _count(client_a, board_url())
    matrix_10 = _count(client_supervisor, matrix_url())
    _grow_to(year, 100, catalogue["area"], clerk_a)
    assert len(client_a.get(board_url()).context["grid"]) == 99
    assert _count(client_a, board_url()) == board_10
    assert _count(client_supervisor, matrix_url()) == matrix_10


def test_month_grid_reads_returns_in_one_query(
    django_assert_num_queries, year, dept_a, dept_b, months
):
    departments = list(Department.objects.all())
    with django_assert_num_queries(1):
        grid = periods.month_grid(year, departments, on=TODAY)
    assert len(grid) == 2 and all(len(row.cells) == 12 for row in grid)
