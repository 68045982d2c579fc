"""Django admin for the bureau's work records (工作纪实)."""

from __future__ import annotations

from django.contrib import admin

from assessment.admin import ReadOnlyDataAdmin
from sanitation.bureau.models import (
    Donation,
    PartyActivity,
    Petition,
    SafetyActivity,
    Task,
)


class WorkRecordAdmin(ReadOnlyDataAdmin):
    """Records change on the records pages, where the months they feed are checked."""

    date_hierarchy = "date"
    list_filter: tuple[str, ...] = ("department",)
    search_fields: tuple[str, ...] = ("title", "description", "department__name")
    list_select_related: tuple[str, ...] = ("department", "updated_by")
    ordering = ("-date", "-pk")


@admin.register(Donation)
class DonationAdmin(WorkRecordAdmin):
    list_display = ("date", "title", "department", "amount", "items", "updated_by")
    search_fields = ("title", "description", "items", "department__name")


@admin.register(Petition)
class PetitionAdmin(WorkRecordAdmin):
    list_display = (
        "date",
        "title",
        "department",
        "channel",
        "status",
        "resolved_date",
    )
    list_filter = ("department", "channel", "status")


@admin.register(SafetyActivity)
class SafetyActivityAdmin(WorkRecordAdmin):
    list_display = (
        "date",
        "title",
        "department",
        "kind",
        "participants",
        "fatalities",
    )
    list_filter = ("department", "kind")


@admin.register(PartyActivity)
class PartyActivityAdmin(WorkRecordAdmin):
    list_display = ("date", "title", "department", "kind", "participants")
    list_filter = ("department", "kind")


@admin.register(Task)
class TaskAdmin(WorkRecordAdmin):
    list_display = (
        "date",
        "end_date",
        "title",
        "department",
        "kind",
        "participants",
        "quantity",
        "unit",
    )
    list_filter = ("department", "kind")
