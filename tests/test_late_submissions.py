"""A month submitted after its deadline reads as late, with its days, wherever its
state is shown: the clerk's board, the completeness matrix and the entry page."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from assessment.figures import returns

YEAR = timezone.localdate().year
UTC = datetime.UTC


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


def submit_february(year, department, clerk, indicator, supervisor, at):
    """February (due 10 March) reopened after its deadline and submitted at `at`."""
    with time_machine.travel(at, tick=False):
        monthly_return = returns.get_or_create_return(year, department, 2)
        returns.reopen_return(supervisor, monthly_return, "补报")
        returns.save_figures(
            clerk,
            year,
            department,
            2,
            [returns.FigureRow(indicator, Decimal(150), "", 0)],
        )
        return returns.submit_return(clerk, monthly_return)


@pytest.fixture
def late(year, dept_a, clerk_a, supervisor, catalogue):
    # 02:00 UTC on 20 March is 10:00 in Shanghai: ten days after 10 March.
    return submit_february(
        year,
        dept_a,
        clerk_a,
        catalogue["area"],
        supervisor,
        datetime.datetime(YEAR, 3, 20, 2, 0, tzinfo=UTC),
    )


def test_the_board_marks_the_late_month(late, client_a):
    page = client_a.get(reverse("assessment:board", args=[YEAR])).content.decode()
    assert page.count('data-days-late="10"') == 1
    assert "Late by 10 days" in page


def test_the_matrix_marks_it_for_supervisors_and_leaders(
    late, client_supervisor, client_leader
):
    for each in (client_supervisor, client_leader):
        page = each.get(reverse("assessment:matrix", args=[YEAR])).content.decode()
        assert page.count('data-days-late="10"') == 1


def test_the_entry_page_marks_it(late, client_a, client_supervisor):
    url = reverse("assessment:entry", args=[YEAR, "dept-a", 2])
    for each in (client_a, client_supervisor):
        assert "Late by 10 days" in each.get(url).content.decode()
    on_time = reverse("assessment:entry", args=[YEAR, "dept-a", 1])
    assert "data-days-late" not in client_a.get(on_time).content.decode()


def test_the_mark_stays_once_approved(late, supervisor, client_a):
    returns.approve_return(supervisor, late)
    page = client_a.get(reverse("assessment:board", args=[YEAR])).content.decode()
    assert 'data-days-late="10"' in page


def test_the_other_department_sees_nothing_of_it(late, client_b):
    page = client_b.get(reverse("assessment:board", args=[YEAR])).content.decode()
    assert "data-days-late" not in page and "清扫保洁队" not in page
    url = reverse("assessment:entry", args=[YEAR, "dept-a", 2])
    assert client_b.get(url).status_code == 404


def test_one_day_late_is_after_midnight_in_shanghai(
    year, dept_a, clerk_a, supervisor, catalogue, client_a
):
    # 16:30 UTC on 10 March is 00:30 on 11 March in Shanghai.
    submit_february(
        year,
        dept_a,
        clerk_a,
        catalogue["area"],
        supervisor,
        datetime.datetime(YEAR, 3, 10, 16, 30, tzinfo=UTC),
    )
    page = client_a.get(reverse("assessment:board", args=[YEAR])).content.decode()
    assert "Late by 1 day<" in page
