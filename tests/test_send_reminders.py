"""`manage.py send_reminders`: due and overdue reminders on the bureau's days, each
created and e-mailed once however often (and however concurrently) it runs."""

from __future__ import annotations

import datetime
import io
import threading
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection, connections

from assessment.figures import returns
from assessment.models import (
    AssessmentYear,
    Category,
    Department,
    Indicator,
    Notice,
    NoticeKind,
    Role,
    Target,
)
from assessment.models.catalogue import YearStatus
from assessment.models.notices import EmailStatus
from assessment.notices import delivery, reminders
from tests.conftest import make_user

UTC = datetime.UTC
YEAR = 2030


def at_utc(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=UTC)


@pytest.fixture
def setup(db):
    """2030, departments A and B reporting one indicator each, a clerk of each."""
    year = AssessmentYear.objects.create(year=YEAR, title="2030")
    category = Category.objects.create(year=year, code="1", name="勤政建设", order=1)
    target = Target.objects.create(
        category=category, code="1.1", name="道路清扫保洁", points=Decimal(20)
    )
    dept_a = Department.objects.create(code="dept-a", name="清扫保洁队", order=1)
    dept_b = Department.objects.create(code="dept-b", name="垃圾清运队", order=2)
    indicator = Indicator.objects.create(
        year=year, target=target, code="area", name="清扫面积", aggregation="sum"
    )
    indicator.departments.add(dept_a, dept_b)
    clerk_a = make_user("clerk_a", Role.CLERK, dept_a)
    clerk_b = make_user("clerk_b", Role.CLERK, dept_b)
    for clerk in (clerk_a, clerk_b):
        clerk.email = f"{clerk.username}@bureau.example"
        clerk.save()
    return {
        "year": year,
        "dept_a": dept_a,
        "dept_b": dept_b,
        "indicator": indicator,
        "clerk_a": clerk_a,
        "clerk_b": clerk_b,
    }


def run() -> str:
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    return out.getvalue()


def reminded() -> set[tuple[str, str, int]]:
    return set(Notice.objects.values_list("recipient__username", "kind", "month"))


# January's deadline is 10 February 2030, February's 10 March; three days ahead by
# default, so February is due from 7 March (Shanghai, UTC+8).


def test_nothing_is_due_before_the_lead_days(setup):
    # 15:59 UTC on 6 March is 23:59 on 6 March in Shanghai: four days ahead.
    with time_machine.travel(at_utc(YEAR, 3, 6, 15, 59), tick=False):
        run()
    assert ("clerk_a", NoticeKind.DUE, 2) not in reminded()
    assert ("clerk_a", NoticeKind.OVERDUE, 1) in reminded()  # January is overdue


def test_the_day_turns_at_midnight_in_shanghai(setup):
    # 16:00 UTC on 6 March is midnight, 7 March, in Shanghai: three days ahead.
    with time_machine.travel(at_utc(YEAR, 3, 6, 16, 0, 30), tick=False):
        output = run()
    assert {
        ("clerk_a", NoticeKind.DUE, 2),
        ("clerk_b", NoticeKind.DUE, 2),
        ("clerk_a", NoticeKind.OVERDUE, 1),
        ("clerk_b", NoticeKind.OVERDUE, 1),
    } == reminded()
    assert "reminders created: 4, e-mails sent: 4" in output
    assert sorted(m.to[0] for m in mail.outbox) == [
        "clerk_a@bureau.example",
        "clerk_a@bureau.example",
        "clerk_b@bureau.example",
        "clerk_b@bureau.example",
    ]


def test_the_same_instant_in_utc_is_still_the_day_before(setup, settings):
    settings.TIME_ZONE = "UTC"
    with time_machine.travel(at_utc(YEAR, 3, 6, 16, 0, 30), tick=False):
        run()
    assert ("clerk_a", NoticeKind.DUE, 2) not in reminded()


def test_runs_again_and_again_send_nothing_twice(setup):
    with time_machine.travel(at_utc(YEAR, 3, 7, 1, 0), tick=False):
        run()
    first = (Notice.objects.count(), len(mail.outbox))
    # Every few minutes that day, then on the following days until the deadline.
    for moment in (
        at_utc(YEAR, 3, 7, 1, 5),
        at_utc(YEAR, 3, 7, 15, 59),
        at_utc(YEAR, 3, 8, 2, 0),
        at_utc(YEAR, 3, 10, 15, 59),  # 23:59 on the deadline day
    ):
        with time_machine.travel(moment, tick=False):
            assert "reminders created: 0, e-mails sent: 0" in run()
    assert (Notice.objects.count(), len(mail.outbox)) == first == (4, 4)
    # Midnight in Shanghai: February is now overdue, once more each.
    with time_machine.travel(at_utc(YEAR, 3, 10, 16, 0), tick=False):
        assert "reminders created: 2, e-mails sent: 2" in run()
        assert "reminders created: 0, e-mails sent: 0" in run()
    assert ("clerk_a", NoticeKind.OVERDUE, 2) in reminded()


def test_a_submitted_month_is_not_reminded(setup):
    s = setup
    with time_machine.travel(at_utc(YEAR, 3, 5, 2, 0), tick=False):
        monthly_return = returns.get_or_create_return(s["year"], s["dept_a"], 2)
        returns.save_figures(
            s["clerk_a"],
            s["year"],
            s["dept_a"],
            2,
            [returns.FigureRow(s["indicator"], Decimal(5), "", 0)],
        )
        returns.submit_return(s["clerk_a"], monthly_return)
    with time_machine.travel(at_utc(YEAR, 3, 8, 2, 0), tick=False):
        run()
    assert ("clerk_a", NoticeKind.DUE, 2) not in reminded()
    assert ("clerk_b", NoticeKind.DUE, 2) in reminded()


def test_the_lead_days_are_a_setting(setup, settings):
    settings.REMINDER_DAYS_BEFORE = 6
    with time_machine.travel(at_utc(YEAR, 3, 4, 2, 0), tick=False):
        run()
    assert ("clerk_a", NoticeKind.DUE, 2) in reminded()


def test_a_closed_year_reminds_no_one(setup):
    AssessmentYear.objects.filter(pk=setup["year"].pk).update(status=YearStatus.CLOSED)
    with time_machine.travel(at_utc(YEAR, 3, 8, 2, 0), tick=False):
        run()
    assert not Notice.objects.exists()


def test_december_is_reminded_in_the_next_january(setup):
    with time_machine.travel(at_utc(YEAR + 1, 1, 8, 2, 0), tick=False):
        run()
    assert ("clerk_a", NoticeKind.DUE, 12) in reminded()
    assert ("clerk_a", NoticeKind.OVERDUE, 11) in reminded()


def test_event_notices_are_emailed_by_the_next_run(setup):
    s = setup
    supervisor = make_user("supervisor", Role.SUPERVISOR)
    with time_machine.travel(at_utc(YEAR, 2, 5, 2, 0), tick=False):
        monthly_return = returns.get_or_create_return(s["year"], s["dept_a"], 1)
        returns.save_figures(
            s["clerk_a"],
            s["year"],
            s["dept_a"],
            1,
            [returns.FigureRow(s["indicator"], Decimal(5), "", 0)],
        )
        returns.submit_return(s["clerk_a"], monthly_return)
        returns.approve_return(supervisor, monthly_return)
        call_command("send_reminders", "--no-email", stdout=io.StringIO())
        assert mail.outbox == []
        run()
    approved = Notice.objects.get(kind=NoticeKind.APPROVED)
    assert approved.email_status == EmailStatus.SENT
    assert [m.to for m in mail.outbox] == [["clerk_a@bureau.example"]]


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL row locks"
)
def test_two_runs_at_once_create_and_send_each_notice_once(transactional_db):
    year = AssessmentYear.objects.create(year=YEAR, title="2030")
    category = Category.objects.create(year=year, code="1", name="勤政建设", order=1)
    target = Target.objects.create(
        category=category, code="1.1", name="道路清扫保洁", points=Decimal(20)
    )
    indicator = Indicator.objects.create(
        year=year, target=target, code="area", name="清扫面积", aggregation="sum"
    )
    for n in range(8):
        department = Department.objects.create(code=f"d{n}", name=f"单位{n}")
        indicator.departments.add(department)
        clerk = make_user(f"clerk{n}", Role.CLERK, department)
        clerk.email = f"clerk{n}@bureau.example"
        clerk.save()
    barrier = threading.Barrier(3)
    errors: list[Exception] = []

    def work() -> None:
        try:
            barrier.wait(timeout=10)
            reminders.create_reminders()
            delivery.send_pending()
        except Exception as exc:  # the test inspects what happened
            errors.append(exc)
        finally:
            connections.close_all()

    with time_machine.travel(at_utc(YEAR, 3, 8, 2, 0), tick=False):
        threads = [threading.Thread(target=work) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    # January overdue and February due, for each of the eight clerks.
    assert Notice.objects.count() == 16
    assert len(mail.outbox) == 16
    assert len({(m.to[0], m.subject) for m in mail.outbox}) == 16
    assert not Notice.objects.exclude(email_status=EmailStatus.SENT).exists()
