"""Django admin for the bureau's work records (工作纪实)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from assessment.audit import HistoryAdmin
from sanitation.bureau.models import (
    Donation,
    PartyActivity,
    Petition,
    SafetyActivity,
    Task,
)


class WorkRecordAdmin(HistoryAdmin):
    """Shared columns; every change bumps `version` and records the editor."""

    date_hierarchy = "date"
    list_filter: tuple[str, ...] = ("department",)
    search_fields = ("title", "description", "department__name")
    list_select_related = ("department", "updated_by")
    readonly_fields = ("version", "updated_at", "updated_by")
    ordering = ("-date", "-pk")

    def save_model(
        self, request: HttpRequest, obj: Any, form: forms.ModelForm, change: bool
    ) -> None:
        if change:
            obj.version += 1
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


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
