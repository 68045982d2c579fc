"""The validation run's filter (GET): departments, a month range, an importance."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from assessment.models import Department
from assessment.quality.rules import Importance

MONTHS = [(m, str(m)) for m in range(1, 13)]


class RunFilterForm(forms.Form):
    department = forms.ModelMultipleChoiceField(
        label=_("Departments"),
        queryset=Department.objects.none(),
        to_field_name="code",
        required=False,
        help_text=_("None chosen: every department."),
        widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 6}),
    )
    start = forms.TypedChoiceField(
        label=_("From month"),
        choices=MONTHS,
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    end = forms.TypedChoiceField(
        label=_("To month"),
        choices=MONTHS,
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    importance = forms.TypedChoiceField(
        label=_("Importance"),
        choices=[
            ("", _("All")),
            (Importance.BLOCK.value, _("Blocks the save")),
            (Importance.NOTE.value, _("Needs a note")),
            (Importance.WARN.value, _("Warning")),
        ],
        coerce=Importance,
        required=False,
        empty_value=None,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args: Any, departments: QuerySet[Department], **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["department"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = departments

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start") or 1, cleaned.get("end") or 12
        if start > end:
            start, end = end, start
        cleaned["start"], cleaned["end"] = start, end
        return cleaned
