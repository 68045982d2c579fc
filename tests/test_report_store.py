"""The report PDF kept for the next download: served from the store while nothing in
the report changed, rendered again (and the old file deleted) once anything did.

WeasyPrint is stubbed (the stub's PDF is the HTML's hash) except in the one test that
checks a real render is what is kept.
"""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from assessment.models import SelfAssessment, StoredReport
from assessment.reporting import store


@pytest.fixture
def renders(monkeypatch):
    calls: list[str] = []

    def fake(html: str, **options: object) -> bytes:
        calls.append(html)
        return b"%PDF-1.7 " + hashlib.sha256(html.encode()).hexdigest().encode()

    monkeypatch.setattr(store.pdf, "render_pdf", fake)
    return calls


def download(client, year, code, **query) -> bytes:
    url = reverse("assessment:department-report-pdf", args=[year.year, code])
    response = client.get(url, query)
    assert response.status_code == 200
    return response.content


def test_a_second_download_with_nothing_changed_is_served_from_the_store(
    client_a, year, catalogue, dept_a, renders
):
    first = download(client_a, year, dept_a.code)
    second = download(client_a, year, dept_a.code)
    assert first == second and len(renders) == 1
    row = StoredReport.objects.get()
    assert (row.scope, row.language, row.department) == (dept_a.code, "zh-hans", dept_a)
    assert row.size == len(first) and row.html_sha256 == store.digest(renders[0])
    with default_storage.open(row.file_name) as stored:
        assert stored.read() == first


def test_a_change_renders_it_again_and_replaces_the_stored_file(
    client_a, year, catalogue, dept_a, renders
):
    first = download(client_a, year, dept_a.code)
    old_name = StoredReport.objects.get().file_name
    SelfAssessment.objects.create(
        target=catalogue["target_a"], department=dept_a, text="全年清扫保洁全覆盖"
    )
    second = download(client_a, year, dept_a.code)
    assert second != first and len(renders) == 2
    assert "全年清扫保洁全覆盖" in renders[1]
    row = StoredReport.objects.get()
    assert row.file_name != old_name
    assert not default_storage.exists(old_name)
    assert download(client_a, year, dept_a.code) == second and len(renders) == 2


def test_a_stored_file_gone_missing_is_rendered_again(
    client_a, year, catalogue, dept_a, renders
):
    first = download(client_a, year, dept_a.code)
    default_storage.delete(StoredReport.objects.get().file_name)
    assert download(client_a, year, dept_a.code) == first
    assert len(renders) == 2


def test_each_language_and_the_bureau_are_kept_apart(
    client_a, client_supervisor, year, catalogue, dept_a, renders
):
    download(client_a, year, dept_a.code)
    download(client_a, year, dept_a.code, language="en")
    bureau = client_supervisor.get(reverse("assessment:report-pdf", args=[year.year]))
    assert bureau.status_code == 200
    kept = set(StoredReport.objects.values_list("scope", "language"))
    assert kept == {
        (dept_a.code, "zh-hans"),
        (dept_a.code, "en"),
        ("bureau", "zh-hans"),
    }
    assert len(renders) == 3


def test_a_real_render_is_what_is_kept(client_a, year, catalogue, dept_a):
    first = download(client_a, year, dept_a.code)
    assert first.startswith(b"%PDF-")
    row = StoredReport.objects.get()
    assert row.size == len(first)
    assert download(client_a, year, dept_a.code) == first


# --- the report page: ready, or updating with the previous PDF -----------------------


def page(client, year, code):
    url = reverse("assessment:department-report", args=[year.year, code])
    return client.get(url).content.decode()


def test_the_page_says_ready_then_updating_with_the_previous_pdf(
    client_a, year, catalogue, dept_a, clerk_a, renders
):
    from assessment.reporting import texts

    assert 'id="report-stored"' not in page(client_a, year, dept_a.code)
    first = download(client_a, year, dept_a.code)
    assert "已生成" in page(client_a, year, dept_a.code)
    texts.save_report_text(
        year=year,
        department=dept_a,
        user=clerk_a,
        version=0,
        overview="新的概述",
        closing="",
    )
    html = page(client_a, year, dept_a.code)
    assert 'id="report-previous"' in html and "更新中" in html
    previous = client_a.get(
        reverse("assessment:department-report-previous", args=[year.year, dept_a.code])
    )
    assert previous.status_code == 200 and previous.content == first
    assert len(renders) == 1


def test_the_previous_pdf_follows_the_report_scope(
    client_a, client_b, client, year, catalogue, dept_a, renders
):
    url = reverse(
        "assessment:department-report-previous", args=[year.year, dept_a.code]
    )
    assert client_a.get(url).status_code == 404  # nothing stored yet
    download(client_a, year, dept_a.code)
    assert client_a.get(url).status_code == 200
    assert client_b.get(url).status_code == 404
    assert client.get(url).status_code == 302
    bureau = reverse("assessment:report-previous", args=[year.year])
    assert client_a.get(bureau).status_code == 403


def test_a_change_the_report_does_not_print_keeps_the_pdf_and_clears_updating(
    client_a, year, dept_a, catalogue, renders
):
    from assessment.models import DataVersion

    download(client_a, year, dept_a.code)
    DataVersion.objects.create(year=year, department=dept_a, version=3)
    assert 'data-state="stale"' in page(client_a, year, dept_a.code)
    download(client_a, year, dept_a.code)
    assert len(renders) == 1  # the HTML is the same: served from the store
    assert StoredReport.objects.get().data_versions == {str(dept_a.pk): 3}
    html = page(client_a, year, dept_a.code)
    assert 'data-state="ready"' in html
    assert 'id="report-previous-line" hidden' in html
