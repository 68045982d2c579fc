"""Submit, return, resubmit, approve and reopen a month; the locks that follow."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment import spine
from assessment.figures import periods, returns
from assessment.figures.workflow import ReturnStatus
from assessment.models import Figure, MonthlyReturn

YEAR = timezone.localdate().year
TODAY = datetime.date(YEAR, 3, 5)
MONTH = 2


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def url(name: str, month: int = MONTH, code: str = "dept-a") -> str:
    return reverse(f"assessment:{name}", args=[YEAR, code, month])


@pytest.fixture
def draft(year, dept_a, clerk_a, catalogue) -> MonthlyReturn:
    """February of department A with its two figures typed in."""
    monthly_return = returns.get_or_create_return(year, dept_a, MONTH)
    returns.save_figures(
        clerk_a,
        monthly_return.year,
        monthly_return.department,
        monthly_return.month,
        [
            returns.FigureRow(catalogue["area"], Decimal("150.5"), "", 0),
            returns.FigureRow(catalogue["pits"], Decimal(1400), "", 0),
        ],
        on=TODAY,
    )
    return monthly_return


@pytest.fixture
def submitted(draft, clerk_a) -> MonthlyReturn:
    return returns.submit_return(clerk_a, draft, on=TODAY)


def status() -> str:
    return MonthlyReturn.objects.get(month=MONTH).status


def snapshot() -> tuple:
    return (
        sorted(Figure.objects.values_list("indicator_id", "value", "note", "version")),
        sorted(
            MonthlyReturn.objects.values_list(
                "department_id", "month", "status", "comment", "reopened_at"
            )
        ),
        Figure.history.count(),
        MonthlyReturn.history.count(),
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- submit ---------------------------------------------------------------------------


def test_clerk_submits_a_month(client_a, clerk_a, draft):
    response = client_a.post(url("submit"))
    assert response.status_code == 302
    monthly_return = MonthlyReturn.objects.get()
    assert monthly_return.status == ReturnStatus.SUBMITTED
    assert monthly_return.submitted_by == clerk_a
    assert monthly_return.history.latest().history_user == clerk_a
    page = client_a.get(url("entry")).content.decode()
    assert 'id="lock-reason"' in page and 'id="save-button"' not in page


def test_a_submitted_month_refuses_edits(client_a, submitted, catalogue):
    area = catalogue["area"]
    before = snapshot()
    client_a.post(
        url("entry"),
        {
            f"f-{area.pk}-value": "120",
            f"f-{area.pk}-note": "",
            f"f-{area.pk}-version": "1",
        },
    )
    assert snapshot() == before


def test_an_empty_month_cannot_be_submitted(client_a, catalogue):
    response = client_a.post(url("submit"), follow=True)
    assert not MonthlyReturn.objects.exclude(status=ReturnStatus.DRAFT).exists()
    assert messages_of(response)


def test_the_other_clerk_cannot_submit(client_b, draft):
    before = snapshot()
    assert client_b.post(url("submit")).status_code == 404
    assert snapshot() == before


def test_a_leader_cannot_submit(client_leader, draft):
    before = snapshot()
    assert client_leader.post(url("submit")).status_code == 403
    assert snapshot() == before


def test_a_supervisor_may_submit_for_a_department(client_supervisor, draft):
    client_supervisor.post(url("submit"))
    assert status() == ReturnStatus.SUBMITTED


def test_submit_twice_changes_nothing_the_second_time(client_a, draft):
    client_a.post(url("submit"))
    before = snapshot()
    response = client_a.post(url("submit"), follow=True)
    assert snapshot() == before
    assert messages_of(response)


def test_actions_refuse_get(client_supervisor, submitted):
    # GET of submit is its confirmation page (tests/test_review_queue.py).
    for name in ("approve", "return", "reopen"):
        assert client_supervisor.get(url(name)).status_code == 405
    assert status() == ReturnStatus.SUBMITTED


def test_anonymous_actions_go_to_login(client, submitted):
    for name in ("submit", "approve", "return", "reopen"):
        response = client.post(url(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert status() == ReturnStatus.SUBMITTED


# --- review ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["approve", "return", "reopen"])
def test_clerks_and_leaders_cannot_review(client_a, client_leader, submitted, name):
    before = snapshot()
    data = {"comment": "x", "reason": "x"}
    assert client_a.post(url(name), data).status_code == 403
    assert client_leader.post(url(name), data).status_code == 403
    assert snapshot() == before


def test_the_other_clerk_cannot_review(client_b, submitted):
    before = snapshot()
    for name in ("approve", "return", "reopen"):
        assert client_b.post(url(name), {"comment": "x"}).status_code == 403
    assert snapshot() == before


def test_supervisor_approves_and_the_month_locks(
    client_supervisor, client_a, supervisor, submitted, catalogue
):
    client_supervisor.post(url("approve"))
    monthly_return = MonthlyReturn.objects.get()
    assert monthly_return.status == ReturnStatus.APPROVED
    assert monthly_return.reviewed_by == supervisor
    assert monthly_return.history.latest().history_user == supervisor
    page = client_a.get(url("entry")).content.decode()
    assert "disabled" in page and 'id="submit-button"' not in page
    area = catalogue["area"]
    before = snapshot()
    response = client_a.post(
        url("entry"),
        {
            f"f-{area.pk}-value": "120",
            f"f-{area.pk}-note": "",
            f"f-{area.pk}-version": "1",
        },
        follow=True,
    )
    assert snapshot() == before
    assert messages_of(response)


def test_a_draft_cannot_be_approved(client_supervisor, draft):
    before = snapshot()
    response = client_supervisor.post(url("approve"), follow=True)
    assert snapshot() == before
    assert messages_of(response)


def test_returning_needs_a_comment(client_supervisor, submitted):
    before = snapshot()
    response = client_supervisor.post(url("return"), {"comment": "   "}, follow=True)
    assert snapshot() == before
    assert status() == ReturnStatus.SUBMITTED
    assert messages_of(response)


def test_return_then_resubmit_then_approve(
    client_supervisor, client_a, supervisor, submitted, catalogue
):
    comment = "垃圾池数量与上月差异较大，请核实。"
    client_supervisor.post(url("return"), {"comment": comment})
    monthly_return = MonthlyReturn.objects.get()
    assert monthly_return.status == ReturnStatus.RETURNED
    assert monthly_return.comment == comment
    assert monthly_return.reviewed_by == supervisor
    # The clerk sees the comment on the page and on the board, and may correct.
    page = client_a.get(url("entry")).content.decode()
    assert comment in page and 'id="save-button"' in page
    board = client_a.get(reverse("assessment:board", args=[YEAR])).content.decode()
    assert comment in board
    pits, area = catalogue["pits"], catalogue["area"]
    client_a.post(
        url("entry"),
        {
            f"f-{area.pk}-value": "150.5",
            f"f-{area.pk}-note": "",
            f"f-{area.pk}-version": "1",
            f"f-{pits.pk}-value": "1350",
            f"f-{pits.pk}-note": "",
            f"f-{pits.pk}-version": "1",
        },
    )
    assert Figure.objects.get(indicator=pits).value == Decimal(1350)
    client_a.post(url("submit"))
    assert status() == ReturnStatus.SUBMITTED
    client_supervisor.post(url("approve"))
    assert status() == ReturnStatus.APPROVED
    statuses = list(
        MonthlyReturn.history.order_by("history_date").values_list("status", flat=True)
    )
    assert statuses == ["draft", "submitted", "returned", "submitted", "approved"]


def test_a_comment_with_html_is_shown_escaped(client_supervisor, client_a, submitted):
    client_supervisor.post(url("return"), {"comment": "<b>check</b>"})
    page = client_a.get(url("entry")).content.decode()
    assert "&lt;b&gt;check&lt;/b&gt;" in page and "<b>check</b>" not in page


# --- reopen ---------------------------------------------------------------------------


def test_reopening_needs_a_reason(client_supervisor, submitted):
    client_supervisor.post(url("approve"))
    before = snapshot()
    response = client_supervisor.post(url("reopen"), {"reason": ""}, follow=True)
    assert snapshot() == before
    assert messages_of(response)


def test_reopen_an_approved_month_then_approve_again(
    client_supervisor, client_a, submitted, catalogue
):
    client_supervisor.post(url("approve"))
    client_supervisor.post(url("reopen"), {"reason": "区里要求更正清扫面积"})
    monthly_return = MonthlyReturn.objects.get()
    assert monthly_return.status == ReturnStatus.DRAFT
    assert monthly_return.reopened_at is not None
    assert monthly_return.reopen_reason == "区里要求更正清扫面积"
    area = catalogue["area"]
    client_a.post(
        url("entry"),
        {
            f"f-{area.pk}-value": "151",
            f"f-{area.pk}-note": "",
            f"f-{area.pk}-version": "1",
        },
    )
    assert Figure.objects.get(indicator=area).value == Decimal(151)
    client_a.post(url("submit"))
    client_supervisor.post(url("approve"))
    monthly_return.refresh_from_db()
    assert monthly_return.status == ReturnStatus.APPROVED
    assert monthly_return.reopened_at is None


def test_a_submitted_month_is_not_reopened(client_supervisor, submitted):
    before = snapshot()
    client_supervisor.post(url("reopen"), {"reason": "x"})
    assert snapshot() == before


def test_a_month_within_its_deadline_is_not_reopened(client_supervisor, draft):
    before = snapshot()
    client_supervisor.post(url("reopen"), {"reason": "x"})
    assert snapshot() == before


# --- deadline -------------------------------------------------------------------------


def test_the_deadline_locks_a_month_until_a_supervisor_reopens_it(
    client_a, client_supervisor, catalogue
):
    area = catalogue["area"]
    data = {
        f"f-{area.pk}-value": "150",
        f"f-{area.pk}-note": "",
        f"f-{area.pk}-version": "0",
    }
    client_a.post(url("entry", month=1), data)
    assert not Figure.objects.exists()
    page = client_a.get(url("entry", month=1)).content.decode()
    assert 'id="lock-reason"' in page
    client_a.post(url("submit", month=1))
    assert not MonthlyReturn.objects.exclude(status=ReturnStatus.DRAFT).exists()

    client_supervisor.post(url("reopen", month=1), {"reason": "补报一月"})
    client_a.post(url("entry", month=1), data)
    assert Figure.objects.get(indicator=area).value == Decimal(150)
    client_a.post(url("submit", month=1))
    assert MonthlyReturn.objects.get(month=1).status == ReturnStatus.SUBMITTED


def test_a_month_returned_after_its_deadline_can_be_corrected(
    clerk_a, supervisor, submitted, catalogue
):
    after_deadline = datetime.date(YEAR, 3, 20)
    returns.send_back_return(supervisor, submitted, "请更正", on=after_deadline)
    submitted.refresh_from_db()
    facts = periods.month_facts(submitted, submitted.year, MONTH, has_figures=True)
    from assessment.figures import workflow

    assert workflow.lock_reason(facts, after_deadline) is None
    returns.save_figures(
        clerk_a,
        submitted.year,
        submitted.department,
        submitted.month,
        [returns.FigureRow(catalogue["area"], Decimal(160), "", 1)],
        on=after_deadline,
    )
    returns.submit_return(clerk_a, submitted, on=after_deadline)
    submitted.refresh_from_db()
    assert submitted.status == ReturnStatus.SUBMITTED


def test_the_deadline_is_checked_on_the_server_for_submit(clerk_a, draft):
    with pytest.raises(spine.Refused):
        returns.submit_return(clerk_a, draft, on=datetime.date(YEAR, 3, 11))
    draft.refresh_from_db()
    assert draft.status == ReturnStatus.DRAFT


# --- a closed year --------------------------------------------------------------------


def test_a_closed_year_refuses_every_change(
    client_a, client_supervisor, submitted, year, catalogue
):
    year.status = "closed"
    year.save()
    before = snapshot()
    area = catalogue["area"]
    client_a.post(
        url("entry"),
        {
            f"f-{area.pk}-value": "1",
            f"f-{area.pk}-note": "",
            f"f-{area.pk}-version": "1",
        },
    )
    client_a.post(url("submit"))
    client_supervisor.post(url("approve"))
    client_supervisor.post(url("return"), {"comment": "x"})
    client_supervisor.post(url("reopen"), {"reason": "x"})
    client_supervisor.post(url("submit"))
    assert snapshot() == before
    page = client_supervisor.get(url("entry")).content.decode()
    assert 'id="approve-button"' not in page


@pytest.mark.parametrize(
    "action",
    [
        lambda user, mr: returns.approve_return(user, mr),
        lambda user, mr: returns.send_back_return(user, mr, "x", on=TODAY),
        lambda user, mr: returns.reopen_return(user, mr, "x", on=TODAY),
        lambda user, mr: returns.submit_return(user, mr, on=TODAY),
    ],
)
def test_domain_operations_refuse_a_closed_year(supervisor, submitted, year, action):
    year.status = "closed"
    year.save()
    with pytest.raises(spine.Refused):
        action(supervisor, submitted)
    assert status() == ReturnStatus.SUBMITTED
