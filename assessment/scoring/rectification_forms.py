"""Forms of rectification (整改): the department's plan and report, the review."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assessment.scoring import evidence as evidence_rules
from assessment.scoring.objection_forms import (
    MAX_FILES,
    TEXT_MAX_LENGTH,
    MultipleFileField,
    ObjectionForm,
)
from assessment.text import CleanCharField


class ReportForm(forms.Form):
    """The department's measures, who answers for them, by when, and what was done."""

    measures = CleanCharField(
        label=_("Rectification measures"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )
    owner = CleanCharField(
        label=_("Person responsible"),
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    deadline = forms.DateField(
        label=_("Deadline"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    report = CleanCharField(
        label=_("What was done"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5, "class": "form-control"}),
        help_text=_("Required when reporting the rectification."),
    )
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("Evidence files"),
        required=False,
        help_text=_("Up to %(count)s files: %(types)s.")
        % {"count": MAX_FILES, "types": evidence_rules.allowed_types_text()},
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args: Any, year: int, submit: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.year = year
        self.submit = submit
        self.checked: list[tuple[evidence_rules.CheckedUpload, UploadedFile]] = []

    #: The same rules as an objection's evidence files.
    clean_files = ObjectionForm.clean_files

    def clean(self) -> dict[str, Any]:
        super().clean()
        if self.submit and not (self.cleaned_data.get("report") or "").strip():
            self.add_error(
                "report",
                ValidationError(
                    _("Describe what was done before reporting it."), code="required"
                ),
            )
        return self.cleaned_data


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=pgettext_lazy("rectification", "Decision"),
        choices=[
            ("accept", _("Accept the rectification")),
            ("return", _("Return it to the department")),
        ],
        widget=forms.RadioSelect,
    )
    comment = CleanCharField(
        label=_("Comment"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        help_text=_("Required when returning it: say what is still missing."),
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("decision") == "return" and not (data.get("comment") or "").strip():
            self.add_error(
                "comment",
                ValidationError(
                    _("Say what is still missing when returning it."), code="required"
                ),
            )
        return data
