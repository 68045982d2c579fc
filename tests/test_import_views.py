"""The import pages: template download, dry run, confirm, and who may do what."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessment.figures.workflow import ReturnStatus
from assessment.models import Figure, MonthlyReturn
from tests.spreadsheet_support import load, workbook_bytes

MONTH = timezone.localdate().month


def url(name: str, year, code: str = "dept-a") -> str:
    return reverse(f"assessment:{name}", kwargs={"year": year.year, "code": code})


def upload(data: bytes, name: str = "figures.xlsx") -> SimpleUploadedFile:
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


def test_a_clerk_sees_the_form_and_downloads_the_template(client_a, catalogue, year):
    response = client_a.get(url("import", year))
    assert response.status_code == 200
    assert b'name="file"' in response.content
    response = client_a.get(url("import-template", year) + f"?month={MONTH}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    rows = list(load(response.content)["figures"].iter_rows(values_only=True))
    assert {r[1] for r in rows[1:]} == {"area", "pits"}


def test_a_bad_month_in_the_template_url_is_404(client_a, catalogue, year):
    assert client_a.get(url("import-template", year) + "?month=13").status_code == 404


def test_the_dry_run_writes_nothing_and_confirm_applies(client_a, catalogue, year):
    response = client_a.post(url("import", year), {"file": upload(filled())})
    assert response.status_code == 200
    assert b'id="import-changes"' in response.content
    assert b'id="confirm-form"' in response.content
    assert Figure.objects.count() == 0
    report = response.context["report"]
    response = client_a.post(
        url("import", year), {"confirm": "1", "fingerprint": report.fingerprint}
    )
    assert response.status_code == 200
    assert Figure.objects.count() == 2
    assert Figure.objects.get(indicator=catalogue["area"]).value == Decimal("150.5")
    entry = reverse(
        "assessment:entry", kwargs={"year": year.year, "code": "dept-a", "month": MONTH}
    )
    assert entry.encode() in response.content
    # Each history entry names the clerk.
    assert set(Figure.history.values_list("history_user__username", flat=True)) == {
        "clerk_a"
    }


def test_confirm_with_a_reuploaded_file_also_works(client_a, catalogue, year):
    response = client_a.post(
        url("import", year), {"file": upload(filled()), "confirm": "1"}
    )
    assert response.status_code == 200
    assert Figure.objects.count() == 2


def test_confirm_with_a_forged_fingerprint_applies_nothing(client_a, catalogue, year):
    client_a.post(url("import", year), {"file": upload(filled())})
    response = client_a.post(
        url("import", year), {"confirm": "1", "fingerprint": "0" * 64}
    )
    assert response.status_code == 302
    assert Figure.objects.count() == 0


def test_a_bad_file_shows_every_problem(client_a, catalogue, year):
    data = workbook_bytes(
        [
            ["dept-b", "waste", "", "", MONTH, 1, ""],
            ["dept-a", "area", "", "", MONTH, "<script>x</script>", ""],
        ]
    )
    response = client_a.post(url("import", year), {"file": upload(data)})
    assert response.status_code == 400
    assert b'id="import-problems"' in response.content
    assert b"<script>x</script>" not in response.content
    assert b"confirm-form" not in response.content
    assert len(response.context["report"].problems) == 2
    assert Figure.objects.count() == 0


def test_a_renamed_pdf_is_refused_with_a_message(client_a, catalogue, year):
    response = client_a.post(
        url("import", year), {"file": upload(b"%PDF-1.4 nothing", "x.xlsx")}
    )
    assert response.status_code == 400
    assert "PDF" in response.context["report"].problems[0].message


def test_re_uploading_an_imported_file_says_so(client_a, catalogue, year):
    # The same bytes twice: openpyxl stamps the save time into every file it writes.
    data = filled()
    client_a.post(url("import", year), {"file": upload(data), "confirm": "1"})
    response = client_a.post(url("import", year), {"file": upload(data)})
    assert response.status_code == 200
    assert b'id="import-nothing"' in response.content
    assert response.context["report"].already_imported


def test_a_locked_month_is_refused(client_a, catalogue, year, dept_a):
    MonthlyReturn.objects.create(
        year=year, department=dept_a, month=MONTH, status=ReturnStatus.APPROVED
    )
    response = client_a.post(
        url("import", year), {"file": upload(filled()), "confirm": "1"}
    )
    assert response.status_code == 400
    assert Figure.objects.count() == 0


def test_a_clerk_of_another_department_gets_404(client_b, catalogue, year):
    for name in ("import", "import-template", "figures-export", "score-sheet-export"):
        assert client_b.get(url(name, year)).status_code == 404
    response = client_b.post(url("import", year), {"file": upload(filled())})
    assert response.status_code == 404
    assert Figure.objects.count() == 0


def test_a_clerk_cannot_smuggle_rows_of_their_other_department(
    client_a, clerk_a, dept_b, catalogue, year
):
    clerk_a.departments.add(dept_b)
    data = workbook_bytes([["dept-b", "waste", "", "", MONTH, 10, ""]])
    response = client_a.post(url("import", year), {"file": upload(data)})
    assert response.status_code == 400
    assert Figure.objects.count() == 0


def test_a_supervisor_may_import(client_supervisor, catalogue, year):
    response = client_supervisor.post(
        url("import", year), {"file": upload(filled()), "confirm": "1"}
    )
    assert response.status_code == 200
    assert Figure.objects.count() == 2


def test_a_leader_reads_but_may_not_post(client_leader, catalogue, year):
    response = client_leader.get(url("import", year))
    assert response.status_code == 200
    assert b'name="file"' not in response.content
    assert client_leader.get(url("import-template", year)).status_code == 200
    response = client_leader.post(
        url("import", year), {"file": upload(filled()), "confirm": "1"}
    )
    assert response.status_code == 403
    assert Figure.objects.count() == 0


@pytest.mark.parametrize("name", ["import", "import-template", "figures-export"])
def test_anonymous_visitors_are_sent_to_login(name, catalogue, year):
    response = Client().get(url(name, year))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_bureau_exports_are_for_supervisors_and_leaders(
    client_a, client_supervisor, client_leader, catalogue, year
):
    for name in ("bureau-figures-export", "bureau-score-sheet-export"):
        address = reverse(f"assessment:{name}", kwargs={"year": year.year})
        assert client_a.get(address).status_code == 403
        assert client_supervisor.get(address).status_code == 200
        assert client_leader.get(address).status_code == 200
