"""Forms of the supervisor's workbench: a target's score, adjustments, vetoes, closing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from assessment.figures import values
from assessment.models import Adjustment, Target

REASON_MAX_LENGTH = 2000
#: The largest single deduction or bonus item a form accepts.
ADJUSTMENT_MAX = Decimal(100)


def score_prefix(target_id: int) -> str:
    return f"t{target_id}"


def format_points(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _parse_points(raw: str) -> Decimal | None:
    """Two decimals, no negatives, no NaN/Infinity/exponents/commas (see values.py)."""
    return values.parse_value(raw, decimals=2, allow_negative=False)


class ScoreForm(forms.Form):
    """The assessed score of one target, with the version the supervisor started from."""

    score = forms.CharField(
        label=_("Assessed score"),
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "class": "form-control form-control-sm num score-input",
                "inputmode": "decimal",
                "autocomplete": "off",
            }
        ),
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.TextInput(
            attrs={"class": "form-control form-control-sm", "autocomplete": "off"}
        ),
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        max_points: Decimal,
        suggested: Decimal | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.max_points = max_points
        self.suggested = suggested

    def clean_score(self) -> Decimal:
        value = _parse_points(self.cleaned_data["score"])
        if value is None:
            raise ValidationError(_("Enter a score."), code="required")
        if value > self.max_points:
            raise ValidationError(
                _("The score cannot exceed the target's %(points)s points."),
                code="too_high",
                params={"points": format_points(self.max_points)},
            )
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        score = data.get("score")
        if (
            score is not None
            and self.suggested is not None
            and score != self.suggested
            and not data.get("reason")
        ):
            self.add_error(
                "reason",
                ValidationError(
                    _(
                        "The score differs from the suggested %(suggested)s: "
                        "give a reason."
                    ),
                    code="reason_required",
                    params={"suggested": format_points(self.suggested)},
                ),
            )
        return data


class AdjustmentForm(forms.Form):
    """A deduction or a bonus item; the department comes from the URL, never from here."""

    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=Adjustment.Kind.choices,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    points = forms.CharField(
        label=_("Points"),
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "class": "form-control form-control-sm num",
                "inputmode": "decimal",
                "autocomplete": "off",
            }
        ),
    )
    target = forms.ModelChoiceField(
        label=_("Target (optional)"),
        queryset=Target.objects.none(),
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.TextInput(
            attrs={"class": "form-control form-control-sm", "autocomplete": "off"}
        ),
    )

    def __init__(self, *args: Any, targets: QuerySet[Target], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = targets

    def clean_points(self) -> Decimal:
        value = _parse_points(self.cleaned_data["points"])
        if value is None or value <= 0:
            raise ValidationError(
                _("Enter a number of points greater than zero."), code="not_positive"
            )
        if value > ADJUSTMENT_MAX:
            raise ValidationError(
                _("At most %(max)s points per item."),
                code="too_high",
                params={"max": format_points(ADJUSTMENT_MAX)},
            )
        return value


class VetoForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the veto"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.TextInput(
            attrs={"class": "form-control form-control-sm", "autocomplete": "off"}
        ),
    )


class CloseYearForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that nothing in this year can be changed afterwards."),
        required=True,
    )
