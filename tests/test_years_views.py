"""Several years: the top bar's switcher, a closed year's pages by role, and a closed
year refusing writes whatever the page showed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessment import context_processors, sources, spine
from assessment.figures import returns, workflow
from assessment.models import (
    AssessmentYear,
    Category,
    Figure,
    Indicator,
    MonthlyReturn,
    Target,
)
from assessment.views.home import same_page_in

THIS_YEAR = timezone.localdate().year
LAST_YEAR = THIS_YEAR - 1
MONTH = 3


def make_year(year: int, status: str, department, value: str) -> Indicator:
    """A year with one target and indicator ("area") for `department` and an approved
    month MONTH holding `value`."""
    assessment_year, _created = AssessmentYear.objects.get_or_create(
        year=year, defaults={"status": status}
    )
    category = Category.objects.create(
        year=assessment_year, code="1", name="勤政建设", order=1
    )
    target = Target.objects.create(
        category=category, code="1.1", name="道路清扫保洁", points=Decimal(20), order=1
    )
    target.departments.add(department)
    indicator = Indicator.objects.create(
        year=assessment_year,
        target=target,
        code="area",
        name="清扫面积",
        unit="万m²",
        decimals=1,
        aggregation="avg",
        plausible_min=Decimal(100),
        plausible_max=Decimal(200),
        annual_target=Decimal(150),
        order=1,
    )
    indicator.departments.add(department)
    monthly_return = MonthlyReturn.objects.create(
        year=assessment_year, department=department, month=MONTH, status="approved"
    )
    Figure.objects.create(
        monthly_return=monthly_return, indicator=indicator, value=Decimal(value)
    )
    return indicator


@pytest.fixture
def last_year(dept_a) -> Indicator:
    return make_year(LAST_YEAR, "closed", dept_a, "140.5")


@pytest.fixture
def both_years(last_year, dept_a, dept_b) -> Indicator:
    """Last year closed, this year open, each with department A's "area"."""
    return make_year(THIS_YEAR, "open", dept_a, "150.0")


def entry_url(year: int, code: str = "dept-a", month: int = MONTH) -> str:
    return reverse("assessment:entry", args=[year, code, month])


def switch(client: Client, year: int | str, next_path: str):
    return client.get(
        reverse("assessment:switch-year"), {"year": year, "next": next_path}
    )


# --- pure: where a switch leads, which year the bar shows ---


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/years/2021/ranking/", "/years/2020/ranking/"),
        ("/years/2021/report/street/", "/years/2020/report/street/"),
        (
            "/years/2021/departments/street/months/11/",
            "/years/2020/departments/street/months/11/",
        ),
        ("/years/2021/scoring/street/targets/17/", None),  # a 2021 target's id
        ("/figures/5/history/", None),
        ("/records/", None),
        ("/no/such/page/", None),
    ],
)
def test_a_switch_keeps_the_page_when_it_exists_in_every_year(path, expected):
    assert same_page_in(path, 2020) == expected


YEARS = [(2026, "open"), (2021, "scoring"), (2020, "closed")]


def test_the_bar_shows_the_pages_year_else_the_open_one():
    assert context_processors._shown_year(YEARS, 2020) == 2020
    assert context_processors._shown_year(YEARS, None) == 2026
    assert context_processors._shown_year(YEARS, 1999) == 2026
    assert context_processors._shown_year([(2021, "closed")], None) == 2021


def test_results_links_follow_a_year_with_results_else_the_one_being_scored():
    assert context_processors._results_year(YEARS, 2020) == 2020
    assert context_processors._results_year(YEARS, 2026) == 2021
    assert context_processors._results_year(YEARS, None) == 2021


# --- the switcher by role ---


def test_a_supervisor_switches_the_ranking_to_last_year(client_supervisor, both_years):
    response = switch(
        client_supervisor, LAST_YEAR, reverse("assessment:ranking", args=[THIS_YEAR])
    )
    assert response.status_code == 302
    assert response.url == reverse("assessment:ranking", args=[LAST_YEAR])


def test_a_clerk_switches_their_month_to_last_year(client_a, both_years):
    response = switch(client_a, LAST_YEAR, entry_url(THIS_YEAR) + "?x=1")
    assert response.url == entry_url(LAST_YEAR)


def test_a_page_of_one_years_catalogue_leads_to_the_years_home(
    client_a, client_leader, both_years
):
    history = reverse("assessment:figure-history", args=[Figure.objects.first().pk])
    assert switch(client_a, LAST_YEAR, history).url == reverse(
        "assessment:board", args=[LAST_YEAR]
    )
    assert switch(client_leader, LAST_YEAR, history).url == reverse(
        "assessment:dashboard", args=[LAST_YEAR]
    )


def test_a_switch_never_leaves_the_site(client_a, both_years):
    response = switch(client_a, LAST_YEAR, "https://evil.example/years/2021/board/")
    assert response.url == reverse("assessment:board", args=[LAST_YEAR])


def test_an_unknown_year_is_404_and_nonsense_goes_home(client_a, both_years):
    assert switch(client_a, 1999, "/").status_code == 404
    assert switch(client_a, "x", "/").url == reverse("assessment:home")


def test_anonymous_visitors_are_sent_to_log_in(both_years):
    response = switch(Client(), LAST_YEAR, "/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_bar_lists_every_year_with_the_pages_one_chosen(client_leader, both_years):
    body = client_leader.get(
        reverse("assessment:ranking", args=[LAST_YEAR])
    ).content.decode()
    assert 'name="year"' in body
    assert f'<option value="{LAST_YEAR}" selected>' in body
    assert f'<option value="{THIS_YEAR}">' in body
    # The nav's ranking link stays in the year the leader is reading.
    assert reverse("assessment:ranking", args=[LAST_YEAR]) in body


# --- a closed year's page by role ---


def test_a_closed_years_month_is_read_only_for_its_clerk(client_a, both_years):
    response = client_a.get(entry_url(LAST_YEAR))
    body = response.content.decode()
    assert response.status_code == 200
    assert "closed-year-notice" in body
    assert 'id="lock-reason"' in body
    assert "disabled" in body and "140.5" in body
    assert 'type="submit" form="entry-form"' not in body


def test_other_departments_closed_month_is_404(client_b, both_years):
    assert client_b.get(entry_url(LAST_YEAR)).status_code == 404


@pytest.mark.parametrize("who", ["client_supervisor", "client_leader"])
def test_supervisor_and_leader_read_the_closed_year(request, who, both_years):
    client = request.getfixturevalue(who)
    for url in (
        entry_url(LAST_YEAR),
        reverse("assessment:ranking", args=[LAST_YEAR]),
        reverse("assessment:matrix", args=[LAST_YEAR]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "closed-year-notice" in response.content.decode()


def test_an_open_years_page_says_nothing_of_closing(client_a, both_years):
    assert (
        "closed-year-notice" not in client_a.get(entry_url(THIS_YEAR)).content.decode()
    )


def test_anonymous_visitors_cannot_read_a_closed_year(both_years):
    response = Client().get(entry_url(LAST_YEAR))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# --- a closed year refuses writes, whatever the page showed ---


def _post_value(client: Client, indicator: Indicator, value: str):
    return client.post(
        entry_url(indicator.year.year),
        {
            f"f-{indicator.pk}-value": value,
            f"f-{indicator.pk}-note": "",
            f"f-{indicator.pk}-version": "0",
        },
    )


def test_a_closed_year_refuses_a_save_through_the_page(client_a, both_years):
    last = Indicator.objects.get(year__year=LAST_YEAR)
    response = _post_value(client_a, last, "199.9")
    assert response.status_code == 302
    assert Figure.objects.get(indicator=last).value == Decimal("140.5")
    assert Figure.history.filter(indicator_id=last.pk).count() == 1
    (message,) = get_messages(response.wsgi_request)
    assert "已关闭" in str(message)  # "The assessment year is closed."


def test_the_spine_refuses_even_when_the_page_thought_it_open(
    client_a, both_years, monkeypatch
):
    """The page's own lock check is skipped: the write spine still says no."""
    monkeypatch.setattr(workflow, "lock_reason", lambda facts, today: None)
    monkeypatch.setattr(
        "assessment.views.figures.month.workflow.lock_reason", lambda f, t: None
    )
    last = Indicator.objects.get(year__year=LAST_YEAR)
    response = _post_value(client_a, last, "199.9")
    assert Figure.objects.get(indicator=last).value == Decimal("140.5")
    (message,) = get_messages(response.wsgi_request)
    assert spine.closed_message(LAST_YEAR) in str(message)


def test_the_spine_refuses_a_closed_year_directly(clerk_a, dept_a, both_years):
    last = Indicator.objects.get(year__year=LAST_YEAR)
    row = returns.FigureRow(indicator=last, value=Decimal(1), note="", version=1)
    with pytest.raises(spine.Refused) as refused:
        returns.save_figures(
            clerk_a,
            last.year,
            dept_a,
            MONTH,
            [row],
            on=timezone.localdate(),
        )
    assert refused.value.code == "closed"


# --- 上年同月 on the entry page ---


def test_the_entry_page_shows_the_same_month_last_year(client_a, both_years):
    response = client_a.get(entry_url(THIS_YEAR))
    (row,) = response.context["rows"]
    assert row.last_year == "140.5"
    assert "140.5" in response.content.decode()


def test_without_last_year_the_column_says_so(client_a, both_years):
    response = client_a.get(entry_url(LAST_YEAR))
    (row,) = response.context["rows"]
    assert row.last_year == ""


def test_a_record_fed_indicator_shows_last_years_records(client_a, dept_a, both_years):
    calls: list[int] = []

    def monthly_values(department_ids, year):
        calls.append(year)
        amount = Decimal(6800) if year == LAST_YEAR else Decimal(7540)
        return {(d, MONTH): amount for d in department_ids}

    sources.register(
        sources.IndicatorSource(
            key="tests.years-fed",
            label="fed",
            monthly_values=monthly_values,
            records_url=lambda code, year, month: "/records/",
        )
    )
    for year in (LAST_YEAR, THIS_YEAR):
        indicator = Indicator.objects.create(
            year=AssessmentYear.objects.get(year=year),
            code="donations",
            name="捐款",
            source="tests.years-fed",
            order=5,
        )
        indicator.departments.add(dept_a)
    response = client_a.get(entry_url(THIS_YEAR))
    rows = {row.indicator.code: row for row in response.context["rows"]}
    assert rows["donations"].last_year == "6800"
    assert rows["area"].last_year == "140.5"
    assert sorted(calls) == [LAST_YEAR, THIS_YEAR]
