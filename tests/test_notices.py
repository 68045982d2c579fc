"""Notices of events, each kind once, created inside the write; the inbox and the bell
by role; the e-mail choice; the supervisor's urgent reminder (催报)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessment import spine
from assessment.figures import returns
from assessment.figures.workflow import ReturnStatus
from assessment.models import (
    MonthlyReturn,
    Notice,
    NoticeKind,
    NoticeSettings,
    Role,
    SelfAssessmentSubmission,
)
from assessment.models.notices import EmailStatus
from assessment.notices import delivery, events
from assessment.scoring import self_assessment
from tests.conftest import make_user

YEAR = timezone.localdate().year
TODAY = datetime.date(YEAR, 3, 5)
MONTH = 2


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def addresses(clerk_a, clerk_b):
    clerk_a.email = "a@bureau.example"
    clerk_a.save()
    clerk_b.email = "b@bureau.example"
    clerk_b.save()


@pytest.fixture
def submitted(year, dept_a, clerk_a, catalogue) -> MonthlyReturn:
    monthly_return = returns.get_or_create_return(year, dept_a, MONTH)
    returns.save_figures(
        clerk_a,
        year,
        dept_a,
        MONTH,
        [returns.FigureRow(catalogue["area"], Decimal(150), "", 0)],
        on=TODAY,
    )
    return returns.submit_return(clerk_a, monthly_return, on=TODAY)


def month_url(name: str, month: int = MONTH, code: str = "dept-a") -> str:
    return reverse(f"assessment:{name}", args=[YEAR, code, month])


def kinds(user) -> list[str]:
    return list(Notice.objects.filter(recipient=user).values_list("kind", flat=True))


# --- each kind, once ------------------------------------------------------------------


def test_approving_tells_the_departments_clerks_once(
    submitted, supervisor, clerk_a, clerk_b
):
    returns.approve_return(supervisor, submitted)
    notice = Notice.objects.get()
    assert (notice.recipient, notice.kind, notice.month) == (
        clerk_a,
        NoticeKind.APPROVED,
        MONTH,
    )
    assert notice.actor == supervisor
    with pytest.raises(spine.Refused):
        returns.approve_return(supervisor, submitted)
    assert Notice.objects.count() == 1
    assert kinds(clerk_b) == []


def test_every_clerk_of_the_department_is_told(submitted, supervisor, dept_a):
    second = make_user("clerk_a2", Role.CLERK, dept_a)
    make_user("leader_a", Role.LEADER, dept_a)  # not a clerk: not told
    returns.approve_return(supervisor, submitted)
    assert set(Notice.objects.values_list("recipient__username", flat=True)) == {
        "clerk_a",
        second.username,
    }


def test_returning_carries_the_comment(submitted, supervisor, clerk_a):
    returns.send_back_return(supervisor, submitted, "请核对清扫面积", on=TODAY)
    notice = Notice.objects.get(recipient=clerk_a)
    assert notice.kind == NoticeKind.RETURNED
    assert notice.detail == "请核对清扫面积"


def test_return_resubmit_return_is_two_events(submitted, supervisor, clerk_a):
    returns.send_back_return(supervisor, submitted, "first", on=TODAY)
    returns.submit_return(clerk_a, submitted, on=TODAY)
    returns.send_back_return(supervisor, submitted, "second", on=TODAY)
    assert sorted(Notice.objects.values_list("detail", flat=True)) == [
        "first",
        "second",
    ]


def test_reopening_tells_the_clerks_with_the_reason(submitted, supervisor, clerk_a):
    returns.approve_return(supervisor, submitted)
    returns.reopen_return(supervisor, submitted, "更正数据", on=TODAY)
    notice = Notice.objects.get(kind=NoticeKind.REOPENED)
    assert (notice.recipient, notice.detail) == (clerk_a, "更正数据")


def test_a_returned_self_assessment_tells_the_clerks(year, dept_a, clerk_a, supervisor):
    SelfAssessmentSubmission.objects.create(
        year=year, department=dept_a, status="submitted"
    )
    assert self_assessment.return_for_changes(
        year=year, department=dept_a, comment="补充佐证材料", user=supervisor
    )
    # The same return again (a retried request) changes nothing and tells no one.
    assert not self_assessment.return_for_changes(
        year=year, department=dept_a, comment="补充佐证材料", user=supervisor
    )
    notice = Notice.objects.get()
    assert (notice.recipient, notice.kind, notice.detail) == (
        clerk_a,
        NoticeKind.SELF_ASSESSMENT_RETURNED,
        "补充佐证材料",
    )


def test_a_write_that_fails_leaves_no_notice(submitted, supervisor, monkeypatch):
    def fail(current):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(spine, "_before_commit", [fail])
    with pytest.raises(RuntimeError):
        returns.approve_return(supervisor, submitted)
    assert not Notice.objects.exists()
    assert MonthlyReturn.objects.get().status == ReturnStatus.SUBMITTED


def test_targets_unacknowledged_once_a_day(year, dept_a, clerk_a, clerk_b):
    assert len(events.targets_unacknowledged(year, dept_a, on=TODAY)) == 1
    assert events.targets_unacknowledged(year, dept_a, on=TODAY) == []
    tomorrow = TODAY + datetime.timedelta(days=1)
    assert len(events.targets_unacknowledged(year, dept_a, on=tomorrow)) == 1
    assert kinds(clerk_a) == [NoticeKind.TARGETS_UNACKNOWLEDGED] * 2
    assert kinds(clerk_b) == []


def test_creating_the_same_notices_again_stores_nothing(year, dept_a, clerk_a):
    def build():
        return [
            Notice(
                recipient=clerk_a,
                kind=NoticeKind.DUE,
                key="due:x",
                year=year,
                department=dept_a,
                month=1,
            )
            for _ in range(2)
        ]

    assert len(events.create_notices(build())) == 1
    assert events.create_notices(build()) == []
    assert Notice.objects.count() == 1


# --- e-mail ---------------------------------------------------------------------------


def test_notices_are_emailed_once(submitted, supervisor, addresses):
    returns.approve_return(supervisor, submitted)
    assert delivery.send_pending() == 1
    assert delivery.send_pending() == 0
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["a@bureau.example"]
    assert "approved" in message.subject
    assert month_url("entry") in message.body
    assert Notice.objects.get().email_status == EmailStatus.SENT


def test_email_off_sends_nothing_but_keeps_the_notice(
    submitted, supervisor, clerk_a, client_a, addresses
):
    response = client_a.post(reverse("assessment:notice-settings"), {})
    assert response.status_code == 302
    assert NoticeSettings.objects.get(user=clerk_a).email is False
    returns.approve_return(supervisor, submitted)
    assert delivery.send_pending() == 0
    assert mail.outbox == []
    assert Notice.objects.get().email_status == EmailStatus.OFF
    # Turned back on: later notices are e-mailed again.
    client_a.post(reverse("assessment:notice-settings"), {"email": "on"})
    returns.reopen_return(supervisor, submitted, "更正", on=TODAY)
    assert delivery.send_pending() == 1


def test_no_address_no_email(submitted, supervisor):
    returns.approve_return(supervisor, submitted)
    assert delivery.send_pending() == 0
    assert Notice.objects.get().email_status == EmailStatus.OFF


def test_a_failed_send_stays_pending(submitted, supervisor, addresses, monkeypatch):
    returns.approve_return(supervisor, submitted)

    def down(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(delivery, "send_mail", down)
    assert delivery.send_pending() == 0
    assert Notice.objects.get().email_status == EmailStatus.PENDING
    monkeypatch.undo()
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
    assert delivery.send_pending() == 1


def test_settings_page_by_role(client_a, client_supervisor, client_leader, client):
    url = reverse("assessment:notice-settings")
    for each in (client_a, client_supervisor, client_leader):
        page = each.get(url)
        assert page.status_code == 200
        assert 'name="email"' in page.content.decode()
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- the inbox and the bell -------------------------------------------------------------


def test_the_clerk_sees_their_notice_and_the_bell(submitted, supervisor, client_a):
    returns.send_back_return(supervisor, submitted, "请核对", on=TODAY)
    page = client_a.get(reverse("assessment:inbox")).content.decode()
    assert "was returned" in page and "请核对" in page
    assert 'id="notice-count" aria-hidden="true">1<' in page
    notice = Notice.objects.get()
    assert reverse("assessment:notice-open", args=[notice.pk]) in page


def test_other_people_never_see_a_notice(
    submitted, supervisor, client_b, client_supervisor, client_leader
):
    returns.send_back_return(supervisor, submitted, "A-ONLY-COMMENT", on=TODAY)
    notice = Notice.objects.get()
    for other in (client_b, client_supervisor, client_leader):
        page = other.get(reverse("assessment:inbox")).content.decode()
        assert "A-ONLY-COMMENT" not in page
        assert 'id="notice-count"' not in page
        assert (
            other.get(reverse("assessment:notice-open", args=[notice.pk])).status_code
            == 404
        )
        assert (
            other.post(reverse("assessment:notice-read", args=[notice.pk])).status_code
            == 404
        )
        other.post(reverse("assessment:notices-read"))
    assert Notice.objects.get().read_at is None


def test_anonymous_goes_to_login(client, submitted, supervisor):
    returns.approve_return(supervisor, submitted)
    notice = Notice.objects.get()
    for url in (
        reverse("assessment:inbox"),
        reverse("assessment:notice-open", args=[notice.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_opening_a_notice_reads_it_and_goes_to_the_month(
    submitted, supervisor, client_a
):
    returns.approve_return(supervisor, submitted)
    notice = Notice.objects.get()
    response = client_a.get(reverse("assessment:notice-open", args=[notice.pk]))
    assert response.status_code == 302
    assert response["Location"] == month_url("entry")
    notice.refresh_from_db()
    assert notice.read_at is not None
    page = client_a.get(reverse("assessment:inbox")).content.decode()
    assert 'id="notice-count"' not in page


def test_a_self_assessment_notice_leads_to_the_self_assessment(
    year, dept_a, supervisor, client_a
):
    SelfAssessmentSubmission.objects.create(
        year=year, department=dept_a, status="submitted"
    )
    self_assessment.return_for_changes(
        year=year, department=dept_a, comment="补充", user=supervisor
    )
    response = client_a.get(
        reverse("assessment:notice-open", args=[Notice.objects.get().pk])
    )
    assert response["Location"] == reverse(
        "assessment:self-assessment", kwargs={"year": YEAR, "code": "dept-a"}
    )


def test_mark_read_and_mark_all_read(submitted, supervisor, client_a, clerk_a):
    returns.approve_return(supervisor, submitted)
    returns.reopen_return(supervisor, submitted, "更正", on=TODAY)
    first, second = Notice.objects.order_by("pk")
    assert (
        client_a.get(reverse("assessment:notice-read", args=[first.pk])).status_code
        == 405
    )
    client_a.post(reverse("assessment:notice-read", args=[first.pk]))
    assert Notice.objects.for_recipient(clerk_a).unread().get() == second
    client_a.post(reverse("assessment:notices-read"))
    assert not Notice.objects.for_recipient(clerk_a).unread().exists()


def test_inbox_query_count_does_not_grow(year, dept_a, clerk_a, supervisor, client_a):
    def add(n: int) -> None:
        events.create_notices(
            [
                Notice(
                    recipient=clerk_a,
                    kind=kind,
                    key=f"{kind}:{n}:{i}",
                    year=year,
                    department=dept_a,
                    month=(i % 12) + 1,
                    actor=supervisor,
                    detail="x",
                )
                for i, kind in enumerate(NoticeKind.values * 5)
            ]
        )

    add(1)
    client_a.get(reverse("assessment:inbox"))  # the catalogue's kept values read
    with CaptureQueriesContext(connection) as few:
        assert client_a.get(reverse("assessment:inbox")).status_code == 200
    add(2)
    add(3)
    with CaptureQueriesContext(connection) as many:
        response = client_a.get(reverse("assessment:inbox"))
    assert len(response.context["items"]) == 50
    assert len(many) == len(few)


def test_every_kind_reads_in_words(year, dept_a, clerk_a, supervisor, client_a):
    events.create_notices(
        [
            Notice(
                recipient=clerk_a,
                kind=kind,
                key=kind,
                year=year,
                department=dept_a,
                month=None
                if kind in ("self_assessment_returned", "targets_unacknowledged")
                else 2,
                actor=supervisor,
            )
            for kind in NoticeKind.values
        ]
    )
    page = client_a.get(reverse("assessment:inbox")).content.decode()
    for words in (
        "is due by",
        "is overdue",
        "Urgent: submit",
        "was returned",
        "was approved",
        "was reopened",
        f"The {YEAR} self-assessment of 清扫保洁队 was returned",
        f"The {YEAR} targets of 清扫保洁队 await acknowledgement",
    ):
        assert words in page
    assert "%(" not in page


# --- the supervisor's urgent reminder (催报) ---------------------------------------------


@pytest.fixture
def overdue_month(year, catalogue) -> int:
    """January: its deadline (10 February) passed with nothing submitted."""
    return 1


def test_supervisor_urges_an_overdue_month_once_a_day(
    overdue_month, client_supervisor, clerk_a, clerk_b, addresses, monkeypatch
):
    url = month_url("urge", overdue_month)
    response = client_supervisor.post(url, follow=True)
    assert [n.kind for n in Notice.objects.all()] == [NoticeKind.URGED]
    assert Notice.objects.get().recipient == clerk_a
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["a@bureau.example"]
    assert "Urgent" in mail.outbox[0].subject
    assert any("urgent reminder" in str(m) for m in response.context["messages"])
    response = client_supervisor.post(url, follow=True)
    assert Notice.objects.count() == 1 and len(mail.outbox) == 1
    assert any("already reminded" in str(m) for m in response.context["messages"])
    tomorrow = TODAY + datetime.timedelta(days=1)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: tomorrow)
    client_supervisor.post(url)
    assert Notice.objects.count() == 2


def test_urging_a_month_that_is_not_overdue_is_refused(submitted, client_supervisor):
    client_supervisor.post(month_url("urge", MONTH))
    client_supervisor.post(month_url("urge", 3))  # not yet due
    assert not Notice.objects.filter(kind=NoticeKind.URGED).exists()


def test_only_supervisors_urge(
    overdue_month, client_a, client_b, client_leader, client
):
    url = month_url("urge", overdue_month)
    assert client_a.post(url).status_code == 403
    assert client_b.post(url).status_code == 403
    assert client_leader.post(url).status_code == 403
    assert client.post(url).status_code == 302
    assert client_a.get(url).status_code == 405
    assert not Notice.objects.exists()


def test_the_matrix_offers_urging_overdue_months_to_supervisors(
    overdue_month, client_supervisor, client_leader
):
    matrix = reverse("assessment:matrix", args=[YEAR])
    page = client_supervisor.get(matrix).content.decode()
    assert month_url("urge", 1) in page
    assert month_url("urge", 1, "dept-b") in page
    assert month_url("urge", 2) not in page  # due on 10 March: not overdue yet
    assert month_url("urge", 1) not in client_leader.get(matrix).content.decode()
