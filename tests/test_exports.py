"""The .xlsx exports load back with the right values and types, and leak nothing."""

from __future__ import annotations

import html
import io
import zipfile
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from assessment.models import Adjustment, Figure, MonthlyReturn, Score
from assessment.spreadsheets import exports
from tests.spreadsheet_support import load


@pytest.fixture(autouse=True)
def _english_messages(settings):
    """These tests read the sheets' labels; they read them in English."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


MONTH = timezone.localdate().month
CANARIES = ["=1+1", "+1", "-1", "@SUM(A1:A2)", "\t=1", "\r=1", '=HYPERLINK("x")']


@pytest.fixture
def figures(catalogue, year, dept_a, dept_b, clerk_a):
    def put(department, indicator, month, value, note=""):
        monthly_return, _ = MonthlyReturn.objects.get_or_create(
            year=year, department=department, month=month
        )
        return Figure.objects.create(
            monthly_return=monthly_return,
            indicator=indicator,
            value=Decimal(value),
            note=note,
            updated_by=clerk_a,
        )

    put(dept_a, catalogue["area"], 1, "150.0")
    put(dept_a, catalogue["area"], 2, "151.0")
    put(dept_a, catalogue["pits"], 1, "42000")
    put(dept_a, catalogue["pits"], 2, "41000")
    put(dept_b, catalogue["waste"], 1, "5123.7")
    return put


def rows_of(content: bytes, sheet: int = 0) -> list[tuple]:
    wb = load(content)
    return list(wb.worksheets[sheet].iter_rows(values_only=True))


def all_text(content: bytes) -> str:
    """Every string in every part of the workbook: what a leak test must search.

    Character references are resolved: openpyxl writes non-ASCII text as &#...; when
    lxml is installed.
    """
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return " ".join(
            html.unescape(archive.read(name).decode("utf-8", "replace"))
            for name in archive.namelist()
        )


# --- the formula guard ------------------------------------------------------------


@pytest.mark.parametrize("text", CANARIES)
def test_user_text_never_becomes_a_formula(text):
    spec = exports.SheetSpec(
        name="t",
        title=text,
        columns=[exports.Column(text), exports.Column("b")],
        rows=[exports.Row([text, "ok"])],
    )
    content = exports.render_xlsx([spec])
    for kwargs in ({}, {"read_only": True}, {"data_only": True}):
        wb = load(content, **kwargs)
        ws = wb.worksheets[0]
        cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
        values = [c.value for c in cells]
        # Line ends are stored as LF (XML turns a bare CR into LF when parsing).
        assert values.count(text.replace("\r", "\n")) == 3, values
        assert all(c.data_type == "s" for c in cells)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet and b"<f " not in sheet
    # Excel's quote prefix keeps the text a text even when the cell is edited.
    ws = load(content).worksheets[0]
    assert ws["A1"].quotePrefix and ws["A3"].quotePrefix
    assert ws["B3"].quotePrefix is False


def test_control_characters_that_xml_cannot_hold_are_dropped():
    spec = exports.SheetSpec(
        name="t",
        title="t",
        columns=[exports.Column("a")],
        rows=[exports.Row(["a\x00b\x1fc"])],
    )
    assert rows_of(exports.render_xlsx([spec]))[2] == ("abc",)


def test_notes_and_names_with_formulas_stay_text_in_the_template(
    catalogue, year, dept_a, figures
):
    from assessment.spreadsheets import imports

    catalogue["area"].name = "=cmd|'/c calc'!A1"
    catalogue["area"].save()
    figures(dept_a, catalogue["area"], MONTH, "150.0", note="@SUM(1+1)")
    content = imports.template_workbook(year, dept_a, MONTH)
    ws = load(content)["figures"]
    assert ws["C2"].value == "=cmd|'/c calc'!A1" and ws["C2"].data_type == "s"
    assert ws["G2"].value == "@SUM(1+1)" and ws["G2"].data_type == "s"


# --- figures ----------------------------------------------------------------------


def test_figures_export_holds_months_year_values_and_types(
    client_a, catalogue, year, figures
):
    response = client_a.get(
        reverse(
            "assessment:figures-export", kwargs={"year": year.year, "code": "dept-a"}
        )
    )
    assert response.status_code == 200
    assert response["Content-Type"] == exports.XLSX_CONTENT_TYPE
    wb = load(response.content)
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert "清扫保洁队" in rows[0][0]
    header = rows[2]
    assert header[:4] == ("Department", "Code", "Indicator", "Unit") or header[1]
    data = {row[1]: row for row in rows[4:]}
    area, pits = data["area"], data["pits"]
    assert area[4:6] == (150, 151)
    assert area[16] == pytest.approx(150.5)  # average of the months
    assert pits[16] == 83000  # sum of the months
    assert isinstance(pits[4], int | float)
    assert pits[6] is None  # March: nothing reported
    assert ws.cell(5, 5).number_format == "#,##0.0"
    assert ws.cell(6, 5).number_format == "#,##0"
    assert ws.freeze_panes == "D4"
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.paperSize in (9, "9")
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$3"
    assert ws.column_dimensions["C"].width == 26


def test_department_a_exports_hold_nothing_of_b(client_a, catalogue, year, figures):
    for name in ("figures-export", "score-sheet-export"):
        response = client_a.get(
            reverse(f"assessment:{name}", kwargs={"year": year.year, "code": "dept-a"})
        )
        assert response.status_code == 200
        text = all_text(response.content)
        assert "清扫保洁队" in text
        for marker in ("垃圾清运队", "dept-b", "垃圾清运量", "5123.7", "waste"):
            assert marker not in text, (name, marker)


def test_the_bureau_figures_export_holds_every_department(
    client_supervisor, catalogue, year, figures
):
    response = client_supervisor.get(
        reverse("assessment:bureau-figures-export", kwargs={"year": year.year})
    )
    rows = rows_of(response.content)
    sections = [r[0] for r in rows if r[1] is None and r[0]][1:]
    assert sections[-2:] == ["清扫保洁队", "垃圾清运队"]
    waste = next(r for r in rows if r[1] == "waste")
    assert waste[4] == pytest.approx(5123.7)


# --- score sheet ------------------------------------------------------------------


def test_the_score_sheet_lists_categories_targets_scores_total_and_grade(
    client_a, supervisor, catalogue, year, dept_a, figures
):
    Score.objects.create(
        target=catalogue["target_a"],
        department=dept_a,
        assessed_score=Decimal("18.5"),
        reason="=人工 判断",
        scored_by=supervisor,
    )
    Score.objects.create(
        target=catalogue["common"],
        department=dept_a,
        assessed_score=Decimal("10"),
        scored_by=supervisor,
    )
    Adjustment.objects.create(
        year=year,
        department=dept_a,
        kind=Adjustment.Kind.DEDUCTION,
        points=Decimal("1.5"),
        reason="迟报",
        created_by=supervisor,
    )
    response = client_a.get(
        reverse(
            "assessment:score-sheet-export",
            kwargs={"year": year.year, "code": "dept-a"},
        )
    )
    wb = load(response.content)
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[1][0] == "清扫保洁队"
    assert rows[3][1] == "勤政建设"  # the category as a section row
    target = next(r for r in rows if r[0] == "1.1")
    assert target[1:] == ("道路清扫保洁", None, 20, 1.5, 18.5, "=人工 判断")
    assert ws.cell(rows.index(target) + 1, 7).data_type == "s"
    common = next(r for r in rows if r[0] == "1.3")
    assert common[3:6] == (10, 0, 10)
    total = next(r for r in rows if r[1] == "Total")
    assert total[3:6] == (30, 1.5, 28.5)  # 28.5 of 30 points
    per_100 = next(r for r in rows if r[1] == "Score per 100 points")
    assert per_100[5] == 95
    deduction = next(r for r in rows if r[1] == "Deduction")
    assert deduction[2] == "迟报" and deduction[4] == 1.5
    result = next(r for r in rows if r[1] == "Result per 100 points")
    assert result[5] == 93.5  # 95 − 1.5, on the 100 scale
    grade = next(r for r in rows if r[1] == "Grade")
    assert grade[6] == "Excellent"
    assert ws.cell(rows.index(target) + 1, 4).number_format == "#,##0.00"


def test_the_bureau_score_sheet_has_the_bureau_and_each_department(
    client_leader, catalogue, year, figures
):
    response = client_leader.get(
        reverse("assessment:bureau-score-sheet-export", kwargs={"year": year.year})
    )
    assert response.status_code == 200
    wb = load(response.content)
    assert wb.sheetnames[1:] == ["清扫保洁队", "垃圾清运队"]
    bureau = list(wb.worksheets[0].iter_rows(values_only=True))
    assert {r[0] for r in bureau if r[0]} >= {"1.1", "1.2", "1.3"}
    total = next(r for r in bureau if r[1] == "Total")
    assert total[3] == 50
