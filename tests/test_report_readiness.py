"""How far a report's PDF is from ready: the pure steps, the marks a re-render leaves,
and the page's status and "make it now" for every role."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessment.jobs import queue, rerender
from assessment.models import RenderState, ReportRender, StoredReport
from assessment.reporting import readiness, store, texts
from assessment.reporting.readiness import (
    FAILED,
    NONE,
    QUEUED,
    READY,
    RENDERING,
    STALE,
)

MADE = datetime.datetime(2021, 11, 3, 9, 30, tzinfo=datetime.UTC)
NOW = datetime.datetime(2021, 11, 3, 10, 0, tzinfo=datetime.UTC)


# --- the pure steps ---------------------------------------------------------------


def test_a_current_pdf_is_ready_whatever_is_under_way():
    status = readiness.readiness(
        stored_current=True, made_at=MADE, data_version=4, render_state=RENDERING
    )
    assert (status.state, status.step, status.steps) == (READY, 3, 3)
    assert status.ready and not status.updating
    assert "2021-11-03 09:30" in status.text


@pytest.mark.parametrize(
    ("state", "step"), [(QUEUED, 1), (RENDERING, 2)], ids=["queued", "rendering"]
)
def test_a_render_for_the_current_data_is_followed_step_by_step(state, step):
    status = readiness.readiness(
        stored_current=False,
        made_at=MADE,
        data_version=4,
        render_state=state,
        render_version=4,
    )
    assert (status.state, status.step) == (state, step)
    assert status.updating and not status.ready
    assert f"{step}" in status.text and "3" in status.text


def test_a_render_for_older_data_counts_for_nothing():
    status = readiness.readiness(
        stored_current=False,
        made_at=MADE,
        data_version=5,
        render_state=RENDERING,
        render_version=4,
    )
    assert status.state == STALE
    assert status.updating  # the page asks for it anew


def test_a_render_that_stopped_moving_is_taken_for_lost():
    common = {
        "stored_current": False,
        "made_at": MADE,
        "data_version": 4,
        "render_state": QUEUED,
        "render_version": 4,
        "now": NOW,
        "patience": datetime.timedelta(minutes=15),
    }
    recent = NOW - datetime.timedelta(minutes=14)
    old = NOW - datetime.timedelta(minutes=16)
    assert readiness.readiness(**common, render_changed_at=recent).state == QUEUED
    assert readiness.readiness(**common, render_changed_at=old).state == STALE


def test_a_failed_render_says_why_and_stops_the_page_asking():
    status = readiness.readiness(
        stored_current=False,
        made_at=MADE,
        data_version=4,
        render_state=FAILED,
        render_version=4,
        error="OSError: disk full",
    )
    assert status.state == FAILED and not status.updating
    assert "OSError: disk full" in status.text


def test_never_made_waits_for_its_first_download():
    status = readiness.readiness(
        stored=False, stored_current=False, made_at=None, data_version=0
    )
    assert (status.state, status.step) == (NONE, 0)
    assert not status.updating and not status.ready


# --- the marks a re-render leaves ---------------------------------------------------


@pytest.fixture
def renders(monkeypatch):
    calls: list[str] = []
    monkeypatch.setattr(
        store.pdf, "render_pdf", lambda html, **o: calls.append(html) or b"%PDF-1.7"
    )
    return calls


@pytest.fixture
def sent(monkeypatch) -> list[dict]:
    """With workers: what is sent to them (the options of each task)."""
    published: list[dict] = []
    monkeypatch.setattr(rerender, "_enabled", lambda: True)
    monkeypatch.setattr(
        queue, "publish", lambda task, **options: published.append(options)
    )
    return published


def change(year, department, user, overview):
    row = texts.current_text(year, department)
    return texts.save_report_text(
        year=year,
        department=department,
        user=user,
        version=row.version if row else 0,
        overview=overview,
        closing="",
    )


def test_a_queued_change_is_waiting_then_being_made_then_ready(
    year,
    catalogue,
    dept_a,
    clerk_a,
    monkeypatch,
    django_capture_on_commit_callbacks,
    sent,
):
    with django_capture_on_commit_callbacks(execute=True):
        change(year, dept_a, clerk_a, "概述一")
    assert [options["args"][1] for options in sent] == [dept_a.code, "bureau"]
    assert rerender.status(year, dept_a, "zh-hans").state == QUEUED
    assert rerender.status(year, None, "zh-hans").state == QUEUED

    seen: list[str] = []

    def render_pdf(html, **options):
        seen.append(rerender.status(year, dept_a, "zh-hans").state)
        return b"%PDF-1.7"

    monkeypatch.setattr(store.pdf, "render_pdf", render_pdf)
    assert rerender.rerender(*sent[0]["args"], **sent[0]["kwargs"]) is True
    assert seen == [RENDERING]
    status = rerender.status(year, dept_a, "zh-hans")
    assert status.state == READY
    assert not ReportRender.objects.filter(scope=dept_a.code).exists()


def test_a_change_while_it_renders_leaves_the_new_mark_and_a_stale_pdf(
    year,
    catalogue,
    dept_a,
    clerk_a,
    monkeypatch,
    django_capture_on_commit_callbacks,
    sent,
):
    with django_capture_on_commit_callbacks(execute=True):
        change(year, dept_a, clerk_a, "概述一")

    def render_pdf(html, **options):
        with django_capture_on_commit_callbacks(execute=True):
            change(year, dept_a, clerk_a, "概述二")  # a second save meanwhile
        return b"%PDF-1.7"

    monkeypatch.setattr(store.pdf, "render_pdf", render_pdf)
    rerender.rerender(*sent[0]["args"], **sent[0]["kwargs"])
    # The stored PDF is of the first change; the second's render is waiting.
    status = rerender.status(year, dept_a, "zh-hans")
    assert status.state == QUEUED
    assert ReportRender.objects.get(scope=dept_a.code).data_version == 2


def test_a_render_that_raises_is_marked_failed_with_its_reason(
    year, catalogue, dept_a, clerk_a, monkeypatch
):
    change(year, dept_a, clerk_a, "概述一")

    def broken(html, **options):
        raise OSError("disk full")

    monkeypatch.setattr(store.pdf, "render_pdf", broken)
    with pytest.raises(OSError):
        rerender.rerender(year.pk, dept_a.code, 1)
    status = rerender.status(year, dept_a, "zh-hans")
    assert status.state == FAILED
    assert "disk full" in status.text


def test_the_queue_down_leaves_no_mark_and_the_page_makes_it_itself(
    year, catalogue, dept_a, clerk_a, renders, monkeypatch
):
    monkeypatch.setattr(rerender, "_enabled", lambda: True)

    def down(task, **options):
        raise queue.QueueUnavailable("connection refused")

    monkeypatch.setattr(queue, "publish", down)
    change(year, dept_a, clerk_a, "概述一")
    assert rerender.status(year, dept_a, "zh-hans").state == NONE
    assert rerender.render_now(year, dept_a, "zh-hans").state == READY
    assert len(renders) == 1
    assert not ReportRender.objects.exists()


def test_with_workers_the_page_request_is_queued_not_made(
    year, catalogue, dept_a, clerk_a, renders, monkeypatch, sent
):
    assert rerender.render_now(year, dept_a, "en").state == QUEUED
    assert sent[0]["kwargs"] == {"language": "en"} and sent[0]["countdown"] == 0
    assert renders == []
    # Asked again while it waits: nothing more is queued.
    assert rerender.render_now(year, dept_a, "en").state == QUEUED
    assert len(sent) == 1


# --- the page's status and "make it now", role by role -----------------------------


def _urls(year, code=None):
    if code is None:
        return (
            reverse("assessment:report-status", args=[year.year]),
            reverse("assessment:report-render", args=[year.year]),
        )
    return (
        reverse("assessment:department-report-status", args=[year.year, code]),
        reverse("assessment:department-report-render", args=[year.year, code]),
    )


@pytest.mark.parametrize(
    ("who", "scope", "expected"),
    [
        ("client_a", "a", 200),
        ("client_b", "a", 404),  # another department's: it does not exist for them
        ("client_supervisor", "a", 200),
        ("client_leader", "a", 200),
        ("client_a", "bureau", 403),
        ("client_supervisor", "bureau", 200),
        ("client_leader", "bureau", 200),
    ],
)
def test_status_and_render_follow_the_reports_access(
    request, year, catalogue, dept_a, renders, who, scope, expected
):
    client = request.getfixturevalue(who)
    status_url, render_url = _urls(year, dept_a.code if scope == "a" else None)
    response = client.get(status_url)
    assert response.status_code == expected
    if expected == 200:
        assert response.json()["state"] == NONE
    response = client.post(render_url)
    assert response.status_code == expected
    if expected == 200:
        assert response.json()["state"] == READY
        assert len(renders) == 1
    else:
        assert renders == []


def test_anonymous_is_sent_to_sign_in(year, catalogue, dept_a, renders):
    for url in (*_urls(year, dept_a.code), *_urls(year)):
        response = Client().get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]
        response = Client().post(url)
        assert response.status_code in (302, 403)
    assert renders == []


def test_render_is_post_only_and_needs_the_csrf_token(
    year, catalogue, dept_a, clerk_a, renders
):
    status_url, render_url = _urls(year, dept_a.code)
    from tests.conftest import login

    client = login(clerk_a)
    assert client.get(render_url).status_code == 405
    assert client.post(status_url).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(clerk_a)
    assert strict.post(render_url).status_code == 403
    assert renders == []


def test_the_page_says_updating_and_offers_the_previous_pdf(
    year, catalogue, dept_a, clerk_a, client_a, renders
):
    page_url = reverse("assessment:department-report", args=[year.year, dept_a.code])
    client_a.post(_urls(year, dept_a.code)[1])  # made once
    row = StoredReport.objects.get(scope=dept_a.code)
    response = client_a.get(page_url)
    assert response.context["status"].state == READY
    assert 'data-state="ready"' in response.text
    change(year, dept_a, clerk_a, "改过的概述")
    response = client_a.get(page_url)
    assert response.context["status"].state == STALE
    assert "更新中" in response.text
    assert (
        row.rendered_at.astimezone(timezone.get_current_timezone()).strftime(
            "%Y-%m-%d %H:%M"
        )
        in response.text
    )
    assert 'id="report-previous"' in response.text
    assert client_a.post(_urls(year, dept_a.code)[1]).json()["ready"] is True
    assert client_a.get(_urls(year, dept_a.code)[0]).json()["state"] == READY


def test_the_status_is_three_queries_however_big_the_bureau(
    year, catalogue, dept_a, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        rerender.status(year, None, "zh-hans")
    ReportRender.objects.create(
        year=year,
        scope="bureau",
        language="zh-hans",
        state=RenderState.QUEUED,
        data_version=0,
    )
    assert rerender.status(year, None, "zh-hans").state == QUEUED
