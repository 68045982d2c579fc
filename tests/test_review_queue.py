"""The supervisors' review queue, bulk approval, the step to the next item, the clerk's
board order, the confirmation before submitting, and a resubmitted month's review."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessment.figures import queue, returns
from assessment.figures.workflow import ReturnStatus
from assessment.models import AssessmentYear, Department, MonthlyReturn

YEAR = timezone.localdate().year
TODAY = datetime.date(YEAR, 3, 5)
MONTH = 2
UTC = datetime.UTC


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def at(day: int, hour: int = 9) -> datetime.datetime:
    return datetime.datetime(YEAR, 3, day, hour, tzinfo=UTC)


def entry_url(code: str = "dept-a", month: int = MONTH) -> str:
    return reverse("assessment:entry", args=[YEAR, code, month])


def action_url(name: str, code: str = "dept-a", month: int = MONTH) -> str:
    return reverse(f"assessment:{name}", args=[YEAR, code, month])


QUEUE = "/review/"
BULK = "/review/approve/"


def submit(clerk, department, indicator, value, *, month=MONTH, when=None):
    """A month typed and submitted by `clerk`, submitted at `when` (default: now)."""
    monthly_return = returns.get_or_create_return(
        AssessmentYear.objects.get(year=YEAR), department, month
    )
    stored = monthly_return.figures.filter(indicator=indicator).first()
    returns.save_figures(
        clerk,
        monthly_return.year,
        department,
        month,
        [
            returns.FigureRow(
                indicator, Decimal(value), "", stored.version if stored else 0
            )
        ],
        on=TODAY,
    )
    submitted = returns.submit_return(clerk, monthly_return, on=TODAY)
    if when is not None:
        MonthlyReturn.objects.filter(pk=submitted.pk).update(submitted_at=when)
        submitted.refresh_from_db()
    return submitted


@pytest.fixture
def two_queued(year, dept_a, dept_b, clerk_a, clerk_b, catalogue):
    """B's February submitted on 3 March, A's on 4 March: B is first in the queue."""
    b = submit(clerk_b, dept_b, catalogue["waste"], "5000", when=at(3))
    a = submit(clerk_a, dept_a, catalogue["area"], "150", when=at(4))
    return a, b


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- pure functions ---------------------------------------------------------------------


@dataclass
class Cell:
    month: int
    state: str


def test_board_order_puts_overdue_then_returned_first_then_month_order():
    cells = [
        Cell(1, "approved"),
        Cell(2, "returned"),
        Cell(3, "overdue"),
        Cell(4, "draft"),
        Cell(5, "overdue"),
        Cell(6, "not_due"),
    ]
    urgent, rest = queue.board_order(cells)
    assert [(c.month, c.state) for c in urgent] == [
        (3, "overdue"),
        (5, "overdue"),
        (2, "returned"),
    ]
    assert [c.month for c in rest] == [1, 4, 6]


def test_board_order_without_anything_urgent_is_month_order():
    urgent, rest = queue.board_order([Cell(3, "draft"), Cell(1, "approved")])
    assert urgent == [] and [c.month for c in rest] == [1, 3]


def key(pk: int, day: int | None) -> queue.QueueKey:
    return queue.QueueKey(submitted_at=at(day) if day else None, pk=pk)


def test_queue_order_is_oldest_submission_first_ties_by_id_unknown_last():
    keys = [key(1, 5), key(2, None), key(3, 2), key(4, 5), key(5, 3)]
    assert [k.pk for k in queue.queue_order(keys)] == [3, 5, 1, 4, 2]


def test_next_in_queue_is_the_one_behind_else_the_oldest_else_none():
    keys = [key(1, 2), key(2, 3), key(3, 4)]
    assert queue.next_in_queue(keys, key(2, 3)).pk == 3
    assert queue.next_in_queue(keys, key(3, 4)).pk == 1  # reviewed last: wrap
    assert queue.next_in_queue(keys, key(9, 1)).pk == 1  # already left the queue
    assert queue.next_in_queue([key(1, 2)], key(1, 2)) is None
    assert queue.next_in_queue([], key(1, 2)) is None


def state(status: str, comment: str = "", day: int = 1) -> queue.ReturnState:
    return queue.ReturnState(
        status=status,
        comment=comment,
        reviewed_by="黄文军",
        reviewed_at=at(day),
        at=at(day),
    )


def test_earlier_return_is_the_last_return_not_settled_by_an_approval():
    assert queue.earlier_return([]) is None
    found = queue.earlier_return([state("returned", "请核对", 2)])
    assert found == queue.EarlierReturn(comment="请核对", who="黄文军", when=at(2))
    assert (
        queue.earlier_return(
            [state("returned", "请核对", 2), state("approved", "请核对", 3)]
        )
        is None
    )
    later = queue.earlier_return(
        [
            state("returned", "一", 2),
            state("approved", "一", 3),
            state("returned", "二", 4),
        ]
    )
    assert later is not None and later.comment == "二"


def figure(indicator: int, day: int, value: str | None, note="", deleted=False):
    return queue.FigureState(
        figure_id=indicator * 10,
        indicator_id=indicator,
        at=at(day),
        deleted=deleted,
        value=Decimal(value) if value is not None else None,
        note=note,
    )


def test_changes_since_lists_what_differs_from_the_moment():
    states = [
        figure(1, 1, "150"),
        figure(1, 3, "140"),  # changed after the return
        figure(2, 1, "1400"),  # untouched
        figure(3, 3, "7"),  # new after the return
        figure(4, 1, "5"),
        figure(4, 3, "5", deleted=True),  # deleted after it
        figure(5, 1, "9"),
        figure(5, 3, "8"),
        figure(5, 4, "9"),  # changed and changed back: no change
        figure(6, 1, "1"),
        figure(6, 3, "1", note="已核对"),  # the note only
    ]
    changes = {c.indicator_id: c for c in queue.changes_since(states, at(2))}
    assert set(changes) == {1, 3, 4, 6}
    assert (changes[1].before, changes[1].after) == (Decimal(150), Decimal(140))
    assert (changes[3].before, changes[3].after) == (None, Decimal(7))
    assert (changes[4].before, changes[4].after) == (Decimal(5), None)
    assert changes[6].note_after == "已核对"


# --- the queue ----------------------------------------------------------------------------


def test_supervisor_sees_the_queue_oldest_first_with_lateness(
    client_supervisor, two_queued
):
    a, b = two_queued
    response = client_supervisor.get(QUEUE)
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [row.monthly_return.pk for row in rows] == [b.pk, a.pk]
    assert all(row.days_late == 0 for row in rows)
    body = response.content.decode()
    assert "垃圾清运队" in body and "清扫保洁队" in body
    assert entry_url("dept-b") in body
    MonthlyReturn.objects.filter(pk=a.pk).update(submitted_at=at(13))
    late = client_supervisor.get(QUEUE).context["rows"][1]
    assert late.days_late == 3
    assert 'data-days-late="3"' in client_supervisor.get(QUEUE).content.decode()


def test_queue_shows_the_earlier_return_and_whether_it_was_addressed(
    client_supervisor, supervisor, clerk_a, clerk_b, two_queued, catalogue, dept_a
):
    a, b = two_queued
    returns.send_back_return(supervisor, a, "面积请核实", on=TODAY)
    returns.send_back_return(supervisor, b, "清运量请核实", on=TODAY)
    submit(clerk_a, dept_a, catalogue["area"], "140")  # corrected
    returns.submit_return(clerk_b, MonthlyReturn.objects.get(pk=b.pk), on=TODAY)
    rows = {
        row.monthly_return.pk: row
        for row in client_supervisor.get(QUEUE).context["rows"]
    }
    assert rows[a.pk].earlier_return.comment == "面积请核实"
    assert rows[a.pk].earlier_return.who == supervisor.display_name
    assert rows[a.pk].addressed and rows[a.pk].changed_since == 1
    assert rows[b.pk].earlier_return.comment == "清运量请核实"
    assert not rows[b.pk].addressed
    body = client_supervisor.get(QUEUE).content.decode()
    assert 'data-addressed="yes"' in body and 'data-addressed="no"' in body


def test_queue_counts_each_months_values_flagged_for_follow_up(
    client_supervisor, supervisor, two_queued
):
    from assessment.models import Figure
    from assessment.quality import followups

    a, b = two_queued
    follow_up = followups.mark(
        supervisor, Figure.objects.get(monthly_return=a), "面积与上月差异较大"
    )
    rows = {
        row.monthly_return.pk: row
        for row in client_supervisor.get(QUEUE).context["rows"]
    }
    assert (rows[a.pk].follow_ups, rows[b.pk].follow_ups) == (1, 0)
    body = client_supervisor.get(QUEUE).content.decode()
    assert body.count("follow-up-count") == 1 and "1 项待核实" in body
    followups.resolve(supervisor, follow_up, "已与台账核对")
    assert "follow-up-count" not in client_supervisor.get(QUEUE).content.decode()


def test_queue_leaves_out_closed_years_and_filters_by_year(
    client_supervisor, two_queued, year
):
    assert len(client_supervisor.get(f"{QUEUE}?year={YEAR}").context["rows"]) == 2
    assert client_supervisor.get(f"{QUEUE}?year={YEAR - 1}").context["rows"] == []
    AssessmentYear.objects.filter(pk=year.pk).update(status="closed")
    response = client_supervisor.get(QUEUE)
    assert response.context["rows"] == []
    assert 'id="queue-empty"' in response.content.decode()


@pytest.mark.parametrize("who", ["client_a", "client_leader"])
def test_clerks_and_leaders_may_not_open_the_queue(request, who, two_queued):
    client = request.getfixturevalue(who)
    assert client.get(QUEUE).status_code == 403
    assert client.get(f"{BULK}?m={two_queued[0].pk}").status_code == 403
    assert client.post(BULK, {"m": [str(two_queued[0].pk)]}).status_code == 403
    assert MonthlyReturn.objects.filter(status=ReturnStatus.APPROVED).count() == 0


def test_queue_needs_login():
    for url in (QUEUE, BULK):
        response = Client().get(url)
        assert response.status_code == 302 and "login" in response["Location"]


def test_the_year_home_of_a_supervisor_is_that_years_queue(client_supervisor, year):
    response = client_supervisor.get(
        reverse("assessment:switch-year") + f"?year={YEAR}&next=/review/"
    )
    assert response["Location"] == f"{QUEUE}?year={YEAR}"


# --- the next item after a review -----------------------------------------------------------


def test_approving_opens_the_next_item_then_says_the_queue_is_empty(
    client_supervisor, two_queued
):
    a, b = two_queued
    response = client_supervisor.post(action_url("approve", "dept-b"))
    assert response.status_code == 302 and response["Location"] == entry_url("dept-a")
    page = client_supervisor.get(response["Location"])
    text = " ".join(messages_of(page))
    assert "垃圾清运队" in text and "清扫保洁队" in text
    response = client_supervisor.post(action_url("approve", "dept-a"), follow=True)
    assert response.redirect_chain[-1][0] == QUEUE
    assert 'id="queue-empty"' in response.content.decode()
    assert any("清扫保洁队" in m for m in messages_of(response))
    assert MonthlyReturn.objects.filter(status=ReturnStatus.APPROVED).count() == 2


def test_returning_opens_the_next_item(client_supervisor, two_queued):
    a, b = two_queued
    response = client_supervisor.post(
        action_url("return", "dept-b"), {"comment": "清运量请核实"}
    )
    assert response["Location"] == entry_url("dept-a")
    assert MonthlyReturn.objects.get(pk=b.pk).status == ReturnStatus.RETURNED


def test_a_refused_approval_stays_on_the_month(client_supervisor, two_queued):
    client_supervisor.post(action_url("approve", "dept-b"))
    response = client_supervisor.post(action_url("approve", "dept-b"))
    assert response["Location"] == entry_url("dept-b")


# --- bulk approval ------------------------------------------------------------------------


def test_bulk_approval_confirms_exactly_the_selection(client_supervisor, two_queued):
    a, b = two_queued
    response = client_supervisor.get(BULK, {"m": [f"{a.pk}:{a.version}"]})
    assert response.status_code == 200
    assert [row.monthly_return.pk for row in response.context["rows"]] == [a.pk]
    body = response.content.decode()
    assert "清扫保洁队" in body and "垃圾清运队" not in body
    assert MonthlyReturn.objects.filter(status=ReturnStatus.APPROVED).count() == 0


def test_bulk_confirmation_marks_a_month_resubmitted_since_the_queue(
    client_supervisor, supervisor, clerk_a, two_queued, catalogue, dept_a
):
    a, b = two_queued
    returns.send_back_return(supervisor, a, "面积请核实", on=TODAY)
    submit(clerk_a, dept_a, catalogue["area"], "140")
    response = client_supervisor.get(BULK, {"m": [f"{a.pk}:{a.version}"]})
    assert response.context["changed"] == {a.pk}
    current = MonthlyReturn.objects.get(pk=a.pk).version
    assert f'value="{a.pk}:{current}"' in response.content.decode()
    assert 'data-changed="yes"' in response.content.decode()


def test_bulk_approval_without_a_selection_goes_back(client_supervisor, two_queued):
    response = client_supervisor.get(BULK, follow=True)
    assert response.redirect_chain[-1][0] == QUEUE
    assert messages_of(response)


def test_bulk_approval_approves_each_through_the_spine(
    client_supervisor, supervisor, two_queued
):
    a, b = two_queued
    response = client_supervisor.post(
        BULK, {"m": [f"{a.pk}:{a.version}", f"{b.pk}:{b.version}"]}, follow=True
    )
    assert response.redirect_chain[-1][0] == QUEUE
    for monthly_return in (a, b):
        monthly_return.refresh_from_db()
        assert monthly_return.status == ReturnStatus.APPROVED
        assert monthly_return.reviewed_by == supervisor
        latest = monthly_return.history.latest()
        assert latest.history_user == supervisor and latest.status == "approved"
    assert any("2" in m for m in messages_of(response))


def test_bulk_approval_skips_and_names_a_month_changed_meanwhile(
    client_supervisor, supervisor, clerk_a, two_queued, catalogue, dept_a
):
    a, b = two_queued
    confirmed = {"m": [f"{a.pk}:{a.version}", f"{b.pk}:{b.version}"]}
    # Meanwhile A is returned and resubmitted (a new version), B approved elsewhere.
    returns.send_back_return(supervisor, a, "面积请核实", on=TODAY)
    submit(clerk_a, dept_a, catalogue["area"], "140")
    returns.approve_return(supervisor, b)
    history_before = MonthlyReturn.history.count()
    response = client_supervisor.post(BULK, confirmed, follow=True)
    assert MonthlyReturn.objects.get(pk=a.pk).status == ReturnStatus.SUBMITTED
    assert MonthlyReturn.history.count() == history_before
    warnings = [
        m for m in messages_of(response) if "清扫保洁队" in m or "垃圾清运队" in m
    ]
    assert len(warnings) == 2


# --- the clerk's board ----------------------------------------------------------------------


def test_board_lists_overdue_and_returned_months_first(
    client_a, supervisor, clerk_a, dept_a, catalogue, year
):
    january = returns.get_or_create_return(year, dept_a, 1)  # overdue on 5 March
    submitted = submit(clerk_a, dept_a, catalogue["area"], "150")
    returns.send_back_return(supervisor, submitted, "面积请核实", on=TODAY)
    response = client_a.get(reverse("assessment:board", args=[YEAR]))
    _row, urgent, rest = response.context["ordered"][0]
    assert [(c.month, c.state) for c in urgent] == [(1, "overdue"), (2, "returned")]
    assert [c.month for c in rest] == list(range(3, 13))
    body = response.content.decode()
    assert body.index('data-month="1"') < body.index('data-month="3"')
    assert "board-overdue" in body and "board-returned" in body
    assert january.pk


# --- the confirmation before submitting -------------------------------------------------------


def test_submit_get_shows_what_will_be_submitted_and_that_it_locks(
    client_a, clerk_a, dept_a, catalogue, year
):
    returns.save_figures(
        clerk_a,
        year,
        dept_a,
        MONTH,
        [returns.FigureRow(catalogue["area"], Decimal("150.5"), "核对过", 0)],
        on=TODAY,
    )
    response = client_a.get(action_url("submit"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "150.5" in body and "核对过" in body and "垃圾池清掏" in body
    assert 'id="submit-locks"' in body and 'id="confirm-submit-button"' in body
    assert 'id="submit-missing"' in body  # pits has no figure
    assert MonthlyReturn.objects.get().status == ReturnStatus.DRAFT
    assert client_a.post(action_url("submit")).status_code == 302
    assert MonthlyReturn.objects.get().status == ReturnStatus.SUBMITTED
    again = client_a.get(action_url("submit")).content.decode()
    assert 'id="confirm-submit-button"' not in again and 'id="lock-reason"' in again


def test_the_entry_page_asks_for_the_confirmation_first(client_a, catalogue):
    body = client_a.get(entry_url()).content.decode()
    assert f'method="get" action="{action_url("submit")}"' in body


def test_submit_confirmation_by_role(client_b, client_leader, catalogue):
    assert client_b.get(action_url("submit")).status_code == 404
    assert client_leader.get(action_url("submit")).status_code == 403
    response = Client().get(action_url("submit"))
    assert response.status_code == 302 and "login" in response["Location"]


# --- a resubmitted month's review; a returned month for the supervisor ---------------------


def test_a_resubmitted_month_shows_the_earlier_return_and_what_changed(
    client_supervisor, supervisor, clerk_a, dept_a, catalogue, year
):
    first = submit(clerk_a, dept_a, catalogue["area"], "150")
    returns.send_back_return(supervisor, first, "面积请核实", on=TODAY)
    submit(clerk_a, dept_a, catalogue["area"], "140")
    body = client_supervisor.get(entry_url()).content.decode()
    assert 'id="earlier-return"' in body and "面积请核实" in body
    assert supervisor.display_name in body
    assert 'id="changes-since-return"' in body and "150.0 → 140.0" in body


def test_a_reopened_banner_goes_once_the_month_is_resubmitted(
    client_supervisor, supervisor, clerk_a, dept_a, catalogue, year, monkeypatch
):
    first = submit(clerk_a, dept_a, catalogue["area"], "150")
    # Returned after its deadline: reopened at the same time, with a banner.
    late = datetime.date(YEAR, 3, 20)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: late)
    returns.send_back_return(supervisor, first, "面积请核实", on=late)
    assert MonthlyReturn.objects.get().reopened_at
    assert "alert-info py-2" in client_supervisor.get(entry_url()).content.decode()
    returns.submit_return(clerk_a, MonthlyReturn.objects.get(), on=late)
    body = client_supervisor.get(entry_url()).content.decode()
    assert "alert-info py-2" not in body
    assert 'id="earlier-return"' in body


def test_a_supervisor_sees_a_returned_month_read_only(
    client_supervisor, client_a, supervisor, clerk_a, dept_a, catalogue, year
):
    area = catalogue["area"]
    first = submit(clerk_a, dept_a, area, "150")
    returns.send_back_return(supervisor, first, "面积请核实", on=TODAY)
    response = client_supervisor.get(entry_url())
    body = response.content.decode()
    assert not response.context["editable"]
    assert 'id="save-button"' not in body and 'id="submit-button"' not in body
    assert 'id="lock-reason"' in body
    client_supervisor.post(
        entry_url(),
        {
            f"f-{area.pk}-value": "120",
            f"f-{area.pk}-note": "",
            f"f-{area.pk}-version": "1",
        },
    )
    client_supervisor.post(action_url("submit"))
    monthly_return = MonthlyReturn.objects.get()
    assert monthly_return.status == ReturnStatus.RETURNED
    assert monthly_return.figures.get().value == Decimal(150)
    # The clerk still corrects it.
    assert client_a.get(entry_url()).context["editable"]


# --- query counts -------------------------------------------------------------------------------


def _grow_to(total: int, supervisor, catalogue, year) -> None:
    indicator = catalogue["area"]
    for i in range(Department.objects.count(), total):
        department = Department.objects.create(code=f"d{i}", name=f"队{i}", order=i)
        indicator.departments.add(department)
        monthly_return = submit(supervisor, department, indicator, "150", when=at(4))
        if i % 2:  # half of them were returned once and resubmitted
            returns.send_back_return(supervisor, monthly_return, "请核实", on=TODAY)
            submit(supervisor, department, indicator, "140", when=at(5))


def _count(client: Client, url: str) -> int:
    client.get(url)  # the catalogue's kept values read first (catalogue_cache)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_queue_queries_do_not_grow_with_departments(
    client_supervisor, supervisor, catalogue, year
):
    _grow_to(10, supervisor, catalogue, year)
    at_10 = _count(client_supervisor, QUEUE)
    _grow_to(100, supervisor, catalogue, year)
    assert len(client_supervisor.get(QUEUE).context["rows"]) == 98
    assert _count(client_supervisor, QUEUE) == at_10
