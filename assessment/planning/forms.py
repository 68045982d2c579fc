"""The plan page: one form per target in one formset, checked as a catalogue."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from assessment import formatting
from assessment.figures import values
from assessment.models import Department, Indicator, Target
from assessment.planning import plan, rules
from assessment.reporting.report import assessed_units

#: Annual target values are stored with four decimals.
TARGET_VALUE_DECIMALS = 4


def indicator_field_name(indicator: Indicator) -> str:
    return f"indicator_{indicator.pk}"


class TargetPlanForm(forms.Form):
    """One target's row: points, common or assigned, departments, target values."""

    points = forms.CharField(
        label=_("Points"),
        max_length=16,
        widget=forms.TextInput(
            attrs={
                "class": "form-control form-control-sm num plan-points",
                "inputmode": "decimal",
                "autocomplete": "off",
            }
        ),
    )
    is_common = forms.BooleanField(
        label=_("Common to all departments"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    departments = forms.ModelMultipleChoiceField(
        label=_("Responsible departments"),
        queryset=Department.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    seen = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(
        self,
        *args: Any,
        target: Target,
        department_choices: list[Department],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.target = target
        field = cast(forms.ModelMultipleChoiceField, self.fields["departments"])
        field.queryset = Department.objects.filter(
            pk__in=[d.pk for d in department_choices]
        )
        # The choices from the list already loaded: no query per row to render them.
        field.choices = [(d.pk, d.name) for d in department_choices]
        self.indicators = list(target.indicators.all())
        for indicator in self.indicators:
            unit = f" ({indicator.unit})" if indicator.unit else ""
            self.fields[indicator_field_name(indicator)] = forms.CharField(
                label=f"{indicator.name}{unit}",
                required=False,
                max_length=32,
                widget=forms.TextInput(
                    attrs={
                        "class": "form-control form-control-sm num",
                        "inputmode": "decimal",
                        "autocomplete": "off",
                    }
                ),
            )
        if not self.is_bound:
            self.initial = {
                "points": formatting.points_input(target.points),
                "is_common": target.is_common,
                "departments": [d.pk for d in target.departments.all()],
                "seen": plan.fingerprint(target),
                **{
                    indicator_field_name(i): formatting.plain(i.annual_target)
                    if i.annual_target is not None
                    else ""
                    for i in self.indicators
                },
            }

    @property
    def indicator_fields(self) -> list[forms.BoundField]:
        return [self[indicator_field_name(i)] for i in self.indicators]

    def clean_points(self) -> Decimal:
        value = values.parse_value(
            self.cleaned_data["points"], decimals=2, allow_negative=False
        )
        if value is None:
            raise ValidationError(_("Enter the target's points."), code="required")
        if value > rules.FULL_POINTS:
            raise ValidationError(
                _("A target has at most 100 points."), code="too_high"
            )
        return value

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        for indicator in self.indicators:
            name = indicator_field_name(indicator)
            if name not in data:
                continue
            try:
                data[name] = values.parse_value(
                    data[name],
                    decimals=TARGET_VALUE_DECIMALS,
                    allow_negative=indicator.allow_negative,
                )
            except ValidationError as error:
                self.add_error(name, error)
        if not data.get("is_common") and not data.get("departments"):
            self.add_error(
                "departments",
                ValidationError(
                    _("Choose at least one responsible department."),
                    code="no_department",
                ),
            )
        return data

    def planned(self) -> plan.PlannedTarget:
        data = self.cleaned_data
        return plan.PlannedTarget(
            target_id=self.target.pk,
            seen=data["seen"],
            points=data["points"],
            is_common=data["is_common"],
            departments=list(data["departments"]),
            annual_targets={
                i.pk: data.get(indicator_field_name(i)) for i in self.indicators
            },
        )


class BasePlanFormSet(forms.BaseFormSet):
    def __init__(
        self,
        *args: Any,
        targets: list[Target],
        department_choices: list[Department],
        **kwargs: Any,
    ) -> None:
        self.targets = targets
        self.department_choices = department_choices
        super().__init__(*args, **kwargs)

    def total_form_count(self) -> int:
        # One row per target, whatever the management form claims.
        return len(self.targets)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        kwargs = super().get_form_kwargs(index)
        if index is not None:
            kwargs["target"] = self.targets[index]
        kwargs["department_choices"] = self.department_choices
        return kwargs

    def clean(self) -> None:
        if any(form.errors for form in self.forms):
            return
        problem = rules.points_problem(
            form.cleaned_data["points"] for form in self.forms
        )
        if problem:
            raise ValidationError(problem, code="points_sum")

    def planned(self) -> list[plan.PlannedTarget]:
        return [form.planned() for form in self.forms]


PlanFormSet = forms.formset_factory(
    TargetPlanForm, formset=BasePlanFormSet, extra=0, can_delete=False
)


def plan_formset(targets: list[Target], data: Any = None) -> BasePlanFormSet:
    # Units only: the bureau at the root of the tree is the one issuing the targets.
    choices = assessed_units(Department.objects.active().order_by("order", "code"))
    return cast(
        BasePlanFormSet,
        PlanFormSet(  # type: ignore[call-arg]
            data, targets=targets, department_choices=choices, prefix="plan"
        ),
    )
