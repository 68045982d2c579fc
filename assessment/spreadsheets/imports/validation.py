"""The dry run: every row checked with the entry page's rules, nothing written.

Every row is validated with the same rules as the entry page (`values.parse_value`,
`values.plausibility_problem`, the month lock of `returns`/`workflow`); the result is an
`ImportReport` listing every change (old → new) and every problem with its sheet, row
and column.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import openpyxl
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, InterfaceError
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from assessment import access
from assessment.figures import periods, values, workflow
from assessment.models import (
    AssessmentYear,
    Department,
    Figure,
    Indicator,
    MonthlyReturn,
    User,
)
from assessment.quality import checks
from assessment.quality import months as quality_months
from assessment.quality.ranges import PlausibleRange
from assessment.spreadsheets.imports import container
from assessment.spreadsheets.imports.apply import was_imported
from assessment.spreadsheets.imports.template import (
    COLUMN_INDEX,
    COLUMN_LETTER,
    COLUMNS,
    SHEET_NAME,
)
from assessment.text import strip_bidi

MAX_PROBLEMS = 500  # beyond this the report says "and N more"

logger = logging.getLogger(__name__)


NOTE_MAX = Figure._meta.get_field("note").max_length or 500


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int | None
    column: str | None  # column letter
    message: str
    #: The row's indicator (its name when the department has it, else the code typed)
    #: and month, so the user need not look the row up in the file.
    indicator: str = ""
    month: int | None = None

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


@dataclass(frozen=True)
class RuleNotice:
    """A rule a change does not meet but that does not stop the import: a warning,
    or a needs-a-note rule whose note is in the file."""

    row: int
    month: int
    importance: str
    message: str


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
    #: Rules not met that do not stop the import (shown in the dry run).
    rule_notices: list[RuleNotice] = field(default_factory=list)
    #: (month, indicator id) -> (follow-up reason, rule id, detail): values the
    #: import saves with a note against a rule or the range, flagged on apply.
    flags: list[tuple[int, int, str, int | None, str]] = field(default_factory=list)

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
    #: (indicator id, month) -> the season-aware plausible range.
    ranges: dict[tuple[int, int], PlausibleRange] = field(default_factory=dict)


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
            periods.month_facts(
                stored_returns.get(month), year, month, month in months_with_figures
            ),
            today,
        )
        for month in range(1, 13)
    }
    ranges = quality_months.month_ranges(
        indicators.values(), department.pk, year.year, range(1, 13)
    )
    return _State(indicators, stored_returns, figures, locks, ranges)


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
    today = today or periods.today()
    data, refusal = container.read_upload(upload)
    fingerprint = hashlib.sha256(data or b"").hexdigest()
    report = ImportReport(year=year, department=department, fingerprint=fingerprint)
    if refusal is None:
        assert data is not None
        refusal = container.check_container(data)
    if refusal is not None:
        report.add(Problem(_("file"), None, None, refusal))
        return report
    assert data is not None
    try:
        _read_rows(report, data, year, department, today)
    except (DatabaseError, InterfaceError):
        raise  # not the file's fault: answered as "nothing was saved, try again"
    except Exception as exc:  # noqa: BLE001 - any parser failure is a bad file
        report.problems.clear()
        report.changes.clear()
        if container.caused_by_defusedxml(exc):
            message = _(
                "The workbook contains XML declarations that are not allowed "
                "(DOCTYPE/ENTITY)."
            )
        else:
            logger.info("Unreadable workbook: %r", exc)
            message = _(
                "The workbook could not be read. Open it in Excel, save it again as "
                "an Excel workbook (.xlsx) and upload it again."
            )
        report.add(Problem(_("file"), None, None, message))
    report.already_imported = was_imported(department, year, fingerprint)
    return report


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
        if isinstance(claimed, int) and claimed > container.MAX_ROWS + 1:
            report.add(
                Problem(
                    sheet_name,
                    None,
                    None,
                    _(
                        "The sheet claims %(rows)s rows; an import holds at most "
                        "%(max)s. Split the file."
                    )
                    % {"rows": f"{claimed:,}", "max": f"{container.MAX_ROWS:,}"},
                )
            )
            return
        formulas = (
            container.formula_cells(data, sheet_name)
            if container.has_formulas(data)
            else set()
        )
        rows = ws.iter_rows(
            min_row=1,
            max_row=container.MAX_ROWS + 2,
            max_col=len(COLUMNS),
            values_only=True,
        )
        _check_rows(report, sheet_name, rows, formulas, year, department, today)
    finally:
        wb.close()


def _check_header(report: ImportReport, sheet: str, header: tuple[Any, ...]) -> bool:
    """Whether the header row holds the template's columns; each wrong one reported."""
    header = tuple(header) + (None,) * len(COLUMNS)
    ok = True
    for index, (_key, text) in enumerate(COLUMNS):
        if not _header_matches(header[index], text):
            ok = False
            report.add(
                Problem(
                    sheet,
                    1,
                    get_column_letter(index + 1),
                    _("The header should read “%(expected)s”, not “%(found)s”.")
                    % {"expected": text, "found": _text(header[index])},
                )
            )
    return ok


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
    if not _check_header(report, sheet, tuple(next(iterator, ()))):
        return  # the columns cannot be trusted; the template fixes this
    checker = _RowChecker(
        report, sheet, formulas, department, _load_state(year, department, today)
    )
    for row_number, raw in enumerate(iterator, start=2):
        if row_number > container.MAX_ROWS + 1:
            report.add(
                Problem(
                    sheet,
                    row_number,
                    None,
                    _("Too many rows: an import holds at most %(max)s.")
                    % {"max": f"{container.MAX_ROWS:,}"},
                )
            )
            return
        cells = tuple(raw) + (None,) * (len(COLUMNS) - len(raw))
        if all(_text(c) == "" for c in cells) and not any(
            (row_number, i + 1) in formulas for i in range(len(COLUMNS))
        ):
            continue
        report.rows_read += 1
        checker.check(row_number, cells)
    _check_rules(report, sheet, year, department, checker.state)


def _check_rules(
    report: ImportReport,
    sheet: str,
    year: AssessmentYear,
    department: Department,
    state: _State,
) -> None:
    """The validation rules over the months the file changes, as after the import.

    A blocking rule is a problem of the value cell, a needs-a-note rule without a
    note one of the note cell (of the first changed row the rule involves); both stop
    the import. Warnings, and needs-a-note rules explained in the file, are listed.
    """
    if not report.changes:
        return
    for change in report.changes:
        plausible = state.ranges[(change.indicator_id, change.month)]
        problem = values.plausibility_problem(
            change.new_value, plausible.low, plausible.high
        )
        if problem and change.new_note:
            report.flags.append(
                (change.month, change.indicator_id, "range", None, problem)
            )
    context = checks.load_context(year)
    if not context.rules:
        return
    overrides: dict[int, dict[str, Decimal | None]] = {}
    for change in report.changes:
        overrides.setdefault(change.month, {})[change.indicator_code] = change.new_value
    codes = {indicator.pk: indicator.code for indicator in state.indicators.values()}
    found = quality_months.findings_by_month(context, department, overrides)
    for month, findings in found.items():
        changes = [change for change in report.changes if change.month == month]
        notes = {
            codes[indicator_id]: stored[2]
            for (stored_month, indicator_id), stored in state.figures.items()
            if stored_month == month and indicator_id in codes
        }
        notes.update({change.indicator_code: change.new_note for change in changes})
        unmet = {id(f) for f in checks.unmet(findings, notes)}
        for finding in findings:
            involved = [c for c in changes if c.indicator_code in finding.fields]
            if not involved:
                continue  # stands already, caused elsewhere: not this file's doing
            row = involved[0].row
            text = rule_text(finding)
            if id(finding) in unmet and finding.blocks:
                text += " " + _("This rule blocks the import.")
                for change in involved:
                    report.add(Problem(sheet, change.row, COLUMN_LETTER["value"], text))
            elif id(finding) in unmet:
                text += " " + _("Explain the value in the note column.")
                report.add(Problem(sheet, row, COLUMN_LETTER["note"], text))
            else:
                report.rule_notices.append(
                    RuleNotice(row, month, finding.importance_label, text)
                )
                if finding.needs_note:
                    report.flags.extend(
                        (month, c.indicator_id, "rule", finding.rule_id, finding.name)
                        for c in involved
                        if c.new_note
                    )


def rule_text(finding: checks.Finding) -> str:
    """A violated rule in one line: its name, message, both sides, the others."""
    if finding.span:
        sides = _("this month %(left)s, allowed %(span)s") % {
            "left": finding.left,
            "span": finding.span,
        }
    else:
        sides = _("left side %(left)s, right side %(right)s") % {
            "left": finding.left,
            "right": finding.right,
        }
    text = _("%(name)s: %(message)s (%(sides)s)") % {
        "name": finding.name,
        "message": finding.message,
        "sides": sides,
    }
    for part in finding.others:
        text += " " + _(
            "%(department)s · %(indicator)s %(value)s, entered by %(who)s."
        ) % {
            "department": part.department,
            "indicator": part.indicator,
            "value": part.value,
            "who": part.entered_by or "—",
        }
    return text


class _RowProblem(Exception):
    """One row's first problem: reported, and the row skipped."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key
        self.message = message


@dataclass
class _RowChecker:
    """Checks one data row after another against the stored state of the department."""

    report: ImportReport
    sheet: str
    formulas: set[tuple[int, int]]
    department: Department
    state: _State
    seen: dict[tuple[int, int], int] = field(default_factory=dict)

    def check(self, row_number: int, cells: tuple[Any, ...]) -> None:
        try:
            change = self._change(row_number, cells)
        except _RowProblem as problem:
            code = _text(self._cell(cells, "indicator"))
            known = self.state.indicators.get(code)
            self.report.add(
                Problem(
                    self.sheet,
                    row_number,
                    COLUMN_LETTER[problem.key],
                    problem.message,
                    indicator=known.name if known is not None else code,
                    month=_month(self._cell(cells, "month")),
                )
            )
            return
        if change is not None:
            self.report.changes.append(change)

    def _cell(self, cells: tuple[Any, ...], key: str) -> Any:
        return cells[COLUMN_INDEX[key]]

    def _change(self, row_number: int, cells: tuple[Any, ...]) -> Change | None:
        """The row's change, None for an empty or unchanged value; _RowProblem else."""
        for column in ("department", "indicator", "month", "value", "note"):
            position = (row_number, COLUMN_INDEX[column] + 1)
            if position in self.formulas and self._cell(cells, column) is None:
                raise _RowProblem(
                    column,
                    _(
                        "A formula without a saved value: open the file in Excel, "
                        "let it calculate, save, and upload again."
                    ),
                )
        self._check_department(_text(self._cell(cells, "department")))
        indicator = self._indicator(_text(self._cell(cells, "indicator")))
        month = _month(self._cell(cells, "month"))
        if month is None:
            raise _RowProblem("month", _("Enter a month from 1 to 12."))
        key = (month, indicator.pk)
        if key in self.seen:
            raise _RowProblem(
                "indicator",
                _(
                    "Duplicate: %(indicator)s for month %(month)d already appears in "
                    "row %(row)d."
                )
                % {"indicator": indicator.name, "month": month, "row": self.seen[key]},
            )
        self.seen[key] = row_number
        note = strip_bidi(_text(self._cell(cells, "note")))
        if len(note) > NOTE_MAX:
            raise _RowProblem(
                "note", _("Keep the note under %(n)d characters.") % {"n": NOTE_MAX}
            )
        raw_value = self._cell(cells, "value")
        if raw_value is None or _text(raw_value) == "":
            return None  # empty: leave the stored figure as it is
        value = self._value(raw_value, indicator, note, month)
        stored = self.state.figures.get(key)
        if stored is not None and stored[1] == value and stored[2] == note:
            self.report.unchanged += 1
            return None
        lock = self.state.locks[month]
        if lock:
            raise _RowProblem(
                "month",
                _("Month %(month)d cannot be changed: %(reason)s")
                % {"month": month, "reason": lock},
            )
        return Change(
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

    def _check_department(self, code: str) -> None:
        department = self.department
        if not code:
            raise _RowProblem("department", _("Fill in the department code."))
        if code.lower() != department.code.lower():
            raise _RowProblem(
                "department",
                _(
                    "This row is for department “%(code)s”; this import is for "
                    "%(department)s (%(own)s) only."
                )
                % {"code": code, "department": department.name, "own": department.code},
            )

    def _indicator(self, code: str) -> Indicator:
        indicator = self.state.indicators.get(code)
        if indicator is None:
            raise _RowProblem(
                "indicator",
                _("Unknown indicator “%(code)s” for this department and year.")
                % {"code": code},
            )
        if indicator.is_computed:
            raise _RowProblem(
                "indicator",
                _("%(indicator)s is computed from work records and cannot be imported.")
                % {"indicator": indicator.name},
            )
        return indicator

    def _value(
        self, raw_value: Any, indicator: Indicator, note: str, month: int
    ) -> Decimal:
        if isinstance(raw_value, datetime.date | datetime.time | datetime.timedelta):
            raise _RowProblem("value", _("A date where a number belongs."))
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
            raise _RowProblem("value", message) from None
        assert value is not None
        plausible = self.state.ranges[(indicator.pk, month)]
        implausible = values.plausibility_problem(value, plausible.low, plausible.high)
        if implausible and not note:
            raise _RowProblem("value", implausible)
        return value
