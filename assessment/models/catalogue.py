from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessment.figures import workflow

if TYPE_CHECKING:
    from assessment.models.people import User


class DepartmentQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> DepartmentQuerySet:
        """The one scope rule: every department for supervisors and leaders, a clerk's
        own departments for a clerk, none for anyone signed out or deactivated.

        Read from the database on each request, so moving a user to another department
        takes effect at once. Every `for_user` of department data delegates here.
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_all_departments:
            return self.all()
        return self.filter(members=user)

    def active(self) -> DepartmentQuerySet:
        return self.filter(active=True)


class Department(models.Model):
    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_(
            "A retired department leaves new years and entry forms; its history stays."
        ),
    )

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class YearStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    SCORING = "scoring", _("Scoring")
    CLOSED = "closed", _("Closed")


class AssessmentYearQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> AssessmentYearQuerySet:
        """The years a user may open: a draft (a catalogue being planned, its targets
        not yet issued) only for supervisors; every other year for everyone signed in.
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_supervisor:
            return self.all()
        return self.exclude(status=YearStatus.DRAFT)

    def issued(self) -> AssessmentYearQuerySet:
        """Years whose targets have been issued: every year but drafts."""
        return self.exclude(status=YearStatus.DRAFT)

    def current(self) -> AssessmentYear | None:
        """The year monthly work goes into: the latest open one, else the newest
        (never a draft)."""
        issued = self.issued()
        return (
            issued.filter(status=YearStatus.OPEN).order_by("-year").first()
            or issued.order_by("-year").first()
        )


class AssessmentYear(models.Model):
    year = models.PositiveSmallIntegerField(
        _("year"),
        unique=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=YearStatus.choices, default=YearStatus.OPEN
    )
    deadline_day = models.PositiveSmallIntegerField(
        _("entry deadline (day of the following month)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
    )
    excellent_threshold = models.DecimalField(
        _("excellent from"), max_digits=5, decimal_places=2, default=Decimal(90)
    )
    good_threshold = models.DecimalField(
        _("good from"), max_digits=5, decimal_places=2, default=Decimal(80)
    )
    pass_threshold = models.DecimalField(
        _("pass from"), max_digits=5, decimal_places=2, default=Decimal(60)
    )
    rectify_below_percent = models.DecimalField(
        _("rectification threshold (per cent of a target's points)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(60),
        help_text=_(
            "Once the results are final, every target scored below this share of its "
            "points, and every department graded fail, gets a rectification item."
        ),
    )
    bonus_cap = models.DecimalField(
        _("yearly bonus cap"),
        max_digits=6,
        decimal_places=2,
        default=Decimal(5),
        help_text=_("Points on the 100-point scale of a department's result."),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    close_reason = models.TextField(
        _("reason for closing with work outstanding"), blank=True, max_length=2000
    )
    results_final_at = models.DateTimeField(
        _("results final at"),
        null=True,
        blank=True,
        help_text=_(
            "When the results became final (set when the year is closed): the date "
            "the year-end report bears."
        ),
    )
    letterhead = models.BooleanField(
        _("print the letterhead"),
        default=False,
        help_text=_(
            "The red letterhead (issuing unit, document number, red rule) above the "
            "report's title. Off for a self-review."
        ),
    )
    letterhead_unit = models.CharField(
        _("issuing unit on the letterhead"),
        max_length=100,
        blank=True,
        help_text=_("Empty: the bureau's name."),
    )
    document_number = models.CharField(
        _("document number"),
        max_length=60,
        blank=True,
        help_text=_("For example 环卫发〔2021〕3号."),
    )
    targets_issued_at = models.DateTimeField(
        _("targets issued at"),
        null=True,
        blank=True,
        help_text=_("When the draft was published and its targets issued (目标下达)."),
    )
    targets_issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("targets issued by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    light_green_from = models.DecimalField(
        _("progress green from (%)"),
        max_digits=5,
        decimal_places=1,
        default=Decimal(100),
        help_text=_(
            "Progress to date (亮灯) at or above this per cent of what is due lights "
            "green."
        ),
    )
    light_yellow_from = models.DecimalField(
        _("progress yellow from (%)"),
        max_digits=5,
        decimal_places=1,
        default=Decimal(90),
        help_text=_("At or above this per cent yellow, below it red."),
    )

    objects = AssessmentYearQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assessment year")
        verbose_name_plural = _("assessment years")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Closing the year makes its results final: stamp the moment once, whichever
        # path closes it, so the report can bear that date.
        if self.status == YearStatus.CLOSED and self.results_final_at is None:
            self.results_final_at = timezone.now()
            fields = kwargs.get("update_fields")
            if fields is not None:
                kwargs["update_fields"] = {*fields, "results_final_at"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if (
            self.light_green_from is not None
            and self.light_yellow_from is not None
            and self.light_yellow_from > self.light_green_from
        ):
            raise ValidationError(
                {
                    "light_yellow_from": _(
                        "The yellow threshold cannot be above the green one."
                    )
                }
            )

    @property
    def is_closed(self) -> bool:
        return self.status == YearStatus.CLOSED

    @property
    def is_draft(self) -> bool:
        return self.status == YearStatus.DRAFT

    def deadline_for(self, month: int) -> datetime.date:
        return workflow.deadline_for(self.year, month, self.deadline_day)

    @property
    def thresholds(self) -> tuple[Decimal, Decimal, Decimal]:
        return (self.excellent_threshold, self.good_threshold, self.pass_threshold)


class Category(models.Model):
    """一级指标: a part of the catalogue, e.g. 勤政建设."""

    year = models.ForeignKey(
        AssessmentYear,
        verbose_name=_("year"),
        on_delete=models.PROTECT,
        related_name="categories",
    )
    code = models.CharField(_("code"), max_length=16)
    name = models.CharField(_("name"), max_length=200)
    heading = models.CharField(
        _("heading in the report"),
        max_length=200,
        blank=True,
        help_text=_("Empty: the name."),
    )
    part = models.CharField(
        _("part of the report"),
        max_length=100,
        blank=True,
        help_text=_(
            "The report's parts (第一部分 …) group consecutive categories with the "
            "same part name; empty: no part heading."
        ),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["year", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "code"], name="category_code_per_year"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ReportSection(models.Model):
    """A heading of the year-end report that carries no score (报告章节).

    It sits in a category as a second-level section (（一）…), or inside another
    section as a third-level one (1. …); targets placed in a section are told under
    its heading. Its text is the bureau's own narrative; work records may be filed
    under its code as they are under a target's.
    """

    year = models.ForeignKey(
        AssessmentYear,
        verbose_name=_("year"),
        on_delete=models.CASCADE,
        related_name="report_sections",
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.CASCADE,
        related_name="report_sections",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent section"),
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="children",
    )
    code = models.CharField(_("code"), max_length=16)
    heading = models.CharField(_("heading"), max_length=200)
    text = models.TextField(
        _("text"), blank=True, max_length=20000, help_text=_("One paragraph per line.")
    )
    order = models.PositiveSmallIntegerField(
        _("order"),
        default=0,
        help_text=_("Sections and targets of a category share one order."),
    )

    class Meta:
        verbose_name = _("report section")
        verbose_name_plural = _("report sections")
        ordering = ["year", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "code"], name="report_section_code_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.heading}"

    def clean(self) -> None:
        if self.category_id and self.year_id and self.category.year_id != self.year_id:
            raise ValidationError({"category": _("The category is of another year.")})
        parent = self.parent if self.parent_id else None
        if parent is not None:
            if parent.parent_id:
                raise ValidationError(
                    {"parent": _("Sections nest two levels deep at most.")}
                )
            if parent.category_id != self.category_id:
                raise ValidationError(
                    {"parent": _("The parent section is in another category.")}
                )


class ScoringRule(models.TextChoices):
    RATIO = "ratio", _("Completion ratio")
    THRESHOLD = "threshold", _("Threshold (all or nothing)")
    DEDUCTION = "deduction", _("Deduction per unit of shortfall")
    JUDGEMENT = "judgement", _("Supervisor's judgement")


class CombineRule(models.TextChoices):
    LOWEST = "min", _("Lowest department score")
    AVERAGE = "avg", _("Average of department scores")


class TargetQuerySet(models.QuerySet):
    def for_department(self, department: Department) -> TargetQuerySet:
        """Its own targets, and the common ones unless it is a parent department.

        A parent's results are those of its departments (results.targets_of applies
        the same rule), so common targets are not scored for it a second time.
        """
        is_parent = models.Exists(Department.objects.filter(parent=department))
        return self.filter(
            (models.Q(is_common=True) & ~is_parent) | models.Q(departments=department)
        ).distinct()


class Target(models.Model):
    """目标任务 / 二级指标: a target with points, assigned to departments."""

    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="targets",
    )
    code = models.CharField(_("code"), max_length=16)
    name = models.CharField(_("name"), max_length=200)
    standard = models.TextField(_("scoring standard"), blank=True)
    points = models.DecimalField(
        _("points"), max_digits=6, decimal_places=2, validators=[MinValueValidator(0)]
    )
    is_common = models.BooleanField(
        _("common to all departments"),
        default=False,
        help_text=_("Safety production, Party-building and the like."),
    )
    departments = models.ManyToManyField(
        Department,
        verbose_name=_("responsible departments"),
        related_name="targets",
        blank=True,
    )
    evidence_required = models.TextField(_("evidence required"), blank=True)
    rule = models.CharField(
        _("scoring rule"),
        max_length=16,
        choices=ScoringRule.choices,
        default=ScoringRule.RATIO,
    )
    deduction_per_unit = models.DecimalField(
        _("deduction per unit of shortfall"),
        max_digits=8,
        decimal_places=4,
        null=True,
        blank=True,
    )
    combine = models.CharField(
        _("bureau score from department scores"),
        max_length=8,
        choices=CombineRule.choices,
        default=CombineRule.LOWEST,
    )
    section = models.ForeignKey(
        ReportSection,
        verbose_name=_("section of the report"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="targets",
        help_text=_("Empty: the target is a section of its own in its category."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    scoring_body = models.ForeignKey(
        "assessment.ScoringBody",
        verbose_name=_("scoring body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="targets",
        help_text=_(
            "考核主体: whose members score this target. Empty: any supervisor."
        ),
    )
    panel = models.BooleanField(
        _("scored by a panel"),
        default=False,
        help_text=_(
            "Each scorer records a score; the target's score is their mean (民主测评)."
        ),
    )
    panel_drop_extremes = models.BooleanField(
        _("drop the highest and lowest panel score"),
        default=False,
        help_text=_("The mean of the rest; needs at least three scores."),
    )

    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["category__order", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "code"], name="target_code_per_category"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        section = self.section if self.section_id else None
        if section is not None and section.category_id != self.category_id:
            raise ValidationError({"section": _("The section is in another category.")})
        body = self.scoring_body if self.scoring_body_id else None
        if (
            body is not None
            and self.category_id
            and body.year_id != self.category.year_id
        ):
            raise ValidationError(
                {"scoring_body": _("The scoring body is of another year.")}
            )


class Aggregation(models.TextChoices):
    SUM = "sum", _("Sum of the months")
    AVERAGE = "avg", _("Average of the months")
    LAST = "last", _("Last month reported")
    MAX = "max", _("Highest month")


class Direction(models.TextChoices):
    AT_LEAST = "at_least", _("At least")
    AT_MOST = "at_most", _("At most")


class ProgressBasis(models.TextChoices):
    TARGET = "target", _("Pro-rata share of the annual target")
    LAST_YEAR = "last_year", _("Same period last year")


class Indicator(models.Model):
    """统计指标: a measured quantity reported month by month."""

    year = models.ForeignKey(
        AssessmentYear,
        verbose_name=_("year"),
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    target = models.ForeignKey(
        Target,
        verbose_name=_("target"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
    )
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    decimals = models.PositiveSmallIntegerField(
        _("decimal places"), default=0, validators=[MaxValueValidator(4)]
    )
    aggregation = models.CharField(
        _("year value"),
        max_length=8,
        choices=Aggregation.choices,
        default=Aggregation.SUM,
    )
    plausible_min = models.DecimalField(
        _("plausible minimum"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    plausible_max = models.DecimalField(
        _("plausible maximum"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    seasonal_k = models.DecimalField(
        _("range from past years: k"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_(
            "Set to derive each month's plausible range from the same month of past "
            "years (median ± k × MAD, with at least two years of history). A month's "
            "own range comes first; the flat range applies otherwise."
        ),
    )
    allow_negative = models.BooleanField(_("negative values allowed"), default=False)
    annual_target = models.DecimalField(
        _("annual target"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    direction = models.CharField(
        _("direction"),
        max_length=8,
        choices=Direction.choices,
        default=Direction.AT_LEAST,
    )
    progress_basis = models.CharField(
        _("progress compared with"),
        max_length=16,
        choices=ProgressBasis.choices,
        default=ProgressBasis.TARGET,
        help_text=_("What the value to date is measured against for its light (亮灯)."),
    )
    weight = models.DecimalField(
        _("weight within the target"),
        max_digits=6,
        decimal_places=2,
        default=Decimal(1),
    )
    source = models.CharField(
        _("source"),
        max_length=64,
        blank=True,
        help_text=_("Empty: typed by hand. Otherwise computed from work records."),
    )
    departments = models.ManyToManyField(
        Department, verbose_name=_("reporting departments"), related_name="indicators"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["year", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "code"], name="indicator_code_per_year"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_computed(self) -> bool:
        return bool(self.source)
