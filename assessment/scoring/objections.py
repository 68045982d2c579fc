"""Objections (申诉) to published results and their re-checks (复核).

Within the publication's window (checked on the server, in the bureau's time zone) a
clerk of the department objects to one item of its score sheet: a target's score, a
deduction, a bonus item or a veto, with grounds and evidence files. An item has at most
one open objection (a constraint in the database, so two posts at once store one). A
supervisor answers it: rejected with a reason, or upheld with a reason and the item's
new points (a veto upheld is lifted). The upheld change is a write of the spine like
any other (the year locked open, audited, data versions bumped), and since every page
reads the results through `scoring.results`, totals, grades and ranks follow.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment import access, formatting, spine
from assessment.models import (
    Adjustment,
    AssessmentYear,
    Department,
    Evidence,
    Objection,
    ObjectionKind,
    ObjectionStatus,
    Publication,
    Score,
    User,
    Veto,
)
from assessment.scoring import bodies, results, window
from assessment.scoring import publication as publishing
from assessment.scoring.evidence import CheckedUpload


@dataclass(frozen=True)
class Item:
    """One thing on a department's score sheet that can be objected to."""

    key: str
    kind: str
    label: str
    points: Decimal | None
    #: The most points an upheld objection may give it (a target's points).
    max_points: Decimal | None
    target_id: int | None = None
    #: Why it stands as it does (a score's reason).
    reason: str = ""
    adjustment: Adjustment | None = None
    veto: Veto | None = None


def items_of(result: results.DepartmentResult) -> list[Item]:
    """Every score, deduction, bonus item and veto of a department's result."""
    items = [
        Item(
            key=f"score:{line.target.pk}",
            kind=ObjectionKind.SCORE,
            label=f"{line.target.code} {line.target.name}",
            points=line.counted,
            max_points=line.points,
            target_id=line.target.pk,
            reason=line.reason,
        )
        for line in result.targets
    ]
    for adjustment in [*result.deductions, *result.bonuses]:
        items.append(
            Item(
                key=f"adjustment:{adjustment.pk}",
                kind=adjustment.kind,
                label=f"{adjustment.get_kind_display()}: {adjustment.reason[:200]}",
                points=adjustment.points,
                max_points=None,
                target_id=adjustment.target_id,
                adjustment=adjustment,
            )
        )
    for veto in result.vetoes:
        items.append(
            Item(
                key=f"veto:{veto.pk}",
                kind=ObjectionKind.VETO,
                label=f"{ObjectionKind.VETO.label}: {veto.reason[:200]}",
                points=None,
                max_points=None,
                veto=veto,
            )
        )
    return items


def find_item(result: results.DepartmentResult, key: str) -> Item | None:
    return next((item for item in items_of(result) if item.key == key), None)


def _window_refusal(publication: Publication | None) -> spine.Refused | None:
    if publication is None:
        return spine.Refused(_("The results are not published: nothing to object to."))
    state = publishing.window_state(publication)
    if state is window.WindowState.BEFORE:
        return spine.Refused(
            _("Objections can be filed from %(date)s.")
            % {"date": formatting.day(publication.starts_on)},
            code="locked",
        )
    if state is window.WindowState.CLOSED or publication.is_final:
        return spine.Refused(
            _("The objection window closed at the end of %(date)s.")
            % {"date": formatting.day(publication.ends_on)},
            code="locked",
        )
    return None


def window_refusal(publication: Publication | None) -> str | None:
    """Why no objection can be filed now, or None within the window."""
    refused = _window_refusal(publication)
    return refused.message if refused else None


@dataclass(frozen=True)
class Filed:
    objection: Objection
    #: False when this item already had an open objection (a second post).
    created: bool


def file_objection(
    *,
    year: AssessmentYear,
    department: Department,
    item_key: str,
    grounds: str,
    user: User,
    uploads: Sequence[tuple[CheckedUpload, IO[bytes]]] = (),
    once: uuid.UUID | None = None,
) -> Filed:
    """File an objection with its evidence files; one open objection per item.

    Refused outside the window, for an item that is not on the department's sheet,
    and (returning the open one, `created=False`) for an item already objected to.
    """
    stored: list[str] = []
    try:
        with spine.write(year, user) as current:
            refused = _window_refusal(publishing.publication_of(current.year))
            if refused is not None:
                raise refused
            item = find_item(
                results.department_result(current.year, department), item_key
            )
            if item is None:
                raise spine.Refused(
                    _("This item is not on the department's score sheet.")
                )
            existing = _open_objection(current.year, department, item.key)
            if existing is not None:
                return Filed(existing, created=False)

            def build() -> Objection:
                return Objection(
                    year=current.year,
                    department=department,
                    kind=item.kind,
                    item=item.key,
                    target_id=item.target_id,
                    adjustment=item.adjustment,
                    veto=item.veto,
                    item_label=item.label[:300],
                    previous_points=item.points,
                    grounds=grounds,
                    filed_by=user,
                )

            try:
                with transaction.atomic():
                    objection, created = spine.create_once(
                        current, once, Objection, build
                    )
            except IntegrityError:
                # Filed by a concurrent post a moment ago: that one stands.
                existing = _open_objection(current.year, department, item.key)
                if existing is None:
                    raise
                return Filed(existing, created=False)
            if not created:
                return Filed(objection, created=False)
            for upload, handle in uploads:
                name = default_storage.save(
                    upload.storage_name,
                    File(upload.stored_file(handle), name=upload.storage_name),
                )
                stored.append(name)
                current.save(
                    Evidence(
                        department=department,
                        objection=objection,
                        file=name,
                        original_name=upload.display_name,
                        content_type=upload.kind.content_type,
                        size=upload.size,
                        sha256=upload.sha256,
                        uploaded_by=user,
                    )
                )
            current.touch(department.pk)
            return Filed(objection, created=True)
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise


def _open_objection(
    year: AssessmentYear, department: Department, key: str
) -> Objection | None:
    return Objection.objects.filter(
        year=year, department=department, item=key, status=ObjectionStatus.OPEN
    ).first()


def may_answer(user: User, objection: Objection) -> bool:
    """Whether `user` answers this objection (see `bodies.may_answer`): the body
    that scores the objected item's target, or the lead assessor."""
    target = objection.target
    return bodies.may_answer(
        access.scorer_rights(user, objection.year),
        on_target=target is not None,
        body_id=target.scoring_body_id if target is not None else None,
    )


def answer_objection(
    objection: Objection,
    *,
    upheld: bool,
    answer: str,
    new_points: Decimal | None,
    version: int,
    user: User,
) -> bool:
    """Answer an objection; False if it had been answered so already (a second post).

    An upheld objection changes its item in the same write: a score takes the new
    points (the answer becomes its reason), a deduction or bonus item its new points
    (none: removed), a veto is lifted.
    """
    if not may_answer(user, objection):
        raise spine.Refused(
            _("Only the body that scores this item answers the objection."),
            code="forbidden",
        )
    with spine.write(objection.year_id, user) as current:
        row = Objection.objects.select_for_update(of=("self",)).get(pk=objection.pk)
        status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.REJECTED
        if not row.is_open:
            if row.status == status and row.answer == answer:
                return False
            raise spine.Refused(
                _("This objection was answered by %(user)s at %(time)s.")
                % {
                    "user": row.answered_by.display_name if row.answered_by else "?",
                    "time": formatting.moment(row.answered_at),
                },
                code="conflict",
            )
        if row.version != version:
            raise spine.Refused(
                _("This objection changed while you were answering it."),
                code="conflict",
            )
        publication = publishing.publication_of(current.year)
        if publication is None or publication.is_final:
            raise spine.Refused(_("The results are final: objections are closed."))
        row.answer = answer
        if upheld:
            _apply(current, row, new_points)
        row.status = status
        row.new_points = new_points if upheld else None
        row.answered_at = timezone.now()
        row.answered_by = user
        row.version += 1
        current.save(row)
        current.touch(row.department_id)
        return True


def _apply(current: spine.Write, objection: Objection, points: Decimal | None) -> None:
    """The upheld change to the item itself."""
    kind = objection.kind
    if kind == ObjectionKind.SCORE:
        if points is None:
            raise spine.Refused(_("Enter the new score."))
        score = (
            Score.objects.select_for_update(of=("self",))
            .filter(
                target_id=objection.target_id, department_id=objection.department_id
            )
            .first()
        )
        if score is None:
            assert objection.target_id is not None  # a score objection names its target
            score = Score(
                target_id=objection.target_id, department_id=objection.department_id
            )
        else:
            score.version += 1
        score.assessed_score = points
        score.reason = objection_reason(objection)
        score.scored_by = current.user
        current.save(score)
    elif kind == ObjectionKind.VETO:
        if objection.veto_id is not None:
            veto = Veto.objects.filter(pk=objection.veto_id).first()
            if veto is not None:
                current.delete(veto)
            objection.veto = None  # the deletion nulled the stored link already
    else:
        adjustment = (
            Adjustment.objects.select_for_update(of=("self",))
            .filter(pk=objection.adjustment_id)
            .first()
        )
        if adjustment is None:
            return
        if not points:
            current.delete(adjustment)
            objection.adjustment = None
        else:
            adjustment.points = points
            current.save(adjustment)


def objection_reason(objection: Objection) -> str:
    """A score changed by an objection says so in its reason."""
    return _("Changed on re-check of an objection: %(answer)s") % {
        "answer": objection.answer
    }
