"""The admin of validation rules (with a readable preview) and per-month ranges."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from assessment.models import FollowUp, MonthRange, RuleTerm, ValidationRule
from assessment.quality import checks


class RuleTermInline(admin.TabularInline):
    model = RuleTerm
    extra = 2
    fields = ("side", "order", "coefficient", "indicator_code", "department", "per_day")


@admin.register(ValidationRule)
class ValidationRuleAdmin(admin.ModelAdmin):
    list_display = ("name", "preview", "importance", "period", "active", "order")
    list_filter = ("importance", "operator", "period", "active", "years")
    search_fields = ("name", "message", "terms__indicator_code")
    filter_horizontal = ("departments", "years")
    readonly_fields = ("preview",)
    inlines = [RuleTermInline]
    fieldsets = (
        (None, {"fields": ("name", "message", "importance", "active", "order")}),
        (
            _("Comparison"),
            {
                "fields": (
                    "preview",
                    "operator",
                    "period",
                    ("change_base", "change_limit"),
                )
            },
        ),
        (_("Applies to"), {"fields": ("departments", "years")}),
    )

    @admin.display(description=_("rule"))
    def preview(self, obj: ValidationRule) -> str:
        if obj.pk is None:
            return "—"
        return checks.preview(obj)


class MonthRangeInline(admin.TabularInline):
    model = MonthRange
    extra = 0
    fields = ("month", "plausible_min", "plausible_max")


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ("figure", "reason", "created_at", "created_by", "resolved_at")
    list_filter = ("reason",)
    list_select_related = (
        "figure__indicator",
        "figure__monthly_return__department",
        "figure__monthly_return__year",
        "created_by",
    )
    readonly_fields = (
        "figure",
        "reason",
        "rule",
        "detail",
        "created_at",
        "created_by",
        "resolved_at",
        "resolved_by",
        "resolution",
    )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
