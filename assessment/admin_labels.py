"""The admin's choosers of departments, targets and categories in the active language.

Their names are the bureau's data, written in the bureau's language; their translations
are the report's (`ReportTranslation`, see assessment.reporting.translation). In another
language the admin's choices (select boxes, the two-pane departments chooser, the
autocomplete results and the list filters) show the translated name, so that a page
reads in one language; a name without a translation keeps its own words.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import HttpRequest
from django.utils import translation

from assessment.models import Category, Department, ReportSection, Target
from assessment.reporting.translation import Translator, valid_language

Translate = Callable[[str], str]

#: How each model with a translated name is labelled, given a translating function.
LABELS: dict[type[models.Model], Callable[[Any, Translate], str]] = {
    Department: lambda d, tr: tr(d.name),
    Target: lambda t, tr: f"{t.code} {tr(t.name)}",
    Category: lambda c, tr: tr(c.name),
    ReportSection: lambda s, tr: f"{s.code} {tr(s.heading)}",
}


class DataLabels:
    """Labels in the active language; the translations are read once per language."""

    def __init__(self) -> None:
        self._translators: dict[str, Translator] = {}

    def text(self, text: str) -> str:
        language = valid_language(translation.get_language())
        translator = self._translators.get(language)
        if translator is None:
            translator = self._translators[language] = Translator.for_language(language)
        if translator.is_identity or not text.strip():
            return text
        return translator.table.get(text.strip().rstrip("。"), text)

    def label(self, obj: models.Model) -> str:
        make = LABELS.get(type(obj))
        return make(obj, self.text) if make is not None else str(obj)


def translates(model: Any) -> bool:
    return model in LABELS


def relabel(field: forms.Field | None) -> forms.Field | None:
    """`field` with its choices labelled in the active language, if they need it."""
    if (
        isinstance(field, forms.ModelChoiceField)
        and field.queryset is not None
        and translates(field.queryset.model)
    ):
        field.label_from_instance = DataLabels().label  # type: ignore[method-assign]
    return field


class TranslatedRelatedFilter(admin.RelatedFieldListFilter):
    """A list filter by department, target or category, labelled in the language."""

    def field_choices(
        self, field: Any, request: HttpRequest, model_admin: admin.ModelAdmin
    ) -> list[tuple[str, Any]]:
        labels = DataLabels()
        related = field.remote_field.get_related_field()
        queryset = field.related_model._default_manager.complex_filter(
            field.get_limit_choices_to()
        )
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            queryset = queryset.order_by(*ordering)
        return [
            (str(getattr(obj, related.attname)), labels.label(obj)) for obj in queryset
        ]


def _translated_filter(model: type[models.Model], entry: Any) -> Any:
    if not isinstance(entry, str):
        return entry
    try:
        field = get_fields_from_path(model, entry)[-1]
    except (FieldDoesNotExist, admin.utils.NotRelationField):
        return entry
    if getattr(field, "is_relation", False) and translates(field.related_model):
        return (entry, TranslatedRelatedFilter)
    return entry


class TranslatedChoicesMixin:
    """Mixed into every ModelAdmin of the site (see AssessmentAdminSite.register)."""

    model: type[models.Model]

    def formfield_for_foreignkey(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> Any:
        return relabel(super().formfield_for_foreignkey(db_field, request, **kwargs))  # type: ignore[misc]

    def formfield_for_manytomany(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> Any:
        return relabel(super().formfield_for_manytomany(db_field, request, **kwargs))  # type: ignore[misc]

    def get_list_filter(self, request: HttpRequest) -> Sequence[Any]:
        filters = super().get_list_filter(request)  # type: ignore[misc]
        return tuple(_translated_filter(self.model, entry) for entry in filters)


class TranslatedAutocompleteJsonView(AutocompleteJsonView):
    """The autocomplete's results labelled as the choosers are."""

    labels: DataLabels

    def serialize_result(self, obj: models.Model, to_field_name: str) -> dict[str, str]:
        if not hasattr(self, "labels"):
            self.labels = DataLabels()
        return {"id": str(getattr(obj, to_field_name)), "text": self.labels.label(obj)}
