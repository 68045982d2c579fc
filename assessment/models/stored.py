"""Rendered report PDFs kept for the next download (see assessment.reporting.store)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from assessment.models.catalogue import AssessmentYear, Department


class StoredReport(models.Model):
    """The latest rendered PDF of one report (a year, the bureau or a department, a
    language), with what it was built from: the SHA-256 of the report's HTML, which
    changes with anything the report prints, and the departments' data versions."""

    year = models.ForeignKey(
        AssessmentYear,
        verbose_name=_("year"),
        on_delete=models.CASCADE,
        related_name="stored_reports",
    )
    #: "bureau" or the department's code.
    scope = models.CharField(_("scope"), max_length=64)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.CASCADE,
        related_name="stored_reports",
        null=True,
        blank=True,
    )
    language = models.CharField(_("language"), max_length=10)
    html_sha256 = models.CharField(_("SHA-256 of the HTML"), max_length=64)
    data_versions = models.JSONField(_("data versions"), default=dict)
    file_name = models.CharField(_("file"), max_length=300)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    rendered_at = models.DateTimeField(_("rendered"), auto_now=True)

    class Meta:
        verbose_name = _("stored report")
        verbose_name_plural = _("stored reports")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "scope", "language"], name="one_stored_report_each"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year.year} {self.scope} {self.language}"
