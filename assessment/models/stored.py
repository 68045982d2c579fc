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


class RenderState(models.TextChoices):
    QUEUED = "queued", _("waiting for a worker")
    RENDERING = "rendering", _("being made")
    FAILED = "failed", _("failed")


class ReportRender(models.Model):
    """A report's PDF being made anew after a change: waiting for a worker, being
    rendered, or failed, for the data version it is made from. The row goes once the
    PDF is stored; while it is there the report page says "updating"."""

    year = models.ForeignKey(
        AssessmentYear,
        verbose_name=_("year"),
        on_delete=models.CASCADE,
        related_name="report_renders",
    )
    #: "bureau" or the department's code, as in StoredReport.
    scope = models.CharField(_("scope"), max_length=64)
    language = models.CharField(_("language"), max_length=10)
    state = models.CharField(_("state"), max_length=16, choices=RenderState.choices)
    #: The data version it is made from (the department's; the bureau's is the sum).
    data_version = models.PositiveBigIntegerField(_("data version"))
    error = models.TextField(_("error"), blank=True)
    changed_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("report being made")
        verbose_name_plural = _("reports being made")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "scope", "language"], name="one_report_render_each"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year.year} {self.scope} {self.language}: {self.state}"
