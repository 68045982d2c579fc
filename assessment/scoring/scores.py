"""Writes of scoring: a target's assessed score, deductions, bonus items and vetoes.

Each is a write of the spine (`assessment.spine.write`): the year locked open, the score
saved only from the version the supervisor started from, create forms stored once per
token, one audit entry per change. Views turn `spine.Refused` into a message.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from assessment import spine
from assessment.models import (
    Adjustment,
    AssessmentYear,
    Department,
    Score,
    Target,
    User,
    Veto,
)


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
