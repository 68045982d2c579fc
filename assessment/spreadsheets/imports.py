"""Monthly figures from an .xlsx upload: template, dry run, all-or-nothing apply.

The file is checked as bytes before any spreadsheet library sees it (size, zip magic,
macros, declared and actual uncompressed sizes, XML DOCTYPEs), then read with openpyxl in
read-only, data-only mode (defusedxml parses it). Every row is validated with the same
rules as the entry page (`values.parse_value`, `values.plausibility_problem`, the month
lock of `returns`/`workflow`); the result is an `ImportReport` listing every change
(old → new) and every problem with its sheet, row and column. `apply_import` writes a
report without problems in one transaction, after checking under row locks that nothing
changed since the report was made, so two overlapping imports never mix.

The header texts are fixed (English and Chinese together) rather than translated, so a
template works whatever language the clerk's browser uses.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, BinaryIO

import openpyxl
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from assessment import access
from assessment.figures import returns, values, workflow
from assessment.models import (
    AssessmentYear,
    Department,
    Figure,
    Indicator,
    MonthlyReturn,
    User,
)
from assessment.spreadsheets import exports

SHEET_NAME = "figures"
INFO_SHEET_NAME = "info"
#: (key, header text). The header row must hold these, in this order.
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

MAX_ROWS = 20_000
MAX_PROBLEMS = 500  # beyond this the report says "and N more"
MAX_UNCOMPRESSED = 64 * 1024 * 1024
MAX_RATIO = 100  # uncompressed / compressed, for members over RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
MAX_MEMBERS = 500
NOTE_MAX = Figure._meta.get_field("note").max_length or 500
CHANGE_REASON = "xlsx import %s"

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DOCTYPE = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
_FORMULA = re.compile(rb"<(\w+:)?f[\s>/]")


class ImportRefused(returns.ReturnError):
    """Applying the import was refused; nothing was written."""


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int | None
    column: str | None  # column letter
    message: str

    @property
    def header(self) -> str:
        if self.column is None:
            return ""
        for key, letter in COLUMN_LETTER.items():
            if letter == self.column:
                return dict(COLUMNS)[key]
        return ""


@dataclass(frozen=True)
class Change:
    row: int
    indicator_id: int
    indicator_code: str
    indicator_name: str
    unit: str
    decimals: int
    month: int
    old_value: Decimal | None
    new_value: Decimal
    old_note: str
    new_note: str
    #: What the dry run saw: the stored figure's id and version (None: no figure).
    figure_id: int | None
    figure_version: int | None


@dataclass
class ImportReport:
    year: AssessmentYear
    department: Department
    fingerprint: str
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rows_read: int = 0
    unchanged: int = 0
    more_problems: int = 0
    #: True when an earlier import of the very same file was applied.
    already_imported: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def can_apply(self) -> bool:
        return self.ok and bool(self.changes)

    def add(self, problem: Problem) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)
        else:
            self.more_problems += 1


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int

    @property
    def count(self) -> int:
        return self.created + self.updated


# --- the template -----------------------------------------------------------------


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
    today = today or returns.today()
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
        _("Generated %(when)s")
        % {"when": timezone.localtime().strftime("%Y-%m-%d %H:%M")},
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


# --- reading an upload ------------------------------------------------------------


def _read_bytes(upload: Any) -> tuple[bytes | None, str | None]:
    """The upload's bytes, or a refusal, without reading more than the cap allows."""
    cap = settings.IMPORT_MAX_BYTES
    size = getattr(upload, "size", None)
    too_big = _("The file is larger than %(mb).1f MB.") % {"mb": cap / 1024 / 1024}
    if isinstance(size, int) and size > cap:
        return None, too_big
    if isinstance(upload, bytes | bytearray):
        data = bytes(upload)
    else:
        stream: BinaryIO = upload
        if hasattr(stream, "seek"):
            stream.seek(0)
        data = stream.read(cap + 1)
    if len(data) > cap:
        return None, too_big
    return data, None


def check_container(data: bytes) -> str | None:
    """Why these bytes are not a workbook we will open, or None."""
    if not data:
        return _("The file is empty.")
    if data.startswith(OLE_MAGIC):
        return _(
            "This is an old Excel (.xls) file. Save it as an Excel workbook (.xlsx) "
            "and upload that."
        )
    if data.startswith(b"%PDF"):
        return _("This is a PDF file, not an Excel workbook (.xlsx).")
    if not data.startswith(ZIP_MAGIC):
        return _("This is not an Excel workbook (.xlsx).")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return _("The file is damaged or incomplete (perhaps a truncated upload).")
    with archive:
        members = archive.infolist()
        names = {info.filename for info in members}
        if len(members) > MAX_MEMBERS:
            return _("The workbook holds too many parts.")
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            return _("This is not an Excel workbook (.xlsx).")
        if any(name.lower().endswith("vbaproject.bin") for name in names):
            return _(
                "The workbook contains macros (.xlsm). Save it as a plain Excel "
                "workbook (.xlsx) and upload that."
            )
        declared = sum(info.file_size for info in members)
        if declared > MAX_UNCOMPRESSED:
            return _("The workbook unpacks to too much data.")
        for info in members:
            if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(
                info.compress_size, 1
            ):
                return _("The workbook is compressed suspiciously well (zip bomb).")
        try:
            content_types = archive.read("[Content_Types].xml")
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            return _("The file is damaged or incomplete (perhaps a truncated upload).")
        if b"macroEnabled" in content_types:
            return _(
                "The workbook contains macros (.xlsm). Save it as a plain Excel "
                "workbook (.xlsx) and upload that."
            )
        # Read every XML part with a running cap: declared sizes can lie.
        total = 0
        for info in members:
            if not info.filename.endswith((".xml", ".rels", ".vml")):
                continue
            try:
                with archive.open(info) as member:
                    tail = b""
                    while chunk := member.read(256 * 1024):
                        total += len(chunk)
                        if total > MAX_UNCOMPRESSED:
                            return _("The workbook unpacks to too much data.")
                        if _DOCTYPE.search(tail + chunk):
                            return _(
                                "The workbook contains XML declarations that are "
                                "not allowed (DOCTYPE/ENTITY)."
                            )
                        tail = chunk[-16:]
            except (zipfile.BadZipFile, OSError, ValueError, EOFError):
                return _(
                    "The file is damaged or incomplete (perhaps a truncated upload)."
                )
    return None


def _has_formulas(data: bytes) -> bool:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                tail = b""
                with archive.open(name) as member:
                    while chunk := member.read(256 * 1024):
                        if _FORMULA.search(tail + chunk):
                            return True
                        tail = chunk[-8:]
    return False


def _formula_cells(data: bytes, sheet_name: str) -> set[tuple[int, int]]:
    """(row, column) of every formula cell, from a second, formulas-kept pass."""
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        ws = wb[sheet_name]
        found: set[tuple[int, int]] = set()
        for row in ws.iter_rows(max_row=MAX_ROWS + 1, max_col=len(COLUMNS)):
            for cell in row:
                if getattr(cell, "data_type", None) == "f":
                    found.add((cell.row, cell.column))
        return found
    finally:
        wb.close()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _header_matches(cell: Any, header: str) -> bool:
    text = " ".join(_text(cell).split()).lower()
    english, chinese = (part.strip().lower() for part in header.split("/"))
    return text in {header.lower(), english, chinese}


def _number_text(value: Any) -> str | None:
    """A number cell as the text `parse_value` reads, or None for text cells."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # repr gives the shortest text that reads back as the same double: 12.3, not
        # 12.300000000000001.
        try:
            return format(Decimal(repr(value)), "f")
        except InvalidOperation:
            return None
    if isinstance(value, Decimal):
        return format(value, "f")
    return None


def _month(value: Any) -> int | None:
    text = _text(value).removesuffix("月")
    if text.isdigit() and 1 <= int(text) <= 12:
        return int(text)
    return None


@dataclass
class _State:
    """What is stored now, read once for the whole upload."""

    indicators: dict[str, Indicator]
    returns: dict[int, MonthlyReturn]
    figures: dict[tuple[int, int], tuple[int, Decimal, str, int]]
    locks: dict[int, str | None]


def _load_state(
    year: AssessmentYear, department: Department, today: datetime.date
) -> _State:
    indicators = {
        i.code: i for i in Indicator.objects.filter(year=year, departments=department)
    }
    stored_returns = {
        r.month: r
        for r in MonthlyReturn.objects.filter(year=year, department=department)
    }
    figures = {
        (month, indicator_id): (pk, value, note, version)
        for pk, month, indicator_id, value, note, version in Figure.objects.filter(
            monthly_return__year=year, monthly_return__department=department
        ).values_list(
            "pk", "monthly_return__month", "indicator_id", "value", "note", "version"
        )
    }
    months_with_figures = {month for month, _i in figures}
    locks = {
        month: workflow.lock_reason(
            returns.month_facts(
                stored_returns.get(month), year, month, month in months_with_figures
            ),
            today,
        )
        for month in range(1, 13)
    }
    return _State(indicators, stored_returns, figures, locks)


def validate_upload(
    upload: Any,
    user: User,
    year: AssessmentYear,
    department: Department,
    *,
    today: datetime.date | None = None,
) -> ImportReport:
    """The dry run: every change and every problem; writes nothing."""
    if not access.departments_for(user).filter(pk=department.pk).exists():
        raise PermissionDenied
    today = today or returns.today()
    data, refusal = _read_bytes(upload)
    fingerprint = hashlib.sha256(data or b"").hexdigest()
    report = ImportReport(year=year, department=department, fingerprint=fingerprint)
    if refusal is None:
        assert data is not None
        refusal = check_container(data)
    if refusal is not None:
        report.add(Problem(_("file"), None, None, refusal))
        return report
    assert data is not None
    try:
        _read_rows(report, data, year, department, today)
    except Exception as exc:  # noqa: BLE001 - any parser failure is a bad file
        report.problems.clear()
        report.changes.clear()
        if _caused_by_defusedxml(exc):
            message = _(
                "The workbook contains XML declarations that are not allowed "
                "(DOCTYPE/ENTITY)."
            )
        else:
            message = _("The workbook could not be read (%(error)s).") % {
                "error": type(exc).__name__
            }
        report.add(Problem(_("file"), None, None, message))
    report.already_imported = was_imported(department, year, fingerprint)
    return report


def _caused_by_defusedxml(exc: BaseException | None) -> bool:
    while exc is not None:
        if type(exc).__module__.startswith("defusedxml"):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _read_rows(
    report: ImportReport,
    data: bytes,
    year: AssessmentYear,
    department: Department,
    today: datetime.date,
) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        if SHEET_NAME in wb.sheetnames:
            sheet_name = SHEET_NAME
        else:
            sheet_name = wb.sheetnames[0]
        ws = wb[sheet_name]
        claimed = ws.max_row
        if isinstance(claimed, int) and claimed > MAX_ROWS + 1:
            report.add(
                Problem(
                    sheet_name,
                    None,
                    None,
                    _(
                        "The sheet claims %(rows)s rows; an import holds at most "
                        "%(max)s. Split the file."
                    )
                    % {"rows": f"{claimed:,}", "max": f"{MAX_ROWS:,}"},
                )
            )
            return
        formulas = _formula_cells(data, sheet_name) if _has_formulas(data) else set()
        rows = ws.iter_rows(
            min_row=1, max_row=MAX_ROWS + 2, max_col=len(COLUMNS), values_only=True
        )
        _check_rows(report, sheet_name, rows, formulas, year, department, today)
    finally:
        wb.close()


def _check_rows(
    report: ImportReport,
    sheet: str,
    rows: Iterable[tuple[Any, ...]],
    formulas: set[tuple[int, int]],
    year: AssessmentYear,
    department: Department,
    today: datetime.date,
) -> None:
    iterator: Iterator[tuple[Any, ...]] = iter(rows)
    header = next(iterator, None)
    header = tuple(header or ()) + (None,) * len(COLUMNS)
    header_ok = True
    for index, (_key, text) in enumerate(COLUMNS):
        if not _header_matches(header[index], text):
            header_ok = False
            report.add(
                Problem(
                    sheet,
                    1,
                    get_column_letter(index + 1),
                    _("The header should read “%(expected)s”, not “%(found)s”.")
                    % {"expected": text, "found": _text(header[index])},
                )
            )
    if not header_ok:
        return  # the columns cannot be trusted; the template fixes this
    state = _load_state(year, department, today)
    seen: dict[tuple[int, int], int] = {}
    col = COLUMN_INDEX
    for row_number, raw in enumerate(iterator, start=2):
        if row_number > MAX_ROWS + 1:
            report.add(
                Problem(
                    sheet,
                    row_number,
                    None,
                    _("Too many rows: an import holds at most %(max)s.")
                    % {"max": f"{MAX_ROWS:,}"},
                )
            )
            return
        cells = tuple(raw) + (None,) * (len(COLUMNS) - len(raw))
        if all(_text(c) == "" for c in cells) and not any(
            (row_number, i + 1) in formulas for i in range(len(COLUMNS))
        ):
            continue
        report.rows_read += 1

        def problem(key: str, message: str, row: int = row_number) -> None:
            report.add(Problem(sheet, row, COLUMN_LETTER[key], message))

        broken = False
        for key in ("department", "indicator", "month", "value", "note"):
            position = (row_number, col[key] + 1)
            if position in formulas and cells[col[key]] is None:
                problem(
                    key,
                    _(
                        "A formula without a saved value: open the file in Excel, "
                        "let it calculate, save, and upload again."
                    ),
                )
                broken = True
        if broken:
            continue
        code = _text(cells[col["department"]])
        if not code:
            problem("department", _("Fill in the department code."))
            continue
        if code.lower() != department.code.lower():
            problem(
                "department",
                _(
                    "This row is for department “%(code)s”; this import is for "
                    "%(department)s (%(own)s) only."
                )
                % {"code": code, "department": department.name, "own": department.code},
            )
            continue
        indicator_code = _text(cells[col["indicator"]])
        indicator = state.indicators.get(indicator_code)
        if indicator is None:
            problem(
                "indicator",
                _("Unknown indicator “%(code)s” for this department and year.")
                % {"code": indicator_code},
            )
            continue
        if indicator.is_computed:
            problem(
                "indicator",
                _("%(indicator)s is computed from work records and cannot be imported.")
                % {"indicator": indicator.name},
            )
            continue
        month = _month(cells[col["month"]])
        if month is None:
            problem("month", _("Enter a month from 1 to 12."))
            continue
        key = (month, indicator.pk)
        if key in seen:
            problem(
                "indicator",
                _(
                    "Duplicate: %(indicator)s for month %(month)d already appears in "
                    "row %(row)d."
                )
                % {"indicator": indicator.name, "month": month, "row": seen[key]},
            )
            continue
        seen[key] = row_number
        raw_value = cells[col["value"]]
        note = _text(cells[col["note"]])
        if len(note) > NOTE_MAX:
            problem(
                "note", _("Keep the note under %(n)d characters.") % {"n": NOTE_MAX}
            )
            continue
        if raw_value is None or _text(raw_value) == "":
            continue  # empty: leave the stored figure as it is
        if isinstance(raw_value, datetime.date | datetime.time | datetime.timedelta):
            problem("value", _("A date where a number belongs."))
            continue
        number_text = _number_text(raw_value)
        text = number_text if number_text is not None else _text(raw_value)
        try:
            value = values.parse_value(
                text,
                decimals=indicator.decimals,
                allow_negative=indicator.allow_negative,
            )
        except ValidationError as exc:
            message = " ".join(exc.messages)
            if number_text is None:
                message = _("Text in a number cell (“%(text)s”): %(message)s") % {
                    "text": text[:40],
                    "message": message,
                }
            problem("value", message)
            continue
        assert value is not None
        implausible = values.plausibility_problem(
            value, indicator.plausible_min, indicator.plausible_max
        )
        if implausible and not note:
            problem("value", implausible)
            continue
        stored = state.figures.get(key)
        if stored is not None and stored[1] == value and stored[2] == note:
            report.unchanged += 1
            continue
        lock = state.locks[month]
        if lock:
            problem(
                "month",
                _("Month %(month)d cannot be changed: %(reason)s")
                % {"month": month, "reason": lock},
            )
            continue
        report.changes.append(
            Change(
                row=row_number,
                indicator_id=indicator.pk,
                indicator_code=indicator.code,
                indicator_name=indicator.name,
                unit=indicator.unit,
                decimals=indicator.decimals,
                month=month,
                old_value=stored[1] if stored else None,
                new_value=value,
                old_note=stored[2] if stored else "",
                new_note=note,
                figure_id=stored[0] if stored else None,
                figure_version=stored[3] if stored else None,
            )
        )


def was_imported(
    department: Department, year: AssessmentYear, fingerprint: str
) -> bool:
    """Whether a file with this fingerprint was applied before (seen in the audit)."""
    return Figure.history.filter(
        history_change_reason=CHANGE_REASON % fingerprint,
        monthly_return__department_id=department.pk,
        monthly_return__year_id=year.pk,
    ).exists()


# --- applying ---------------------------------------------------------------------


def _returns_for_update(
    year: AssessmentYear, department: Department, months: list[int], user: User
) -> dict[int, MonthlyReturn]:
    existing = set(
        MonthlyReturn.objects.filter(
            year=year, department=department, month__in=months
        ).values_list("month", flat=True)
    )
    for month in months:
        if month in existing:
            continue
        monthly_return = MonthlyReturn(year=year, department=department, month=month)
        monthly_return._history_user = user  # type: ignore[attr-defined]
        try:
            with transaction.atomic():
                monthly_return.save()
        except IntegrityError:
            pass  # created by a concurrent request meanwhile; locked below
    return {
        r.month: r
        for r in MonthlyReturn.objects.select_for_update()
        .filter(year=year, department=department, month__in=months)
        .order_by("month")
    }


def _update_figures(figures: list[Figure]) -> None:
    """One prepared UPDATE run for every row: Django's bulk_update builds a CASE per
    column whose cost grows with the batch squared, which dominated large imports."""
    table = Figure._meta.db_table
    quote = connection.ops.quote_name
    columns = ["value", "note", "version", "updated_by_id", "updated_at"]
    assignments = ", ".join(f"{quote(c)} = %s" for c in columns)
    sql = f"UPDATE {quote(table)} SET {assignments} WHERE {quote('id')} = %s"
    fields = [Figure._meta.get_field(c.removesuffix("_id")) for c in columns]
    params = [
        [
            field.get_db_prep_save(getattr(figure, field.attname), connection)
            for field in fields
        ]
        + [figure.pk]
        for figure in figures
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def apply_import(
    report: ImportReport, user: User, *, today: datetime.date | None = None
) -> ImportResult:
    """Write every change of a problem-free report, or nothing (ImportRefused)."""
    if report.problems:
        raise ImportRefused(_("The file has problems; nothing was imported."))
    department, year = report.department, report.year
    if not access.can_edit_department_data(user) or not (
        access.departments_for(user).filter(pk=department.pk).exists()
    ):
        raise PermissionDenied
    if not report.changes:
        return ImportResult(created=0, updated=0)
    today = today or returns.today()
    months = sorted({change.month for change in report.changes})
    indicator_ids = {change.indicator_id for change in report.changes}
    now = timezone.now()
    reason = CHANGE_REASON % report.fingerprint
    with transaction.atomic():
        year = AssessmentYear.objects.get(pk=year.pk)
        locked = _returns_for_update(year, department, months, user)
        for month in months:
            lock = workflow.lock_reason(
                returns.month_facts(locked.get(month), year, month, True), today
            )
            if lock:
                raise ImportRefused(
                    _("Nothing was imported: month %(month)d cannot be changed: ")
                    % {"month": month}
                    + lock
                )
        stored = {
            (f.monthly_return_id, f.indicator_id): f
            for f in Figure.objects.select_for_update(of=("self",))
            .filter(monthly_return__in=locked.values(), indicator_id__in=indicator_ids)
            .select_related("updated_by")
        }
        to_create: list[Figure] = []
        to_update: list[Figure] = []
        for change in report.changes:
            monthly_return = locked[change.month]
            figure = stored.get((monthly_return.pk, change.indicator_id))
            seen = (change.figure_id, change.figure_version)
            now_stored = (figure.pk, figure.version) if figure else (None, None)
            if seen != now_stored:
                who = (
                    figure.updated_by.display_name
                    if figure and figure.updated_by
                    else _("someone")
                )
                raise ImportRefused(
                    _(
                        "Nothing was imported: %(who)s changed %(indicator)s for month "
                        "%(month)d after this file was checked. Upload it again to "
                        "see the changes."
                    )
                    % {
                        "who": who,
                        "indicator": change.indicator_name,
                        "month": change.month,
                    }
                )
            if figure is None:
                to_create.append(
                    Figure(
                        monthly_return=monthly_return,
                        indicator_id=change.indicator_id,
                        value=change.new_value,
                        note=change.new_note,
                        version=1,
                        updated_by=user,
                        updated_at=now,
                    )
                )
            else:
                figure.value = change.new_value
                figure.note = change.new_note
                figure.version += 1
                figure.updated_by = user
                figure.updated_at = now
                to_update.append(figure)
        if to_update:
            _update_figures(to_update)
            # History through simple_history's bulk helper: one row per change, with
            # the user and the import's fingerprint as the reason.
            bulk_update_with_history(
                to_update,
                Figure,
                [],
                batch_size=1000,
                default_user=user,
                default_change_reason=reason,
                default_date=now,
            )
        if to_create:
            bulk_create_with_history(
                to_create,
                Figure,
                batch_size=1000,
                default_user=user,
                default_change_reason=reason,
                default_date=now,
            )
    return ImportResult(created=len(to_create), updated=len(to_update))
