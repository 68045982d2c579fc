"""The catalogue's checks before its targets are issued: pure, no database."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from assessment import formatting

#: The whole catalogue's points: what the district assesses the bureau on.
FULL_POINTS = Decimal(100)


@dataclass(frozen=True)
class PlanLine:
    """One target as the checks see it."""

    code: str
    name: str
    points: Decimal
    is_common: bool
    department_count: int

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def has_department(self) -> bool:
        """A common target belongs to every department."""
        return self.is_common or self.department_count > 0


def points_total(points: Iterable[Decimal]) -> Decimal:
    return sum(points, Decimal(0))


def points_problem(points: Iterable[Decimal]) -> str | None:
    """Why the points do not make a catalogue (None when they sum to 100)."""
    total = points_total(points)
    if total == FULL_POINTS:
        return None
    return _(
        "The targets' points add up to %(total)s, not %(full)s (%(difference)s to go)."
    ) % {
        "total": formatting.points(total),
        "full": formatting.points(FULL_POINTS),
        "difference": formatting.points(FULL_POINTS - total),
    }


def without_department(lines: Iterable[PlanLine]) -> list[PlanLine]:
    """The targets nobody is responsible for, in the order given."""
    return [line for line in lines if not line.has_department]


def department_problem(line: PlanLine) -> str:
    return _("%(target)s has no responsible department.") % {"target": line.label}


def catalogue_problems(lines: Sequence[PlanLine]) -> list[str]:
    """Everything that stops the catalogue being issued, in words; empty: ready."""
    problems = []
    if not lines:
        problems.append(_("The catalogue has no targets."))
    total = points_problem(line.points for line in lines)
    if total and lines:
        problems.append(total)
    problems.extend(department_problem(line) for line in without_department(lines))
    return problems


_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")


def next_title(title: str, old_year: int, new_year: int) -> str:
    """The year's title with this year's number replaced by the next one's.

    Only the year itself is replaced, never a longer number that contains it.
    """
    return _YEAR.sub(
        lambda match: str(new_year) if match.group(1) == str(old_year) else match[0],
        title,
    )
