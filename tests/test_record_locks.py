"""Work records dated in a month that is submitted, approved or past its deadline.

A record feeds the record-fed indicators of its department (here 安全活动次数, the
number of safety activities); while that month may not change, adding, editing,
deleting or re-dating such a record is refused, naming the month and who can reopen it,
until a supervisor reopens the month. The year is 2021, as in the bureau's case, so
every month is past its deadline whatever day the tests run on.
"""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from assessment.figures import periods, returns
from assessment.figures.workflow import ReturnStatus
from assessment.models import (
    AssessmentYear,
    Category,
    DataVersion,
    Figure,
    Indicator,
    MonthlyReturn,
    Target,
)
from sanitation.bureau.models import Donation, SafetyActivity

YEAR = 2021
OCTOBER = 10
SEPTEMBER = 9
LOCKED_DAY = datetime.date(YEAR, OCTOBER, 20)
OPEN_DAY = datetime.date(YEAR, SEPTEMBER, 15)
OCTOBER_LABEL = "2021年10月"


@pytest.fixture
def y2021(db) -> AssessmentYear:
    return AssessmentYear.objects.create(year=YEAR, title="2021年度目标管理考核")


def safety_count_indicator(year: AssessmentYear, department) -> Indicator:
    """安全活动次数 of the department, fed by its safety activities."""
    category = Category.objects.create(year=year, code="1", name="勤政建设", order=1)
    target = Target.objects.create(
        category=category, code="1.8", name="安全生产", points=Decimal(10), order=1
    )
    target.departments.add(department)
    indicator = Indicator.objects.create(
        year=year,
        target=target,
        code="safety_activities",
        name="安全活动次数",
        unit="次",
        decimals=0,
        aggregation="sum",
        annual_target=Decimal(24),
        source="bureau.safety_activity_count",
        order=1,
    )
    indicator.departments.add(department)
    return indicator


@pytest.fixture
def safety_count(y2021, dept_a) -> Indicator:
    return safety_count_indicator(y2021, dept_a)


@pytest.fixture
def reviewer(supervisor):
    supervisor.last_name, supervisor.first_name = "黄", "文军"
    supervisor.save()
    return supervisor


def safety(department, day, title, kind="meeting", user=None) -> SafetyActivity:
    return SafetyActivity.objects.create(
        department=department, date=day, title=title, kind=kind, updated_by=user
    )


@pytest.fixture
def october(safety_count, dept_a, clerk_a):
    """Two safety activities in October 2021: the count is 2."""
    return [
        safety(dept_a, datetime.date(YEAR, OCTOBER, 8), "十月安全例会", user=clerk_a),
        safety(
            dept_a,
            datetime.date(YEAR, OCTOBER, 15),
            "十月安全检查",
            kind="inspection",
            user=clerk_a,
        ),
    ]


def the_return(department, month: int) -> MonthlyReturn:
    year = AssessmentYear.objects.get(year=YEAR)
    return returns.get_or_create_return(year, department, month)


def in_time(month: int) -> datetime.date:
    """A day on which the month could still be submitted (before the 10th after it)."""
    return datetime.date(YEAR, month + 1, 5)


def approve(department, month, clerk, supervisor) -> MonthlyReturn:
    monthly_return = the_return(department, month)
    returns.submit_return(clerk, monthly_return, on=in_time(month))
    return returns.approve_return(supervisor, monthly_return)


def put_in_state(state: str, department, clerk, supervisor) -> None:
    """October as the test wants it: approved, submitted or simply past its deadline."""
    if state == "approved":
        approve(department, OCTOBER, clerk, supervisor)
    elif state == "submitted":
        returns.submit_return(clerk, the_return(department, OCTOBER), on=in_time(10))
    else:
        assert state == "overdue"  # nothing entered and never reopened


def reopen(department, month, supervisor, reason="补录安全活动") -> MonthlyReturn:
    return returns.reopen_return(supervisor, the_return(department, month), reason)


@pytest.fixture
def september_open(safety_count, dept_a, reviewer):
    """September reopened by the supervisor, so its records may change."""
    return reopen(dept_a, SEPTEMBER, reviewer)


def count(department, month: int = OCTOBER) -> Decimal:
    indicator = Indicator.objects.get(code="safety_activities")
    values = periods.computed_values([indicator], department, YEAR, month)
    return values[indicator.pk].value


def snapshot() -> dict[str, object]:
    """Records, returns, figures and the audit trail: what a refusal must not touch."""
    return {
        "safety": list(
            SafetyActivity.objects.order_by("pk").values_list(
                "pk", "department_id", "date", "title", "kind", "version"
            )
        ),
        "donations": list(Donation.objects.order_by("pk").values_list("pk", "date")),
        "returns": list(
            MonthlyReturn.objects.order_by("pk").values_list(
                "pk", "month", "status", "version", "reopened_at"
            )
        ),
        "figures": list(Figure.objects.values_list("pk", "value", "version")),
        "versions": list(DataVersion.objects.values_list("department_id", "version")),
        "audit": (
            SafetyActivity.history.count(),
            Donation.history.count(),
            MonthlyReturn.history.count(),
        ),
    }


def add_url(kind: str = "safety") -> str:
    return reverse("bureau:record-add", args=[kind])


def edit_url(record, kind: str = "safety") -> str:
    return reverse("bureau:record-edit", args=[kind, record.pk])


def delete_url(record, kind: str = "safety") -> str:
    return reverse("bureau:record-delete", args=[kind, record.pk])


def safety_data(department, day, title="安全生产月培训", kind="training", **extra):
    data = {
        "department": department.pk,
        "kind": kind,
        "date": day.isoformat(),
        "title": title,
        "participants": "",
        "fatalities": "",
        "description": "",
        "once": str(uuid.uuid4()),
    }
    data.update(extra)
    return data


def edit_data(record, **changes):
    data = {
        "department": record.department_id,
        "kind": record.kind,
        "date": record.date.isoformat(),
        "title": record.title,
        "participants": record.participants or "",
        "fatalities": record.fatalities or "",
        "description": record.description,
        "version": record.version,
    }
    data.update(changes)
    if isinstance(data["date"], datetime.date):
        data["date"] = data["date"].isoformat()
    return data


def form_errors(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    return list(response.context["form"].non_field_errors())


def error_messages(response) -> list[str]:
    return [
        str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"
    ]


#: Who can reopen a month nobody reviewed yet, as the message says it.
SOMEONE = "A supervisor"


def a_supervisor() -> str:
    with translation.override("zh-hans"):
        return translation.gettext(SOMEONE)


def assert_names_month_and_reopener(message: str, state: str, reviewer) -> None:
    assert OCTOBER_LABEL in message, message
    assert "安全活动次数" in message, message
    who = reviewer.display_name if state == "approved" else a_supervisor()
    assert who in message, message


STATES = ["approved", "submitted", "overdue"]


# --- the bureau's case ------------------------------------------------------------------


def test_a_safety_activity_in_an_approved_october_is_refused_and_the_count_stays(
    client_a, dept_a, clerk_a, reviewer, october
):
    approve(dept_a, OCTOBER, clerk_a, reviewer)
    assert count(dept_a) == 2
    before = snapshot()
    response = client_a.post(
        add_url(), safety_data(dept_a, LOCKED_DAY, "安全隐患排查", "inspection")
    )
    [message] = form_errors(response)
    assert_names_month_and_reopener(message, "approved", reviewer)
    assert snapshot() == before
    assert count(dept_a) == 2
    assert MonthlyReturn.objects.get(month=OCTOBER).status == ReturnStatus.APPROVED


# --- create, edit, delete, re-date: refused in every locked state -----------------------


@pytest.mark.parametrize("state", STATES)
def test_adding_a_record_is_refused(
    state, client_a, dept_a, clerk_a, reviewer, october
):
    put_in_state(state, dept_a, clerk_a, reviewer)
    before = snapshot()
    response = client_a.post(add_url(), safety_data(dept_a, LOCKED_DAY))
    [message] = form_errors(response)
    assert_names_month_and_reopener(message, state, reviewer)
    assert snapshot() == before
    assert count(dept_a) == 2


@pytest.mark.parametrize("state", STATES)
def test_editing_a_record_is_refused(
    state, client_a, dept_a, clerk_a, reviewer, october
):
    put_in_state(state, dept_a, clerk_a, reviewer)
    record = october[0]
    before = snapshot()
    response = client_a.post(
        edit_url(record), edit_data(record, title="十月安全例会（改）")
    )
    [message] = form_errors(response)
    assert_names_month_and_reopener(message, state, reviewer)
    assert snapshot() == before


@pytest.mark.parametrize("state", STATES)
def test_deleting_a_record_is_refused(
    state, client_a, dept_a, clerk_a, reviewer, october
):
    put_in_state(state, dept_a, clerk_a, reviewer)
    before = snapshot()
    response = client_a.post(delete_url(october[0]))
    assert response.status_code == 302
    [message] = error_messages(response)
    assert_names_month_and_reopener(message, state, reviewer)
    assert snapshot() == before
    assert count(dept_a) == 2


@pytest.mark.parametrize("state", STATES)
def test_moving_a_record_into_a_locked_month_is_refused(
    state, client_a, dept_a, clerk_a, reviewer, october, september_open
):
    put_in_state(state, dept_a, clerk_a, reviewer)
    record = safety(dept_a, OPEN_DAY, "九月安全例会", user=clerk_a)
    before = snapshot()
    response = client_a.post(edit_url(record), edit_data(record, date=LOCKED_DAY))
    [message] = form_errors(response)
    assert_names_month_and_reopener(message, state, reviewer)
    assert snapshot() == before
    assert count(dept_a) == 2 and count(dept_a, SEPTEMBER) == 1


@pytest.mark.parametrize("state", STATES)
def test_moving_a_record_out_of_a_locked_month_is_refused(
    state, client_a, dept_a, clerk_a, reviewer, october, september_open
):
    put_in_state(state, dept_a, clerk_a, reviewer)
    record = october[0]
    before = snapshot()
    response = client_a.post(edit_url(record), edit_data(record, date=OPEN_DAY))
    [message] = form_errors(response)
    assert_names_month_and_reopener(message, state, reviewer)
    assert snapshot() == before
    assert count(dept_a) == 2 and count(dept_a, SEPTEMBER) == 0


def test_turning_an_accident_into_a_counted_activity_is_refused(
    client_a, dept_a, clerk_a, reviewer, october
):
    accident = safety(dept_a, LOCKED_DAY, "车辆刮擦", kind="accident", user=clerk_a)
    approve(dept_a, OCTOBER, clerk_a, reviewer)
    before = snapshot()
    response = client_a.post(edit_url(accident), edit_data(accident, kind="drill"))
    assert OCTOBER_LABEL in form_errors(response)[0]
    assert snapshot() == before
    assert count(dept_a) == 2


def test_a_supervisor_is_refused_too(
    client_supervisor, dept_a, clerk_a, reviewer, october
):
    approve(dept_a, OCTOBER, clerk_a, reviewer)
    before = snapshot()
    response = client_supervisor.post(add_url(), safety_data(dept_a, LOCKED_DAY))
    assert_names_month_and_reopener(form_errors(response)[0], "approved", reviewer)
    response = client_supervisor.post(delete_url(october[1]))
    assert_names_month_and_reopener(error_messages(response)[0], "approved", reviewer)
    assert snapshot() == before


def test_a_supervisor_cannot_move_another_departments_record_into_the_locked_month(
    client_supervisor, dept_a, dept_b, clerk_a, reviewer, october
):
    """Department B's meetings feed nothing, A's do: moving one to A is a change to A."""
    record = safety(dept_b, LOCKED_DAY, "清运队安全例会")
    approve(dept_a, OCTOBER, clerk_a, reviewer)
    before = snapshot()
    response = client_supervisor.post(
        edit_url(record), edit_data(record, department=dept_a.pk)
    )
    assert OCTOBER_LABEL in form_errors(response)[0]
    assert snapshot() == before


# --- records that feed nothing are not refused ------------------------------------------


def test_a_safety_accident_in_an_approved_month_is_saved(
    client_a, dept_a, clerk_a, reviewer, october
):
    approve(dept_a, OCTOBER, clerk_a, reviewer)
    response = client_a.post(
        add_url(), safety_data(dept_a, LOCKED_DAY, "车辆刮擦", "accident")
    )
    assert response.status_code == 302
    assert SafetyActivity.objects.filter(kind="accident").count() == 1
    assert count(dept_a) == 2
    assert MonthlyReturn.objects.get(month=OCTOBER).status == ReturnStatus.APPROVED


def test_a_kind_the_department_has_no_indicator_for_is_saved(
    client_a, dept_a, clerk_a, reviewer, october
):
    approve(dept_a, OCTOBER, clerk_a, reviewer)
    data = {
        "department": dept_a.pk,
        "date": LOCKED_DAY.isoformat(),
        "title": "献爱心捐款",
        "amount": "3740",
        "items": "",
        "description": "",
        "once": str(uuid.uuid4()),
    }
    response = client_a.post(add_url("donations"), data)
    assert response.status_code == 302
    donation = Donation.objects.get()
    # Edited and deleted alike: nothing it feeds is frozen.
    response = client_a.post(
        reverse("bureau:record-edit", args=["donations", donation.pk]),
        {**data, "amount": "3750", "version": 1},
    )
    assert response.status_code == 302
    assert Donation.objects.get().amount == Decimal(3750)
    response = client_a.post(
        reverse("bureau:record-delete", args=["donations", donation.pk])
    )
    assert not error_messages(response)
    assert not Donation.objects.exists()


def test_another_departments_safety_activity_feeds_nothing_and_is_saved(
    client_b, dept_a, dept_b, clerk_a, reviewer, october
):
    approve(dept_a, OCTOBER, clerk_a, reviewer)
    response = client_b.post(add_url(), safety_data(dept_b, LOCKED_DAY, "清运队例会"))
    assert response.status_code == 302
    assert SafetyActivity.objects.filter(department=dept_b).count() == 1
    assert count(dept_a) == 2


def test_records_dated_outside_any_assessment_year_are_saved(
    client_a, dept_a, clerk_a, reviewer, october
):
    approve(dept_a, OCTOBER, clerk_a, reviewer)
    response = client_a.post(
        add_url(), safety_data(dept_a, datetime.date(2020, OCTOBER, 20))
    )
    assert response.status_code == 302
    assert SafetyActivity.objects.filter(date__year=2020).count() == 1


# --- reopened, the change goes through and the month goes round again -------------------


def test_once_reopened_the_record_is_saved_and_the_month_needs_approval_again(
    client_a, client_supervisor, dept_a, clerk_a, reviewer, october
):
    approve(dept_a, OCTOBER, clerk_a, reviewer)
    month_args = [YEAR, dept_a.code, OCTOBER]
    response = client_supervisor.post(
        reverse("assessment:reopen", args=month_args), {"reason": "补录10月安全检查"}
    )
    assert not error_messages(response)
    response = client_a.post(
        add_url(), safety_data(dept_a, LOCKED_DAY, "安全隐患排查", "inspection")
    )
    assert response.status_code == 302
    assert count(dept_a) == 3
    monthly_return = MonthlyReturn.objects.get(month=OCTOBER)
    assert monthly_return.status == ReturnStatus.DRAFT
    assert monthly_return.reopen_reason == "补录10月安全检查"
    # Edits and deletes go through too while it is open.
    added = SafetyActivity.objects.get(title="安全隐患排查")
    response = client_a.post(edit_url(added), edit_data(added, title="安全隐患大排查"))
    assert response.status_code == 302
    # The month goes round again: submitted, then approved, and locked once more.
    client_a.post(reverse("assessment:submit", args=month_args))
    assert MonthlyReturn.objects.get(month=OCTOBER).status == ReturnStatus.SUBMITTED
    client_supervisor.post(reverse("assessment:approve", args=month_args))
    assert MonthlyReturn.objects.get(month=OCTOBER).status == ReturnStatus.APPROVED
    before = snapshot()
    response = client_a.post(delete_url(added))
    assert OCTOBER_LABEL in error_messages(response)[0]
    assert snapshot() == before
    assert count(dept_a) == 3


def test_the_server_refuses_whatever_the_page_showed(
    client_a, dept_a, clerk_a, reviewer, october
):
    """The forms were opened while October was open; it was approved before the post."""
    reopen(dept_a, OCTOBER, reviewer)
    add_form = client_a.get(add_url())
    token = add_form.context["form"]["once"].value()
    edit_form = client_a.get(edit_url(october[0]))
    assert edit_form.status_code == 200
    returns.submit_return(clerk_a, the_return(dept_a, OCTOBER))
    returns.approve_return(reviewer, the_return(dept_a, OCTOBER))
    before = snapshot()
    response = client_a.post(
        add_url(), safety_data(dept_a, LOCKED_DAY, once=str(token))
    )
    assert_names_month_and_reopener(form_errors(response)[0], "approved", reviewer)
    response = client_a.post(
        edit_url(october[0]), edit_data(october[0], title="改过的标题")
    )
    assert_names_month_and_reopener(form_errors(response)[0], "approved", reviewer)
    response = client_a.post(delete_url(october[0]))
    assert error_messages(response)
    assert snapshot() == before


def test_the_domain_functions_refuse_without_any_page(
    dept_a, clerk_a, reviewer, october
):
    from assessment import spine
    from sanitation.bureau import records

    approve(dept_a, OCTOBER, clerk_a, reviewer)
    before = snapshot()
    with pytest.raises(spine.Refused) as refused:
        records.delete_record(october[0], clerk_a)
    assert refused.value.code == "locked"
    assert snapshot() == before


def test_a_submitted_month_says_it_is_returned_for_changes_not_reopened(
    settings, client_a, dept_a, clerk_a, reviewer, october
):
    """A submitted month cannot be reopened: the supervisor approves or returns it."""
    settings.LANGUAGE_CODE = "en"
    put_in_state("submitted", dept_a, clerk_a, reviewer)
    response = client_a.post(add_url(), safety_data(dept_a, LOCKED_DAY))
    [message] = form_errors(response)
    assert "October 2021" in message
    assert "return the month" in message and "reopen" not in message
    approve(dept_a, SEPTEMBER, clerk_a, reviewer)
    response = client_a.post(add_url(), safety_data(dept_a, OPEN_DAY))
    assert "黄文军 can reopen the month" in form_errors(response)[0]


def test_a_month_that_has_not_started_does_not_freeze_its_records(
    monkeypatch, client_a, dept_a, safety_count
):
    """Only submitted, approved and past-deadline months are frozen: a record dated
    ahead (a planned drill) is no change to figures anyone has reported."""
    monkeypatch.setattr(
        "django.utils.timezone.localdate", lambda *a, **k: datetime.date(YEAR, 3, 5)
    )
    response = client_a.post(add_url(), safety_data(dept_a, LOCKED_DAY, kind="drill"))
    assert response.status_code == 302, form_errors(response)
    assert count(dept_a) == 1
