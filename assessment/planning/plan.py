"""The draft's plan: each target's points, target values and responsible departments.

`plan_targets` loads the draft's catalogue in three queries; `save_plan` writes what the
plan page sent through the write spine, refusing the whole save when anyone changed a
target after the page was opened (the page carries a fingerprint of what it showed).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from assessment import formatting, spine
from assessment.models import AssessmentYear, Department, Indicator, Target, User
from assessment.planning import rules


def plan_targets(year: AssessmentYear) -> list[Target]:
    """The year's targets in catalogue order, with departments and indicators."""
    return list(
        Target.objects.filter(category__year=year)
        .select_related("category")
        .prefetch_related(
            "departments",
            Prefetch(
                "indicators",
                queryset=Indicator.objects.order_by("order", "code").prefetch_related(
                    "departments"
                ),
            ),
        )
        .order_by("category__order", "category__code", "order", "code")
    )


def plan_lines(targets: Iterable[Target]) -> list[rules.PlanLine]:
    """The targets as the catalogue checks see them (from prefetched departments)."""
    return [
        rules.PlanLine(
            code=target.code,
            name=target.name,
            points=target.points,
            is_common=target.is_common,
            department_count=len(target.departments.all()),
        )
        for target in targets
    ]


def fingerprint(target: Target) -> str:
    """What the plan page showed of a target, as a short digest."""
    parts = [
        str(target.points),
        str(target.is_common),
        ",".join(str(pk) for pk in sorted(d.pk for d in target.departments.all())),
        *(f"{i.pk}={i.annual_target}" for i in target.indicators.all()),
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class PlannedTarget:
    """What the plan page sent for one target."""

    target_id: int
    seen: str
    points: Decimal
    is_common: bool
    departments: Sequence[Department]
    #: indicator id -> annual target (None: no target value).
    annual_targets: dict[int, Decimal | None]


def _draft_or_refuse(year: AssessmentYear) -> None:
    if not year.is_draft:
        raise spine.Refused(
            _(
                "The %(year)s targets have been issued: the plan cannot be changed "
                "here any more."
            )
            % {"year": year.year},
            code="locked",
        )


def save_plan(
    year: AssessmentYear, user: User, planned: Sequence[PlannedTarget]
) -> int:
    """Store the plan; the number of targets changed. Refused (and nothing stored) if
    the year is no longer a draft or a target changed since the page was opened."""
    with spine.write(year, user) as current:
        _draft_or_refuse(current.year)
        targets = {
            target.pk: target
            for target in plan_targets(current.year)
            if target.pk in {row.target_id for row in planned}
        }
        # Lock the rows the plan changes (ordered: no deadlocks between two savers).
        list(
            Target.objects.select_for_update()
            .filter(pk__in=sorted(targets))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        stale = [
            targets[row.target_id]
            for row in planned
            if row.target_id in targets
            and fingerprint(targets[row.target_id]) != row.seen
        ]
        if len(targets) != len(planned) or stale:
            names = formatting.listing(str(target) for target in stale) or "—"
            raise spine.Refused(
                _(
                    "Someone changed the plan after you opened it (%(targets)s); "
                    "nothing was saved. Reload the page and make your changes again."
                )
                % {"targets": names},
                code="conflict",
            )
        changed = 0
        for row in planned:
            target = targets[row.target_id]
            department_ids = {d.pk for d in row.departments}
            old_ids = {d.pk for d in target.departments.all()}
            touched = False
            if target.points != row.points or target.is_common != row.is_common:
                target.points = row.points
                target.is_common = row.is_common
                target.save(update_fields=["points", "is_common"])
                touched = True
            if department_ids != old_ids:
                target.departments.set(row.departments)
                touched = True
            for indicator in target.indicators.all():
                if indicator.pk not in row.annual_targets:
                    continue
                value = row.annual_targets[indicator.pk]
                if indicator.annual_target != value:
                    indicator.annual_target = value
                    indicator.save(update_fields=["annual_target"])
                    touched = True
            if touched:
                changed += 1
                for department_id in sorted(department_ids | old_ids):
                    current.touch(department_id)
        return changed
