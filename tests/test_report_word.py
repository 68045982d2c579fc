"""The report as a Word document: real headings, Word tables, charts as pictures, page
numbers, the report's faces; LibreOffice opens and converts it; the download is
access-checked like the PDF. The demo's document is built once per module."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile

import pytest
from docx import Document

from assessment.models import Department
from assessment.reporting import fonts
from assessment.reporting.report import build_report
from assessment.reporting.word import render_report_docx
from tests.report_support import demo_module_fixture, plain

pytestmark = pytest.mark.django_db


def _build(year):
    return render_report_docx(build_report(year, None, Department.objects.all()))


docx_bytes = demo_module_fixture(_build)


def test_the_outline_is_in_words_heading_styles(docx_bytes):
    document = Document(io.BytesIO(docx_bytes))
    by_style: dict[str, list[str]] = {}
    for paragraph in document.paragraphs:
        by_style.setdefault(paragraph.style.name, []).append(paragraph.text)
    assert "第一部分：勤政建设" in by_style["Heading 1"]
    assert (
        "一、按照区委、区政府的工作要求，各项业务工作全面完成" in by_style["Heading 2"]
    )
    assert "（一）认真完成好城市卫生管理工作" in by_style["Heading 3"]
    assert "1.开展各种扶贫捐款活动" in by_style["Heading 4"]
    assert by_style["Title"][0].startswith("区环境卫生管理局")


def test_tables_charts_page_numbers_and_faces(docx_bytes):
    document = Document(io.BytesIO(docx_bytes))
    assert len(document.tables) >= 10
    totals = [t for t in document.tables if t.rows[-1].cells[0].text == "合计"]
    assert totals, "the summary table ends in its total row"
    assert len(document.inline_shapes) >= 5  # the monthly charts, as PNG
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as archive:
        names = archive.namelist()
        footers = "".join(
            archive.read(n).decode() for n in names if n.startswith("word/footer")
        )
        styles = archive.read("word/styles.xml").decode()
        settings = archive.read("word/settings.xml").decode()
    assert any(n.endswith(".png") for n in names)
    assert "PAGE" in footers and "—" in footers
    assert "w:evenAndOddHeaders" in settings
    for face in (fonts.BODY, fonts.HEI, fonts.KAI, fonts.SONG):
        assert f'w:eastAsia="{face}"' in styles, face


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_libreoffice_converts_it_to_pdf_with_the_text(docx_bytes, tmp_path):
    source = tmp_path / "report.docx"
    source.write_bytes(docx_bytes)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "report.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    text = plain(text)
    for fact in ("第一部分：勤政建设", "竞聘上岗", "21290元", "近7吨", "2022年1月21日"):
        assert plain(fact) in text, fact
