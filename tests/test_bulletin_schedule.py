"""The beat schedule drafts the month just ended's bulletin on the 1st: every
supervisor is told it is ready to issue; the schedule never issues it."""

from __future__ import annotations

import datetime

from celery.schedules import crontab
from django.urls import reverse

from assessment.jobs import tasks
from assessment.models import Bulletin, Notice, NoticeKind
from assessment.models.catalogue import YearStatus
from assessment.notices.texts import describe
from assessment.progress import bulletin
from sanitation.celery import app as celery_app
from tests.conftest import make_user


def test_the_month_before_is_last_month_also_across_the_new_year():
    assert bulletin.month_before(datetime.date(2021, 7, 1)) == (2021, 6)
    assert bulletin.month_before(datetime.date(2022, 1, 1)) == (2021, 12)
    assert bulletin.month_before(datetime.date(2021, 3, 31)) == (2021, 2)


def test_beat_prepares_the_bulletin_on_the_first_of_each_month():
    entry = celery_app.conf.beat_schedule["prepare-monthly-bulletin"]
    assert entry["task"] == "assessment.jobs.tasks.prepare_bulletin"
    schedule = entry["schedule"]
    assert isinstance(schedule, crontab)
    assert schedule.day_of_month == {1}
    assert schedule.hour == {8} and schedule.minute == {0}
    celery_app.loader.import_default_modules()
    assert entry["task"] in celery_app.tasks


def test_supervisors_are_told_the_draft_is_ready_once(
    year, dept_a, dept_b, supervisor, clerk_a, leader, client_supervisor
):
    dept_a.parent = None
    dept_a.save()
    today = datetime.date(year.year, 7, 1)
    other = make_user("supervisor2", "supervisor")
    notices = bulletin.prepare_drafts(today)
    assert {n.recipient_id for n in notices} == {supervisor.pk, other.pk}
    assert bulletin.prepare_drafts(today) == []  # run again: nothing more
    assert not Bulletin.objects.exists()  # a draft, not issued
    notice = Notice.objects.filter(recipient=supervisor).get()
    assert notice.kind == NoticeKind.BULLETIN_DRAFT and notice.month == 6
    text = describe(notice)
    assert text.url == reverse("assessment:bulletin", args=[year.year, 6])
    assert client_supervisor.get(text.url).status_code == 200
    assert not Notice.objects.filter(recipient__in=[clerk_a, leader]).exists()


def test_an_issued_month_or_a_closed_year_is_left_alone(year, dept_a, supervisor):
    Bulletin.objects.create(
        year=year,
        month=6,
        issued_at=datetime.datetime.now(datetime.UTC),
        issued_by=supervisor,
    )
    assert bulletin.prepare_drafts(datetime.date(year.year, 7, 1)) == []
    year.status = YearStatus.CLOSED
    year.save()
    assert bulletin.prepare_drafts(datetime.date(year.year, 8, 1)) == []


def test_the_task_runs_the_draft(db, monkeypatch):
    monkeypatch.setattr(bulletin, "prepare_drafts", lambda: ["a", "b"])
    assert tasks.prepare_bulletin.delay().get() == 2
