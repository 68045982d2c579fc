"""With workers, a change queues the touched reports' re-render, debounced by the data
versions; without a broker nothing is queued (the next download renders)."""

from __future__ import annotations

import pytest

from assessment import spine
from assessment.jobs import queue, rerender
from assessment.models import StoredReport
from assessment.reporting import store, texts


@pytest.fixture
def published(monkeypatch):
    sent: list[tuple[str, list, int]] = []

    def record(task, *, args, kwargs=None, countdown=None):
        sent.append((task.name, args, countdown))

    monkeypatch.setattr(queue, "publish", record)
    return sent


@pytest.fixture
def renders(monkeypatch):
    calls: list[str] = []
    monkeypatch.setattr(
        store.pdf,
        "render_pdf",
        lambda html, **options: calls.append(html) or b"%PDF-1.7",
    )
    return calls


def change_texts(year, department, user, version=0, overview="本年度概述"):
    return texts.save_report_text(
        year=year,
        department=department,
        user=user,
        version=version,
        overview=overview,
        closing="",
    )


def test_without_workers_a_change_queues_nothing(
    year, dept_a, clerk_a, published, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        change_texts(year, dept_a, clerk_a)
    assert published == []


def test_with_workers_a_change_queues_its_department_and_the_bureau(
    year,
    dept_a,
    clerk_a,
    published,
    monkeypatch,
    settings,
    django_capture_on_commit_callbacks,
):
    monkeypatch.setattr(rerender, "_enabled", lambda: True)
    settings.REPORT_RERENDER_SECONDS = 30
    with django_capture_on_commit_callbacks(execute=True):
        change_texts(year, dept_a, clerk_a)
    version = spine.data_versions(year, [dept_a.pk])[dept_a.pk]
    assert version == 1
    assert published == [
        ("assessment.jobs.tasks.rerender_report", [year.pk, dept_a.code, 1], 30),
        ("assessment.jobs.tasks.rerender_report", [year.pk, "bureau", 1], 30),
    ]


def test_the_queue_down_never_breaks_the_write(
    year, dept_a, clerk_a, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(rerender, "_enabled", lambda: True)

    def down(task, **options):
        raise queue.QueueUnavailable("connection refused")

    monkeypatch.setattr(queue, "publish", down)
    with django_capture_on_commit_callbacks(execute=True):
        outcome = change_texts(year, dept_a, clerk_a)
    assert outcome.changed


def test_a_queued_rerender_renders_once_and_a_superseded_one_not_at_all(
    year, catalogue, dept_a, clerk_a, renders
):
    change_texts(year, dept_a, clerk_a)  # version 1
    row = texts.current_text(year, dept_a)
    change_texts(year, dept_a, clerk_a, row.version, "改过的概述")  # version 2
    # The task queued after the first change finds a later one: it does nothing.
    assert rerender.rerender(year.pk, dept_a.code, 1) is False
    assert renders == []
    # The one queued after the second renders and keeps the PDF.
    assert rerender.rerender(year.pk, dept_a.code, 2) is True
    assert len(renders) == 1
    assert StoredReport.objects.filter(scope=dept_a.code).exists()
    # Run again (delivered twice): the stored one is current, nothing rendered.
    assert rerender.rerender(year.pk, dept_a.code, 2) is True
    assert len(renders) == 1


def test_the_bureau_rerender_is_what_a_supervisor_downloads(
    year, catalogue, dept_a, clerk_a, client_supervisor, renders
):
    from django.urls import reverse

    change_texts(year, dept_a, clerk_a)
    assert rerender.rerender(year.pk, "bureau", 1) is True
    response = client_supervisor.get(reverse("assessment:report-pdf", args=[year.year]))
    assert response.status_code == 200
    assert len(renders) == 1  # served from the store
