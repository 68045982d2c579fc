"""The figures import: every bad file of QUALITY item 10, the dry run and the apply."""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone, translation

from assessment import spine
from assessment.figures.workflow import ReturnStatus
from assessment.models import Figure, MonthlyReturn
from assessment.models.catalogue import YearStatus
from assessment.spreadsheets import imports
from tests.spreadsheet_support import HEADERS, load, rezip, sheet_xml, workbook_bytes


@pytest.fixture(autouse=True)
def _english_messages():
    """These tests read the problems' wording; they read it in English."""
    with translation.override("en"):
        yield


MONTH = timezone.localdate().month


def snapshot() -> tuple[list[tuple], int, int, int]:
    figures = sorted(
        Figure.objects.values_list("pk", "value", "note", "version", "indicator_id")
    )
    return (
        figures,
        Figure.history.count(),
        MonthlyReturn.objects.count(),
        MonthlyReturn.history.count(),
    )


def good_rows(month: int = MONTH) -> list[list]:
    return [
        ["dept-a", "area", "清扫面积", "万m²", month, 150.5, ""],
        ["dept-a", "pits", "垃圾池清掏", "个", month, 42000, "ok"],
    ]


@pytest.fixture
def stored_area(catalogue, year, dept_a, clerk_a) -> Figure:
    monthly_return = MonthlyReturn.objects.create(
        year=year, department=dept_a, month=MONTH
    )
    figure = Figure(
        monthly_return=monthly_return,
        indicator=catalogue["area"],
        value=Decimal("120.0"),
        updated_by=clerk_a,
    )
    figure.save()
    return figure


def validate(data: bytes, user, year, department):
    return imports.validate_upload(io.BytesIO(data), user, year, department)


# --- files refused before a row is read -------------------------------------------


def _valid() -> bytes:
    return workbook_bytes(good_rows())


def _xlsm() -> bytes:
    return rezip(_valid(), add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\0" * 64})


def _entity_bomb() -> bytes:
    bomb = (
        b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    )
    data = _valid()
    xml = sheet_xml(data).replace(b"<t>dept-a</t>", b"<t>&lol3;</t>", 1)
    return rezip(data, replace={"xl/worksheets/sheet1.xml": bomb + xml})


def _zip_bomb() -> bytes:
    data = _valid()
    xml = sheet_xml(data)
    padded = xml.replace(b"<sheetData>", b"<sheetData>" + b" " * (8 * 1024 * 1024))
    return rezip(data, replace={"xl/worksheets/sheet1.xml": padded})


def _million_rows() -> bytes:
    data = _valid()
    xml = sheet_xml(data)
    start = xml.index(b'<dimension ref="')
    end = xml.index(b"/>", start)
    claimed = xml[:start] + b'<dimension ref="A1:G1048576" ' + xml[end:]
    return rezip(data, replace={"xl/worksheets/sheet1.xml": claimed})


BAD_FILES = {
    "not a workbook": (lambda: b"department,indicator,value\ndept-a,area,1\n", "not"),
    "renamed pdf": (lambda: b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n", "PDF"),
    "empty": (lambda: b"", "empty"),
    "truncated": (lambda: _valid()[: len(_valid()) // 2], "damaged"),
    "xlsm with macros": (_xlsm, "macros"),
    "xls": (lambda: bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 512, ".xls"),
    "xml entities": (_entity_bomb, "DOCTYPE"),
    "zip bomb": (_zip_bomb, "zip bomb"),
    "a zip that is no workbook": (
        lambda: rezip(_valid(), replace={}, add={})[:0] + _plain_zip(),
        "not",
    ),
}


def _plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hello")
    return out.getvalue()


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_it_refuses_bad_files_with_a_message_and_writes_nothing(
    name, catalogue, year, dept_a, clerk_a, stored_area
):
    make, expected = BAD_FILES[name]
    before = snapshot()
    report = validate(make(), clerk_a, year, dept_a)
    assert not report.ok
    assert len(report.problems) == 1
    assert expected.lower() in report.problems[0].message.lower()
    assert report.changes == []
    with pytest.raises(spine.Refused):
        imports.apply_import(report, clerk_a)
    assert snapshot() == before


def test_it_refuses_a_file_over_the_size_cap(
    settings, catalogue, year, dept_a, clerk_a
):
    settings.IMPORT_MAX_BYTES = 1000
    report = validate(_valid(), clerk_a, year, dept_a)
    assert len(report.problems) == 1
    assert "larger" in report.problems[0].message


def test_openpyxl_parses_with_defusedxml():
    assert openpyxl.DEFUSEDXML is True
    # Even without our own DOCTYPE check, openpyxl itself refuses the entity bomb.
    with pytest.raises(ValueError) as caught:
        wb = load(_entity_bomb(), read_only=True)
        list(wb["figures"].iter_rows(values_only=True))
    assert imports.container.caused_by_defusedxml(caught.value)


def test_the_parser_refusal_is_reported_even_past_our_own_check(
    monkeypatch, catalogue, year, dept_a, clerk_a
):
    monkeypatch.setattr(imports.container, "_DOCTYPE", re.compile(rb"(?!)"))
    report = validate(_entity_bomb(), clerk_a, year, dept_a)
    assert len(report.problems) == 1
    assert "DOCTYPE" in report.problems[0].message


def test_it_refuses_a_sheet_claiming_a_million_rows(catalogue, year, dept_a, clerk_a):
    before = snapshot()
    report = validate(_million_rows(), clerk_a, year, dept_a)
    assert len(report.problems) == 1
    problem = report.problems[0]
    assert problem.sheet == "figures"
    assert "1,048,576" in problem.message
    assert snapshot() == before


def test_it_stops_reading_after_the_row_cap(
    monkeypatch, catalogue, year, dept_a, clerk_a
):
    monkeypatch.setattr(imports.container, "MAX_ROWS", 3)
    rows = good_rows() * 3
    data = workbook_bytes(rows)
    xml = sheet_xml(data)
    start = xml.index(b"<dimension")
    end = xml.index(b"/>", start) + 2
    data = rezip(data, replace={"xl/worksheets/sheet1.xml": xml[:start] + xml[end:]})
    report = validate(data, clerk_a, year, dept_a)
    assert any("Too many rows" in p.message for p in report.problems)


# --- one report listing every problem -----------------------------------------


def test_one_report_lists_every_problem_with_sheet_row_and_column(
    catalogue, year, dept_a, clerk_a, stored_area
):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "figures"
    ws.append(HEADERS)
    ws.append(["dept-a", "area", "", "", MONTH, 150, ""])  # row 2: fine
    ws.append(["dept-a", "nope", "", "", MONTH, 1, ""])  # 3: unknown indicator
    ws.append(["dept-b", "waste", "", "", MONTH, 1, ""])  # 4: another department
    ws.append(["dept-a", "area", "", "", MONTH, 151, ""])  # 5: duplicate of row 2
    ws.append(["dept-a", "pits", "", "", MONTH, "lots", ""])  # 6: text in a number
    ws.append(["dept-a", "pits", "", "", MONTH + 0, None, ""])  # 7: duplicate, empty
    ws.append(["dept-a", "waste", "", "", MONTH, 1, ""])  # 8: B's indicator
    ws.append(["dept-a", "pits", "", "", 13, 1, ""])  # 9: bad month
    ws["F10"] = "=1+1"  # 10: a formula never calculated
    ws["A10"], ws["B10"], ws["E10"] = "dept-a", "area", (MONTH % 12) + 1
    ws.append(["dept-a", "area", "", "", (MONTH % 12) + 1, 500, ""])  # 11: implausible
    buffer = io.BytesIO()
    wb.save(buffer)
    before = snapshot()
    report = validate(buffer.getvalue(), clerk_a, year, dept_a)
    where = {(p.row, p.column) for p in report.problems}
    assert where == {
        (3, "B"),
        (4, "A"),
        (5, "B"),
        (6, "F"),
        (7, "B"),
        (8, "B"),
        (9, "E"),
        (10, "F"),
        (11, "F"),
    }, report.problems
    assert all(p.sheet == "figures" for p in report.problems)
    messages = {p.row: p.message for p in report.problems}
    assert "Unknown indicator" in messages[3]
    assert "dept-b" in messages[4]
    assert "row 2" in messages[5]
    assert "Text in a number cell" in messages[6]
    assert "formula without a saved value" in messages[10].lower()
    assert "plausible maximum" in messages[11]
    # The fine row is still shown as a change, but nothing can be applied.
    assert [c.row for c in report.changes] == [2]
    with pytest.raises(spine.Refused):
        imports.apply_import(report, clerk_a)
    assert snapshot() == before
    # A second dry run gives the same report.
    again = validate(buffer.getvalue(), clerk_a, year, dept_a)
    assert again.problems == report.problems
    assert again.changes == report.changes


def test_wrong_headers_are_reported_per_column(catalogue, year, dept_a, clerk_a):
    headers = list(HEADERS)
    headers[1] = "Indicator  CODE"  # case and spacing do not matter
    headers[5] = "amount"
    report = validate(
        workbook_bytes(good_rows(), headers=headers), clerk_a, year, dept_a
    )
    assert [(p.row, p.column) for p in report.problems] == [(1, "F")]
    assert "amount" in report.problems[0].message


def test_headers_may_be_english_or_chinese(catalogue, year, dept_a, clerk_a):
    english = [h.split(" / ")[0] for h in HEADERS]
    chinese = [h.split(" / ")[1] for h in HEADERS]
    for headers in (english, chinese):
        report = validate(
            workbook_bytes(good_rows(), headers=headers), clerk_a, year, dept_a
        )
        assert report.ok, report.problems
        assert len(report.changes) == 2


def test_formulas_with_saved_values_are_read_as_their_values(
    catalogue, year, dept_a, clerk_a
):
    data = workbook_bytes([["dept-a", "pits", "", "", MONTH, "=40000+2000", ""]])
    xml = sheet_xml(data).replace(b"<f>40000+2000</f><v></v>", b"<f>40000+2000</f>")
    xml = xml.replace(b"<f>40000+2000</f>", b"<f>40000+2000</f><v>42000</v>")
    data = rezip(data, replace={"xl/worksheets/sheet1.xml": xml})
    report = validate(data, clerk_a, year, dept_a)
    assert report.ok, report.problems
    assert [c.new_value for c in report.changes] == [Decimal(42000)]


def test_numbers_typed_as_text_and_full_width_digits_are_read(
    catalogue, year, dept_a, clerk_a
):
    rows = [
        ["dept-a", "area", "", "", str(MONTH), "１５０.５", ""],
        ["dept-a", "pits", "", "", f"{MONTH}月", "42000", ""],
    ]
    report = validate(workbook_bytes(rows), clerk_a, year, dept_a)
    assert report.ok, report.problems
    assert [c.new_value for c in report.changes] == [
        Decimal("150.5"),
        Decimal(42000),
    ]


def test_too_many_decimals_and_negatives_are_refused(catalogue, year, dept_a, clerk_a):
    rows = [
        ["dept-a", "area", "", "", MONTH, 150.55, ""],
        ["dept-a", "pits", "", "", MONTH, -3, ""],
    ]
    report = validate(workbook_bytes(rows), clerk_a, year, dept_a)
    assert [(p.row, p.column) for p in report.problems] == [(2, "F"), (3, "F")]


def test_an_implausible_value_with_a_note_is_accepted(catalogue, year, dept_a, clerk_a):
    rows = [["dept-a", "area", "", "", MONTH, 250, "雪灾后全面清扫"]]
    report = validate(workbook_bytes(rows), clerk_a, year, dept_a)
    assert report.ok
    assert report.changes[0].new_note == "雪灾后全面清扫"


# --- locks ------------------------------------------------------------------------


@pytest.mark.parametrize("status", [ReturnStatus.APPROVED, ReturnStatus.SUBMITTED])
def test_a_locked_month_is_refused_naming_the_month(
    status, catalogue, year, dept_a, clerk_a, stored_area
):
    MonthlyReturn.objects.filter(pk=stored_area.monthly_return_id).update(status=status)
    before = snapshot()
    report = validate(workbook_bytes(good_rows()), clerk_a, year, dept_a)
    assert {(p.row, p.column) for p in report.problems} == {(2, "E"), (3, "E")}
    assert all(f"Month {MONTH}" in p.message for p in report.problems)
    assert snapshot() == before


def test_a_closed_year_refuses_the_import(
    catalogue, year, dept_a, clerk_a, stored_area
):
    year.status = YearStatus.CLOSED
    year.save()
    report = validate(workbook_bytes(good_rows()), clerk_a, year, dept_a)
    assert len(report.problems) == 2
    assert all("closed" in p.message for p in report.problems)


def test_a_month_locked_between_dry_run_and_apply_refuses_everything(
    catalogue, year, dept_a, clerk_a, stored_area
):
    report = validate(workbook_bytes(good_rows()), clerk_a, year, dept_a)
    assert report.can_apply
    MonthlyReturn.objects.filter(pk=stored_area.monthly_return_id).update(
        status=ReturnStatus.SUBMITTED
    )
    before = snapshot()
    with pytest.raises(spine.Refused) as refused:
        imports.apply_import(report, clerk_a)
    assert f"month {MONTH}" in refused.value.message
    assert snapshot() == before


def test_unchanged_rows_of_locked_months_are_no_problem(
    catalogue, year, dept_a, clerk_a, stored_area
):
    MonthlyReturn.objects.filter(pk=stored_area.monthly_return_id).update(
        status=ReturnStatus.APPROVED
    )
    rows = [["dept-a", "area", "", "", MONTH, 120, ""]]
    report = validate(workbook_bytes(rows), clerk_a, year, dept_a)
    assert report.ok
    assert report.changes == []
    assert report.unchanged == 1


# --- applying ---------------------------------------------------------------------


def test_the_happy_path_applies_every_change_with_audit_entries(
    catalogue, year, dept_a, clerk_a, stored_area
):
    report = validate(workbook_bytes(good_rows()), clerk_a, year, dept_a)
    assert report.ok
    changes = {(c.indicator_code, c.old_value, c.new_value) for c in report.changes}
    assert changes == {
        ("area", Decimal("120.0"), Decimal("150.5")),
        ("pits", None, Decimal(42000)),
    }
    history_before = Figure.history.count()
    result = imports.apply_import(report, clerk_a)
    assert (result.created, result.updated) == (1, 1)
    stored_area.refresh_from_db()
    assert stored_area.value == Decimal("150.5")
    assert stored_area.version == 2
    assert stored_area.updated_by == clerk_a
    pits = Figure.objects.get(indicator=catalogue["pits"])
    assert (pits.value, pits.note, pits.version) == (Decimal(42000), "ok", 1)
    entries = Figure.history.order_by("history_id")[history_before:]
    assert len(entries) == 2
    assert {e.history_user_id for e in entries} == {clerk_a.pk}
    assert {e.history_type for e in entries} == {"~", "+"}
    old = stored_area.history.order_by("history_id")
    assert [h.value for h in old] == [Decimal("120.0"), Decimal("150.5")]


def test_re_uploading_the_same_file_is_noticed(
    catalogue, year, dept_a, clerk_a, stored_area
):
    data = workbook_bytes(good_rows())
    first = validate(data, clerk_a, year, dept_a)
    assert not first.already_imported
    imports.apply_import(first, clerk_a)
    before = snapshot()
    again = validate(data, clerk_a, year, dept_a)
    assert again.already_imported
    assert again.fingerprint == first.fingerprint
    assert again.changes == []
    assert again.unchanged == 2
    assert imports.apply_import(again, clerk_a).count == 0
    assert snapshot() == before


def test_a_figure_changed_after_the_dry_run_refuses_the_whole_import(
    catalogue, year, dept_a, clerk_a, stored_area
):
    report = validate(workbook_bytes(good_rows()), clerk_a, year, dept_a)
    stored_area.value = Decimal("130.0")
    stored_area.version += 1
    stored_area.save()
    before = snapshot()
    with pytest.raises(spine.Refused) as refused:
        imports.apply_import(report, clerk_a)
    assert "清扫面积" in refused.value.message
    assert snapshot() == before


def test_it_refuses_leaders_and_other_departments(
    catalogue, year, dept_a, dept_b, clerk_a, clerk_b, leader
):
    from django.core.exceptions import PermissionDenied

    data = workbook_bytes(good_rows())
    with pytest.raises(PermissionDenied):
        validate(data, clerk_b, year, dept_a)
    report = validate(data, leader, year, dept_a)
    with pytest.raises(PermissionDenied):
        imports.apply_import(report, leader)
    assert Figure.objects.count() == 0


def test_the_template_round_trips(catalogue, year, dept_a, clerk_a, stored_area):
    data = imports.template_workbook(year, dept_a, MONTH)
    wb = load(data)
    ws = wb["figures"]
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    assert [(r[0], r[1], r[4], r[5]) for r in rows[1:]] == [
        ("dept-a", "area", MONTH, 120),
        ("dept-a", "pits", MONTH, None),
    ]
    assert ws.freeze_panes == "A2"
    assert ws["F2"].number_format == "#,##0.0"
    # Unchanged, it is a clean no-op.
    report = validate(data, clerk_a, year, dept_a)
    assert report.ok and report.changes == [] and report.unchanged == 1
    # Filled, it imports.
    ws["F3"] = 41000
    buffer = io.BytesIO()
    wb.save(buffer)
    report = validate(buffer.getvalue(), clerk_a, year, dept_a)
    assert report.ok
    assert [(c.indicator_code, c.new_value) for c in report.changes] == [
        ("pits", Decimal(41000))
    ]


def test_the_template_skips_record_fed_indicators_and_other_departments(
    catalogue, year, dept_a, clerk_a
):
    computed = catalogue["pits"]
    computed.source = "bureau.donation_amount"
    computed.save()
    wb = load(imports.template_workbook(year, dept_a, None))
    codes = {row[1] for row in wb["figures"].iter_rows(min_row=2, values_only=True)}
    assert codes == {"area"}
    months = {row[4] for row in wb["figures"].iter_rows(min_row=2, values_only=True)}
    assert months == set(range(1, MONTH + 1))
    text = " ".join(
        str(v) for row in wb["figures"].iter_rows(values_only=True) for v in row if v
    )
    assert "dept-b" not in text and "waste" not in text
