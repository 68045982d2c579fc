"""Forms of publication and objections: the window, an objection, its answer."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from assessment import formatting
from assessment.figures import values
from assessment.once import OnceFormMixin
from assessment.scoring import evidence as evidence_rules
from assessment.text import CleanCharField

TEXT_MAX_LENGTH = 2000
#: Evidence files one objection may carry.
MAX_FILES = 5


class PublishForm(forms.Form):
    starts_on = forms.DateField(
        label=_("Objections from"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    ends_on = forms.DateField(
        label=_("Objections until (inclusive)"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        starts_on: datetime.date | None = data.get("starts_on")
        ends_on: datetime.date | None = data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error(
                "ends_on",
                ValidationError(
                    _("The window cannot end before it starts."), code="order"
                ),
            )
        return data


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": evidence_rules.ACCEPT})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class ObjectionForm(OnceFormMixin, forms.Form):
    grounds = CleanCharField(
        label=_("Grounds of the objection"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5, "class": "form-control"}),
    )
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("Evidence files"),
        required=False,
        help_text=_("Up to %(count)s files: %(types)s.")
        % {"count": MAX_FILES, "types": evidence_rules.allowed_types_text()},
    )

    def __init__(self, *args: Any, year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.year = year
        self.checked: list[tuple[evidence_rules.CheckedUpload, UploadedFile]] = []

    def clean_grounds(self) -> str:
        grounds = self.cleaned_data["grounds"].strip()
        if not grounds:
            raise ValidationError(_("Give the grounds of the objection."), "required")
        return grounds

    def clean_files(self) -> list[UploadedFile]:
        files = self.cleaned_data.get("files") or []
        if len(files) > MAX_FILES:
            raise ValidationError(
                _("Attach at most %(count)s files.") % {"count": MAX_FILES},
                code="too_many",
            )
        errors: list[ValidationError] = []
        seen: set[str] = set()
        for upload in files:
            try:
                checked = evidence_rules.check_upload(
                    upload, name=upload.name, year=self.year, declared_size=upload.size
                )
            except ValidationError as exc:
                errors.extend(
                    ValidationError(f"{upload.name}: {message}")
                    for message in exc.messages
                )
                continue
            if checked.sha256 in seen:
                continue  # the same file chosen twice: attached once
            seen.add(checked.sha256)
            self.checked.append((checked, upload))
        if errors:
            raise ValidationError(errors)
        return files


class AnswerForm(forms.Form):
    """A supervisor's answer: upheld with the new points, or rejected."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("upheld", _("Upheld")), ("rejected", _("Rejected"))],
        widget=forms.RadioSelect,
    )
    new_points = forms.CharField(
        label=_("New points"),
        required=False,
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "inputmode": "decimal",
                "autocomplete": "off",
                "class": "form-control num",
            }
        ),
    )
    answer = CleanCharField(
        label=_("Reason"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        needs_points: bool,
        max_points: Decimal | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.needs_points = needs_points
        self.max_points = max_points
        if not needs_points:
            del self.fields["new_points"]

    def clean_answer(self) -> str:
        answer = self.cleaned_data["answer"].strip()
        if not answer:
            raise ValidationError(_("Give the reason of the answer."), "required")
        return answer

    def clean_new_points(self) -> Decimal | None:
        return values.parse_value(
            self.cleaned_data.get("new_points", ""), decimals=2, allow_negative=False
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        points = data.get("new_points")
        if data.get("decision") == "upheld" and self.needs_points:
            if points is None and "new_points" not in self.errors:
                self.add_error(
                    "new_points",
                    ValidationError(
                        _("An upheld objection needs the new points."),
                        code="required",
                    ),
                )
            elif (
                points is not None
                and self.max_points is not None
                and points > self.max_points
            ):
                self.add_error(
                    "new_points",
                    ValidationError(
                        _("The score cannot exceed the target's %(points)s points."),
                        code="too_high",
                        params={"points": formatting.points_input(self.max_points)},
                    ),
                )
        return data
