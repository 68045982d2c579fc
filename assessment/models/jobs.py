"""Background jobs: long work a person asked for (a report PDF, a year's archive).

A job is its starter's: only they and supervisors see it and download its result
(`Job.objects.visible_to`). Its state, progress and result live here, in the database,
so the job page reads the same whether the work ran on a worker or in-process; the
result file goes through Django's storage API (`default_storage`), never a local path.
Jobs are not a year's data: they are written directly, not through the write spine
(an archive is made of a closed year, which the spine would refuse).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessment.models.catalogue import AssessmentYear, Department


class JobKind(models.TextChoices):
    REPORT_PDF = "report_pdf", _("Report PDF")
    ARCHIVE = "archive", _("Year archive")
    IMPORT = "import", _("Figures import")


class JobState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class JobQuerySet(models.QuerySet):
    def visible_to(self, user: object) -> JobQuerySet:
        """A person's own jobs; supervisors see everyone's; nobody else any."""
        if not getattr(user, "is_authenticated", False) or not getattr(
            user, "is_active", False
        ):
            return self.none()
        if getattr(user, "is_supervisor", False):
            return self
        return self.filter(started_by=user)

    def active(self) -> JobQuerySet:
        return self.filter(state__in=[JobState.QUEUED, JobState.RUNNING])


class Job(models.Model):
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.CASCADE,
        related_name="jobs",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=JobKind.choices)
    year = models.ForeignKey(
        AssessmentYear,
        verbose_name=_("year"),
        on_delete=models.CASCADE,
        related_name="jobs",
    )
    #: The department of a department's report; empty for the bureau's work.
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.CASCADE,
        related_name="jobs",
        null=True,
        blank=True,
    )
    #: Further parameters, e.g. {"language": "en"}.
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=JobState.choices, default=JobState.QUEUED
    )
    progress_done = models.PositiveIntegerField(_("steps done"), default=0)
    progress_total = models.PositiveIntegerField(_("steps in all"), default=0)
    #: What it is working on (a department's name), shown beside the count.
    progress_label = models.CharField(_("working on"), max_length=200, blank=True)
    #: The result's name in `default_storage` (empty: none, or deleted on expiry).
    result_name = models.CharField(_("result file"), max_length=300, blank=True)
    result_filename = models.CharField(_("download name"), max_length=200, blank=True)
    result_size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    #: What a job that makes no file found, e.g. an import's counts
    #: {"created": 5000, "updated": 5000, "months": [1, 2]}.
    outcome = models.JSONField(_("outcome"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    expires_at = models.DateTimeField(_("result expires"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["started_by", "-created_at"]),
            models.Index(fields=["state", "expires_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year.year} #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)

    @property
    def has_result(self) -> bool:
        return self.state == JobState.DONE and bool(self.result_name)

    @property
    def makes_file(self) -> bool:
        return self.kind != JobKind.IMPORT

    @property
    def expired(self) -> bool:
        return self.state == JobState.DONE and self.makes_file and not self.result_name
