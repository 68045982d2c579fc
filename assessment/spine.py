"""The write spine: every change to a year's data goes through here.

A write opens one transaction that

1. locks the year open (`lock_open_year`): a shared row lock that many writes hold at
   once and that closing the year (an exclusive lock) waits for, so no write commits
   after a concurrent close and a close never misses a write in flight;
2. checks versions (`save_versioned`, `versioned_outcome`): an edit started from an
   older version is a conflict, unless what is stored already equals what was sent (a
   double click, a retried request);
3. saves through `.save()`/`.delete()` with the acting user set, so django-simple-history
   writes exactly one audit entry per change;
4. bumps the data version of every department it touched and runs the hooks that keep
   derived data in step, inside the transaction, and schedules the after-commit hooks.

Domain modules (`figures.returns`, `scoring.scores`, `scoring.self_assessment`,
`reporting.texts`, the import, the bureau's records) do their work inside `write()`;
views only turn a `Refused` into a message.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Generic, TypeVar

from django.db import IntegrityError, connection, models, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from assessment.models import AssessmentYear, DataVersion, FormToken, User

M = TypeVar("M", bound=models.Model)


class Refused(Exception):
    """A write the rules do not allow now. `message` says why, in words for the user.

    `code` tells callers what kind of refusal it is when they need to: "closed" (the
    year), "locked" (a month or a submission), "invalid" (wrong state or input),
    "retired" (a retired department), "conflict" (someone else changed it first),
    "published" (the results are published or final: only an objection changes them).
    """

    def __init__(self, message: str, *, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def closed_message(year: int) -> str:
    return _(
        "The %(year)s assessment year is closed: nothing in it can be changed."
    ) % {"year": year}


def lock_open_year(
    year: AssessmentYear | int, *, exclusive: bool = False, closed_ok: bool = False
) -> AssessmentYear:
    """Inside a transaction: lock the year's row and refuse if the year is closed.

    Writes take a shared lock (PostgreSQL `FOR SHARE`), so they do not wait for one
    another; changing the year's own status takes the exclusive lock, which waits for
    every write in flight and makes later writes wait and then read the new status.
    SQLite serializes write transactions by itself (`BEGIN IMMEDIATE`).
    """
    pk = year.pk if isinstance(year, AssessmentYear) else year
    rows = AssessmentYear.objects.filter(pk=pk)
    if exclusive:
        locked = rows.select_for_update().get()
    else:
        if connection.vendor == "postgresql":
            table = connection.ops.quote_name(AssessmentYear._meta.db_table)
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT 1 FROM {table} WHERE id = %s FOR SHARE", [pk])
        locked = rows.get()
    if locked.is_closed and not closed_ok:
        raise Refused(closed_message(locked.year), code="closed")
    return locked


# --- the write -------------------------------------------------------------------------

#: In-transaction hooks: called with the write just before it commits (derived data
#: that must never disagree with the figures, such as stored year values).
_before_commit: list[Callable[[Write], None]] = []
#: After-commit hooks: called with the write once it committed (re-rendering reports).
_after_commit: list[Callable[[Write], None]] = []


def on_write(hook: Callable[[Write], None], *, after_commit: bool = False) -> None:
    """Register a hook that every write runs (see the module's docstring)."""
    (_after_commit if after_commit else _before_commit).append(hook)


@dataclass
class Write:
    """One write in progress: the year it holds open, who acts, what it touched.

    `year` is None only for changes outside every assessment year (a work record dated
    in a year that is not assessed), which feed nothing.
    """

    year: AssessmentYear
    user: User | None
    #: department id -> ids of the indicators whose values changed (empty: unknown).
    touched: dict[int, set[int]] = field(default_factory=dict)

    def touch(self, department_id: int, indicator_ids: set[int] | None = None) -> None:
        self.touched.setdefault(department_id, set()).update(indicator_ids or ())

    def save(self, obj: models.Model, **kwargs: Any) -> None:
        """Save with the acting user recorded in the audit trail."""
        obj._history_user = self.user  # type: ignore[attr-defined]
        obj.save(**kwargs)

    def delete(self, obj: models.Model) -> None:
        obj._history_user = self.user  # type: ignore[attr-defined]
        obj.delete()


#: Guards of the results: guard(year) -> why scores, adjustments and vetoes cannot be
#: changed now (the results are published or final), or None.
_results_guards: list[Callable[[AssessmentYear], str | None]] = []


def guard_results(guard: Callable[[AssessmentYear], str | None]) -> None:
    """Register a rule that refuses writes of the results (see `write(results=True)`)."""
    _results_guards.append(guard)


@contextmanager
def write(
    year: AssessmentYear | int,
    user: User | None,
    *,
    results: bool = False,
    follow_up: bool = False,
) -> Iterator[Write]:
    """Do a change to a year's data: the year locked open, versions bumped, hooks run.

    Raises `Refused` (and writes nothing) if the year is closed, and, for a write of
    the results (`results=True`: a score, deduction, bonus item or veto), when a guard
    refuses it: published results change only through an answered objection.
    A follow-up of the final results (`follow_up=True`: rectification, 整改) goes on
    after the year closed; it changes none of the year's data.
    """
    with transaction.atomic():
        current = Write(year=lock_open_year(year, closed_ok=follow_up), user=user)
        if results:
            for guard in _results_guards:
                message = guard(current.year)
                if message:
                    raise Refused(message, code="published")
        yield current
        _finish(current)


def _finish(current: Write) -> None:
    if not current.touched:
        return
    _bump_versions(current.year, current.touched.keys())
    for hook in _before_commit:
        hook(current)
    if _after_commit:
        hooks = list(_after_commit)
        transaction.on_commit(lambda: [hook(current) for hook in hooks])


def _bump_versions(year: AssessmentYear, department_ids: Any) -> None:
    ids = sorted(department_ids)  # the same order everywhere: no deadlocks
    missing = set(ids) - set(
        DataVersion.objects.filter(year=year, department_id__in=ids).values_list(
            "department_id", flat=True
        )
    )
    for department_id in sorted(missing):
        try:
            with transaction.atomic():
                DataVersion.objects.create(year=year, department_id=department_id)
        except IntegrityError:
            pass  # created by a concurrent write a moment ago
    DataVersion.objects.filter(year=year, department_id__in=ids).update(
        version=F("version") + 1
    )


def data_versions(year: AssessmentYear, department_ids: Any) -> dict[int, int]:
    """{department id: version} of the given departments (0 for never changed)."""
    ids = list(department_ids)
    stored = dict(
        DataVersion.objects.filter(year=year, department_id__in=ids).values_list(
            "department_id", "version"
        )
    )
    return {department_id: stored.get(department_id, 0) for department_id in ids}


# --- versioned saves -------------------------------------------------------------------


class Outcome(Enum):
    CREATED = "created"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    CONFLICT = "conflict"


@dataclass(frozen=True)
class Saved(Generic[M]):
    outcome: Outcome
    row: M

    @property
    def changed(self) -> bool:
        return self.outcome in (Outcome.CREATED, Outcome.CHANGED)

    @property
    def conflict(self) -> bool:
        return self.outcome is Outcome.CONFLICT


def versioned_outcome(
    stored: models.Model, values: Mapping[str, Any], version: int | None
) -> Outcome:
    """What saving `values` over `stored` from `version` means: the one rule.

    Equal values are no change at all, whatever the version (a double click, a retry,
    or two people making the same correction); otherwise a version other than the
    stored one is a conflict.
    """
    if all(getattr(stored, name) == value for name, value in values.items()):
        return Outcome.UNCHANGED
    if version != stored.version:  # type: ignore[attr-defined]
        return Outcome.CONFLICT
    return Outcome.CHANGED


def save_versioned(
    current: Write,
    model: type[M],
    key: Mapping[str, Any],
    values: Mapping[str, Any],
    version: int | None,
    *,
    user_field: str = "updated_by",
    create: bool = True,
) -> Saved[M]:
    """Create or update the row `key` identifies, if nobody changed it since `version`.

    Version 0 (or None) means the editor saw no row. The row is locked for the rest of
    the write; a row created by a concurrent write a moment ago is compared like any
    other. A conflict leaves the row as it is and returns it, so the caller can say
    who changed it and when. With `create=False` a missing row (deleted meanwhile) is
    refused instead of created again.
    """
    rows = model._default_manager.select_for_update(of=("self",)).filter(**key)
    row = rows.first()
    if row is None and not create:
        raise Refused(
            _("Someone deleted this while you were editing it; nothing was saved."),
            code="conflict",
        )
    if row is None:
        try:
            with transaction.atomic():
                row = model(**key, **values, version=1, **{user_field: current.user})
                current.save(row)
            return Saved(Outcome.CREATED, row)
        except IntegrityError:
            row = rows.get()
    outcome = versioned_outcome(row, values, version)
    if outcome is Outcome.CHANGED:
        for name, value in values.items():
            setattr(row, name, value)
        row.version += 1  # type: ignore[attr-defined]
        setattr(row, user_field, current.user)
        current.save(row)
    return Saved(outcome, row)


# --- create forms that store one object however often they are posted ------------------


def create_once(
    current: Write, token: uuid.UUID | None, model: type[M], build: Callable[[], M]
) -> tuple[M, bool]:
    """Create the object `build()` returns, once per form token.

    The first post of a rendered form claims its token and creates the object; a later
    post of the same form (a double click, a resubmit) returns that object and False.
    Without a token the form could not tell, so it is refused.
    """
    if token is None or current.user is None:
        raise Refused(
            _("This form has expired. Reload the page and enter it again."),
            code="invalid",
        )
    label = model._meta.label_lower
    try:
        with transaction.atomic():
            FormToken.objects.create(token=token, user=current.user, model=label)
    except IntegrityError:
        claimed = FormToken.objects.get(token=token)
        existing = (
            model._default_manager.filter(pk=claimed.object_id).first()
            if claimed.user_id == current.user.pk and claimed.model == label
            else None
        )
        if existing is None:
            raise Refused(
                _("This form was already sent. Reload the page to enter another."),
                code="invalid",
            ) from None
        return existing, False
    obj = build()
    current.save(obj)
    FormToken.objects.filter(token=token).update(object_id=obj.pk)
    return obj, True
