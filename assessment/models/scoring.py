from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessment.figures.workflow import SubmissionStatus
from assessment.models.catalogue import AssessmentYear, Department, Target
from assessment.models.scoped import DepartmentScopedQuerySet


class SelfAssessmentSubmission(models.Model):
    """A department's self-assessment for the year, submitted as one."""

    year = models.ForeignKey(
        AssessmentYear, verbose_name=_("year"), on_delete=models.PROTECT
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.DRAFT,
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
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = DepartmentScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("self-assessment submission")
        verbose_name_plural = _("self-assessment submissions")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "department"], name="one_self_assessment_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.department} {self.year}"


class SelfAssessment(models.Model):
    """自评: a department's own view of one target."""

    target = models.ForeignKey(
        Target, verbose_name=_("target"), on_delete=models.PROTECT
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT
    )
    self_score = models.DecimalField(
        _("self score"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    text = models.TextField(_("what was done"), blank=True, max_length=20000)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    objects = DepartmentScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["target", "department"], name="one_self_assessment_per_target"
            )
        ]

    def __str__(self) -> str:
        return f"{self.department} {self.target}"


class Adjustment(models.Model):
    """A deduction or a bonus item for a department's year."""

    class Kind(models.TextChoices):
        DEDUCTION = "deduction", _("Deduction")
        BONUS = "bonus", _("Bonus")

    year = models.ForeignKey(
        AssessmentYear, verbose_name=_("year"), on_delete=models.PROTECT
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT
    )
    target = models.ForeignKey(
        Target,
        verbose_name=_("target"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2)
    reason = models.TextField(_("reason"), max_length=2000)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    objects = DepartmentScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("deduction or bonus")
        verbose_name_plural = _("deductions and bonus items")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.points}: {self.reason[:40]}"


class EvidenceQuerySet(DepartmentScopedQuerySet):
    department_path = "department"


class Evidence(models.Model):
    """佐证材料: a file proving a self-assessment or an adjustment."""

    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT
    )
    self_assessment = models.ForeignKey(
        SelfAssessment,
        verbose_name=_("self-assessment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence",
    )
    adjustment = models.ForeignKey(
        Adjustment,
        verbose_name=_("deduction or bonus"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="evidence",
    )
    objection = models.ForeignKey(
        "assessment.Objection",
        verbose_name=_("objection"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence",
    )
    rectification = models.ForeignKey(
        "assessment.Rectification",
        verbose_name=_("rectification item"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence",
    )
    file = models.FileField(_("file"), upload_to="evidence/%Y/", max_length=200)
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    objects = EvidenceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class Score(models.Model):
    """考核评分: the supervisor's assessed score of one target for one department."""

    target = models.ForeignKey(
        Target, verbose_name=_("target"), on_delete=models.PROTECT
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT
    )
    assessed_score = models.DecimalField(
        _("assessed score"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    reason = models.TextField(_("reason"), blank=True, max_length=2000)
    version = models.PositiveIntegerField(_("version"), default=1)
    scored_at = models.DateTimeField(_("scored at"), auto_now=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("scored by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    objects = DepartmentScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["target", "department"], name="one_score_per_target"
            )
        ]

    def __str__(self) -> str:
        return f"{self.department} {self.target}: {self.assessed_score}"


class Veto(models.Model):
    """一票否决: forces the lowest grade whatever the total."""

    year = models.ForeignKey(
        AssessmentYear, verbose_name=_("year"), on_delete=models.PROTECT
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT
    )
    reason = models.TextField(_("reason"), max_length=2000)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    objects = DepartmentScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("one-vote veto")
        verbose_name_plural = _("one-vote vetoes")

    def __str__(self) -> str:
        return f"{self.department} {self.year}: {self.reason[:40]}"


class ReportTextQuerySet(models.QuerySet):
    def for_user(self, user) -> ReportTextQuerySet:
        """Bureau-wide texts (no department) are visible to everyone signed in."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_all_departments:
            return self
        return self.filter(
            models.Q(department__isnull=True)
            | models.Q(department__in=Department.objects.visible_to(user))
        )


class ReportText(models.Model):
    """The overview and closing paragraphs of a year-end report."""

    year = models.ForeignKey(
        AssessmentYear, verbose_name=_("year"), on_delete=models.PROTECT
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Empty for the whole bureau's report."),
    )
    overview = models.TextField(_("overview"), blank=True, max_length=20000)
    closing = models.TextField(_("closing remarks"), blank=True, max_length=20000)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    objects = ReportTextQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("report text")
        verbose_name_plural = _("report texts")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "department"],
                condition=models.Q(department__isnull=False),
                name="one_report_text_per_department",
            ),
            models.UniqueConstraint(
                fields=["year"],
                condition=models.Q(department__isnull=True),
                name="one_bureau_report_text_per_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.department or ''}".strip()
