"""The year-end report as PDF: what the district reads, and what it must never hold."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from assessment.models import AssessmentYear, Department, SelfAssessment, Target
from assessment.reporting.rendering import render_report_pdf
from assessment.reporting.report import build_report
from tests.conftest import login

CANARIES = [
    '<img src="file:///etc/passwd">',
    '<link href="http://example.invalid/x.css">',
    '<a rel="attachment" href="file:///etc/passwd">x</a>',
]


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    # Line breaks and justification spaces fall anywhere: compare without whitespace.
    return "".join("".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def demo(db):
    call_command("load_demo", "--force", stdout=io.StringIO())
    return AssessmentYear.objects.get(year=2021)


@pytest.fixture
def zh():
    with translation.override("zh-hans"):
        yield


def test_the_bureau_report_tells_the_year(demo, zh):
    report = build_report(demo, None, Department.objects.all())
    pdf = render_report_pdf(report)
    text = pdf_text(pdf)
    for heading in ("勤政建设", "服从服务于区委政府中心工作", "加强和改进党建工作"):
        assert heading in text
    assert "21,290" in text
    assert report.grade != "—"
    assert report.grade in text
    assert report.total in text
    assert "7,540元" in text
    assert len(pdf) < 1024 * 1024


def test_the_bureau_report_needs_a_fixed_number_of_queries(demo):
    with CaptureQueriesContext(connection) as few:
        build_report(
            demo, None, Department.objects.filter(code__in=["street", "waste"])
        )
    with CaptureQueriesContext(connection) as all_of_them:
        build_report(demo, None, Department.objects.all())
    assert len(all_of_them.captured_queries) == len(few.captured_queries)


def test_the_bureau_is_not_scored_as_one_of_its_departments(demo, zh):
    report = build_report(demo, None, Department.objects.all())
    assert "区环境卫生管理局" not in [line.name for line in report.departments]
    assert report.unit_name == "区环境卫生管理局"


def test_a_department_report_holds_nothing_of_another(demo, zh):
    office = Department.objects.get(code="office")
    pdf = render_report_pdf(build_report(demo, office))
    text = pdf_text(pdf)
    assert "21,290" in text
    assert "办公室" in text
    for other in Department.objects.exclude(code__in=["office", "bureau"]):
        assert other.name not in text
    street_text = SelfAssessment.objects.get(
        department__code="street", target__code="1.1", target__category__year=demo
    ).text
    assert street_text[:20] not in text
    # The Party branch's record (the night watering) is not the office's.
    assert "福慧东" not in text


def test_user_text_comes_out_as_literal_text_and_nothing_is_embedded(demo, zh):
    office = Department.objects.get(code="office")
    target = Target.objects.get(category__year=demo, code="1.6")
    row = SelfAssessment.objects.get(department=office, target=target)
    row.text = "捐款情况。" + "".join(CANARIES)
    row.save()
    pdf = render_report_pdf(build_report(demo, office))
    text = pdf_text(pdf)
    for canary in CANARIES:
        assert "".join(canary.split()) in text
    assert b"/EmbeddedFile" not in pdf
    assert b"/Image" not in pdf
    assert b"/Filespec" not in pdf
    assert b"root:" not in pdf


def test_the_pdf_views_answer_an_attachment(demo):
    from assessment.models import User

    supervisor = User.objects.get(username="supervisor")
    response = login(supervisor).get(reverse("assessment:report-pdf", args=[2021]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith(b"%PDF")


def test_export_report_writes_the_same_pdf(demo, tmp_path):
    output = tmp_path / "street.pdf"
    out = io.StringIO()
    call_command(
        "export_report",
        "--year",
        "2021",
        "--department",
        "street",
        "--output",
        str(output),
        stdout=out,
    )
    text = pdf_text(output.read_bytes())
    # The team's one target is told under its section's heading.
    assert "认真完成好城市卫生管理工作" in text and "150多万平方米" in text
    assert "21,290" not in text
    assert "Wrote" in out.getvalue()


def test_export_report_refuses_unknown_years_and_departments(demo, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("export_report", "--year", "1999", "--output", str(tmp_path / "x"))
    with pytest.raises(CommandError):
        call_command(
            "export_report",
            "--year",
            "2021",
            "--department",
            "nope",
            "--output",
            str(tmp_path / "x"),
        )


def test_a_closed_year_is_no_draft(demo, zh):
    demo.status = "closed"
    demo.save()
    report = build_report(demo, Department.objects.get(code="street"))
    assert not report.is_draft
    text = pdf_text(render_report_pdf(report))
    assert "草稿" not in text and "Draft" not in text
    assert Decimal(report.total.replace(",", "")) >= 0


def test_an_open_years_report_says_draft_on_every_page(demo, zh):
    report = build_report(demo, Department.objects.get(code="street"))
    assert report.is_draft
    reader = PdfReader(io.BytesIO(render_report_pdf(report)))
    assert len(reader.pages) > 1
    for page in reader.pages:
        assert "草稿" in "".join(page.extract_text().split())


def test_export_report_writes_a_word_file(demo, tmp_path):
    from docx import Document

    output = tmp_path / "report.docx"
    out = io.StringIO()
    call_command(
        "export_report",
        "--year",
        "2021",
        "--format",
        "docx",
        "--language",
        "en",
        "--output",
        str(output),
        stdout=out,
    )
    document = Document(str(output))
    assert document.paragraphs[0].text.startswith("District Sanitation Bureau")
    assert "Wrote" in out.getvalue()
