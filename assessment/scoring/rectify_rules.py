"""Who must rectify (整改), as pure rules on plain values.

Once a year's results are final, a department graded fail (不合格, a veto included)
gets one rectification item for its grade, and every target it was scored strictly
below the year's threshold (a share of the target's points, e.g. 60 %) one item for
that target. A target worth no points never fails.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

HUNDRED = Decimal(100)
#: Days a department has from the moment the results are final to report.
DEFAULT_DAYS = 90


@dataclass(frozen=True)
class TargetLine:
    target_id: int
    score: Decimal
    points: Decimal


@dataclass(frozen=True)
class Finding:
    """One thing to rectify: the grade (target_id None) or one target."""

    key: str
    target_id: int | None = None
    score: Decimal | None = None
    points: Decimal | None = None

    @property
    def is_grade(self) -> bool:
        return self.target_id is None


def below_threshold(score: Decimal, points: Decimal, percent: Decimal) -> bool:
    """Is `score` strictly below `percent` % of `points`? Exactly on it passes."""
    if points <= 0:
        return False
    return score * HUNDRED < points * percent


def findings(
    *, failed: bool, lines: Iterable[TargetLine], percent: Decimal
) -> list[Finding]:
    """A department's things to rectify: its grade if failed, then each target below
    the threshold, in the order given."""
    found = [Finding(key="grade")] if failed else []
    found.extend(
        Finding(
            key=f"target:{line.target_id}",
            target_id=line.target_id,
            score=line.score,
            points=line.points,
        )
        for line in lines
        if below_threshold(line.score, line.points, percent)
    )
    return found


def default_deadline(final_on: datetime.date) -> datetime.date:
    return final_on + datetime.timedelta(days=DEFAULT_DAYS)
