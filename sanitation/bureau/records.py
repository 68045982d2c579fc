"""The five kinds of work record (工作纪实), and how a change to one is saved.

`KINDS` maps the URL slug to the model, its form and its list columns; the views, the
index page and `sources.py` all name a kind by this slug.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.db.models import F
from django.http import Http404

from assessment.models import User
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
        return list(self.form_class._meta.fields)

    def cells(self, record: WorkRecord) -> list[Cell]:
        """The list columns of one record, as values the template formats."""
        result = []
        for name in self.columns:
            field = self.model._meta.get_field(name)
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
        return str(self.model._meta.get_field(name).verbose_name).capitalize()


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


@dataclass(frozen=True)
class Conflict:
    """Someone else saved the record after the form was opened."""

    updated_by: User | None
    updated_at: datetime.datetime


def create_record(form: forms.RecordForm, user: User) -> WorkRecord:
    record = form.save(commit=False)
    record.updated_by = user
    record.version = 1
    record._history_user = user
    record.save()
    return record


def _stored_equals_submitted(
    record: WorkRecord, cleaned: dict[str, Any], fields: list[str]
) -> bool:
    for name in fields:
        field = record._meta.get_field(name)
        stored = getattr(record, field.attname)
        submitted = cleaned.get(name)
        if isinstance(submitted, models.Model):
            submitted = submitted.pk
        if submitted == "" and stored is None:
            continue
        if stored != submitted:
            return False
    return True


def update_record(
    kind: RecordKind, form: forms.RecordForm, user: User
) -> Conflict | None:
    """Save a valid edit form if the record is still at the version the form started from.

    The version is claimed with a conditional UPDATE, which waits for (and then sees) a
    concurrent writer's commit on both SQLite and PostgreSQL; the following save() writes
    the values and leaves the one history row. A resubmission of values that are already
    stored (a double click, a retried request) succeeds without a second change.
    """
    record = form.instance
    started_from = form.cleaned_data.get("version")
    with transaction.atomic():
        claimed = 0
        if started_from is not None:
            claimed = kind.model.objects.filter(
                pk=record.pk, version=started_from
            ).update(version=F("version") + 1)
        if not claimed:
            current = kind.model.objects.select_related("updated_by").get(pk=record.pk)
            if _stored_equals_submitted(current, form.cleaned_data, kind.edited_fields):
                return None
            return Conflict(current.updated_by, current.updated_at)
        record.version = started_from + 1
        record.updated_by = user
        record._history_user = user
        record.save()
    return None


def delete_record(record: WorkRecord, user: User) -> None:
    record._history_user = user
    with transaction.atomic():
        record.delete()


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
        field = kind.model._meta.get_field(name)
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
