"""The monthly entry page: who may see and save, how typed values are checked."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessment import sources, spine
from assessment.figures import returns
from assessment.figures.workflow import ReturnStatus
from assessment.models import (
    AssessmentYear,
    Department,
    Figure,
    Indicator,
    MonthlyReturn,
)

YEAR = timezone.localdate().year
#: Early March: February is open (deadline 10 March), January is past its deadline.
TODAY = datetime.date(YEAR, 3, 5)
MONTH = 2


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
    return TODAY


def entry_url(month: int = MONTH, code: str = "dept-a", year: int = YEAR) -> str:
    return reverse("assessment:entry", args=[year, code, month])


def post_data(catalogue, **overrides: str) -> dict[str, str]:
    area, pits = catalogue["area"], catalogue["pits"]
    data = {
        f"f-{area.pk}-value": "150.5",
        f"f-{area.pk}-note": "",
        f"f-{area.pk}-version": "0",
        f"f-{pits.pk}-value": "1400",
        f"f-{pits.pk}-note": "",
        f"f-{pits.pk}-version": "0",
    }
    data.update(overrides)
    return data


def snapshot() -> tuple:
    """Everything a refused request must leave as it was."""
    return (
        sorted(Figure.objects.values_list("indicator_id", "value", "note", "version")),
        sorted(MonthlyReturn.objects.values_list("department_id", "month", "status")),
        Figure.history.count(),
        MonthlyReturn.history.count(),
    )


def figure(indicator) -> Figure:
    return Figure.objects.get(indicator=indicator)


# --- who may see ----------------------------------------------------------------------


def test_clerk_sees_every_indicator_of_their_department(client_a, catalogue):
    response = client_a.get(entry_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert "清扫面积" in body and "垃圾池清掏" in body
    assert "垃圾清运量" not in body
    assert "100–200，1" in body  # the area's rule, shown beside the field
    assert f'name="f-{catalogue["area"].pk}-version"' in body
    assert f"截止日期：{YEAR}-03-10" in body  # Chinese punctuation, not "截止日期: "


def test_it_refuses_other_departments(client_b, catalogue):
    response = client_b.get(entry_url())
    assert response.status_code == 404
    body = response.content.decode()
    assert "清扫面积" not in body and "清扫保洁队" not in body


def test_it_refuses_a_post_to_another_department(client_b, catalogue):
    before = snapshot()
    response = client_b.post(entry_url(), post_data(catalogue))
    assert response.status_code == 404
    assert snapshot() == before


def test_anonymous_is_sent_to_login(catalogue):
    response = Client().get(entry_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_supervisor_sees_the_page_and_the_review_panel(client_supervisor, catalogue):
    response = client_supervisor.get(entry_url())
    assert response.status_code == 200
    assert 'id="review-panel"' in response.content.decode()


def test_clerk_sees_no_review_panel(client_a, catalogue):
    assert 'id="review-panel"' not in client_a.get(entry_url()).content.decode()


def test_leader_reads_but_cannot_save(client_leader, catalogue):
    response = client_leader.get(entry_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="save-button"' not in body
    assert "disabled" in body
    before = snapshot()
    assert client_leader.post(entry_url(), post_data(catalogue)).status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize("month", [0, 13, 99])
def test_months_outside_the_year_are_not_found(client_a, catalogue, month):
    assert client_a.get(entry_url(month=month)).status_code == 404


def test_unknown_year_is_not_found(client_a, catalogue):
    assert client_a.get(entry_url(year=YEAR - 5)).status_code == 404


def test_unknown_department_is_not_found(client_supervisor, catalogue):
    assert client_supervisor.get(entry_url(code="nope")).status_code == 404


# --- saving ---------------------------------------------------------------------------


def test_clerk_saves_figures_with_an_audit_trail(client_a, clerk_a, catalogue):
    response = client_a.post(entry_url(), post_data(catalogue))
    assert response.status_code == 302
    area = figure(catalogue["area"])
    assert area.value == Decimal("150.5")
    assert area.updated_by == clerk_a
    assert area.version == 1
    assert figure(catalogue["pits"]).value == Decimal(1400)
    record = area.history.get()
    assert record.history_user == clerk_a and record.history_type == "+"
    monthly_return = MonthlyReturn.objects.get()
    assert monthly_return.status == ReturnStatus.DRAFT
    page = client_a.get(entry_url()).content.decode()
    assert 'value="150.5"' in page
    assert reverse("assessment:figure-history", args=[area.pk]) in page


def test_changing_a_value_records_old_and_new(client_a, clerk_a, catalogue):
    client_a.post(entry_url(), post_data(catalogue))
    area = catalogue["area"]
    client_a.post(
        entry_url(),
        post_data(
            catalogue,
            **{f"f-{area.pk}-value": "160", f"f-{area.pk}-version": "1"},
            **{f"f-{catalogue['pits'].pk}-version": "1"},
        ),
    )
    stored = figure(area)
    assert stored.value == Decimal(160) and stored.version == 2
    assert list(
        stored.history.order_by("history_date").values_list("value", flat=True)
    ) == [
        Decimal("150.5"),
        Decimal(160),
    ]
    # The unchanged figure was not saved again.
    assert figure(catalogue["pits"]).history.count() == 1


def test_clearing_a_value_deletes_the_figure_and_keeps_its_history(
    client_a, clerk_a, catalogue
):
    client_a.post(entry_url(), post_data(catalogue))
    pits = catalogue["pits"]
    client_a.post(
        entry_url(),
        post_data(
            catalogue,
            **{f"f-{pits.pk}-value": "", f"f-{pits.pk}-version": "1"},
            **{f"f-{catalogue['area'].pk}-version": "1"},
        ),
    )
    assert not Figure.objects.filter(indicator=pits).exists()
    deleted = Figure.history.filter(indicator_id=pits.pk, history_type="-").get()
    assert deleted.history_user == clerk_a


def test_department_in_post_data_is_ignored(client_a, catalogue, dept_b):
    client_a.post(entry_url(), post_data(catalogue, department=str(dept_b.pk)))
    assert MonthlyReturn.objects.get().department.code == "dept-a"


def test_another_departments_indicator_is_refused(client_a, catalogue):
    waste = catalogue["waste"]
    before = snapshot()
    response = client_a.post(
        entry_url(),
        post_data(
            catalogue,
            **{
                f"f-{waste.pk}-value": "99",
                f"f-{waste.pk}-note": "",
                f"f-{waste.pk}-version": "0",
            },
        ),
        follow=True,
    )
    assert snapshot() == before
    assert "Nothing was saved" in response.content.decode() or "没有保存" in (
        response.content.decode()
    )


def test_a_computed_indicator_cannot_be_typed(client_a, catalogue, year, dept_a):
    donations = Indicator.objects.create(
        year=year, code="don", name="捐款", source="tests.fake", order=9
    )
    donations.departments.add(dept_a)
    _register_fake_source()
    before = snapshot()
    response = client_a.post(
        entry_url(),
        {
            f"f-{donations.pk}-value": "5",
            f"f-{donations.pk}-note": "",
            f"f-{donations.pk}-version": "0",
        },
    )
    assert response.status_code == 302
    assert snapshot() == before


@pytest.mark.parametrize(
    "typed, fragment",
    [
        ("NaN", "number"),
        ("Infinity", "number"),
        ("1e309", "number"),
        ("-1", "negative"),
        ("150.55", "decimal"),
        ("1,5", "dot"),
        (" 150 5 ", "dot"),
        ("150\u20095", "dot"),
        ("abc", "number"),
        ("99", "plausible minimum"),
        ("250", "plausible maximum"),
    ],
)
def test_bad_numbers_get_a_field_error_and_change_nothing(
    client_a, catalogue, typed, fragment, settings
):
    settings.LANGUAGE_CODE = "en"
    area = catalogue["area"]
    before = snapshot()
    response = client_a.post(
        entry_url(),
        post_data(catalogue, **{f"f-{area.pk}-value": typed}),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    errors = response.context["rows"][0].form.errors
    assert "value" in errors
    assert fragment in " ".join(errors["value"])
    assert snapshot() == before
    assert "is-invalid" in response.content.decode()


def test_inner_spaces_are_refused_and_the_page_says_so(client_a, catalogue, settings):
    settings.LANGUAGE_CODE = "en"
    pits = catalogue["pits"]
    before = snapshot()
    response = client_a.post(
        entry_url(),
        post_data(catalogue, **{f"f-{pits.pk}-value": " 5 004 "}),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert snapshot() == before
    body = response.content.decode()
    assert "no thousands separators" in body
    assert 'id="rule-spaces"' in body
    assert "a space inside it (5 004) is refused" in body


def test_an_implausible_value_is_accepted_with_a_note(client_a, catalogue):
    area = catalogue["area"]
    client_a.post(
        entry_url(),
        post_data(
            catalogue,
            **{f"f-{area.pk}-value": "250", f"f-{area.pk}-note": "国庆专项整治"},
        ),
    )
    stored = figure(area)
    assert stored.value == Decimal(250) and stored.note == "国庆专项整治"


def test_full_width_digits_are_read_as_ascii(client_a, catalogue):
    area = catalogue["area"]
    client_a.post(
        entry_url(), post_data(catalogue, **{f"f-{area.pk}-value": "１５０．５"})
    )
    assert figure(area).value == Decimal("150.5")


def test_a_note_without_a_value_is_refused(client_a, catalogue):
    area = catalogue["area"]
    before = snapshot()
    response = client_a.post(
        entry_url(),
        post_data(catalogue, **{f"f-{area.pk}-value": "", f"f-{area.pk}-note": "x"}),
    )
    assert "note" in response.context["rows"][0].form.errors
    assert snapshot() == before


def test_an_over_long_note_is_refused(client_a, catalogue):
    area = catalogue["area"]
    before = snapshot()
    response = client_a.post(
        entry_url(), post_data(catalogue, **{f"f-{area.pk}-note": "长" * 501})
    )
    assert "note" in response.context["rows"][0].form.errors
    assert snapshot() == before


def test_a_nul_byte_in_a_note_is_refused(client_a, catalogue):
    area = catalogue["area"]
    before = snapshot()
    response = client_a.post(
        entry_url(), post_data(catalogue, **{f"f-{area.pk}-note": "a\x00b"})
    )
    assert "note" in response.context["rows"][0].form.errors
    assert snapshot() == before


def test_html_in_a_note_is_stored_as_typed_and_shown_escaped(client_a, catalogue):
    area = catalogue["area"]
    note = '<script>alert("x")</script>'
    client_a.post(entry_url(), post_data(catalogue, **{f"f-{area.pk}-note": note}))
    assert figure(area).note == note
    body = client_a.get(entry_url()).content.decode()
    assert "<script>alert" not in body
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body


def test_a_post_without_csrf_token_is_refused(clerk_a, catalogue):
    client = Client(enforce_csrf_checks=True)
    client.force_login(clerk_a)
    before = snapshot()
    assert client.post(entry_url(), post_data(catalogue)).status_code == 403
    assert snapshot() == before


def test_a_post_with_a_wrong_csrf_token_is_refused(clerk_a, catalogue):
    client = Client(enforce_csrf_checks=True)
    client.force_login(clerk_a)
    client.get(entry_url())
    before = snapshot()
    data = post_data(catalogue, csrfmiddlewaretoken="x" * 64)
    assert client.post(entry_url(), data).status_code == 403
    assert snapshot() == before


# --- concurrency in one process: stale pages and double clicks ------------------------


def test_a_stale_save_is_refused_naming_who_changed_it(
    client_a, catalogue, dept_a, supervisor, client_supervisor
):
    supervisor.first_name = "王"
    supervisor.last_name = "审核"
    supervisor.save()
    client_a.post(entry_url(), post_data(catalogue))
    area, pits = catalogue["area"], catalogue["pits"]
    # The supervisor corrects the area from version 1 ...
    client_supervisor.post(
        entry_url(),
        post_data(
            catalogue,
            **{f"f-{area.pk}-value": "155", f"f-{area.pk}-version": "1"},
            **{f"f-{pits.pk}-version": "1"},
        ),
    )
    before = snapshot()
    # ... while the clerk saves from the page still showing version 1.
    response = client_a.post(
        entry_url(),
        post_data(
            catalogue,
            **{f"f-{area.pk}-value": "170", f"f-{area.pk}-version": "1"},
            **{f"f-{pits.pk}-version": "1"},
        ),
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert supervisor.display_name in body
    assert snapshot() == before
    assert figure(area).value == Decimal(155)
    # The page now carries the stored version: saving again is a deliberate overwrite.
    assert f'name="f-{area.pk}-version" value="2"' in body
    client_a.post(
        entry_url(),
        post_data(
            catalogue,
            **{f"f-{area.pk}-value": "170", f"f-{area.pk}-version": "2"},
            **{f"f-{pits.pk}-version": "1"},
        ),
    )
    assert figure(area).value == Decimal(170)


def test_a_double_clicked_save_stores_one_value(client_a, catalogue):
    data = post_data(catalogue)
    first = client_a.post(entry_url(), data)
    second = client_a.post(entry_url(), data)
    assert first.status_code == second.status_code == 302
    assert Figure.objects.filter(indicator=catalogue["area"]).count() == 1
    assert figure(catalogue["area"]).history.count() == 1
    assert figure(catalogue["area"]).version == 1


# --- locks ----------------------------------------------------------------------------


def test_a_month_past_its_deadline_refuses_saves(client_a, catalogue):
    before = snapshot()
    response = client_a.post(entry_url(month=1), post_data(catalogue), follow=True)
    assert snapshot() == before
    assert response.redirect_chain
    body = response.content.decode()
    assert 'id="lock-reason"' in body
    assert "disabled" in body


def test_a_month_not_yet_started_refuses_saves(client_a, catalogue):
    before = snapshot()
    client_a.post(entry_url(month=4), post_data(catalogue))
    assert snapshot() == before


def test_an_approved_month_refuses_saves_whatever_the_page_showed(
    client_a, catalogue, year, dept_a
):
    client_a.post(entry_url(), post_data(catalogue))
    MonthlyReturn.objects.update(status=ReturnStatus.APPROVED)
    before = snapshot()
    area = catalogue["area"]
    response = client_a.post(
        entry_url(),
        post_data(
            catalogue, **{f"f-{area.pk}-value": "120", f"f-{area.pk}-version": "1"}
        ),
        follow=True,
    )
    assert snapshot() == before
    assert 'id="lock-reason"' in response.content.decode()
    assert list(response.context["messages"])


def test_a_closed_year_refuses_saves(client_a, client_supervisor, catalogue, year):
    year.status = "closed"
    year.save()
    before = snapshot()
    client_a.post(entry_url(), post_data(catalogue))
    client_supervisor.post(entry_url(), post_data(catalogue))
    assert snapshot() == before


def test_the_lock_is_checked_again_inside_the_transaction(
    clerk_a, catalogue, year, dept_a
):
    monthly_return = returns.get_or_create_return(year, dept_a, MONTH)
    MonthlyReturn.objects.filter(pk=monthly_return.pk).update(
        status=ReturnStatus.SUBMITTED
    )
    row = returns.FigureRow(
        indicator=catalogue["area"], value=Decimal(150), note="", version=0
    )
    with pytest.raises(spine.Refused):
        returns.save_figures(
            clerk_a,
            monthly_return.year,
            monthly_return.department,
            monthly_return.month,
            [row],
            on=TODAY,
        )
    assert not Figure.objects.exists()


# --- what is shown beside the fields ---------------------------------------------------


def test_last_month_and_last_year_are_shown(client_a, catalogue, year, dept_a):
    area = catalogue["area"]
    january = returns.get_or_create_return(year, dept_a, 1)
    Figure.objects.create(
        monthly_return=january, indicator=area, value=Decimal("141.2")
    )
    last_year = AssessmentYear.objects.create(year=YEAR - 1)
    old_area = Indicator.objects.create(
        year=last_year, code="area", name="清扫面积", decimals=1
    )
    old_area.departments.add(dept_a)
    old_feb = returns.get_or_create_return(last_year, dept_a, 2)
    Figure.objects.create(
        monthly_return=old_feb, indicator=old_area, value=Decimal("133.7")
    )
    body = client_a.get(entry_url()).content.decode()
    assert "141.2" in body and "133.7" in body


def _register_fake_source() -> list[tuple]:
    calls: list[tuple] = []

    def monthly_values(department_ids, year):
        calls.append((tuple(department_ids), year))
        return {
            (department_id, MONTH): Decimal(7540) for department_id in department_ids
        }

    sources.register(
        sources.IndicatorSource(
            key="tests.fake",
            label="fake",
            monthly_values=monthly_values,
            records_url=lambda code, year, month: f"/records/?d={code}&m={month}",
        )
    )
    return calls


def test_computed_indicators_show_their_value_with_one_call_per_source(
    client_a, catalogue, year, dept_a
):
    calls = _register_fake_source()
    for n in range(3):
        indicator = Indicator.objects.create(
            year=year,
            code=f"fed{n}",
            name=f"fed {n}",
            source="tests.fake",
            order=10 + n,
        )
        indicator.departments.add(dept_a)
    body = client_a.get(entry_url()).content.decode()
    assert len(calls) == 1
    assert calls[0] == ((dept_a.pk,), YEAR)
    assert body.count("7540") == 3
    assert "/records/?d=dept-a&amp;m=2" in body
    for n in range(3):
        assert 'name="f-' + str(Indicator.objects.get(code=f"fed{n}").pk) not in body


# --- query counts ----------------------------------------------------------------------


def _count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def _add_departments(year, n: int, indicators: list[Indicator]) -> None:
    start = Department.objects.count()
    for i in range(start, start + n):
        department = Department.objects.create(code=f"extra-{i}", name=f"队 {i}")
        for indicator in indicators:
            indicator.departments.add(department)
        monthly_return = returns.get_or_create_return(year, department, MONTH)
        for indicator in indicators:
            Figure.objects.create(
                monthly_return=monthly_return, indicator=indicator, value=Decimal(150)
            )


def test_entry_page_queries_do_not_grow_with_departments_or_indicators(
    client_a, client_supervisor, catalogue, year, dept_a
):
    client_a.post(entry_url(), post_data(catalogue))
    shared = [catalogue["area"], catalogue["pits"]]
    _add_departments(year, 8, shared)  # 10 departments in all
    at_10 = _count_queries(client_a, entry_url())
    supervisor_at_10 = _count_queries(client_supervisor, entry_url())
    _add_departments(year, 90, shared)  # 100
    assert _count_queries(client_a, entry_url()) == at_10
    assert _count_queries(client_supervisor, entry_url()) == supervisor_at_10
    monthly_return = MonthlyReturn.objects.get(department=dept_a, month=MONTH)
    for n in range(20):
        indicator = Indicator.objects.create(
            year=year,
            target=catalogue["target_a"],
            code=f"more{n}",
            name=f"more {n}",
            order=20 + n,
        )
        indicator.departments.add(dept_a)
        Figure.objects.create(
            monthly_return=monthly_return, indicator=indicator, value=Decimal(n)
        )
    assert _count_queries(client_a, entry_url()) == at_10


def test_an_empty_save_of_a_new_month_creates_nothing(client_a, catalogue):
    before = snapshot()
    data = post_data(
        catalogue,
        **{
            f"f-{catalogue['area'].pk}-value": "",
            f"f-{catalogue['pits'].pk}-value": "",
        },
    )
    assert client_a.post(entry_url(), data).status_code == 302
    assert client_a.post(entry_url(), {}).status_code == 302
    assert snapshot() == before


def test_indicators_left_out_of_the_post_are_left_alone(client_a, catalogue):
    client_a.post(entry_url(), post_data(catalogue))
    area = catalogue["area"]
    client_a.post(
        entry_url(),
        {
            f"f-{area.pk}-value": "111",
            f"f-{area.pk}-note": "",
            f"f-{area.pk}-version": "1",
        },
    )
    assert figure(area).value == Decimal(111)
    assert figure(catalogue["pits"]).value == Decimal(1400)


# --- a figure's history ----------------------------------------------------------------


@pytest.fixture
def changed_figure(client_a, catalogue) -> Figure:
    area = catalogue["area"]
    client_a.post(entry_url(), post_data(catalogue))
    client_a.post(
        entry_url(),
        {
            f"f-{area.pk}-value": "160",
            f"f-{area.pk}-note": "雨天<b>加班</b>",
            f"f-{area.pk}-version": "1",
        },
    )
    return figure(area)


def history_url(pk: int) -> str:
    return reverse("assessment:figure-history", args=[pk])


def test_history_shows_who_when_old_and_new(client_a, clerk_a, changed_figure):
    response = client_a.get(history_url(changed_figure.pk))
    assert response.status_code == 200
    entries = response.context["entries"]
    assert [(e.old_value, e.new_value) for e in entries] == [
        ("150.5", "160.0"),
        ("", "150.5"),
    ]
    assert all(e.who == clerk_a.display_name for e in entries)
    body = response.content.decode()
    assert "雨天&lt;b&gt;加班&lt;/b&gt;" in body and "<b>加班" not in body


@pytest.mark.parametrize("who", ["client_supervisor", "client_leader"])
def test_supervisors_and_leaders_read_any_history(request, who, changed_figure):
    response = request.getfixturevalue(who).get(history_url(changed_figure.pk))
    assert response.status_code == 200


def test_history_of_another_department_is_not_found(client_b, changed_figure):
    response = client_b.get(history_url(changed_figure.pk))
    assert response.status_code == 404
    assert "清扫面积" not in response.content.decode()


def test_history_needs_login(changed_figure):
    response = Client().get(history_url(changed_figure.pk))
    assert response.status_code == 302 and "login" in response["Location"]


def test_history_of_an_unknown_figure_is_not_found(client_supervisor, changed_figure):
    assert (
        client_supervisor.get(history_url(changed_figure.pk + 999)).status_code == 404
    )


def test_a_returned_month_shows_who_returned_it_and_why(
    client_a, catalogue, year, dept_a, supervisor
):
    MonthlyReturn.objects.create(
        year=year,
        department=dept_a,
        month=MONTH,
        status=ReturnStatus.RETURNED,
        comment="面积请核实",
        reviewed_by=supervisor,
        reviewed_at=timezone.make_aware(datetime.datetime(YEAR, 3, 3, 15, 0)),
    )
    body = client_a.get(entry_url()).content.decode()
    who = supervisor.display_name
    assert f"考核员已退回（{who}，{YEAR}-03-03 15:00）：" in body
    assert "面积请核实" in body
