"""Forms for the bureau's work records: they validate and convert, nothing more."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from assessment import access, formatting
from assessment.figures import values
from assessment.models import AssessmentYear, FormToken, User
from assessment.models.catalogue import YearStatus
from assessment.once import OnceFormMixin
from assessment.text import strip_bidi
from sanitation.bureau.models import (
    Donation,
    PartyActivity,
    Petition,
    SafetyActivity,
    Task,
)


class MonthFilterForm(forms.Form):
    """The list's filters, read from the query string."""

    department = forms.ChoiceField(label=_("Department"), required=False)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    month = forms.TypedChoiceField(
        label=_("Month"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("All months"))] + [(m, m) for m in range(1, 13)],
    )

    def __init__(self, *args: Any, departments: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["department"]).choices = [
            ("", _("All my departments"))
        ] + list(departments)


class DecimalTextField(forms.CharField):
    """A typed amount read by the same rules as a monthly figure (assessment.values).

    Full-width digits are read as ASCII; commas, NaN, Infinity, exponents, negatives and
    extra decimals are refused with a field error.
    """

    def __init__(self, *, decimals: int, max_value: Decimal, **kwargs: Any) -> None:
        self.decimals = decimals
        self.max_value = max_value
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = super().to_python(value) or ""
        if len(text) > 40:
            raise ValidationError(_("This number is too long."), code="max_length")
        parsed = values.parse_value(text, decimals=self.decimals, allow_negative=False)
        if parsed is not None and parsed > self.max_value:
            raise ValidationError(
                _("Enter at most %(max)s.") % {"max": self.max_value},
                code="max_value",
            )
        return parsed

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal):
            return format(value, "f")
        return value

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "decimal", "maxlength": "40"})
        return attrs


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def closed_year_error(date: datetime.date) -> ValidationError | None:
    if AssessmentYear.objects.filter(year=date.year, status=YearStatus.CLOSED).exists():
        return ValidationError(
            _("The assessment year %(year)s is closed: its records cannot be changed."),
            code="closed_year",
            params={"year": date.year},
        )
    return None


class RecordForm(OnceFormMixin, forms.ModelForm):
    """Common to every kind: department (the user's own only), date, title, version.

    An add form carries a one-time token (`once`), so posting it twice stores one
    record; a record typed again on purpose (same day and title) gets a warning that
    names the existing one, and is saved once the clerk confirms.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    confirm_duplicate = forms.BooleanField(
        label=_("Save it anyway: this is a different record"),
        required=False,
        widget=forms.HiddenInput,
    )
    #: Fields shown side by side on wide screens; the others take a full row.
    pairs: tuple[tuple[str, str], ...] = (("department", "date"),)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        departments = access.departments_for(user)
        field = cast(forms.ModelChoiceField, self.fields["department"])
        field.queryset = departments
        field.empty_label = None if len(departments) == 1 else "---------"
        field.error_messages["invalid_choice"] = _(
            "Choose one of your own departments."
        )
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            del self.fields["once"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = self._layout()

    def _layout(self) -> Layout:
        paired = {name: pair for pair in self.pairs for name in pair}
        items: list[Any] = []
        placed: set[tuple[str, str]] = set()
        for name in [n for n in self.fields if n != "confirm_duplicate"]:
            pair = paired.get(name)
            if pair is None:
                items.append(name)
            elif pair not in placed:
                placed.add(pair)
                items.append(Row(*(Column(n, css_class="col-sm-6") for n in pair)))
        items.append("confirm_duplicate")
        return Layout(*items)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if not self.instance.pk and not self.errors:
            self._warn_duplicate(cleaned)
        return cleaned

    def _warn_duplicate(self, cleaned: dict[str, Any]) -> None:
        """A new record on the same day with the same title as an existing one.

        Not for this form's own record: a form posted again (a double click, a
        resubmit) carries a token already claimed, and saving finds what it created.
        """
        if cleaned.get("confirm_duplicate") or not cleaned.get("title"):
            return
        once = cleaned.get("once")
        if once is not None and FormToken.objects.filter(token=once).exists():
            return
        existing = (
            self._meta.model.objects.filter(
                department=cleaned.get("department"),
                date=cleaned.get("date"),
                title__iexact=cleaned["title"].strip(),
            )
            .select_related("department")
            .first()
        )
        if existing is None:
            return
        self.fields["confirm_duplicate"].widget = forms.CheckboxInput()
        self.add_error(
            "confirm_duplicate",
            _(
                "%(department)s already has “%(title)s” on %(day)s. If this is another "
                "one, tick the box and save again."
            )
            % {
                "department": existing.department.name,
                "title": existing.title,
                "day": formatting.day(existing.date),
            },
        )

    def clean_title(self) -> str:
        """Bidi controls removed first: a title of nothing but controls is missing."""
        title = strip_bidi(self.cleaned_data["title"]).strip()
        if not title:
            raise ValidationError(
                self.fields["title"].error_messages["required"], code="required"
            )
        return title

    def clean_description(self) -> str:
        return strip_bidi(self.cleaned_data.get("description", ""))

    def clean_date(self) -> datetime.date:
        date = self.cleaned_data["date"]
        error = closed_year_error(date)
        if error is not None:
            raise error
        return date


_TEXT = {"description": forms.Textarea(attrs={"rows": 3})}


class DonationForm(RecordForm):
    pairs = (("department", "date"), ("amount", "items"))
    amount = DecimalTextField(
        label=_("Amount (yuan)"), decimals=2, max_value=Decimal("9999999999.99")
    )

    class Meta:
        model = Donation
        fields = ["department", "date", "title", "amount", "items", "description"]
        labels = {"title": _("Campaign")}
        help_texts = {
            "items": _("Goods donated besides money, e.g. 8 pieces of clothing.")
        }
        widgets = {"date": DateInput(), **_TEXT}


class PetitionForm(RecordForm):
    pairs = (("date", "channel"), ("status", "resolved_date"))

    class Meta:
        model = Petition
        fields = [
            "department",
            "date",
            "channel",
            "title",
            "status",
            "resolved_date",
            "description",
        ]
        labels = {"date": _("Received on"), "title": _("Subject")}
        widgets = {"date": DateInput(), "resolved_date": DateInput(), **_TEXT}

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        status = cleaned.get("status")
        received = cleaned.get("date")
        resolved = cleaned.get("resolved_date")
        if status == Petition.Status.RESOLVED and resolved is None:
            self.add_error(
                "resolved_date", _("Enter the day a resolved petition was resolved.")
            )
        elif status == Petition.Status.OPEN and resolved is not None:
            self.add_error(
                "resolved_date",
                _("Only a resolved petition has a resolution date."),
            )
        if resolved and received and resolved < received:
            self.add_error(
                "resolved_date",
                _("A petition cannot be resolved before it is received."),
            )
        return cleaned


class SafetyActivityForm(RecordForm):
    pairs = (("department", "kind"), ("participants", "fatalities"))
    participants = forms.IntegerField(
        label=_("Participants"), required=False, min_value=0, max_value=100_000
    )
    fatalities = forms.IntegerField(
        label=_("Fatalities"),
        required=False,
        min_value=0,
        max_value=10_000,
        help_text=_("Accidents only."),
    )

    class Meta:
        model = SafetyActivity
        fields = [
            "department",
            "kind",
            "date",
            "title",
            "participants",
            "fatalities",
            "description",
        ]
        widgets = {"date": DateInput(), **_TEXT}

    def clean_fatalities(self) -> int:
        return self.cleaned_data.get("fatalities") or 0

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("fatalities") and cleaned.get("kind") not in (
            None,
            SafetyActivity.Kind.ACCIDENT,
        ):
            self.add_error("fatalities", _("Only an accident can have fatalities."))
        return cleaned


class PartyActivityForm(RecordForm):
    pairs = (("department", "kind"), ("date", "participants"))
    participants = forms.IntegerField(
        label=_("Participants"), required=False, min_value=0, max_value=100_000
    )

    class Meta:
        model = PartyActivity
        fields = ["department", "kind", "date", "title", "participants", "description"]
        widgets = {"date": DateInput(), **_TEXT}


class TaskForm(RecordForm):
    pairs = (("department", "kind"), ("date", "end_date"), ("quantity", "unit"))
    participants = forms.IntegerField(
        label=_("Participants"), required=False, min_value=0, max_value=100_000
    )
    quantity = DecimalTextField(
        label=_("Quantity"),
        required=False,
        decimals=2,
        max_value=Decimal("999999999999.99"),
    )

    class Meta:
        model = Task
        fields = [
            "department",
            "kind",
            "date",
            "end_date",
            "title",
            "participants",
            "quantity",
            "unit",
            "description",
        ]
        labels = {"date": _("Start date")}
        help_texts = {"unit": _("e.g. t, m², truckloads")}
        widgets = {"date": DateInput(), "end_date": DateInput(), **_TEXT}

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error(
                "end_date", _("The end date cannot be before the start date.")
            )
        return cleaned
