"""Publication of the provisional results (公示), objections (申诉) and their re-checks
(复核), and the moment the results become final."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from assessment.models.catalogue import AssessmentYear, Department, Target
from assessment.models.scoped import DepartmentScopedQuerySet
from assessment.models.scoring import Adjustment, Veto


class Publication(models.Model):
    """公示: a year's provisional results published for objections within a window."""

    year = models.OneToOneField(
        AssessmentYear,
        verbose_name=_("year"),
        on_delete=models.PROTECT,
        related_name="publication",
    )
    starts_on = models.DateField(_("objections from"))
    ends_on = models.DateField(_("objections until"))
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    finalized_at = models.DateTimeField(_("final at"), null=True, blank=True)
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made final by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("publication of results")
        verbose_name_plural = _("publications of results")

    def __str__(self) -> str:
        return f"{self.year} {self.starts_on}–{self.ends_on}"

    @property
    def is_final(self) -> bool:
        return self.finalized_at is not None


class ObjectionKind(models.TextChoices):
    SCORE = "score", _("Score")
    DEDUCTION = "deduction", _("Deduction")
    BONUS = "bonus", _("Bonus")
    VETO = "veto", _("One-vote veto")


class ObjectionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("objection", "Open")
    UPHELD = "upheld", _("Upheld")
    REJECTED = "rejected", _("Rejected")


class Objection(models.Model):
    """申诉: a department objects to one score, deduction, bonus item or veto."""

    year = models.ForeignKey(
        AssessmentYear, verbose_name=_("year"), on_delete=models.PROTECT
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ObjectionKind.choices)
    #: The item objected to, "<kind>:<id>": one open objection per item.
    item = models.CharField(_("item"), max_length=40)
    target = models.ForeignKey(
        Target,
        verbose_name=_("target"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    adjustment = models.ForeignKey(
        Adjustment,
        verbose_name=_("deduction or bonus"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="objections",
    )
    veto = models.ForeignKey(
        Veto,
        verbose_name=_("one-vote veto"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="objections",
    )
    #: What the item said when the objection was filed (it may change or go).
    item_label = models.CharField(_("objection to"), max_length=300)
    previous_points = models.DecimalField(
        _("points before"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    grounds = models.TextField(_("grounds"), max_length=4000)
    filed_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ObjectionStatus.choices,
        default=ObjectionStatus.OPEN,
    )
    new_points = models.DecimalField(
        _("points after"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    answer = models.TextField(_("answer"), blank=True, max_length=4000)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = DepartmentScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["filed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "department", "item"],
                condition=models.Q(status="open"),
                name="one_open_objection_per_item",
            )
        ]

    def __str__(self) -> str:
        return f"{self.department} {self.item_label}"

    @property
    def is_open(self) -> bool:
        return self.status == ObjectionStatus.OPEN
