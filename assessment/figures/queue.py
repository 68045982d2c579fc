"""The supervisors' review queue and the order of the clerk's board.

The orderings and what a month's history says (its earlier return, what changed since)
are pure functions; `queued_returns` and `queue_rows` read the database in a fixed
number of queries, however many departments there are.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol, TypeVar

from django.db import models

from assessment.figures import periods
from assessment.figures.workflow import MonthState, ReturnStatus
from assessment.models import AssessmentYear, Figure, MonthlyReturn, User
from assessment.models.catalogue import YearStatus
from assessment.quality import followups

#: The board's months that need the clerk first: overdue, then returned.
ATTENTION_STATES: tuple[str, ...] = (MonthState.OVERDUE, MonthState.RETURNED)


class _HasState(Protocol):
    @property
    def state(self) -> str: ...

    @property
    def month(self) -> int: ...


C = TypeVar("C", bound=_HasState)


def board_order(cells: Iterable[C]) -> tuple[list[C], list[C]]:
    """(the months needing attention, the rest): overdue and returned months first
    (overdue before returned, each in month order), then every other in month order."""
    cells = list(cells)
    urgent = sorted(
        (c for c in cells if c.state in ATTENTION_STATES),
        key=lambda c: (ATTENTION_STATES.index(c.state), c.month),
    )
    rest = sorted((c for c in cells if c.state not in ATTENTION_STATES), key=_month)
    return urgent, rest


def _month(cell: _HasState) -> int:
    return cell.month


# --- the queue's order ----------------------------------------------------------------


@dataclass(frozen=True)
class QueueKey:
    """Where a submitted month stands in the queue: oldest submission first."""

    submitted_at: datetime.datetime | None
    pk: int

    def sort_key(self) -> tuple[bool, datetime.datetime, int]:
        # A submitted month always has a time; one without (old data) goes last.
        moment = self.submitted_at or datetime.datetime.max.replace(tzinfo=datetime.UTC)
        return (self.submitted_at is None, moment, self.pk)


def queue_order(keys: Iterable[QueueKey]) -> list[QueueKey]:
    return sorted(keys, key=QueueKey.sort_key)


def next_in_queue(keys: Iterable[QueueKey], after: QueueKey) -> QueueKey | None:
    """The item to open after reviewing `after`: the first one queued behind it, else
    (it was reviewed out of order) the oldest one left; None when nothing is left."""
    left = [key for key in queue_order(keys) if key.pk != after.pk]
    for key in left:
        if key.sort_key() > after.sort_key():
            return key
    return left[0] if left else None


# --- what a month's history says --------------------------------------------------------


@dataclass(frozen=True)
class ReturnState:
    """A return of a month as its history holds it."""

    status: str
    comment: str
    reviewed_by: str
    reviewed_at: datetime.datetime | None
    at: datetime.datetime  # when the change was recorded


@dataclass(frozen=True)
class EarlierReturn:
    """The latest return of a month that has been submitted again since."""

    comment: str
    who: str
    when: datetime.datetime


def earlier_return(states: Sequence[ReturnState]) -> EarlierReturn | None:
    """The month's last return not settled by a later approval, from its recorded
    states oldest first. A draft saved in between (a reopening) does not settle it."""
    found: EarlierReturn | None = None
    for state in states:
        if state.status == ReturnStatus.RETURNED and state.comment:
            found = EarlierReturn(
                comment=state.comment,
                who=state.reviewed_by,
                when=state.reviewed_at or state.at,
            )
        elif state.status == ReturnStatus.APPROVED:
            found = None
    return found


@dataclass(frozen=True)
class FigureState:
    """One recorded version of a figure."""

    figure_id: int
    indicator_id: int
    at: datetime.datetime
    deleted: bool
    value: Decimal | None
    note: str


@dataclass(frozen=True)
class FigureChange:
    indicator_id: int
    before: Decimal | None  # None: there was no figure
    after: Decimal | None  # None: there is none now
    note_before: str
    note_after: str


def changes_since(
    states: Iterable[FigureState], moment: datetime.datetime
) -> list[FigureChange]:
    """The figures whose value or note differs now from what they were at `moment`,
    by indicator, from every recorded version of the month's figures."""
    before: dict[int, tuple[Decimal | None, str]] = {}
    after: dict[int, tuple[Decimal | None, str]] = {}
    for state in sorted(states, key=lambda s: s.at):
        current = (None, "") if state.deleted else (state.value, state.note)
        if state.at <= moment:
            before[state.indicator_id] = current
        after[state.indicator_id] = current
    changes = []
    for indicator_id, (value, note) in after.items():
        old_value, old_note = before.get(indicator_id, (None, ""))
        if (old_value, old_note) != (value, note):
            changes.append(
                FigureChange(
                    indicator_id=indicator_id,
                    before=old_value,
                    after=value,
                    note_before=old_note,
                    note_after=note,
                )
            )
    return changes


# --- reading the database ---------------------------------------------------------------


def queued_returns(
    user: User, year: int | None = None
) -> models.QuerySet[MonthlyReturn]:
    """The submitted months the user may review, of years open for review, in the
    queue's order (oldest submission first)."""
    rows = (
        MonthlyReturn.objects.for_user(user)
        .filter(status=ReturnStatus.SUBMITTED)
        .exclude(year__status__in=[YearStatus.DRAFT, YearStatus.CLOSED])
    )
    if year is not None:
        rows = rows.filter(year__year=year)
    return rows.order_by(
        models.F("submitted_at").asc(nulls_last=True), "pk"
    ).select_related("department", "year", "submitted_by")


def queue_key(monthly_return: MonthlyReturn) -> QueueKey:
    return QueueKey(submitted_at=monthly_return.submitted_at, pk=monthly_return.pk)


@dataclass(frozen=True)
class QueueRow:
    monthly_return: MonthlyReturn
    days_late: int
    earlier_return: EarlierReturn | None
    changed_since: int  # figures changed since the earlier return
    follow_ups: int = 0  # values of the month flagged for follow-up, not yet resolved

    @property
    def addressed(self) -> bool:
        return self.changed_since > 0


def return_states(return_ids: Sequence[int]) -> dict[int, list[ReturnState]]:
    """Each month's recorded states, oldest first, in one query."""
    history = MonthlyReturn.history.model
    states: dict[int, list[ReturnState]] = {pk: [] for pk in return_ids}
    rows = (
        history.objects.filter(
            id__in=list(return_ids),
            status__in=[ReturnStatus.RETURNED, ReturnStatus.APPROVED],
        )
        .select_related("reviewed_by")
        .order_by("history_date", "history_id")
    )
    for row in rows:
        states[row.id].append(
            ReturnState(
                status=row.status,
                comment=row.comment,
                reviewed_by=row.reviewed_by.display_name if row.reviewed_by else "",
                reviewed_at=row.reviewed_at,
                at=row.history_date,
            )
        )
    return states


def figure_states(return_ids: Sequence[int]) -> dict[int, list[FigureState]]:
    """Every recorded version of the months' figures, by month, in one query."""
    history = Figure.history.model
    states: dict[int, list[FigureState]] = {pk: [] for pk in return_ids}
    rows = history.objects.filter(monthly_return_id__in=list(return_ids)).values_list(
        "monthly_return_id",
        "id",
        "indicator_id",
        "history_date",
        "history_type",
        "value",
        "note",
    )
    for return_id, figure_id, indicator_id, at, kind, value, note in rows:
        states[return_id].append(
            FigureState(
                figure_id=figure_id,
                indicator_id=indicator_id,
                at=at,
                deleted=kind == "-",
                value=value,
                note=note or "",
            )
        )
    return states


def queue_rows(returns: Sequence[MonthlyReturn]) -> list[QueueRow]:
    """The queue's rows with their lateness, earlier return and open follow-ups: four
    queries more."""
    ids = [r.pk for r in returns]
    flagged = followups.open_counts_by_return(ids)
    returned = return_states(ids)
    earlier = {pk: earlier_return(states) for pk, states in returned.items()}
    with_earlier = [pk for pk, found in earlier.items() if found is not None]
    figures = figure_states(with_earlier) if with_earlier else {}
    rows = []
    for monthly_return in returns:
        found = earlier[monthly_return.pk]
        changed = (
            len(changes_since(figures[monthly_return.pk], found.when)) if found else 0
        )
        rows.append(
            QueueRow(
                monthly_return=monthly_return,
                days_late=periods.submission_days_late(
                    monthly_return,
                    monthly_return.year.deadline_for(monthly_return.month),
                ),
                earlier_return=found,
                changed_since=changed,
                follow_ups=flagged.get(monthly_return.pk, 0),
            )
        )
    return rows


def open_years() -> models.QuerySet[AssessmentYear]:
    return (
        AssessmentYear.objects.issued()
        .exclude(status=YearStatus.CLOSED)
        .order_by("-year")
    )
