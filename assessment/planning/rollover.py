"""Set up next year: this year's catalogue copied into a new year, in draft.

Everything the year carries for the next one is copied: the year's own settings
(deadline, grade thresholds, bonus cap, letterhead ...), its categories, report
sections, targets with their points, standards, scoring rules and responsible
departments, and its indicators with their target values and reporting departments.
Fields are copied generically (every concrete field but the keys that are remapped), so
a setting added to one of these models later is carried over too.

Left out: retired departments, and what belongs to the year that was (its status and
closing, its results' date, its issued targets, its document number, the report
sections' narrative). The old year is only read.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from assessment import spine
from assessment.models import (
    AssessmentYear,
    Category,
    Department,
    Indicator,
    ReportSection,
    ScoringBody,
    ScoringBodyMember,
    Target,
    User,
)
from assessment.models.catalogue import YearStatus
from assessment.planning import rules

#: Fields of the year that describe the year that was, not the plan for the next.
YEAR_FIELDS_NOT_COPIED = frozenset(
    {
        "id",
        "year",
        "status",
        "closed_at",
        "closed_by",
        "close_reason",
        "results_final_at",
        "targets_issued_at",
        "targets_issued_by",
        "document_number",
    }
)
#: A report section's text is the narrative of the year that was.
SECTION_FIELDS_NOT_COPIED = frozenset({"text"})


def copied_values(
    obj: models.Model,
    remap: dict[type[models.Model], dict[int, int]],
    skip: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """The concrete field values of `obj` for its copy, foreign keys to copied models
    pointed at their copies (by attname, e.g. `category_id`)."""
    values: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.primary_key or field.name in skip:
            continue
        value = getattr(obj, field.attname)
        related = field.related_model if field.is_relation else None
        if isinstance(related, type) and related in remap and value is not None:
            value = remap[related][value]
        values[field.attname] = value
    return values


def _copy_many_to_many(
    source: models.Model, copy: models.Model, active_ids: set[int]
) -> None:
    for field in source._meta.many_to_many:
        related = list(getattr(source, field.name).all())
        if field.related_model is Department:
            related = [
                department for department in related if department.pk in active_ids
            ]
        getattr(copy, field.name).set(related)


def next_year_number(year: AssessmentYear) -> int:
    return year.year + 1


def set_up_next_year(year: AssessmentYear, user: User) -> AssessmentYear:
    """Copy `year` into year + 1, in draft; Refused if that year exists already."""
    number = next_year_number(year)
    with transaction.atomic():
        # Whatever state this year is in (a closed year is the usual source), only
        # its rows are read; locking it keeps a concurrent close from interleaving.
        source = AssessmentYear.objects.select_for_update().get(pk=year.pk)
        if AssessmentYear.objects.filter(year=number).exists():
            raise spine.Refused(
                _("The %(year)s assessment year exists already.") % {"year": number},
                code="invalid",
            )
        active_ids = set(Department.objects.active().values_list("pk", flat=True))
        remap: dict[type[models.Model], dict[int, int]] = {}

        values = copied_values(source, remap, YEAR_FIELDS_NOT_COPIED)
        values["title"] = rules.next_title(source.title, source.year, number)
        new_year = AssessmentYear(year=number, status=YearStatus.DRAFT, **values)
        new_year._history_user = user  # type: ignore[attr-defined]
        try:
            with transaction.atomic():
                new_year.save()
        except IntegrityError:
            raise spine.Refused(
                _("The %(year)s assessment year exists already.") % {"year": number},
                code="invalid",
            ) from None
        remap[AssessmentYear] = {source.pk: new_year.pk}

        remap[Category] = {}
        for category in Category.objects.filter(year=source).order_by("pk"):
            copy = Category.objects.create(**copied_values(category, remap))
            remap[Category][category.pk] = copy.pk

        # The scoring bodies with their members, so that each target keeps its scorers.
        remap[ScoringBody] = {}
        for body in (
            ScoringBody.objects.filter(year=source)
            .prefetch_related("memberships")
            .order_by("pk")
        ):
            body_copy = ScoringBody.objects.create(**copied_values(body, remap))
            remap[ScoringBody][body.pk] = body_copy.pk
            bulk_create_with_history(
                [
                    ScoringBodyMember(
                        body=body_copy, user_id=member.user_id, is_lead=member.is_lead
                    )
                    for member in body.memberships.all()
                ],
                ScoringBodyMember,
                default_user=user,
            )

        # Sections nest two levels at most: the top ones first, then their children.
        remap[ReportSection] = {}
        sections = ReportSection.objects.filter(year=source).order_by("pk")
        for level in (
            sections.filter(parent__isnull=True),
            sections.filter(parent__isnull=False),
        ):
            for section in level:
                section_copy = ReportSection.objects.create(
                    **copied_values(section, remap, SECTION_FIELDS_NOT_COPIED)
                )
                remap[ReportSection][section.pk] = section_copy.pk

        remap[Target] = {}
        for target in (
            Target.objects.filter(category__year=source)
            .prefetch_related("departments")
            .order_by("pk")
        ):
            target_copy = Target.objects.create(**copied_values(target, remap))
            _copy_many_to_many(target, target_copy, active_ids)
            remap[Target][target.pk] = target_copy.pk

        for indicator in (
            Indicator.objects.filter(year=source)
            .prefetch_related("departments")
            .order_by("pk")
        ):
            indicator_copy = Indicator.objects.create(**copied_values(indicator, remap))
            _copy_many_to_many(indicator, indicator_copy, active_ids)
    return new_year
