"""目标下达: a department's acknowledgement of the targets issued to it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessment.models.catalogue import AssessmentYear, Department
from assessment.models.scoped import DepartmentScopedQuerySet


class TargetAcknowledgement(models.Model):
    """A department has received its 目标责任书 for the year: who said so, and when."""

    year = models.ForeignKey(
        AssessmentYear,
        verbose_name=_("year"),
        on_delete=models.PROTECT,
        related_name="acknowledgements",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="acknowledgements",
    )
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"))

    objects = DepartmentScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("acknowledgement of targets")
        verbose_name_plural = _("acknowledgements of targets")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "department"], name="one_acknowledgement_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.department} {self.year}"
