"""Django admin for the engine: people, departments, years and the catalogue.

The admin is the administrator's tool (DESIGN.md: "Django admin is fine for this") for
what has no page of its own. The year's data (monthly returns and figures,
self-assessments, evidence, scores, deductions, bonus items, vetoes, report texts) is
shown read-only: it changes only through the pages, whose writes go through the write
spine (the year locked open, month locks and versions checked, one audit entry each).
Nothing that carries data can be deleted: the foreign keys protect it and the bulk
"delete selected" action is switched off; a department is retired instead.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models
from django.db.models import Count, QuerySet, Sum
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from assessment import audit, sources
from assessment.admin_quality import MonthRangeInline
from assessment.audit import HistoryAdmin
from assessment.models import (
    Adjustment,
    AssessmentYear,
    Category,
    Department,
    Evidence,
    Figure,
    Indicator,
    MonthlyReturn,
    ReportSection,
    ReportText,
    ReportTranslation,
    Score,
    SelfAssessment,
    SelfAssessmentSubmission,
    Target,
    User,
    Veto,
)
from assessment.models.catalogue import ProgressBasis, YearStatus

# No bulk deletes anywhere: a row that carries data is protected, and the rest are
# deleted one at a time, on their own page, where Django lists what depends on them.
admin.site.disable_action("delete_selected")


class ReadOnlyDataAdmin(HistoryAdmin):
    """The year's data, to look at and trace through its history; changed on the pages."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CatalogueAdmin(admin.ModelAdmin):
    """The catalogue of a closed year is read-only, like everything else in it:
    its entries cannot be changed or deleted, and nothing is added to it (the year,
    category and target choices offer open years' only)."""

    #: The foreign keys that place an entry in a year, and how to keep closed ones out.
    open_year_choices = {
        "year": lambda: AssessmentYear.objects.exclude(status=YearStatus.CLOSED),
        "category": lambda: Category.objects.exclude(year__status=YearStatus.CLOSED),
        "target": lambda: Target.objects.exclude(
            category__year__status=YearStatus.CLOSED
        ),
    }

    def year_of(self, obj: Any) -> AssessmentYear:
        raise NotImplementedError

    def formfield_for_foreignkey(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> Any:
        choices = self.open_year_choices.get(db_field.name)
        if choices is not None:
            kwargs["queryset"] = choices()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and self.year_of(obj).is_closed:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and self.year_of(obj).is_closed:
            return False
        return super().has_delete_permission(request, obj)


# People ---------------------------------------------------------------------------


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = (
        "username",
        "last_name",
        "first_name",
        "role",
        "department_list",
        "is_active",
        "is_staff",
        "last_login",
    )
    list_filter = ("role", "departments", "is_active", "is_staff", "is_superuser")
    search_fields = ("username", "first_name", "last_name", "email")
    filter_horizontal = ("departments", "groups", "user_permissions")
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Assessment"), {"fields": ("role", "departments")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (
            _("Assessment"),
            {"fields": ("first_name", "last_name", "role", "departments")},
        ),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return super().get_queryset(request).prefetch_related("departments")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # The audit trail names who made each change: deactivate an account instead.
        return False

    @admin.display(description=_("departments"))
    def department_list(self, obj: User) -> str:
        return "、".join(d.name for d in obj.departments.all())


# Catalogue ------------------------------------------------------------------------


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "parent", "order", "active", "member_count")
    list_display_links = ("name",)
    list_editable = ("order",)
    list_filter = ("active", "parent")
    actions = ["retire", "reactivate"]
    search_fields = ("name", "code")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Department]:
        return super().get_queryset(request).annotate(_members=Count("members"))

    @admin.display(description=_("members"), ordering="_members")
    def member_count(self, obj: Department) -> int:
        return obj._members  # type: ignore[attr-defined]

    @admin.action(
        description=_("Retire the selected departments (their history stays)")
    )
    def retire(self, request: HttpRequest, queryset: QuerySet[Department]) -> None:
        count = queryset.update(active=False)
        self.message_user(
            request,
            ngettext("%(n)d department retired.", "%(n)d departments retired.", count)
            % {"n": count},
        )

    @admin.action(description=_("Make the selected departments active again"))
    def reactivate(self, request: HttpRequest, queryset: QuerySet[Department]) -> None:
        count = queryset.update(active=True)
        self.message_user(
            request,
            ngettext(
                "%(n)d department active again.",
                "%(n)d departments active again.",
                count,
            )
            % {"n": count},
        )


class CategoryInline(admin.TabularInline):
    model = Category
    extra = 0
    fields = ("order", "code", "name", "heading", "part")


@admin.register(AssessmentYear)
class AssessmentYearAdmin(HistoryAdmin):
    """Scoring is started and the year closed on the scoring pages, which list what is
    outstanding and lock the year against writes in flight: the status is shown here."""

    list_display = (
        "year",
        "title",
        "status",
        "deadline_day",
        "excellent_threshold",
        "good_threshold",
        "pass_threshold",
        "bonus_cap",
    )
    list_filter = ("status",)
    search_fields = ("title", "year")
    inlines = [CategoryInline]
    readonly_fields = ("status", "closed_at", "closed_by", "close_reason")
    fieldsets = (
        (None, {"fields": ("year", "title", "status", "deadline_day")}),
        (
            _("Report"),
            {
                "fields": (
                    "results_final_at",
                    "letterhead",
                    "letterhead_unit",
                    "document_number",
                )
            },
        ),
        (
            _("Grades and bonus"),
            {
                "fields": (
                    "excellent_threshold",
                    "good_threshold",
                    "pass_threshold",
                    "bonus_cap",
                    "rectify_below_percent",
                )
            },
        ),
        (
            _("Progress lights"),
            {"fields": ("light_green_from", "light_yellow_from")},
        ),
        (_("Closing"), {"fields": ("closed_at", "closed_by", "close_reason")}),
    )

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_closed:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a year carries data; demo reloads purge it deliberately


@admin.register(Category)
class CategoryAdmin(CatalogueAdmin):
    list_display = ("name", "code", "year", "order", "target_count", "points_total")
    list_filter = ("year",)
    search_fields = ("name", "code")
    list_select_related = ("year",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Category]:
        return (
            super()
            .get_queryset(request)
            .annotate(_targets=Count("targets"), _points=Sum("targets__points"))
        )

    @admin.display(description=_("targets"), ordering="_targets")
    def target_count(self, obj: Category) -> int:
        return obj._targets  # type: ignore[attr-defined]

    @admin.display(description=_("points"), ordering="_points")
    def points_total(self, obj: Category) -> Any:
        return obj._points  # type: ignore[attr-defined]

    def year_of(self, obj: Category) -> AssessmentYear:
        return obj.year


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ("code", "name", "unit", "aggregation", "annual_target", "direction")
    show_change_link = True
    # The admin's default text inputs are 610 px wide: six of them overflow the page.
    # The annual target's number box is narrowed too (its default width pushed the
    # table past a 1366 px window in English), and on a narrower window the table
    # scrolls inside its box instead of widening the page (admin_inlines.css).
    formfield_overrides = {
        models.CharField: {"widget": forms.TextInput(attrs={"size": 12})},
        models.DecimalField: {
            "widget": forms.NumberInput(attrs={"class": "vBigIntegerField"})
        },
    }

    class Media:
        css = {"all": ("css/admin_inlines.css",)}

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # An indicator needs its year and departments: add it on its own page.
        return False


@admin.register(Target)
class TargetAdmin(CatalogueAdmin):
    list_display = (
        "code",
        "name",
        "category__year",
        "category",
        "points",
        "rule",
        "combine",
        "is_common",
        "department_list",
    )
    list_display_links = ("code", "name")
    list_filter = (
        "category__year",
        "category",
        "rule",
        "combine",
        "is_common",
        "departments",
    )
    search_fields = ("code", "name", "standard")
    list_select_related = ("category__year",)
    filter_horizontal = ("departments",)
    inlines = [IndicatorInline]
    fieldsets = (
        (None, {"fields": ("category", "order", "code", "name", "points")}),
        (_("Report"), {"fields": ("section",)}),
        (_("Standard"), {"fields": ("standard", "evidence_required")}),
        (_("Departments"), {"fields": ("is_common", "departments")}),
        (_("Scoring"), {"fields": ("rule", "deduction_per_unit", "combine")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Target]:
        return super().get_queryset(request).prefetch_related("departments")

    def year_of(self, obj: Target) -> AssessmentYear:
        return obj.category.year

    @admin.display(description=_("responsible departments"))
    def department_list(self, obj: Target) -> str:
        if obj.is_common:
            return str(_("all departments"))
        return "、".join(d.name for d in obj.departments.all())


class IndicatorForm(forms.ModelForm):
    """The source is picked from the registered record types, or left to typing."""

    source = forms.ChoiceField(label=_("source"), required=False, choices=())

    class Meta:
        model = Indicator
        fields = (
            "year",
            "target",
            "order",
            "code",
            "name",
            "unit",
            "decimals",
            "aggregation",
            "plausible_min",
            "plausible_max",
            "seasonal_k",
            "allow_negative",
            "annual_target",
            "direction",
            "progress_basis",
            "weight",
            "source",
            "departments",
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, Any]] = [("", _("Typed by hand"))]
        choices += sources.choices()
        current = self.initial.get("source") or ""
        if current and current not in dict(choices):
            # Keep an unknown stored key visible rather than silently dropping it.
            choices.append((current, current))
        cast(forms.ChoiceField, self.fields["source"]).choices = choices
        self.fields["source"].help_text = Indicator._meta.get_field("source").help_text
        # Left out of a form posted without it: the pro-rata target, as before.
        if "progress_basis" in self.fields:  # not on a closed year's read-only page
            self.fields["progress_basis"].required = False

    def clean_progress_basis(self) -> str:
        return self.cleaned_data.get("progress_basis") or ProgressBasis.TARGET


@admin.register(Indicator)
class IndicatorAdmin(CatalogueAdmin):
    form = IndicatorForm
    list_display = (
        "code",
        "name",
        "year",
        "target",
        "unit",
        "decimals",
        "aggregation",
        "annual_target",
        "direction",
        "weight",
        "source_label",
    )
    list_display_links = ("code", "name")
    list_filter = ("year", "aggregation", "direction", "source", "departments")
    search_fields = ("code", "name", "target__name")
    list_select_related = ("year", "target")
    filter_horizontal = ("departments",)
    autocomplete_fields = ("target",)
    inlines = [MonthRangeInline]
    fieldsets = (
        (None, {"fields": ("year", "target", "order", "code", "name", "unit")}),
        (
            _("Values"),
            {
                "fields": (
                    "decimals",
                    "aggregation",
                    ("plausible_min", "plausible_max"),
                    "seasonal_k",
                    "allow_negative",
                    ("annual_target", "direction"),
                    "progress_basis",
                    "weight",
                )
            },
        ),
        (_("Reporting"), {"fields": ("source", "departments")}),
    )

    def year_of(self, obj: Indicator) -> AssessmentYear:
        return obj.year

    @admin.display(description=_("source"), ordering="source")
    def source_label(self, obj: Indicator) -> str:
        if not obj.source:
            return str(_("Typed by hand"))
        source = sources.get(obj.source)
        return str(source.label) if source else obj.source


# Monthly returns ------------------------------------------------------------------


class FigureInline(admin.TabularInline):
    model = Figure
    extra = 0
    fields = ("indicator", "value", "note", "updated_at", "updated_by")
    readonly_fields = ("indicator", "value", "note", "updated_at", "updated_by")
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(MonthlyReturn)
class MonthlyReturnAdmin(ReadOnlyDataAdmin):
    list_display = (
        "department",
        "year",
        "month",
        "status",
        "submitted_at",
        "submitted_by",
        "reviewed_at",
        "reviewed_by",
        "reopened_at",
    )
    list_filter = ("year", "status", "department", "month")
    search_fields = ("department__name", "department__code", "comment", "reopen_reason")
    list_select_related = ("year", "department", "submitted_by", "reviewed_by")
    readonly_fields = ("version",)
    raw_id_fields = ("submitted_by", "reviewed_by")
    inlines = [FigureInline]


@admin.register(Figure)
class FigureAdmin(ReadOnlyDataAdmin):
    """Figures are entered on the entry page or imported; here they are traced."""

    list_display = (
        "indicator",
        "department",
        "month",
        "value",
        "note",
        "updated_at",
        "updated_by",
    )
    list_filter = (
        "monthly_return__year",
        "monthly_return__department",
        "monthly_return__month",
        "indicator",
    )
    search_fields = ("indicator__name", "indicator__code", "note")
    list_select_related = (
        "indicator",
        "monthly_return__department",
        "monthly_return__year",
        "updated_by",
    )
    readonly_fields = (
        "monthly_return",
        "indicator",
        "version",
        "updated_at",
        "updated_by",
    )
    fields = (
        "monthly_return",
        "indicator",
        "value",
        "note",
        "version",
        "updated_at",
        "updated_by",
    )

    @admin.display(
        description=_("department"), ordering="monthly_return__department__name"
    )
    def department(self, obj: Figure) -> Department:
        return obj.monthly_return.department

    @admin.display(description=_("month"), ordering="monthly_return__month")
    def month(self, obj: Figure) -> str:
        return f"{obj.monthly_return.year}-{obj.monthly_return.month:02d}"


# Scoring --------------------------------------------------------------------------


@admin.register(SelfAssessmentSubmission)
class SelfAssessmentSubmissionAdmin(ReadOnlyDataAdmin):
    list_display = ("department", "year", "status", "submitted_at", "submitted_by")
    list_filter = ("year", "status", "department")
    search_fields = ("department__name", "comment")
    list_select_related = ("year", "department", "submitted_by")
    readonly_fields = ("version",)
    raw_id_fields = ("submitted_by",)


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    fields = ("original_name", "content_type", "size", "uploaded_at", "uploaded_by")
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Uploads go through the checked upload view, never the admin.
        return False


@admin.register(SelfAssessment)
class SelfAssessmentAdmin(ReadOnlyDataAdmin):
    list_display = (
        "target",
        "department",
        "self_score",
        "target_points",
        "updated_at",
        "updated_by",
    )
    list_filter = ("target__category__year", "target__category", "department")
    search_fields = ("target__name", "target__code", "department__name", "text")
    list_select_related = ("target", "department", "updated_by")
    readonly_fields = ("version", "updated_at", "updated_by")
    autocomplete_fields = ("target",)
    inlines = [EvidenceInline]

    @admin.display(description=_("points"), ordering="target__points")
    def target_points(self, obj: SelfAssessment) -> Any:
        return obj.target.points


@admin.register(Score)
class ScoreAdmin(ReadOnlyDataAdmin):
    list_display = (
        "target",
        "department",
        "assessed_score",
        "target_points",
        "reason",
        "scored_at",
        "scored_by",
    )
    list_filter = ("target__category__year", "target__category", "department")
    search_fields = ("target__name", "target__code", "department__name", "reason")
    list_select_related = ("target", "department", "scored_by")
    readonly_fields = ("version", "scored_at", "scored_by")
    autocomplete_fields = ("target",)

    @admin.display(description=_("points"), ordering="target__points")
    def target_points(self, obj: Score) -> Any:
        return obj.target.points


@admin.register(Adjustment)
class AdjustmentAdmin(ReadOnlyDataAdmin):
    list_display = (
        "department",
        "year",
        "kind",
        "points",
        "target",
        "reason",
        "created_at",
        "created_by",
    )
    list_filter = ("year", "kind", "department")
    search_fields = ("reason", "department__name", "target__name")
    list_select_related = ("year", "department", "target", "created_by")
    readonly_fields = ("created_at", "created_by")
    autocomplete_fields = ("target",)
    inlines = [EvidenceInline]


@admin.register(Veto)
class VetoAdmin(ReadOnlyDataAdmin):
    list_display = ("department", "year", "reason", "created_at", "created_by")
    list_filter = ("year", "department")
    search_fields = ("reason", "department__name")
    list_select_related = ("year", "department", "created_by")
    readonly_fields = ("created_at", "created_by")


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyDataAdmin):
    """Metadata only: files are uploaded and served through the checked views."""

    list_display = (
        "original_name",
        "department",
        "self_assessment",
        "adjustment",
        "content_type",
        "size",
        "uploaded_at",
        "uploaded_by",
    )
    list_filter = ("department", "content_type")
    search_fields = ("original_name", "sha256", "department__name")
    list_select_related = (
        "department",
        "self_assessment__target",
        "self_assessment__department",
        "adjustment",
        "uploaded_by",
    )
    readonly_fields = (
        "department",
        "self_assessment",
        "adjustment",
        "file",
        "original_name",
        "content_type",
        "size",
        "sha256",
        "uploaded_at",
        "uploaded_by",
    )


@admin.register(ReportText)
class ReportTextAdmin(ReadOnlyDataAdmin):
    list_display = ("year", "scope", "updated_at", "updated_by")
    list_filter = ("year", "department")
    search_fields = ("overview", "closing", "department__name")
    list_select_related = ("year", "department", "updated_by")
    readonly_fields = ("version", "updated_at", "updated_by")

    @admin.display(description=_("department"), ordering="department__name")
    def scope(self, obj: ReportText) -> str:
        return obj.department.name if obj.department else str(_("Whole bureau"))


# The audit trail -------------------------------------------------------------------

audit.register_admin(admin.site)


@admin.register(ReportSection)
class ReportSectionAdmin(admin.ModelAdmin):
    list_display = ("code", "heading", "category", "parent", "order")
    list_display_links = ("code", "heading")
    list_filter = ("year", "category")
    search_fields = ("code", "heading", "text")
    list_select_related = ("category", "parent")
    fields = ("year", "category", "parent", "order", "code", "heading", "text")


@admin.register(ReportTranslation)
class ReportTranslationAdmin(admin.ModelAdmin):
    list_display = ("source", "language", "text")
    list_filter = ("language",)
    search_fields = ("source", "text")
    fields = ("language", "source", "text")
