"""The .xlsx template a clerk fills in: fixed bilingual headers, current values.

The header texts are fixed (English and Chinese together) rather than translated, so a
template works whatever language the clerk's browser uses.
"""

from __future__ import annotations

import datetime
import io

import openpyxl
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from assessment import formatting
from assessment.figures import periods, workflow
from assessment.models import AssessmentYear, Department, Figure, Indicator
from assessment.spreadsheets import exports

SHEET_NAME = "figures"


INFO_SHEET_NAME = "info"


COLUMNS: tuple[tuple[str, str], ...] = (
    ("department", "department code / 单位代码"),
    ("indicator", "indicator code / 指标代码"),
    ("name", "indicator name / 指标名称"),
    ("unit", "unit / 计量单位"),
    ("month", "month / 月份"),
    ("value", "value / 数值"),
    ("note", "note / 说明"),
)


COLUMN_LETTER = {key: get_column_letter(i) for i, (key, _h) in enumerate(COLUMNS, 1)}


COLUMN_INDEX = {key: i for i, (key, _h) in enumerate(COLUMNS)}


def manual_indicators(year: AssessmentYear, department: Department) -> list[Indicator]:
    """The indicators a clerk types by hand (record-fed ones are computed)."""
    return list(
        Indicator.objects.filter(year=year, departments=department, source="").order_by(
            "order", "code"
        )
    )


def template_months(
    year: AssessmentYear, month: int | None, today: datetime.date
) -> list[int]:
    if month is not None:
        return [month]
    return [m for m in range(1, 13) if workflow.month_started(year.year, m, today)]


def template_workbook(
    year: AssessmentYear,
    department: Department,
    month: int | None = None,
    *,
    today: datetime.date | None = None,
) -> bytes:
    """An .xlsx to fill in: the department's typed indicators and current values."""
    today = today or periods.today()
    indicators = manual_indicators(year, department)
    months = template_months(year, month, today)
    stored = {
        (month_, indicator_id): (value, note)
        for month_, indicator_id, value, note in Figure.objects.filter(
            monthly_return__year=year,
            monthly_return__department=department,
            monthly_return__month__in=months,
        ).values_list("monthly_return__month", "indicator_id", "value", "note")
    }
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET_NAME
    ws.append([header for _key, header in COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE7F0")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for month_ in months:
        for indicator in indicators:
            value, note = stored.get((month_, indicator.pk), (None, ""))
            ws.append(
                [
                    department.code,
                    indicator.code,
                    indicator.name,
                    indicator.unit,
                    month_,
                    value,
                    note,
                ]
            )
            row = ws.max_row
            ws.cell(
                row, COLUMN_INDEX["value"] + 1
            ).number_format = exports.number_format(indicator.decimals)
            for cell in ws[row]:
                exports.guard_cell(cell)
    for letter, width in zip("ABCDEFG", (16, 16, 28, 10, 8, 14, 36), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True

    info = wb.create_sheet(INFO_SHEET_NAME)
    lines = [
        _("Monthly figures of %(department)s, assessment year %(year)s")
        % {"department": department.name, "year": year.year},
        _("Generated %(when)s") % {"when": formatting.moment(timezone.now())},
        "",
        _("Fill in the value column of the sheet “figures” and upload the file."),
        _("An empty value leaves the stored figure as it is."),
        _("Values outside the plausible range need a note."),
        _("Do not change the header row, the codes or the month."),
        _("Indicators fed by work records are computed and not listed."),
    ]
    for line in lines:
        info.append([line])
        exports.guard_cell(info.cell(info.max_row, 1))
    info.column_dimensions["A"].width = 90
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
