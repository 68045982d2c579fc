"""Validation rules on the import path: per row and cell in the dry run, blocking
ones and needs-a-note ones without a note refuse the apply."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from assessment import spine
from assessment.figures import returns
from assessment.models import Figure, FollowUp
from assessment.spreadsheets import imports
from tests.spreadsheet_support import workbook_bytes
from tests.test_quality_entry import make_rule

MONTH = timezone.localdate().month


@pytest.fixture(autouse=True)
def _english_messages():
    with translation.override("en"):
        yield


def rows(pits, note="", month=MONTH):
    return [
        ["dept-a", "area", "清扫面积", "万m²", month, 150.5, ""],
        ["dept-a", "pits", "垃圾池清掏", "个", month, pits, note],
    ]


def validate(data: bytes, user, year, department):
    return imports.validate_upload(io.BytesIO(data), user, year, department)


@pytest.fixture
def block_rule(catalogue):
    return make_rule(
        "清掏数不超过面积的十倍",
        "block",
        "le",
        [("left", "pits", "1", None), ("right", "area", "10", None)],
    )


@pytest.fixture
def note_rule(catalogue, dept_a, dept_b):
    return make_rule(
        "清掏数不超过清运量",
        "note",
        "le",
        [("left", "pits", "1", dept_a), ("right", "waste", "1", dept_b)],
    )


def test_a_blocking_rule_is_a_problem_of_the_value_cell(
    clerk_a, year, dept_a, block_rule
):
    report = validate(workbook_bytes(rows(1600)), clerk_a, year, dept_a)
    assert not report.can_apply
    # Each changed cell the rule reads.
    assert [(p.row, p.column) for p in report.problems] == [(2, "F"), (3, "F")]
    problem = report.problems[1]
    assert "清掏数不超过面积的十倍" in problem.message
    assert "left side 1,600.0, right side 1,505.0" in problem.message
    assert "blocks the import" in problem.message
    with pytest.raises(spine.Refused):
        imports.apply_import(report, clerk_a)
    assert not Figure.objects.exists()


def test_a_needs_a_note_rule_asks_for_the_note_column(
    clerk_a, clerk_b, year, dept_a, dept_b, catalogue, note_rule
):
    returns.save_figures(
        clerk_b,
        year,
        dept_b,
        MONTH,
        [returns.FigureRow(catalogue["waste"], Decimal(1000), "", 0)],
    )
    report = validate(workbook_bytes(rows(1400)), clerk_a, year, dept_a)
    [problem] = report.problems
    assert (problem.row, problem.column) == (3, "G")
    assert "Explain the value in the note column" in problem.message
    assert "垃圾清运队 · 垃圾清运量 1,000.0, entered by clerk_b" in problem.message

    report = validate(workbook_bytes(rows(1400, "含上月数")), clerk_a, year, dept_a)
    assert report.can_apply
    [notice] = report.rule_notices
    assert notice.row == 3 and "清掏数不超过清运量" in notice.message
    imports.apply_import(report, clerk_a)
    assert Figure.objects.get(indicator=catalogue["pits"]).value == Decimal(1400)
    flag = FollowUp.objects.get()
    assert flag.reason == "rule" and flag.rule == note_rule


def test_the_dry_run_page_lists_rule_notices(
    client_a, clerk_a, year, dept_a, catalogue
):
    make_rule(
        "面积不少于清掏数",
        "warn",
        "ge",
        [("left", "area", "1", None), ("right", "pits", "1", None)],
    )
    url = reverse("assessment:import", args=[year.year, "dept-a"])
    upload = io.BytesIO(workbook_bytes(rows(1400)))
    upload.name = "figures.xlsx"
    response = client_a.post(url, {"file": upload})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="import-rule-notices"' in body
    assert "面积不少于清掏数" in body
    assert 'id="confirm-button"' in body


def test_the_import_checks_a_months_own_range(clerk_a, year, dept_a, catalogue):
    from assessment.models import MonthRange

    MonthRange.objects.create(
        indicator=catalogue["area"],
        month=MONTH,
        plausible_min=Decimal(120),
        plausible_max=Decimal(130),
    )
    report = validate(workbook_bytes(rows(1400)), clerk_a, year, dept_a)
    [problem] = report.problems
    assert (problem.row, problem.column) == (2, "F")
    assert "130" in problem.message
