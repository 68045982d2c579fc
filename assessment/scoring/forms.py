"""Forms of the supervisor's workbench: a target's score, adjustments, vetoes, closing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from assessment import formatting
from assessment.figures import values
from assessment.models import Adjustment, Target
from assessment.once import OnceFormMixin
from assessment.text import CleanCharField

REASON_MAX_LENGTH = 2000
#: The largest single deduction or bonus item a form accepts.
ADJUSTMENT_MAX = Decimal(100)


class ReasonField(CleanCharField):
    """A reason typed in a text area: its line breaks are stored as LF whatever the
    browser sent (a form sends CR LF), so a reason posted again compares equal."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.replace("\r\n", "\n").replace("\r", "\n")
        return super().to_python(value)


def _reason_area() -> forms.Textarea:
    return forms.Textarea(
        attrs={
            "class": "form-control form-control-sm reason-input",
            "autocomplete": "off",
            "rows": 2,
        }
    )


def score_prefix(target_id: int) -> str:
    return f"t{target_id}"


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
    reason = ReasonField(
        label=_("Reason"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=_reason_area(),
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
                params={"points": formatting.points_input(self.max_points)},
            )
        return value

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
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
                    params={"suggested": formatting.points_input(self.suggested)},
                ),
            )
        return data


class AdjustmentForm(OnceFormMixin, forms.Form):
    """A deduction or a bonus item; the department comes from the URL, never from here.

    A single bonus item larger than the year's cap is most likely a typing error: it
    asks for confirmation (`confirm_over_cap`) before it is added.
    """

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
    reason = ReasonField(
        label=_("Reason"),
        max_length=REASON_MAX_LENGTH,
        widget=_reason_area(),
    )

    confirm_over_cap = forms.BooleanField(
        label=_("Add it anyway"), required=False, widget=forms.HiddenInput
    )

    def __init__(
        self,
        *args: Any,
        targets: QuerySet[Target],
        bonus_cap: Decimal | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["target"]).queryset = targets
        self.bonus_cap = bonus_cap

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        points = data.get("points")
        if (
            data.get("kind") == Adjustment.Kind.BONUS
            and points is not None
            and self.bonus_cap is not None
            and points > self.bonus_cap
            and not data.get("confirm_over_cap")
        ):
            self.fields["confirm_over_cap"].widget = forms.CheckboxInput()
            self.add_error(
                "confirm_over_cap",
                _(
                    "This one item (%(points)s) is larger than the year's whole bonus "
                    "cap of %(cap)s: at most %(cap)s will count. Tick the box to add it "
                    "anyway."
                )
                % {
                    "points": formatting.points(points),
                    "cap": formatting.points(self.bonus_cap),
                },
            )
        return data

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
                params={"max": formatting.points_input(ADJUSTMENT_MAX)},
            )
        return value


class VetoForm(OnceFormMixin, forms.Form):
    reason = ReasonField(
        label=_("Reason for the veto"),
        max_length=REASON_MAX_LENGTH,
        widget=_reason_area(),
    )


class CloseYearForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that nothing in this year can be changed afterwards."),
        required=True,
    )
    reason = CleanCharField(
        label=_("Reason for closing with work outstanding"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, outstanding: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.outstanding = outstanding
        self.fields["reason"].required = outstanding

    def clean_reason(self) -> str:
        reason = self.cleaned_data.get("reason", "")
        if self.outstanding and not reason.strip():
            raise ValidationError(
                _("Work is still outstanding: say why the year is closed anyway."),
                code="required",
            )
        return reason
