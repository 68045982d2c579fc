"""Validation rules between figures, per-month ranges and follow-up marks."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessment.models.catalogue import AssessmentYear, Department, Indicator
from assessment.models.figures import Figure
from assessment.models.scoped import DepartmentScopedQuerySet
from assessment.quality import rules


class Importance(models.TextChoices):
    BLOCK = rules.Importance.BLOCK, _("Blocks the save")
    NOTE = rules.Importance.NOTE, _("Needs a note")
    WARN = rules.Importance.WARN, _("Warns")


class Operator(models.TextChoices):
    LE = rules.Operator.LE, "≤"
    LT = rules.Operator.LT, "<"
    EQ = rules.Operator.EQ, "="
    GE = rules.Operator.GE, "≥"
    GT = rules.Operator.GT, ">"
    CHANGE = rules.Operator.CHANGE, _("change limit (±%)")


class Period(models.TextChoices):
    MONTH = rules.Period.MONTH, _("The month")
    YEAR_TO_DATE = rules.Period.YEAR_TO_DATE, _("The year to date")


class ChangeBase(models.TextChoices):
    LAST_MONTH = rules.ChangeBase.LAST_MONTH, _("against last month")
    LAST_YEAR = rules.ChangeBase.LAST_YEAR, _("against the same month last year")


class ValidationRule(models.Model):
    """校验规则: two expressions over indicators compared, or a change limit."""

    name = models.CharField(_("name"), max_length=200)
    message = models.CharField(
        _("message"),
        max_length=500,
        help_text=_("What the clerk reads when the rule is not met."),
    )
    importance = models.CharField(
        _("importance"),
        max_length=8,
        choices=Importance.choices,
        default=Importance.WARN,
    )
    operator = models.CharField(
        _("operator"), max_length=8, choices=Operator.choices, default=Operator.LE
    )
    period = models.CharField(
        _("period"), max_length=8, choices=Period.choices, default=Period.MONTH
    )
    change_base = models.CharField(
        _("change measured"),
        max_length=16,
        choices=ChangeBase.choices,
        default=ChangeBase.LAST_MONTH,
    )
    change_limit = models.DecimalField(
        _("change limit (± %)"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    departments = models.ManyToManyField(
        Department,
        verbose_name=_("departments checked"),
        related_name="+",
        blank=True,
        help_text=_(
            "For terms without a department. Empty: every department reporting "
            "their indicators."
        ),
    )
    years = models.ManyToManyField(
        AssessmentYear,
        verbose_name=_("years"),
        related_name="validation_rules",
        blank=True,
        help_text=_("Empty: every year."),
    )
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("validation rule")
        verbose_name_plural = _("validation rules")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.operator == Operator.CHANGE and self.change_limit is None:
            raise ValidationError(
                {"change_limit": _("A change limit needs its percentage.")}
            )

    def spec(self, terms: list[RuleTerm] | None = None) -> rules.Rule:
        """The rule as the pure functions read it (terms and departments prefetched)."""
        terms = list(self.terms.all()) if terms is None else terms
        return rules.Rule(
            id=self.pk,
            name=self.name,
            message=self.message,
            importance=rules.Importance(self.importance),
            operator=rules.Operator(self.operator),
            left=tuple(t.spec() for t in terms if t.side == RuleTerm.Side.LEFT),
            right=tuple(t.spec() for t in terms if t.side == RuleTerm.Side.RIGHT),
            period=rules.Period(self.period),
            change_base=rules.ChangeBase(self.change_base),
            change_limit=self.change_limit or Decimal(0),
            departments=frozenset(d.pk for d in self.departments.all()),
        )


class RuleTerm(models.Model):
    """One indicator times a coefficient on one side of a rule."""

    class Side(models.TextChoices):
        LEFT = "left", _("Left side")
        RIGHT = "right", _("Right side")

    rule = models.ForeignKey(
        ValidationRule,
        verbose_name=_("rule"),
        on_delete=models.CASCADE,
        related_name="terms",
    )
    side = models.CharField(
        _("side"), max_length=8, choices=Side.choices, default=Side.LEFT
    )
    coefficient = models.DecimalField(
        _("coefficient"), max_digits=12, decimal_places=4, default=Decimal(1)
    )
    indicator_code = models.CharField(
        _("indicator code"),
        max_length=32,
        help_text=_("Indicators are matched by code in every year."),
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: the department being checked."),
    )
    per_day = models.BooleanField(
        _("× days of the month"),
        default=False,
        help_text=_("For a daily average: the month's total."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["rule", "side", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.coefficient} × {self.indicator_code}"

    def spec(self) -> rules.Term:
        return rules.Term(
            indicator=self.indicator_code,
            coefficient=self.coefficient,
            department=self.department_id,
            per_day=self.per_day,
        )


class MonthRange(models.Model):
    """An indicator's plausible range in one month, instead of its flat range."""

    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.CASCADE,
        related_name="month_ranges",
    )
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    plausible_min = models.DecimalField(
        _("plausible minimum"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    plausible_max = models.DecimalField(
        _("plausible maximum"), max_digits=18, decimal_places=4, null=True, blank=True
    )

    class Meta:
        verbose_name = _("plausible range of a month")
        verbose_name_plural = _("plausible ranges of months")
        ordering = ["indicator", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "month"], name="one_range_per_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.month}"


class FollowUpQuerySet(DepartmentScopedQuerySet):
    department_path = "figure__monthly_return__department"

    def open(self) -> FollowUpQuerySet:
        return self.filter(resolved_at__isnull=True)


class FollowUp(models.Model):
    """A value flagged for follow-up until someone resolves it with a comment."""

    class Reason(models.TextChoices):
        MARKED = "marked", _("Marked by a supervisor")
        RULE = "rule", _("Saved with a note against a rule")
        RANGE = "range", _("Saved with a note outside the plausible range")

    figure = models.ForeignKey(
        Figure,
        verbose_name=_("figure"),
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    reason = models.CharField(_("reason"), max_length=8, choices=Reason.choices)
    rule = models.ForeignKey(
        ValidationRule,
        verbose_name=_("rule"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("flagged at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("flagged by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    resolution = models.TextField(_("resolution"), blank=True, max_length=2000)

    objects = FollowUpQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.figure} ({self.get_reason_display()})"
