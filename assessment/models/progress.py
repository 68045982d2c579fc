"""月度通报: the monthly progress bulletin, once issued for a month."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessment.models.catalogue import AssessmentYear


class Bulletin(models.Model):
    """A month's progress bulletin issued by a supervisor: who issued it, and when.

    Its content is computed from the data whenever it is read; issuing records the
    act and tells the departments."""

    year = models.ForeignKey(
        AssessmentYear,
        verbose_name=_("year"),
        on_delete=models.PROTECT,
        related_name="bulletins",
    )
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("progress bulletin")
        verbose_name_plural = _("progress bulletins")
        ordering = ["year", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "month"], name="one_bulletin_per_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}"
