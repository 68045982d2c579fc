"""The import's check page tells the user which file they are looking at: its name,
size, rows and when it was uploaded; the file's hash is only a hidden token."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from assessment.views.spreadsheets import UploadInfo, _upload_name
from tests.spreadsheet_support import workbook_bytes

MONTH = timezone.localdate().month
NAME = "2026年11月清扫保洁队统计数据（修订稿）.xlsx"


def url(year, code: str = "dept-a") -> str:
    return reverse("assessment:import", kwargs={"year": year.year, "code": code})


def upload(data: bytes, name: str = NAME) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name,
        data,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def filled() -> bytes:
    return workbook_bytes(
        [
            ["dept-a", "area", "", "", MONTH, 150.5, ""],
            ["dept-a", "pits", "", "", MONTH, 42000, ""],
        ]
    )


def field(html: str, name: str) -> str:
    match = re.search(rf'data-field="{name}">(.*?)</dd>', html, re.S)
    assert match, f"no {name} on the page"
    return match.group(1).strip()


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("figures.xlsx", "figures.xlsx"),
        ("C:\\Users\\clerk\\Desktop\\figures.xlsx", "figures.xlsx"),
        ("/home/clerk/figures.xlsx", "figures.xlsx"),
        ("", "(no name)"),
        ("x" * 300 + ".xlsx", "x" * 120),
    ],
)
def test_the_file_name_shown_is_the_files_own(raw, shown):
    with translation.override("en"):
        assert _upload_name(raw) == shown


def test_upload_info_survives_the_session_and_refuses_garbage():
    info = UploadInfo("a.xlsx", 1234, timezone.now())
    assert UploadInfo.from_session(info.as_session()) == info
    assert UploadInfo.from_session(None) is None
    assert (
        UploadInfo.from_session({"name": "a", "size": "x", "uploaded_at": ""}) is None
    )


def test_the_check_page_shows_name_size_rows_and_time_not_a_hash(
    client_a, catalogue, year
):
    data = filled()
    before = timezone.now()
    response = client_a.post(url(year), {"file": upload(data)})
    assert response.status_code == 200
    html = response.content.decode()
    assert field(html, "file-name") == NAME
    size = field(html, "file-size")
    assert "KB" in size or "字节" in size or "bytes" in size
    assert re.search(r"\d", field(html, "uploaded-at"))
    assert "2" in field(html, "rows")
    info = response.context["upload"]
    assert info.size == len(data) and info.uploaded_at >= before
    # the hash is a hidden token only, never shown
    fingerprint = response.context["report"].fingerprint
    assert html.count(fingerprint[:12]) == 1
    assert f'type="hidden" name="fingerprint" value="{fingerprint}"' in html
    assert "SHA-256" not in html


def test_a_file_with_problems_is_named_too(client_a, catalogue, year):
    data = workbook_bytes([["dept-a", "area", "", "", MONTH, "many", ""]])
    response = client_a.post(url(year), {"file": upload(data, "bad.xlsx")})
    assert response.status_code == 400
    assert field(response.content.decode(), "file-name") == "bad.xlsx"


def test_a_supervisor_sees_the_same_details(client_supervisor, catalogue, year):
    response = client_supervisor.post(url(year), {"file": upload(filled())})
    assert response.status_code == 200
    assert field(response.content.decode(), "file-name") == NAME


def test_a_clerk_of_another_department_learns_nothing(client_b, catalogue, year):
    response = client_b.post(url(year), {"file": upload(filled())})
    assert response.status_code == 404
    assert NAME not in response.content.decode()


def test_a_leader_may_not_check_a_file(client_leader, catalogue, year):
    response = client_leader.post(url(year), {"file": upload(filled())})
    assert response.status_code == 403


def test_anonymous_is_sent_to_login(catalogue, year):
    response = Client().post(url(year), {"file": upload(filled())})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_problem_names_its_rows_indicator_and_month(client_a, catalogue, year):
    data = workbook_bytes(
        [
            ["dept-a", "area", "", "", MONTH, "many", ""],
            ["dept-a", "nope", "", "", MONTH, 1, ""],
        ]
    )
    response = client_a.post(url(year), {"file": upload(data, "bad.xlsx")})
    problems = response.context["report"].problems
    assert [(p.row, p.indicator, p.month) for p in problems] == [
        (2, "清扫面积", MONTH),
        (3, "nope", MONTH),
    ]
    html = response.content.decode()
    assert html.count('data-field="problem-where"') == 2
    assert "清扫面积 · " in html
