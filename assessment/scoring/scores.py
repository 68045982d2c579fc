"""Writes of scoring: a target's assessed score, deductions, bonus items and vetoes.

Each is a write of the spine (`assessment.spine.write`): the year locked open, the score
saved only from the version the supervisor started from, create forms stored once per
token, one audit entry per change. Views turn `spine.Refused` into a message.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from assessment import spine
from assessment.models import (
    Adjustment,
    AssessmentYear,
    Department,
    PanelScore,
    Score,
    Target,
    User,
    Veto,
)
from assessment.scoring import rules


def save_score(
    year: AssessmentYear,
    department: Department,
    target: Target,
    value: Decimal,
    reason: str,
    version: int,
    user: User,
) -> spine.Saved[Score]:
    """Store a score if nobody changed it since `version` (0: there was none).

    A resubmission of what is already stored succeeds without a change (double click,
    retry); a different stored value from another version is a conflict.
    """
    with spine.write(year, user, results=True) as current:
        saved = spine.save_versioned(
            current,
            Score,
            {"target": target, "department": department},
            {"assessed_score": value, "reason": reason},
            version,
            user_field="scored_by",
        )
        if saved.changed:
            current.touch(department.pk)
    return saved


def panel_reason(count: int, drop_extremes: bool) -> str:
    """The resulting score's reason, in the bureau's language (it is printed as is)."""
    with translation.override(settings.LANGUAGE_CODE):
        if drop_extremes:
            return _(
                "Panel score: the mean of %(count)s scores after dropping the highest "
                "and the lowest."
            ) % {"count": count}
        return _("Panel score: the mean of %(count)s scores.") % {"count": count}


def save_panel_score(
    year: AssessmentYear,
    department: Department,
    target: Target,
    value: Decimal,
    reason: str,
    version: int,
    user: User,
) -> spine.Saved[PanelScore]:
    """Store the user's own panel score, then the target's score from the panel's.

    The target's `Score` is `rules.panel_score` of every member's score (the mean, or
    the mean after dropping the extremes where the target says so); until the panel
    has enough scores for that there is none. Reading results needs nothing else.
    """
    with spine.write(year, user) as current:
        saved = spine.save_versioned(
            current,
            PanelScore,
            {"target": target, "department": department, "scorer": user},
            {"score": value, "reason": reason},
            version,
            user_field="entered_by",
        )
        if saved.changed:
            _store_panel_result(current, department, target)
            current.touch(department.pk)
    return saved


def _store_panel_result(
    current: spine.Write, department: Department, target: Target
) -> None:
    # Two members saving at once: the second waits here, then reads both scores.
    Target.objects.select_for_update().filter(pk=target.pk).first()
    values = list(
        PanelScore.objects.filter(target=target, department=department).values_list(
            "score", flat=True
        )
    )
    result = rules.panel_score(values, target.panel_drop_extremes)
    if result is None:
        return
    reason = panel_reason(len(values), target.panel_drop_extremes)
    score = (
        Score.objects.select_for_update()
        .filter(target=target, department=department)
        .first()
    )
    if score is None:
        score = Score(target=target, department=department, version=0)
    elif score.assessed_score == result and score.reason == reason:
        return
    score.assessed_score = result
    score.reason = reason
    score.version += 1
    score.scored_by = current.user
    current.save(score)


@dataclass(frozen=True)
class Added:
    item: Adjustment | Veto
    #: False when the same form had been posted before.
    created: bool


def _add(
    year: AssessmentYear,
    department: Department,
    user: User,
    once: uuid.UUID | None,
    model: type[Adjustment] | type[Veto],
    fields: dict[str, object],
) -> Added:
    """Create a deduction, bonus item or veto once per rendered form."""
    with spine.write(year, user, results=True) as current:
        item, created = spine.create_once(
            current,
            once,
            model,
            lambda: model(
                year=current.year, department=department, created_by=user, **fields
            ),
        )
        current.touch(department.pk)
    return Added(item, created)


def add_adjustment(
    year: AssessmentYear,
    department: Department,
    *,
    kind: str,
    points: Decimal,
    reason: str,
    target: Target | None,
    user: User,
    once: uuid.UUID | None,
) -> Added:
    fields = {"kind": kind, "points": points, "reason": reason, "target": target}
    return _add(year, department, user, once, Adjustment, fields)


def add_veto(
    year: AssessmentYear,
    department: Department,
    *,
    reason: str,
    user: User,
    once: uuid.UUID | None,
) -> Added:
    return _add(year, department, user, once, Veto, {"reason": reason})


def remove(item: Adjustment | Veto, user: User) -> None:
    """Delete a deduction, bonus item or veto (its history keeps what it was)."""
    with spine.write(item.year_id, user, results=True) as current:
        current.delete(item)
        current.touch(item.department_id)
