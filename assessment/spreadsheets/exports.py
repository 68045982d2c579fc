"""Spreadsheet exports: row generators plus one renderer.

Each export is a `SheetSpec`: a title, columns and a generator of `Row`s built from one
aggregated fetch and the pure roll-up / scoring functions, so the spreadsheet shows the
same numbers as the web page and the PDF. `render_xlsx` turns any list of sheets into an
.xlsx file (openpyxl write-only mode, so memory stays flat for the whole bureau).

Formula guard: user text that starts with ``= + - @``, a tab or a line break is
written as a *string* cell (data type ``s``) with Excel's "quote prefix" flag set. Nothing
is prepended to the text, so it reloads exactly as typed, and the quote prefix keeps Excel
from turning it into a formula even when someone edits the cell. (openpyxl would
otherwise store any string starting with ``=`` as a formula.)
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from copy import copy
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from assessment import sources
from assessment.figures import rollup
from assessment.models import AssessmentYear, Department, Figure, Indicator
from assessment.models.catalogue import Direction
from assessment.scoring import results
from assessment.scoring.rules import Grade

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: Leading characters that make a spreadsheet program read text as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
# Control characters that XML 1.0 cannot carry (tab, LF and CR are allowed).
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def number_format(decimals: int) -> str:
    return "#,##0" if decimals <= 0 else "#,##0." + "0" * decimals


def clean_text(text: str) -> str:
    """User text as XML can hold it: line ends as LF (an XML parser turns a bare CR into
    LF anyway), other control characters than tab and LF removed."""
    return _ILLEGAL_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


def text_cell(ws: Any, text: str, **style: Any) -> WriteOnlyCell:
    """A cell that holds `text` as a string, never as a formula."""
    cell = WriteOnlyCell(ws, value=clean_text(text))
    if is_formula_like(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True
    for name, value in style.items():
        setattr(cell, name, value)
    return cell


def guard_cell(cell: Any) -> None:
    """Apply the formula guard to a cell of a normal (not write-only) worksheet."""
    if isinstance(cell.value, str):
        cell.value = clean_text(cell.value)
        if is_formula_like(cell.value):
            cell.data_type = "s"
            cell.quotePrefix = True


@dataclass(frozen=True)
class Column:
    header: str
    width: float = 12
    numeric: bool = False
    #: Fixed decimal places for this column; None: the row's (indicator's) decimals.
    decimals: int | None = None


@dataclass(frozen=True)
class Row:
    """One output row. `kind`: "data", "section" (a heading row) or "total"."""

    cells: Sequence[Any]
    kind: str = "data"
    decimals: int | None = None  # number format of this row's numeric cells


@dataclass
class SheetSpec:
    name: str
    title: str
    columns: Sequence[Column]
    rows: Iterable[Row]
    freeze_columns: int = 0
    subtitle: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")
_SECTION_FILL = PatternFill("solid", fgColor="F1F1F1")
_WRAP = Alignment(wrap_text=True, vertical="center")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _setup_print(ws: Any, ncols: int, header_row: int) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.print_title_rows = f"1:{header_row}"
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5


def render_xlsx(sheets: Sequence[SheetSpec]) -> bytes:
    """Render sheets to .xlsx bytes: title row, header row, frozen header, print setup."""
    wb = Workbook(write_only=True)
    for spec in sheets:
        ws = wb.create_sheet(title=spec.name[:31])
        ncols = len(spec.columns)
        for index, column in enumerate(spec.columns, start=1):
            ws.column_dimensions[get_column_letter(index)].width = column.width
        header_row = 3 if spec.subtitle else 2
        ws.freeze_panes = (
            f"{get_column_letter(spec.freeze_columns + 1)}{header_row + 1}"
        )
        _setup_print(ws, ncols, header_row)
        ws.merged_cells.add(f"A1:{get_column_letter(ncols)}1")
        ws.append([text_cell(ws, spec.title, font=Font(bold=True, size=14))])
        if spec.subtitle:
            ws.merged_cells.add(f"A2:{get_column_letter(ncols)}2")
            ws.append([text_cell(ws, spec.subtitle)])
        ws.append(
            [
                text_cell(
                    ws,
                    column.header,
                    font=Font(bold=True),
                    fill=_HEADER_FILL,
                    border=_BORDER,
                    alignment=_CENTER,
                )
                for column in spec.columns
            ]
        )
        styles: dict[tuple[Any, ...], Any] = {}
        for row in spec.rows:
            ws.append(_render_row(ws, row, spec.columns, styles))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _render_row(
    ws: Any,
    row: Row,
    columns: Sequence[Column],
    styles: dict[tuple[Any, ...], Any],
) -> list[Any]:
    """The row's cells. Each distinct look is styled once and its style array copied
    to later cells: setting fonts and borders cell by cell dominated large exports."""
    bold = row.kind in ("section", "total")
    section = row.kind == "section"
    out: list[Any] = []
    for value, column in zip(row.cells, columns, strict=False):
        if isinstance(value, str):
            cell = WriteOnlyCell(ws, value=clean_text(value))
            guarded = is_formula_like(cell.value)
            if guarded:
                cell.data_type = "s"
            key: tuple[Any, ...] = ("s", bold, section, len(value) > 20, guarded)
        elif value is None or isinstance(value, bool):
            cell = WriteOnlyCell(ws, value=value)
            key = ("n", False, section, None)
        else:
            cell = WriteOnlyCell(ws, value=value)
            decimals = None
            if column.numeric:
                decimals = row.decimals if column.decimals is None else column.decimals
            key = ("d", bold, False, decimals)
        style = styles.get(key)
        if style is not None:
            cell._style = copy(style)
        else:
            _apply_style(cell, key)
            styles[key] = copy(cell._style)
        out.append(cell)
    return out


def _apply_style(cell: Any, key: tuple[Any, ...]) -> None:
    kind, bold, section = key[0], key[1], key[2]
    cell.border = _BORDER
    if bold:
        cell.font = Font(bold=True)
    if section:
        cell.fill = _SECTION_FILL
    if kind == "s":
        if key[3]:
            cell.alignment = _WRAP
        if key[4]:
            cell.quotePrefix = True
    elif kind == "d" and key[3] is not None:
        cell.number_format = number_format(key[3])


# --- figures: indicators × months -------------------------------------------------


def _figures_columns() -> list[Column]:
    columns = [
        Column(_("Department"), 16),
        Column(_("Code"), 10),
        Column(_("Indicator"), 26),
        Column(_("Unit"), 8),
    ]
    columns += [
        Column(_("Month %(month)d") % {"month": m}, 10, numeric=True)
        for m in range(1, 13)
    ]
    columns += [
        Column(_("Year value"), 12, numeric=True),
        Column(_("Annual target"), 12, numeric=True),
        Column(_("Completion (%)"), 10, numeric=True, decimals=1),
        Column(_("Source"), 10),
    ]
    return columns


def _indicators_by_department(
    year: AssessmentYear, department_ids: list[int]
) -> dict[int, list[Indicator]]:
    through = Indicator.departments.through
    links = through.objects.filter(
        department_id__in=department_ids, indicator__year=year
    ).values_list("department_id", "indicator_id")
    indicators = {i.pk: i for i in Indicator.objects.filter(year=year)}
    result: dict[int, list[Indicator]] = defaultdict(list)
    for department_id, indicator_id in links:
        result[department_id].append(indicators[indicator_id])
    for items in result.values():
        items.sort(key=lambda i: (i.order, i.code))
    return result


def monthly_values(
    year: AssessmentYear,
    departments: Sequence[Department],
    indicators: Iterable[Indicator],
) -> dict[tuple[int, int], dict[int, Decimal]]:
    """{(department id, indicator id): {month: value}} from figures and record sources."""
    department_ids = [d.pk for d in departments]
    values: dict[tuple[int, int], dict[int, Decimal]] = defaultdict(dict)
    rows = Figure.objects.filter(
        monthly_return__year=year, monthly_return__department_id__in=department_ids
    ).values_list(
        "monthly_return__department_id",
        "indicator_id",
        "monthly_return__month",
        "value",
    )
    for department_id, indicator_id, month, value in rows:
        values[(department_id, indicator_id)][month] = value
    computed: dict[str, list[Indicator]] = defaultdict(list)
    for indicator in indicators:
        if indicator.is_computed:
            computed[indicator.source].append(indicator)
    for key, items in computed.items():
        source = sources.get(key)
        if source is None:
            continue
        fed = source.monthly_values(department_ids, year.year)
        for (department_id, month), value in fed.items():
            for indicator in items:
                values[(department_id, indicator.pk)][month] = value
    return values


def figures_rows(
    year: AssessmentYear, departments: Sequence[Department] | QuerySet[Department]
) -> Iterator[Row]:
    """Per department: a heading row, then each indicator's 12 months and year value."""
    departments = list(departments)
    by_department = _indicators_by_department(year, [d.pk for d in departments])
    all_indicators = {i.pk: i for items in by_department.values() for i in items}
    values = monthly_values(year, departments, all_indicators.values())
    computed_label = _("records")
    manual_label = _("typed")
    for department in departments:
        indicators = by_department.get(department.pk, [])
        if not indicators:
            continue
        yield Row([department.name], kind="section")
        for indicator in indicators:
            months = values.get((department.pk, indicator.pk), {})
            year_value = rollup.roll_up(
                months, indicator.aggregation, indicator.decimals
            )
            ratio = rollup.completion(
                year_value,
                indicator.annual_target,
                indicator.direction == Direction.AT_MOST,
            )
            pct = rollup.percent(ratio)
            yield Row(
                [
                    department.name,
                    indicator.code,
                    indicator.name,
                    indicator.unit,
                    *(months.get(m) for m in range(1, 13)),
                    year_value,
                    indicator.annual_target,
                    pct,
                    computed_label if indicator.is_computed else manual_label,
                ],
                decimals=indicator.decimals,
            )


def figures_sheet(
    year: AssessmentYear,
    departments: Sequence[Department] | QuerySet[Department],
    title: str,
) -> SheetSpec:
    return SheetSpec(
        name=_("Figures"),
        title=title,
        subtitle=_("Assessment year %(year)s") % {"year": year.year},
        columns=_figures_columns(),
        rows=figures_rows(year, departments),
        freeze_columns=3,
    )


def figures_workbook(
    year: AssessmentYear,
    departments: Sequence[Department] | QuerySet[Department],
    title: str,
) -> bytes:
    return render_xlsx([figures_sheet(year, departments, title)])


# --- score sheet (考核评分表) -------------------------------------------------------


def _score_columns() -> list[Column]:
    return [
        Column(_("No."), 7),
        Column(_("Assessment item"), 30),
        Column(_("Standard"), 50),
        Column(_("Points"), 9, numeric=True, decimals=2),
        Column(_("Deduction"), 9, numeric=True, decimals=2),
        Column(_("Score"), 9, numeric=True, decimals=2),
        Column(_("Note"), 30),
    ]


def _deduction(points: Decimal, score: Decimal | None) -> Decimal | None:
    if score is None:
        return None
    return max(points - score, Decimal(0))


def _department_score_rows(result: results.DepartmentResult) -> Iterator[Row]:
    category_id = None
    for line in result.targets:
        target = line.target
        if target.category_id != category_id:
            category_id = target.category_id
            yield Row(["", target.category.name], kind="section")
        if line.assessed is not None:
            note = line.reason
        elif line.suggested is not None:
            note = _("Suggested by the rule; not yet assessed.")
        else:
            note = _("Not yet assessed.")
        yield Row(
            [
                target.code,
                target.name,
                target.standard,
                target.points,
                _deduction(target.points, line.counted),
                line.counted,
                note,
            ]
        )
    total = result.total
    yield Row(
        [
            "",
            _("Total"),
            "",
            result.possible_points,
            result.possible_points - total.scores,
            total.scores,
            "",
        ],
        kind="total",
    )
    yield Row(
        ["", _("Score per 100 points"), "", None, None, total.base, ""],
        kind="total",
    )
    for adjustment in result.deductions:
        yield Row(
            ["", _("Deduction"), adjustment.reason, None, adjustment.points, None, ""]
        )
    for adjustment in result.bonuses:
        yield Row(
            ["", _("Bonus"), adjustment.reason, None, None, adjustment.points, ""]
        )
    bonus_note = (
        _("Bonus capped at %(cap)s") % {"cap": total.bonus_cap}
        if total.cap_bites
        else ""
    )
    yield Row(
        ["", _("Result per 100 points"), "", None, None, total.total, bonus_note],
        kind="total",
    )
    for veto in result.vetoes:
        yield Row(["", _("One-vote veto"), veto.reason, None, None, None, ""])
    yield Row(
        ["", _("Grade"), "", None, None, None, _grade_label(result.grade)],
        kind="total",
    )


def _grade_label(grade: str | None) -> str:
    if grade is None:
        return "—"
    return str(Grade(grade).label)


def _bureau_score_rows(result: results.BureauResult) -> Iterator[Row]:
    category_id = None
    for line in result.targets:
        target = line.target
        if target.category_id != category_id:
            category_id = target.category_id
            yield Row(["", target.category.name], kind="section")
        scored_by = "、".join(
            f"{department.name} {'—' if score is None else format(score, 'f')}"
            for department, score in line.department_scores
        )
        yield Row(
            [
                target.code,
                target.name,
                target.standard,
                target.points,
                _deduction(target.points, line.score),
                line.score,
                scored_by,
            ]
        )
    yield Row(
        [
            "",
            _("Total"),
            "",
            result.catalogue_points,
            _deduction(result.catalogue_points, result.total),
            result.total,
            _("One-vote veto") if result.vetoed else "",
        ],
        kind="total",
    )
    yield Row(
        ["", _("Grade"), "", None, None, None, _grade_label(result.grade)],
        kind="total",
    )


def score_sheet_workbook(
    year: AssessmentYear,
    department: Department | None,
    *,
    departments: Iterable[Department] = (),
    bureau_title: str = "",
) -> bytes:
    """One department's score sheet, or (department None) the bureau's followed by the
    sheet of each of `departments`, the ones the reader may see."""
    heading = _("Target-management assessment score sheet %(year)s") % {
        "year": year.year
    }
    if department is not None:
        result = results.department_result(year, department)
        sheets = [_department_sheet(result, heading)]
    elif not departments:
        raise ValueError("the bureau's score sheet needs the departments to show")
    else:
        all_results = results.year_results(year, departments, stored=True)
        bureau = results.bureau_result(year, all_results)
        sheets = [
            SheetSpec(
                name=_("Bureau"),
                title=heading,
                subtitle=bureau_title,
                columns=_score_columns(),
                rows=_bureau_score_rows(bureau),
                freeze_columns=2,
            )
        ]
        sheets += [_department_sheet(r, heading) for r in all_results if r.targets]
    return render_xlsx(sheets)


def _department_sheet(result: results.DepartmentResult, heading: str) -> SheetSpec:
    name = re.sub(r"[\[\]:*?/\\]", "_", result.department.name)[:31]
    return SheetSpec(
        name=name or result.department.code,
        title=heading,
        subtitle=result.department.name,
        columns=_score_columns(),
        rows=_department_score_rows(result),
        freeze_columns=2,
    )
