"""Forms of the monthly figures: one small form per indicator, and the review texts."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext

from assessment import formatting
from assessment.figures import values
from assessment.figures.returns import MAX_COMMENT_LENGTH, FigureRow
from assessment.models import Figure, Indicator
from assessment.quality.ranges import PlausibleRange, RangeSource
from assessment.text import CleanCharField

NOTE_MAX_LENGTH = 500
#: Field names of the entry page: f-<indicator id>-value / -note / -version.
FIELD_NAME = re.compile(r"^f-(\d+)-")


def prefix_for(indicator: Indicator) -> str:
    return f"f-{indicator.pk}"


class FigureForm(forms.Form):
    value = forms.CharField(
        label=_("Value"),
        required=False,
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "class": "form-control form-control-sm",
                "inputmode": "decimal",
                "autocomplete": "off",
            }
        ),
    )
    note = CleanCharField(
        label=_("Note"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.TextInput(
            attrs={"class": "form-control form-control-sm", "autocomplete": "off"}
        ),
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    #: False when none of this indicator's fields were in the POST.
    submitted: bool = True

    def __init__(
        self,
        *args: Any,
        indicator: Indicator,
        figure: Figure | None,
        plausible: PlausibleRange | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("prefix", prefix_for(indicator))
        kwargs.setdefault(
            "initial",
            {
                "value": formatting.value_input(
                    figure.value if figure else None, indicator.decimals
                ),
                "note": figure.note if figure else "",
                "version": figure.version if figure else 0,
            },
        )
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.figure = figure
        #: The month's range (season-aware); the flat one when not given.
        self.plausible = plausible or PlausibleRange(
            indicator.plausible_min, indicator.plausible_max
        )
        label = indicator.name
        self.fields["value"].widget.attrs["aria-label"] = label
        self.fields["note"].widget.attrs["aria-label"] = note_label(indicator)
        # Keeps the note box from swallowing more than the database can hold.
        self.fields["note"].widget.attrs["maxlength"] = str(NOTE_MAX_LENGTH)

    def clean_value(self) -> Decimal | None:
        return values.parse_value(
            self.cleaned_data.get("value", ""),
            decimals=self.indicator.decimals,
            allow_negative=self.indicator.allow_negative,
        )

    def clean_note(self) -> str:
        return self.cleaned_data.get("note", "").strip()

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if "value" not in cleaned or "note" not in cleaned:
            return cleaned
        value, note = cleaned["value"], cleaned["note"]
        if value is None:
            if note:
                self.add_error("note", _("A note needs a value; clear it or add one."))
            return cleaned
        problem = values.plausibility_problem(
            value, self.plausible.low, self.plausible.high
        )
        if problem and not note:
            self.add_error("value", problem)
        return cleaned

    def inputs(self) -> FigureInputs:
        """The row's three inputs as the entry page writes them out by hand: what
        Django's widget templates would render, looked up once per field."""
        value, note, version = self["value"], self["note"], self["version"]
        return FigureInputs(
            value_name=value.html_name,
            value_id=value.auto_id,
            value=_text(value.value()),
            value_errors=_messages(value.errors),
            note_name=note.html_name,
            note_id=note.auto_id,
            note=_text(note.value()),
            note_label=str(note.field.widget.attrs["aria-label"]),
            note_errors=_messages(note.errors),
            version_name=version.html_name,
            version_id=version.auto_id,
            version=version.field.widget.format_value(version.value()),
            version_errors=_messages(version.errors),
            non_field_errors=_messages(self.non_field_errors()),
            has_errors=bool(self.errors),
            disabled=self.fields["value"].disabled,
        )

    def row(self) -> FigureRow:
        return FigureRow(
            indicator=self.indicator,
            value=self.cleaned_data["value"],
            note=self.cleaned_data["note"],
            version=self.cleaned_data["version"],
        )


class TemplateRow:
    """A row the entry page's template reads many times over: the template engine
    tries `row[name]` before `getattr(row, name)`, and answering the first saves an
    exception per lookup (about 2 ms of the page's 80 rows)."""

    def __getitem__(self, name: str) -> Any:
        return getattr(self, name)


@dataclass(frozen=True)
class FigureInputs(TemplateRow):
    """Names, ids, values and errors of one indicator's fields on the entry page."""

    value_name: str
    value_id: str
    value: str
    value_errors: list[str]
    note_name: str
    note_id: str
    note: str
    note_label: str
    note_errors: list[str]
    version_name: str
    version_id: str
    version: str | None
    version_errors: list[str]
    non_field_errors: list[str]
    has_errors: bool
    disabled: bool


def note_label(indicator: Indicator) -> str:
    return str(_("Note on %(name)s") % {"name": indicator.name})


def initial_inputs(
    indicator: Indicator, figure: Figure | None, *, disabled: bool = False
) -> FigureInputs:
    """What an unbound `FigureForm` of the indicator renders, without building one:
    the page shown before anything is posted needs no validation."""
    prefix = prefix_for(indicator)
    return FigureInputs(
        value_name=f"{prefix}-value",
        value_id=f"id_{prefix}-value",
        value=formatting.value_input(
            figure.value if figure else None, indicator.decimals
        ),
        value_errors=[],
        note_name=f"{prefix}-note",
        note_id=f"id_{prefix}-note",
        note=figure.note if figure else "",
        note_label=note_label(indicator),
        note_errors=[],
        version_name=f"{prefix}-version",
        version_id=f"id_{prefix}-version",
        version=str(figure.version if figure else 0),
        version_errors=[],
        non_field_errors=[],
        has_errors=False,
        disabled=disabled,
    )


def _messages(errors: Any) -> list[str]:
    return [str(error) for error in errors]


def _text(value: Any) -> str:
    """A field's value as its input shows it (`default_if_none:''`)."""
    return "" if value is None else str(value)


def build_figure_forms(
    indicators: Sequence[Indicator],
    figures: Mapping[int, Figure],
    data: Mapping[str, Any] | None = None,
    disabled: bool = False,
    ranges: Mapping[int, PlausibleRange] | None = None,
    *,
    posted_only: bool = False,
) -> list[FigureForm]:
    """A form per typed indicator; with `posted_only`, only for those the POST names
    (the others are left as they are, and shown from their figures)."""
    posted = posted_ids(data) if data is not None else set()
    forms_: list[FigureForm] = []
    for indicator in indicators:
        if indicator.is_computed:
            continue
        # An indicator none of whose fields were posted is left as it is.
        submitted = str(indicator.pk) in posted
        if posted_only and not submitted:
            continue
        form = FigureForm(
            data if submitted else None,
            indicator=indicator,
            figure=figures.get(indicator.pk),
            plausible=(ranges or {}).get(indicator.pk),
        )
        form.submitted = submitted
        if disabled:
            for bound_field in form.fields.values():
                bound_field.disabled = True
        forms_.append(form)
    return forms_


def posted_ids(data: Mapping[str, Any]) -> set[str]:
    """The indicator ids (as written) that POST field names name, read in one pass
    over the keys."""
    return {match.group(1) for key in data if (match := FIELD_NAME.match(key))}


def foreign_field_ids(data: Mapping[str, Any], allowed_ids: set[int]) -> set[int]:
    """Indicator ids named in POST field names that this page does not offer."""
    found: set[int] = set()
    for key in data:
        match = FIELD_NAME.match(key)
        if match and int(match.group(1)) not in allowed_ids:
            found.add(int(match.group(1)))
    return found


class CommentForm(forms.Form):
    comment = CleanCharField(
        label=_("Comment for the clerk"),
        max_length=MAX_COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )


class ReopenForm(forms.Form):
    reason = CleanCharField(
        label=_("Reason for reopening"),
        max_length=MAX_COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )


def describe_rule(indicator: Indicator, plausible: PlausibleRange | None = None) -> str:
    """The indicator's rule as the page shows it, e.g. "100–200, 1 decimal"."""
    plausible = plausible or PlausibleRange(
        indicator.plausible_min, indicator.plausible_max
    )
    low = _plain(plausible.low)
    high = _plain(plausible.high)
    if low is not None and high is not None:
        span = f"{low}–{high}"
    elif low is not None:
        span = f"≥ {low}"
    elif high is not None:
        span = f"≤ {high}"
    else:
        span = ""
    if indicator.decimals == 0:
        places = str(_("whole number"))
    else:
        places = ngettext("%(n)d decimal", "%(n)d decimals", indicator.decimals) % {
            "n": indicator.decimals
        }
    if span and plausible.source is RangeSource.MONTH:
        span = str(_("%(span)s this month")) % {"span": span}
    elif span and plausible.source is RangeSource.HISTORY:
        span = str(_("%(span)s (from past years)")) % {"span": span}
    parts = [part for part in (span, places) if part]
    if indicator.allow_negative:
        parts.append(str(_("may be negative")))
    return str(pgettext("list separator", ", ")).join(parts)


def _plain(value: Decimal | None) -> str | None:
    if value is None:
        return None
    return format(value.normalize(), "f")
