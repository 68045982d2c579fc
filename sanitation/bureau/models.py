"""工作纪实: the dated events that the year-end report narrates."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessment.models import Department
from assessment.models.scoped import DepartmentScopedQuerySet


class WorkRecord(models.Model):
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    date = models.DateField(_("date"), db_index=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=5000)
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

    class Meta:
        abstract = True
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.title}"


class Donation(WorkRecord):
    """捐款: title holds the campaign."""

    amount = models.DecimalField(
        _("amount (yuan)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    items = models.CharField(_("donated items"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta(WorkRecord.Meta):
        verbose_name = _("donation")
        verbose_name_plural = _("donations")


class Petition(WorkRecord):
    """信访: title holds the subject, date the day it was received."""

    class Channel(models.TextChoices):
        VISIT = "visit", _("Visit")
        LETTER = "letter", _("Letter")
        PHONE = "phone", _("Phone")
        HOTLINE = "hotline", _("Hotline")
        PROPOSAL = "proposal", _("CPPCC proposal")

    class Status(models.TextChoices):
        OPEN = "open", _("Being handled")
        RESOLVED = "resolved", _("Resolved")

    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    resolved_date = models.DateField(_("resolved on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta(WorkRecord.Meta):
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")


class SafetyActivity(WorkRecord):
    class Kind(models.TextChoices):
        MEETING = "meeting", _("Safety meeting")
        INSPECTION = "inspection", _("Safety inspection")
        TRAINING = "training", _("Training")
        DRILL = "drill", _("Drill")
        ACCIDENT = "accident", _("Accident")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    fatalities = models.PositiveIntegerField(
        _("fatalities"), default=0, help_text=_("Accidents only.")
    )

    history = HistoricalRecords()

    class Meta(WorkRecord.Meta):
        verbose_name = _("safety activity")
        verbose_name_plural = _("safety activities")


class PartyActivity(WorkRecord):
    class Kind(models.TextChoices):
        STUDY = "study", _("Study session")
        MUTUAL_AID = "mutual_aid", _("Mutual aid")
        CLEAN_GOVERNMENT = "clean_government", _("Clean-government work")

    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta(WorkRecord.Meta):
        verbose_name = _("Party-building activity")
        verbose_name_plural = _("Party-building activities")


class Task(WorkRecord):
    """Campaign, emergency and voluntary tasks."""

    class Kind(models.TextChoices):
        CAMPAIGN = "campaign", _("Campaign clean-up")
        EMERGENCY = "emergency", _("Emergency task")
        VOLUNTARY = "voluntary", _("Voluntary work")
        INFORMATION = "information", _("Information reporting")
        GREENING = "greening", _("Greening")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    quantity = models.DecimalField(
        _("quantity"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=20, blank=True)

    history = HistoricalRecords()

    class Meta(WorkRecord.Meta):
        verbose_name = _("campaign, emergency or voluntary task")
        verbose_name_plural = _("campaign, emergency and voluntary tasks")
