"""Rectification (整改): what a department that failed, or a target it failed, must put
right once the year's results are final, how it reports it and whether it is accepted."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from assessment.models.catalogue import AssessmentYear, Department, Target
from assessment.models.scoped import DepartmentScopedQuerySet


class RectificationCause(models.TextChoices):
    GRADE = "grade", _("Graded fail")
    TARGET = "target", _("Target below the threshold")


class RectificationStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("rectification", "To be rectified")
    REPORTED = "reported", pgettext_lazy("rectification", "Reported")
    RETURNED = "returned", pgettext_lazy("rectification", "Returned")
    ACCEPTED = "accepted", pgettext_lazy("rectification", "Accepted")


class Rectification(models.Model):
    """整改: one department's failed grade or one target below the year's threshold."""

    year = models.ForeignKey(
        AssessmentYear,
        verbose_name=_("year"),
        on_delete=models.PROTECT,
        related_name="rectifications",
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT
    )
    cause = models.CharField(
        _("cause"), max_length=16, choices=RectificationCause.choices
    )
    #: "grade" or "target:<id>": one item per cause, however often items are made.
    key = models.CharField(_("key"), max_length=40)
    target = models.ForeignKey(
        Target,
        verbose_name=_("target"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    #: What failed, as it stood when the results became final: the target's score
    #: and points, or the department's result per 100 points (no points).
    score = models.DecimalField(
        _("score"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    points = models.DecimalField(
        _("points"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    measures = models.TextField(
        _("rectification measures"), blank=True, max_length=4000
    )
    owner = models.CharField(_("person responsible"), max_length=100, blank=True)
    deadline = models.DateField(_("deadline"))
    report = models.TextField(_("what was done"), blank=True, max_length=4000)
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=RectificationStatus.choices,
        default=RectificationStatus.OPEN,
    )
    comment = models.TextField(_("supervisor's comment"), blank=True, max_length=4000)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = DepartmentScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rectification item")
        verbose_name_plural = _("rectification items")
        ordering = ["year", "department__order", "department__code", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "department", "key"],
                name="one_rectification_per_cause",
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.department} {self.key}"

    @property
    def is_done(self) -> bool:
        return self.status == RectificationStatus.ACCEPTED

    @property
    def is_with_department(self) -> bool:
        """Open or returned: the department is to report."""
        return self.status in (RectificationStatus.OPEN, RectificationStatus.RETURNED)
