"""The five kinds of work record (工作纪实), and how a change to one is saved.

`KINDS` maps the URL slug to the model, its form and its list columns; the views, the
index page and `sources.py` all name a kind by this slug.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.http import Http404

from assessment import spine
from assessment.figures import returns
from assessment.models import AssessmentYear, User
from assessment.models.fields import concrete_field
from sanitation.bureau import forms
from sanitation.bureau.models import (
    Donation,
    PartyActivity,
    Petition,
    SafetyActivity,
    Task,
    WorkRecord,
)


@dataclass(frozen=True)
class Cell:
    value: Any
    #: How the template shows it: text, decimal, int or date.
    type: str


@dataclass(frozen=True)
class RecordKind:
    slug: str
    model: type[WorkRecord]
    form_class: type[forms.RecordForm]
    #: Fields shown in the list between the title and the description.
    columns: tuple[str, ...]
    #: A numeric field totalled under the list, if any.
    total_field: str | None = None

    @property
    def verbose_name(self) -> str:
        return str(self.model._meta.verbose_name)

    @property
    def verbose_name_plural(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    @property
    def edited_fields(self) -> list[str]:
        """The fields a form edits, in form order (the version is not one of them)."""
        return list(self.form_class._meta.fields or ())

    def cells(self, record: WorkRecord) -> list[Cell]:
        """The list columns of one record, as values the template formats."""
        result = []
        for name in self.columns:
            field = concrete_field(self.model, name)
            value = getattr(record, name)
            if field.choices:
                result.append(Cell(getattr(record, f"get_{name}_display")(), "text"))
            elif isinstance(value, Decimal):
                result.append(Cell(value, "decimal"))
            elif isinstance(value, int):
                result.append(Cell(value, "int"))
            elif isinstance(value, datetime.date):
                result.append(Cell(value, "date"))
            else:
                result.append(Cell(value, "text"))
        return result

    def field_label(self, name: str) -> str:
        form_field = self.form_class.base_fields.get(name)
        if form_field is not None and form_field.label:
            return str(form_field.label)
        label = self.form_class._meta.labels or {}
        if name in label:
            return str(label[name])
        return str(concrete_field(self.model, name).verbose_name).capitalize()


KINDS: dict[str, RecordKind] = {
    kind.slug: kind
    for kind in (
        RecordKind(
            "donations",
            Donation,
            forms.DonationForm,
            columns=("amount", "items"),
            total_field="amount",
        ),
        RecordKind(
            "petitions",
            Petition,
            forms.PetitionForm,
            columns=("channel", "status", "resolved_date"),
        ),
        RecordKind(
            "safety",
            SafetyActivity,
            forms.SafetyActivityForm,
            columns=("kind", "participants", "fatalities"),
        ),
        RecordKind(
            "party",
            PartyActivity,
            forms.PartyActivityForm,
            columns=("kind", "participants"),
        ),
        RecordKind(
            "tasks",
            Task,
            forms.TaskForm,
            columns=("kind", "end_date", "participants", "quantity", "unit"),
        ),
    )
}


def get_kind_or_404(slug: str) -> RecordKind:
    try:
        return KINDS[slug]
    except KeyError:
        raise Http404 from None


# Saving ------------------------------------------------------------------------------
#
# A record feeds the record-fed indicators of its department (donations per month, the
# number of safety activities ...): a change to it is a change to the month it is dated
# in, so it goes through the write spine and is refused while that month is submitted,
# approved or past its deadline (`returns.lock_fed_month`), for the old date and the new.


@dataclass(frozen=True)
class Conflict:
    """Someone else saved the record after the form was opened."""

    updated_by: User | None
    updated_at: datetime.datetime


@dataclass(frozen=True)
class Created:
    record: WorkRecord
    #: False when the same form had been posted before: the record it created.
    created: bool


@dataclass
class _RecordWrite:
    """The writes of the assessment years a record's dates fall in (none, one or two)."""

    user: User
    by_year: dict[int, spine.Write]

    @property
    def any(self) -> spine.Write:
        """A write to save through: the first year's, or a plain one outside any year."""
        for current in self.by_year.values():
            return current
        return spine.Write(year=None, user=self.user)  # type: ignore[arg-type]

    def check(self, record: WorkRecord, day: datetime.date) -> None:
        """Refuse if the record's department is retired, or if the record, dated
        `day`, feeds a month that may not change."""
        returns.refuse_retired(record.department)
        current = self.by_year.get(day.year)
        if current is None:
            return
        returns.lock_fed_month(
            current, record.department, day, returns.record_sources(record)
        )
        current.touch(record.department_id)


@contextmanager
def _record_write(user: User, *days: datetime.date) -> Iterator[_RecordWrite]:
    """One transaction holding open every assessment year the dates fall in (a closed
    one refuses); dates outside any assessment year feed nothing."""
    years = AssessmentYear.objects.filter(year__in={d.year for d in days}).order_by(
        "year"
    )
    with ExitStack() as stack:
        stack.enter_context(transaction.atomic())
        by_year = {
            year.year: stack.enter_context(spine.write(year, user)) for year in years
        }
        yield _RecordWrite(user, by_year)


def create_record(kind: RecordKind, form: forms.RecordForm, user: User) -> Created:
    """Store a valid add form's record, once however often the form is posted."""
    record = form.save(commit=False)
    record.updated_by = user
    record.version = 1
    with _record_write(user, record.date) as current:
        current.check(record, record.date)
        stored, created = spine.create_once(
            current.any, form.cleaned_data.get("once"), kind.model, lambda: record
        )
    return Created(stored, created)


def update_record(
    kind: RecordKind, form: forms.RecordForm, user: User
) -> Conflict | None:
    """Save a valid edit form if the record is still at the version the form started
    from; a resubmission of values already stored succeeds without a second change.

    Both the month it was dated in and the month it moves to must be open.
    """
    record = form.instance
    before = kind.model.objects.get(pk=record.pk)
    values = {
        record._meta.get_field(name).attname: getattr(
            record, record._meta.get_field(name).attname
        )
        for name in kind.edited_fields
    }
    with _record_write(user, before.date, record.date) as current:
        current.check(before, before.date)
        current.check(record, record.date)
        saved = spine.save_versioned(
            current.any,
            kind.model,
            {"pk": record.pk},
            values,
            form.cleaned_data.get("version"),
            create=False,
        )
    if saved.conflict:
        return Conflict(saved.row.updated_by, saved.row.updated_at)
    return None


def delete_record(record: WorkRecord, user: User) -> None:
    with _record_write(user, record.date) as current:
        current.check(record, record.date)
        current.any.delete(record)


# History -----------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


def _display(record: Any, field: models.Field, departments: dict[int, str]) -> str:
    value = getattr(record, field.attname)
    if value is None or value == "":
        return "—"
    if field.name == "department":
        return departments.get(value, str(value))
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def changes_between(
    kind: RecordKind, old: Any, new: Any, departments: dict[int, str]
) -> list[FieldChange]:
    """What one history row changed against the one before it (None: the creation)."""
    changes = []
    for name in kind.edited_fields:
        field = concrete_field(kind.model, name)
        before = getattr(old, field.attname) if old is not None else None
        after = getattr(new, field.attname)
        if old is not None and before == after:
            continue
        if old is None and after in (None, ""):
            continue
        changes.append(
            FieldChange(
                kind.field_label(name),
                _display(old, field, departments) if old is not None else "",
                _display(new, field, departments),
            )
        )
    return changes
