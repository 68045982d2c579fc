"""Domain operations on a department's month: saving its figures and moving it through
review. Views call these and turn the exceptions into messages.

Every operation runs in one transaction holding the month's `MonthlyReturn` row (select
for update), re-checks the lock there, and saves through `.save()`/`.delete()` so
django-simple-history records who changed what.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment import sources
from assessment.figures import workflow
from assessment.figures.workflow import MonthFacts, ReturnStatus
from assessment.models import (
    AssessmentYear,
    Department,
    Figure,
    Indicator,
    MonthlyReturn,
    User,
)

MAX_COMMENT_LENGTH = 2000


class ReturnError(Exception):
    """A refused operation; `message` is shown to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ReturnLocked(ReturnError):
    """The month (or the year) may not be changed now."""


class InvalidTransition(ReturnError):
    """The month is not in a status the operation starts from."""


class MissingText(ReturnError):
    """A required comment or reason was empty or too long."""


@dataclass(frozen=True)
class FigureConflict:
    indicator: Indicator
    value: Decimal | None
    note: str
    version: int
    updated_by: str
    updated_at: datetime.datetime | None

    @property
    def message(self) -> str:
        when = (
            timezone.localtime(self.updated_at).strftime("%Y-%m-%d %H:%M")
            if self.updated_at
            else "?"
        )
        return _(
            "%(who)s changed this value at %(when)s while you were editing; it is "
            "now %(value)s. Check it and save again to keep yours."
        ) % {
            "who": self.updated_by,
            "when": when,
            "value": "—" if self.value is None else format(self.value.normalize(), "f"),
        }


class StaleFigure(ReturnError):
    """Someone saved one or more of the figures after the page was loaded."""

    def __init__(self, conflicts: Sequence[FigureConflict]) -> None:
        first = conflicts[0]
        super().__init__(
            _(
                "Nothing was saved: %(who)s changed %(indicator)s after you opened "
                "this page."
            )
            % {"who": first.updated_by, "indicator": first.indicator.name}
        )
        self.conflicts = list(conflicts)


@dataclass(frozen=True)
class FigureRow:
    """What the clerk submitted for one indicator: value None means no figure."""

    indicator: Indicator
    value: Decimal | None
    note: str
    version: int  # the stored version the page started from; 0 for none


@dataclass
class SaveResult:
    created: list[Indicator] = field(default_factory=list)
    changed: list[Indicator] = field(default_factory=list)
    deleted: list[Indicator] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.created) + len(self.changed) + len(self.deleted)


def today() -> datetime.date:
    return timezone.localdate()


def get_return(
    year: AssessmentYear, department: Department, month: int
) -> MonthlyReturn | None:
    return MonthlyReturn.objects.filter(
        year=year, department=department, month=month
    ).first()


def get_or_create_return(
    year: AssessmentYear, department: Department, month: int
) -> MonthlyReturn:
    monthly_return, _created = MonthlyReturn.objects.get_or_create(
        year=year, department=department, month=month
    )
    return monthly_return


def month_facts(
    monthly_return: MonthlyReturn | None,
    year: AssessmentYear,
    month: int,
    has_figures: bool,
) -> MonthFacts:
    return MonthFacts(
        year=year.year,
        month=month,
        deadline=year.deadline_for(month),
        status=monthly_return.status if monthly_return else None,
        has_figures=has_figures,
        reopened=bool(monthly_return and monthly_return.reopened_at),
        year_closed=year.is_closed,
    )


def _lock_for_update(monthly_return: MonthlyReturn) -> MonthlyReturn:
    locked = MonthlyReturn.objects.select_for_update().get(pk=monthly_return.pk)
    # The year is read again inside the transaction: it may have been closed meanwhile.
    locked.year = AssessmentYear.objects.get(pk=locked.year_id)
    return locked


def _refuse_if_closed(year: AssessmentYear) -> None:
    if year.is_closed:
        raise ReturnLocked(_("The assessment year is closed."))


def _save_return(monthly_return: MonthlyReturn, user: User) -> None:
    monthly_return.version += 1
    monthly_return._history_user = user  # type: ignore[attr-defined]
    monthly_return.save()


def _same(figure: Figure, row: FigureRow) -> bool:
    return (
        row.value is not None and figure.value == row.value and figure.note == row.note
    )


def save_figures(
    user: User,
    monthly_return: MonthlyReturn,
    rows: Iterable[FigureRow],
    *,
    on: datetime.date | None = None,
) -> SaveResult:
    """Store the submitted figures of a month, all or nothing.

    A row whose starting version differs from the stored one is a conflict, unless the
    stored value and note already equal what was submitted (a double click or a retried
    request), which counts as success. Unchanged rows are not saved again.
    """
    rows = list(rows)
    result = SaveResult()
    with transaction.atomic():
        locked = _lock_for_update(monthly_return)
        facts = month_facts(locked, locked.year, locked.month, has_figures=False)
        reason = workflow.lock_reason(facts, on or today())
        if reason:
            raise ReturnLocked(reason)
        stored = {
            figure.indicator_id: figure
            for figure in Figure.objects.select_for_update(of=("self",))
            .filter(monthly_return=locked)
            .select_related("updated_by")
        }
        conflicts: list[FigureConflict] = []
        for row in rows:
            figure = stored.get(row.indicator.pk)
            stored_version = figure.version if figure else 0
            if row.version == stored_version:
                continue
            if figure is None and row.value is None:
                continue  # deleted by someone else, and the clerk wants none either
            if figure is not None and _same(figure, row):
                continue
            conflicts.append(
                FigureConflict(
                    indicator=row.indicator,
                    value=figure.value if figure else None,
                    note=figure.note if figure else "",
                    version=stored_version,
                    updated_by=(
                        figure.updated_by.display_name
                        if figure and figure.updated_by
                        else _("someone")
                    ),
                    updated_at=figure.updated_at if figure else None,
                )
            )
        if conflicts:
            raise StaleFigure(conflicts)
        for row in rows:
            figure = stored.get(row.indicator.pk)
            if figure is None:
                if row.value is None:
                    continue
                figure = Figure(
                    monthly_return=locked,
                    indicator=row.indicator,
                    value=row.value,
                    note=row.note,
                    version=1,
                    updated_by=user,
                )
                figure._history_user = user  # type: ignore[attr-defined]
                figure.save()
                result.created.append(row.indicator)
            elif row.value is None:
                figure._history_user = user  # type: ignore[attr-defined]
                figure.delete()
                result.deleted.append(row.indicator)
            elif not _same(figure, row):
                figure.value = row.value
                figure.note = row.note
                figure.version += 1
                figure.updated_by = user
                figure._history_user = user  # type: ignore[attr-defined]
                figure.save()
                result.changed.append(row.indicator)
    return result


def has_typed_figures(monthly_return: MonthlyReturn) -> bool:
    return monthly_return.figures.exists()


def needs_typed_figures(year: AssessmentYear, department: Department) -> bool:
    return Indicator.objects.filter(
        year=year, departments=department, source=""
    ).exists()


def submit_return(
    user: User, monthly_return: MonthlyReturn, *, on: datetime.date | None = None
) -> MonthlyReturn:
    with transaction.atomic():
        locked = _lock_for_update(monthly_return)
        _refuse_if_closed(locked.year)
        if locked.status not in (ReturnStatus.DRAFT, ReturnStatus.RETURNED):
            raise InvalidTransition(
                _("Only a draft or a returned month can be submitted.")
            )
        facts = month_facts(locked, locked.year, locked.month, has_figures=False)
        reason = workflow.lock_reason(facts, on or today())
        if reason:
            raise ReturnLocked(reason)
        if not has_typed_figures(locked) and needs_typed_figures(
            locked.year, locked.department
        ):
            raise InvalidTransition(_("Enter the month's figures before submitting."))
        locked.status = ReturnStatus.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.submitted_by = user
        _save_return(locked, user)
    return locked


def approve_return(user: User, monthly_return: MonthlyReturn) -> MonthlyReturn:
    with transaction.atomic():
        locked = _lock_for_update(monthly_return)
        _refuse_if_closed(locked.year)
        if locked.status != ReturnStatus.SUBMITTED:
            raise InvalidTransition(_("Only a submitted month can be approved."))
        locked.status = ReturnStatus.APPROVED
        locked.reviewed_at = timezone.now()
        locked.reviewed_by = user
        locked.reopened_at = None
        _save_return(locked, user)
    return locked


def _required_text(text: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise MissingText(message)
    if len(text) > MAX_COMMENT_LENGTH:
        raise MissingText(
            _("Keep it under %(n)d characters.") % {"n": MAX_COMMENT_LENGTH}
        )
    if "\x00" in text:
        raise MissingText(_("The text contains a NUL character."))
    return text


def send_back_return(
    user: User,
    monthly_return: MonthlyReturn,
    comment: str,
    *,
    on: datetime.date | None = None,
) -> MonthlyReturn:
    """Return a submitted month with a comment the clerk will see.

    A month returned after its deadline is reopened at the same time, or the clerk could
    not correct it.
    """
    comment = _required_text(
        comment, _("Say what needs correcting: a comment is required.")
    )
    with transaction.atomic():
        locked = _lock_for_update(monthly_return)
        _refuse_if_closed(locked.year)
        if locked.status != ReturnStatus.SUBMITTED:
            raise InvalidTransition(_("Only a submitted month can be returned."))
        now = timezone.now()
        locked.status = ReturnStatus.RETURNED
        locked.comment = comment
        locked.reviewed_at = now
        locked.reviewed_by = user
        facts = month_facts(locked, locked.year, locked.month, has_figures=True)
        if workflow.is_past_deadline(facts, on or today()) and not locked.reopened_at:
            locked.reopened_at = now
            locked.reopen_reason = comment
        _save_return(locked, user)
    return locked


def reopen_return(
    user: User,
    monthly_return: MonthlyReturn,
    reason: str,
    *,
    on: datetime.date | None = None,
) -> MonthlyReturn:
    """Unlock an approved or past-deadline month for corrections, with a reason."""
    reason = _required_text(reason, _("Give a reason for reopening the month."))
    with transaction.atomic():
        locked = _lock_for_update(monthly_return)
        _refuse_if_closed(locked.year)
        facts = month_facts(locked, locked.year, locked.month, has_figures=True)
        past_deadline = workflow.is_past_deadline(facts, on or today())
        if locked.status == ReturnStatus.SUBMITTED:
            raise InvalidTransition(
                _("A submitted month is approved or returned, not reopened.")
            )
        if locked.status != ReturnStatus.APPROVED and not (
            past_deadline and not locked.reopened_at
        ):
            raise InvalidTransition(
                _("Only an approved or overdue month can be reopened.")
            )
        locked.status = ReturnStatus.DRAFT
        locked.reopened_at = timezone.now()
        locked.reopen_reason = reason
        locked.reviewed_at = locked.reopened_at
        locked.reviewed_by = user
        _save_return(locked, user)
    return locked


@dataclass(frozen=True)
class ReferenceValues:
    """What the entry page shows beside each field, by indicator code."""

    last_month: dict[str, Decimal]
    last_year: dict[str, Decimal]
    last_month_label: str
    last_year_label: str


def reference_values(
    year: AssessmentYear, department: Department, month: int
) -> ReferenceValues:
    """Last month's figures and the same month last year's, in one query.

    Indicators are matched by code, since each year has its own catalogue.
    """
    if month == 1:
        last_month_key = (year.year - 1, 12)
    else:
        last_month_key = (year.year, month - 1)
    last_year_key = (year.year - 1, month)
    rows = (
        Figure.objects.filter(monthly_return__department=department)
        .filter(
            models.Q(
                monthly_return__year__year=last_month_key[0],
                monthly_return__month=last_month_key[1],
            )
            | models.Q(
                monthly_return__year__year=last_year_key[0],
                monthly_return__month=last_year_key[1],
            )
        )
        .values_list(
            "indicator__code",
            "monthly_return__year__year",
            "monthly_return__month",
            "value",
        )
    )
    last_month: dict[str, Decimal] = {}
    last_year: dict[str, Decimal] = {}
    for code, row_year, row_month, value in rows:
        if (row_year, row_month) == last_month_key:
            last_month[code] = value
        if (row_year, row_month) == last_year_key:
            last_year[code] = value
    return ReferenceValues(
        last_month=last_month,
        last_year=last_year,
        last_month_label=f"{last_month_key[0]}-{last_month_key[1]:02d}",
        last_year_label=f"{last_year_key[0]}-{last_year_key[1]:02d}",
    )


@dataclass(frozen=True)
class ComputedValue:
    value: Decimal
    records_url: str


def computed_values(
    indicators: Iterable[Indicator], department: Department, year: int, month: int
) -> dict[int, ComputedValue]:
    """Values of record-fed indicators: one `monthly_values` call per source."""
    by_source: dict[str, list[Indicator]] = {}
    for indicator in indicators:
        if indicator.source:
            by_source.setdefault(indicator.source, []).append(indicator)
    result: dict[int, ComputedValue] = {}
    for key, fed in by_source.items():
        source = sources.get(key)
        if source is None:
            continue
        monthly = source.monthly_values([department.pk], year)
        url = source.records_url(department.code, year, month)
        for indicator in fed:
            result[indicator.pk] = ComputedValue(
                value=monthly.get((department.pk, month), Decimal(0)),
                records_url=url,
            )
    return result


@dataclass(frozen=True)
class MonthCell:
    department: Department
    month: int
    state: str
    state_label: str
    colour: str
    deadline: datetime.date
    monthly_return: MonthlyReturn | None

    @property
    def comment(self) -> str:
        if (
            self.monthly_return
            and self.monthly_return.status == workflow.ReturnStatus.RETURNED
        ):
            return self.monthly_return.comment
        return ""


@dataclass(frozen=True)
class DepartmentMonths:
    department: Department
    cells: list[MonthCell]


def reporting(
    year: AssessmentYear, departments: models.QuerySet[Department]
) -> models.QuerySet[Department]:
    """The departments with monthly figures to report in the year: those given at least
    one of its indicators. The bureau at the root of the tree reports none itself."""
    return departments.filter(
        models.Exists(
            Indicator.objects.filter(year=year, departments=models.OuterRef("pk"))
        )
    )


def month_grid(
    year: AssessmentYear,
    departments: Iterable[Department],
    *,
    on: datetime.date | None = None,
) -> list[DepartmentMonths]:
    """Each department's twelve months with their state, from one query of returns."""
    departments = list(departments)
    on = on or today()
    returns = {
        (r.department_id, r.month): r
        for r in MonthlyReturn.objects.filter(
            year=year, department__in=[d.pk for d in departments]
        ).annotate(figure_count=models.Count("figures"))
    }
    grid: list[DepartmentMonths] = []
    for department in departments:
        cells = []
        for month in range(1, 13):
            monthly_return = returns.get((department.pk, month))
            facts = month_facts(
                monthly_return,
                year,
                month,
                has_figures=bool(monthly_return and monthly_return.figure_count),
            )
            state = workflow.month_state(facts, on)
            cells.append(
                MonthCell(
                    department=department,
                    month=month,
                    state=str(state),
                    state_label=str(state.label),
                    colour=workflow.STATE_COLOURS[state],
                    deadline=facts.deadline,
                    monthly_return=monthly_return,
                )
            )
        grid.append(DepartmentMonths(department=department, cells=cells))
    return grid


def state_counts(grid: Iterable[DepartmentMonths]) -> list[tuple[str, str, str, int]]:
    """(state, label, colour, count) for every state, in the board's order."""
    counts = {state: 0 for state in workflow.MonthState}
    for row in grid:
        for cell in row.cells:
            counts[workflow.MonthState(cell.state)] += 1
    return [
        (str(state), str(state.label), workflow.STATE_COLOURS[state], n)
        for state, n in counts.items()
    ]
