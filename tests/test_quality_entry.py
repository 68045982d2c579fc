"""Validation rules where figures are typed: the entry page, its live checks, the
save on the server whatever the page showed, and follow-up marks."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessment.figures import returns
from assessment.models import (
    Department,
    Figure,
    FollowUp,
    MonthlyReturn,
    RuleTerm,
    ValidationRule,
)
from tests.conftest import login, make_user

YEAR = timezone.localdate().year
TODAY = datetime.date(YEAR, 3, 5)
MONTH = 2


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
    return TODAY


def entry_url(code: str = "dept-a", month: int = MONTH) -> str:
    return reverse("assessment:entry", args=[YEAR, code, month])


def checks_url(code: str = "dept-a", month: int = MONTH) -> str:
    return reverse("assessment:month-checks", args=[YEAR, code, month])


def make_rule(name, importance, operator, terms, **fields) -> ValidationRule:
    rule = ValidationRule.objects.create(
        name=name,
        message=f"{name}：请核对",
        importance=importance,
        operator=operator,
        **fields,
    )
    for order, (side, code, coefficient, department) in enumerate(terms):
        RuleTerm.objects.create(
            rule=rule,
            side=side,
            indicator_code=code,
            coefficient=Decimal(coefficient),
            department=department,
            order=order,
        )
    return rule


@pytest.fixture
def block_rule(catalogue):
    """垃圾池清掏 ≤ 10 × 清扫面积, in the department's own month: blocks the save."""
    return make_rule(
        "清掏数不超过面积的十倍",
        "block",
        "le",
        [("left", "pits", "1", None), ("right", "area", "10", None)],
    )


@pytest.fixture
def note_rule(catalogue, dept_a, dept_b):
    """垃圾池清掏 (dept-a) ≤ 垃圾清运量 (dept-b): across departments, needs a note."""
    return make_rule(
        "清掏数不超过清运量",
        "note",
        "le",
        [("left", "pits", "1", dept_a), ("right", "waste", "1", dept_b)],
    )


def data(catalogue, area="150.5", pits="1400", note_area="", note_pits="", v=0):
    a, p = catalogue["area"], catalogue["pits"]
    return {
        f"f-{a.pk}-value": area,
        f"f-{a.pk}-note": note_area,
        f"f-{a.pk}-version": str(v),
        f"f-{p.pk}-value": pits,
        f"f-{p.pk}-note": note_pits,
        f"f-{p.pk}-version": str(v),
    }


def save_waste(clerk_b, catalogue, value: str) -> None:
    waste = catalogue["waste"]
    stored = Figure.objects.filter(indicator=waste).first()
    result = returns.save_figures(
        clerk_b,
        catalogue["category"].year,
        clerk_b.departments.get(),
        MONTH,
        [returns.FigureRow(waste, Decimal(value), "", stored.version if stored else 0)],
        on=TODAY,
    )
    assert not result.unmet and not result.conflicts


# --- on save --------------------------------------------------------------------------


def test_a_blocking_rule_refuses_the_save_and_shows_both_sides(
    client_a, catalogue, block_rule
):
    response = client_a.post(entry_url(), data(catalogue, pits="1600"))
    assert response.status_code == 200
    assert not Figure.objects.exists()
    body = response.content.decode()
    assert "清掏数不超过面积的十倍：请核对" in body
    assert "1,600" in body and "1,505" in body  # both sides
    assert 'class="rule-finding rule-block rule-unmet"' in body
    # The typed values are kept on the page to be corrected.
    assert 'value="1600"' in body


def test_a_blocking_rule_is_met_and_the_values_are_saved(
    client_a, catalogue, block_rule
):
    response = client_a.post(entry_url(), data(catalogue))
    assert response.status_code == 302
    assert Figure.objects.count() == 2


def test_the_server_checks_the_stored_values_whatever_the_page_sent(
    client_a, catalogue, block_rule
):
    assert client_a.post(entry_url(), data(catalogue)).status_code == 302
    pits = catalogue["pits"]
    # A crafted form with only the pits field: the stored area still counts.
    response = client_a.post(
        entry_url(),
        {
            f"f-{pits.pk}-value": "1600",
            f"f-{pits.pk}-note": "",
            f"f-{pits.pk}-version": "1",
        },
    )
    assert response.status_code == 200
    assert Figure.objects.get(indicator=pits).value == Decimal(1400)


def test_save_figures_refuses_a_blocking_rule_for_any_caller(
    clerk_a, dept_a, year, catalogue, block_rule
):
    result = returns.save_figures(
        clerk_a,
        year,
        dept_a,
        MONTH,
        [
            returns.FigureRow(catalogue["area"], Decimal("100"), "", 0),
            returns.FigureRow(catalogue["pits"], Decimal("1001"), "有说明也不行", 0),
        ],
        on=TODAY,
    )
    assert [f.name for f in result.unmet] == ["清掏数不超过面积的十倍"]
    assert result.count == 0 and not Figure.objects.exists()


def test_a_needs_a_note_rule_demands_a_note_then_flags_the_value(
    client_a, clerk_b, catalogue, note_rule
):
    save_waste(clerk_b, catalogue, "1000")
    response = client_a.post(entry_url(), data(catalogue))
    assert response.status_code == 200
    assert not Figure.objects.filter(indicator=catalogue["pits"]).exists()
    body = response.content.decode()
    assert "清掏数不超过清运量：请核对" in body
    assert "rule-unmet" in body
    # Another department's figure, with who entered it.
    assert "垃圾清运队 · 垃圾清运量 1,000.0" in body
    assert "由clerk_b填报" in body

    response = client_a.post(
        entry_url(), data(catalogue, note_pits="含上月未报的清掏数")
    )
    assert response.status_code == 302
    pits = Figure.objects.get(indicator=catalogue["pits"])
    assert pits.note == "含上月未报的清掏数"
    flag = FollowUp.objects.get()
    assert (flag.figure, flag.reason, flag.rule) == (pits, "rule", note_rule)
    assert flag.created_by.username == "clerk_a"
    # Saving again does not flag it twice.
    client_a.post(entry_url(), data(catalogue, note_pits="含上月未报的清掏数。", v=1))
    assert FollowUp.objects.count() == 1


def test_a_violation_caused_by_another_department_is_shown_to_both(
    client_a, client_b, clerk_a, clerk_b, catalogue, note_rule
):
    save_waste(clerk_b, catalogue, "2000")
    assert client_a.post(entry_url(), data(catalogue, pits="1400")).status_code == 302
    # 垃圾清运队 lowers its figure: checked from its side, a note is needed there.
    response = client_b.post(
        entry_url("dept-b"),
        {
            f"f-{catalogue['waste'].pk}-value": "900",
            f"f-{catalogue['waste'].pk}-note": "",
            f"f-{catalogue['waste'].pk}-version": "1",
        },
    )
    assert response.status_code == 200
    assert "清掏数不超过清运量：请核对" in response.content.decode()
    assert "清扫保洁队 · 垃圾池清掏 1,400" in response.content.decode()
    response = client_b.post(
        entry_url("dept-b"),
        {
            f"f-{catalogue['waste'].pk}-value": "900",
            f"f-{catalogue['waste'].pk}-note": "本月车辆检修",
            f"f-{catalogue['waste'].pk}-version": "1",
        },
    )
    assert response.status_code == 302
    # Both departments' pages show it, each naming the other side's figure.
    page_a = client_a.get(entry_url()).content.decode()
    assert "清掏数不超过清运量：请核对" in page_a
    assert "垃圾清运队 · 垃圾清运量 900.0" in page_a
    page_b = client_b.get(entry_url("dept-b")).content.decode()
    assert "清扫保洁队 · 垃圾池清掏 1,400" in page_b


def test_a_warning_is_shown_but_the_values_are_saved(client_a, catalogue):
    make_rule(
        "面积不少于清掏数",
        "warn",
        "ge",
        [("left", "area", "1", None), ("right", "pits", "1", None)],
    )
    response = client_a.post(entry_url(), data(catalogue), follow=True)
    assert Figure.objects.count() == 2
    body = response.content.decode()
    assert "面积不少于清掏数：请核对" in body
    assert "rule-unmet" not in body
    assert not FollowUp.objects.exists()


def test_a_change_beyond_an_unrelated_rule_is_not_refused(
    client_a, clerk_b, catalogue, note_rule
):
    """A violation standing already does not refuse changes to other fields."""
    save_waste(clerk_b, catalogue, "1000")
    client_a.post(entry_url(), data(catalogue, note_pits="已说明"))
    response = client_a.post(
        entry_url(), data(catalogue, area="151.0", note_pits="已说明", v=1)
    )
    assert response.status_code == 302
    assert Figure.objects.get(indicator=catalogue["area"]).value == Decimal("151.0")


def test_a_value_outside_its_range_saved_with_a_note_is_flagged(client_a, catalogue):
    client_a.post(entry_url(), data(catalogue, area="250", note_area="新增道路"))
    flag = FollowUp.objects.get()
    assert flag.reason == "range" and flag.figure.indicator == catalogue["area"]
    page = client_a.get(entry_url()).content.decode()
    assert "follow-up-flag" in page


# --- as the clerk types ----------------------------------------------------------------


def test_the_checks_endpoint_evaluates_typed_values_without_saving(
    client_a, catalogue, block_rule
):
    response = client_a.post(checks_url(), data(catalogue, pits="1600"))
    assert response.status_code == 200
    payload = response.json()
    assert payload["count"] == 1 and payload["unmet"] == 1
    pits, area = catalogue["pits"], catalogue["area"]
    assert set(payload["findings"]) == {str(pits.pk), str(area.pk)}
    assert "清掏数不超过面积的十倍：请核对" in payload["findings"][str(pits.pk)]
    assert "1,505" in payload["findings"][str(pits.pk)]
    assert not Figure.objects.exists() and not MonthlyReturn.objects.exists()
    assert client_a.post(checks_url(), data(catalogue)).json() == {
        "findings": {},
        "count": 0,
        "unmet": 0,
    }


def test_the_checks_endpoint_reads_an_invalid_value_as_none(
    client_a, catalogue, block_rule
):
    payload = client_a.post(checks_url(), data(catalogue, pits="1 600")).json()
    assert payload["count"] == 0


def test_the_checks_endpoint_by_role(
    client_a, client_b, client_supervisor, client_leader, catalogue, block_rule
):
    assert client_b.post(checks_url()).status_code == 404
    assert client_supervisor.post(checks_url(), data(catalogue)).status_code == 200
    assert client_leader.post(checks_url(), data(catalogue)).status_code == 200
    assert client_a.get(checks_url()).status_code == 405
    anonymous = Client().post(checks_url(), data(catalogue))
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]


def test_the_entry_page_wires_the_live_checks(client_a, client_leader, catalogue):
    body = client_a.get(entry_url()).content.decode()
    assert f'data-checks-url="{checks_url()}"' in body
    assert f'id="findings-{catalogue["area"].pk}"' in body
    assert "data-checks-url" not in client_leader.get(entry_url()).content.decode()


# --- follow-up -------------------------------------------------------------------------


@pytest.fixture
def saved(client_a, catalogue) -> Figure:
    assert client_a.post(entry_url(), data(catalogue)).status_code == 302
    return Figure.objects.get(indicator=catalogue["pits"])


def mark_url() -> str:
    return reverse("assessment:follow-up-mark")


def resolve_url(follow_up: FollowUp) -> str:
    return reverse("assessment:follow-up-resolve", args=[follow_up.pk])


def test_a_supervisor_marks_a_value_and_resolves_it(
    client_supervisor, client_a, saved, year
):
    response = client_supervisor.post(
        mark_url(), {"figure": saved.pk, "detail": "与台账核对"}
    )
    assert response.status_code == 302 and response["Location"] == entry_url()
    flag = FollowUp.objects.get()
    assert (flag.reason, flag.detail, flag.created_by.username) == (
        "marked",
        "与台账核对",
        "supervisor",
    )
    assert flag.history.count() == 1  # audited
    # Marked twice: refused with a message.
    client_supervisor.post(mark_url(), {"figure": saved.pk, "detail": "again"})
    assert FollowUp.objects.count() == 1

    # The clerk sees the flag; the matrix counts it; the history lists it.
    assert "与台账核对" in client_a.get(entry_url()).content.decode()
    matrix = client_supervisor.get(reverse("assessment:matrix", args=[YEAR]))
    assert "1 项待核实" in matrix.content.decode()
    history = client_a.get(reverse("assessment:figure-history", args=[saved.pk]))
    assert "与台账核对" in history.content.decode()
    assert "resolve-form" not in history.content.decode()

    # Resolving needs a comment.
    client_supervisor.post(resolve_url(flag), {"comment": "  "})
    assert FollowUp.objects.get().resolved_at is None
    response = client_supervisor.post(
        resolve_url(flag), {"comment": "已核对台账，数据无误", "next": entry_url()}
    )
    assert response.status_code == 302
    flag.refresh_from_db()
    assert flag.resolved_by.username == "supervisor"
    assert flag.resolution == "已核对台账，数据无误"
    assert flag.history.count() == 2
    assert "follow-up-flag" not in client_a.get(entry_url()).content.decode()
    matrix = client_supervisor.get(reverse("assessment:matrix", args=[YEAR]))
    assert "follow-up-count" not in matrix.content.decode()
    history = client_a.get(reverse("assessment:figure-history", args=[saved.pk]))
    assert "已核对台账，数据无误" in history.content.decode()


def test_only_supervisors_mark_or_resolve(
    client_a, client_b, client_leader, supervisor, saved
):
    for client in (client_a, client_b, client_leader):
        assert (
            client.post(mark_url(), {"figure": saved.pk, "detail": "x"}).status_code
            == 403
        )
    assert not FollowUp.objects.exists()
    flag = FollowUp.objects.create(figure=saved, reason="marked", detail="x")
    for client in (client_a, client_b, client_leader):
        assert client.post(resolve_url(flag), {"comment": "ok"}).status_code == 403
    assert FollowUp.objects.get().resolved_at is None
    anonymous = Client().post(mark_url(), {"figure": saved.pk, "detail": "x"})
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    assert Client().post(resolve_url(flag), {"comment": "ok"}).status_code == 302


def test_marking_refuses_an_unknown_figure_and_a_closed_year(
    client_supervisor, saved, year
):
    assert client_supervisor.post(mark_url(), {"figure": "x"}).status_code == 404
    assert (
        client_supervisor.post(
            mark_url(), {"figure": saved.pk + 999, "detail": "x"}
        ).status_code
        == 404
    )
    year.status = "closed"
    year.save()
    client_supervisor.post(mark_url(), {"figure": saved.pk, "detail": "x"})
    assert not FollowUp.objects.exists()


def test_a_clerk_of_another_department_never_sees_the_flags(
    client_b, client_supervisor, saved
):
    client_supervisor.post(mark_url(), {"figure": saved.pk, "detail": "与台账核对"})
    assert client_b.get(entry_url()).status_code == 404
    assert (
        client_b.get(reverse("assessment:figure-history", args=[saved.pk])).status_code
        == 404
    )


def test_the_supervisor_resolves_on_the_entry_page(client_supervisor, saved):
    client_supervisor.post(mark_url(), {"figure": saved.pk, "detail": "与台账核对"})
    body = client_supervisor.get(entry_url()).content.decode()
    assert "resolve-form" in body and 'id="mark-form"' in body
    leader = make_user("leader2", "leader")
    body = login(leader).get(entry_url()).content.decode()
    assert "与台账核对" in body and "resolve-form" not in body


# --- query counts ----------------------------------------------------------------------


def _queries(client: Client, method: str, url: str, payload=None) -> int:
    with CaptureQueriesContext(connection) as context:
        response = getattr(client, method)(url, payload or {})
        assert response.status_code == 200
    return len(context.captured_queries)


def _grow(year, catalogue, total: int) -> None:
    waste = catalogue["waste"]
    for i in range(Department.objects.count(), total):
        department = Department.objects.create(code=f"q{i}", name=f"队{i}", order=i)
        waste.departments.add(department)
        monthly_return = returns.get_or_create_return(year, department, MONTH)
        figure = Figure.objects.create(
            monthly_return=monthly_return, indicator=waste, value=Decimal(5)
        )
        FollowUp.objects.create(figure=figure, reason="marked", detail="核对")


def test_rules_and_flags_cost_the_same_queries_at_10_and_100_departments(
    client_a, client_supervisor, clerk_b, year, catalogue, note_rule
):
    make_rule(
        "清运量变化",
        "warn",
        "change",
        [("left", "waste", "1", None)],
        change_limit=Decimal(10),
    )
    save_waste(clerk_b, catalogue, "1000")
    client_a.post(entry_url(), data(catalogue, note_pits="已说明"))
    matrix = reverse("assessment:matrix", args=[YEAR])
    _grow(year, catalogue, 10)
    counts = (
        _queries(client_a, "get", entry_url()),
        _queries(client_supervisor, "get", entry_url("dept-b")),
        _queries(client_a, "post", checks_url(), data(catalogue, pits="5000")),
        _queries(client_supervisor, "get", matrix),
    )
    _grow(year, catalogue, 100)
    assert (
        _queries(client_a, "get", entry_url()),
        _queries(client_supervisor, "get", entry_url("dept-b")),
        _queries(client_a, "post", checks_url(), data(catalogue, pits="5000")),
        _queries(client_supervisor, "get", matrix),
    ) == counts
    assert "项待核实" in client_supervisor.get(matrix).content.decode()


def test_the_rule_messages_read_in_english(client_a, clerk_b, catalogue, note_rule):
    save_waste(clerk_b, catalogue, "1000")
    client_a.cookies["django_language"] = "en"
    response = client_a.post(entry_url(), data(catalogue), HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert "Nothing was saved: a rule needs a note (清掏数不超过清运量)" in body
    assert "Needs a note" in body and "Left side" in body
    assert "entered by clerk_b" in body
    assert "Add a note on one of its fields to save." in body


# --- season-aware ranges ---------------------------------------------------------------


def test_a_months_own_range_is_used_instead_of_the_flat_one(client_a, catalogue):
    from assessment.models import MonthRange

    area = catalogue["area"]
    MonthRange.objects.create(
        indicator=area,
        month=MONTH,
        plausible_min=Decimal(120),
        plausible_max=Decimal(130),
    )
    page = client_a.get(entry_url()).content.decode()
    assert "本月120–130" in page  # the rule shown is the month's
    response = client_a.post(entry_url(), data(catalogue))  # 150.5: fine flat
    assert response.status_code == 200 and not Figure.objects.exists()
    assert "130" in response.content.decode()
    client_a.post(entry_url(), data(catalogue, note_area="新增道路"))
    flag = FollowUp.objects.get()
    assert flag.reason == "range" and flag.figure.indicator == area
    # Another month keeps the flat range.
    other = client_a.post(entry_url(month=1), data(catalogue))
    assert other.status_code in (200, 302)


def test_a_range_derived_from_past_years_median_and_mad(
    client_a, clerk_a, dept_a, catalogue
):
    from assessment.models import AssessmentYear

    pits = catalogue["pits"]
    pits.seasonal_k = Decimal(2)
    pits.save()
    for back, value in ((1, 1000), (2, 1100), (3, 1200)):
        past = AssessmentYear.objects.create(year=YEAR - back, title=f"{YEAR - back}")
        past_pits = type(pits).objects.create(
            year=past, code="pits", name="垃圾池清掏", decimals=0
        )
        monthly_return = MonthlyReturn.objects.create(
            year=past, department=dept_a, month=MONTH
        )
        Figure.objects.create(
            monthly_return=monthly_return, indicator=past_pits, value=Decimal(value)
        )
    # median 1100, MAD 100: 900–1300 this month.
    page = client_a.get(entry_url()).content.decode()
    assert "900–1300" in page
    response = client_a.post(entry_url(), data(catalogue, pits="1400"))
    assert response.status_code == 200
    assert not Figure.objects.filter(indicator=pits).exists()
    assert client_a.post(entry_url(), data(catalogue, pits="1250")).status_code == 302
