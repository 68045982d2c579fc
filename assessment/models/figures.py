from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessment.figures.workflow import ReturnStatus
from assessment.models.catalogue import AssessmentYear, Department, Indicator
from assessment.models.scoped import DepartmentScopedQuerySet


class MonthlyReturn(models.Model):
    """A department's month: its figures, submitted and reviewed as one."""

    year = models.ForeignKey(
        AssessmentYear,
        verbose_name=_("year"),
        on_delete=models.PROTECT,
        related_name="returns",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="returns",
    )
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ReturnStatus.choices,
        default=ReturnStatus.DRAFT,
    )
    comment = models.TextField(_("supervisor's comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = DepartmentScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("monthly return")
        verbose_name_plural = _("monthly returns")
        ordering = ["year", "department", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "department", "month"], name="one_return_per_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.department} {self.year}-{self.month:02d}"


class FigureQuerySet(DepartmentScopedQuerySet):
    department_path = "monthly_return__department"


class Figure(models.Model):
    """One value of one indicator for one department's month."""

    monthly_return = models.ForeignKey(
        MonthlyReturn,
        verbose_name=_("monthly return"),
        on_delete=models.PROTECT,
        related_name="figures",
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.PROTECT,
        related_name="figures",
    )
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4)
    note = models.CharField(_("note"), max_length=500, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    objects = FigureQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("monthly figure")
        verbose_name_plural = _("monthly figures")
        constraints = [
            models.UniqueConstraint(
                fields=["monthly_return", "indicator"], name="one_figure_per_indicator"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.monthly_return}: {self.value}"


class YearValue(models.Model):
    """The stored roll-up of one indicator for one department's year (an analytics
    table): what `rollup.roll_up` makes of the months reported so far.

    Kept in step by every write (`assessment.figures.stored`, a hook of the write
    spine) and recomputed by `manage.py rebuild_rollup`; never edited by hand. Read by
    the pages that need year values only (ranking, workbench, publication, score
    sheets, exports); the report and the entry page still read the months.
    """

    year = models.ForeignKey(
        AssessmentYear,
        verbose_name=_("year"),
        on_delete=models.CASCADE,
        related_name="year_values",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.CASCADE,
        related_name="year_values",
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.CASCADE,
        related_name="year_values",
    )
    #: The rolled-up value with the indicator's decimal places; None: no month yet.
    value = models.DecimalField(
        _("value"), max_digits=22, decimal_places=4, null=True, blank=True
    )
    months = models.PositiveSmallIntegerField(_("months reported"), default=0)
    through_month = models.PositiveSmallIntegerField(
        _("latest month reported"), null=True, blank=True
    )

    objects = DepartmentScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("stored year value")
        verbose_name_plural = _("stored year values")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "department"], name="one_year_value"
            )
        ]
        indexes = [models.Index(fields=["year", "department"])]

    def __str__(self) -> str:
        return f"{self.indicator} {self.department}: {self.value}"
