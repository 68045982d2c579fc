"""Who scores what (考核主体), as pure rules on plain values.

A target names the scoring body that scores it, or none. A supervisor scores a target
of their own body, or one that names no body (as before bodies existed); a lead assessor
(考核办 lead) scores every target; nobody else scores anything. Only a lead assessor
sees the individual scores of a panel. `access.scorer_rights(user, year)` reads the
facts these rules take from the database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class ScorerRights:
    """What the rules need to know about someone for one year."""

    is_supervisor: bool = False
    is_lead: bool = False
    body_ids: frozenset[int] = frozenset()
    #: Whether the year has a lead assessor at all (a year without bodies has none).
    year_has_lead: bool = False


def may_score(rights: ScorerRights, body_id: int | None) -> bool:
    """May this person score a target that the body `body_id` (None: no body) owns?"""
    if not rights.is_supervisor:
        return False
    if rights.is_lead or body_id is None:
        return True
    return body_id in rights.body_ids


def may_answer(rights: ScorerRights, *, on_target: bool, body_id: int | None) -> bool:
    """May this person answer an objection (复核)?

    An objection to a target's score, or to a deduction or bonus item tied to a
    target, is answered by the body that scores the target (as `may_score`); one to
    an item tied to no target (a veto, a deduction of the department as a whole) by
    the lead assessor, or by any supervisor in a year that has no lead assessor.
    """
    if not rights.is_supervisor:
        return False
    if on_target:
        return may_score(rights, body_id)
    return rights.is_lead or not rights.year_has_lead


def sees_panel_scores(rights: ScorerRights) -> bool:
    """Individual panel scores stay with the lead assessor."""
    return rights.is_supervisor and rights.is_lead


@dataclass(frozen=True)
class BodyProgress:
    """How far one body is with one department's targets."""

    body_id: int | None
    scored: int
    total: int

    @property
    def finished(self) -> bool:
        return self.scored == self.total


def body_progress(lines: Iterable[tuple[int | None, bool]]) -> list[BodyProgress]:
    """Per body, from (body id, scored?) of each of a department's targets.

    In the order each body first appears; targets that name no body count under None.
    A body has finished when every one of its targets is scored.
    """
    counts: dict[int | None, list[int]] = {}
    for body_id, scored in lines:
        entry = counts.setdefault(body_id, [0, 0])
        entry[0] += 1 if scored else 0
        entry[1] += 1
    return [
        BodyProgress(body, scored, total) for body, (scored, total) in counts.items()
    ]
