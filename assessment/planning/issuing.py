"""目标下达: publishing a draft year issues its targets; departments acknowledge them.

Publishing refuses a catalogue that does not pass the checks of `rules`, opens the
year, and once that is committed calls `targets_issued(department, year)` for every
department that has targets: the one place that whatever follows an issue (a notice, an
e-mail) hooks into, through the `targets_issued_signal` it sends.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment import spine
from assessment.models import (
    AssessmentYear,
    Department,
    Target,
    TargetAcknowledgement,
    User,
)
from assessment.models.catalogue import YearStatus
from assessment.planning import plan, rules

#: Sent once per department when a year's targets are issued to it, after the
#: publishing committed: `sender` is AssessmentYear, with `department` and `year`.
targets_issued_signal = Signal()


def targets_issued(department: Department, year: AssessmentYear) -> None:
    """The year's targets have been issued to `department` (called by `publish`)."""
    from assessment.notices import events

    events.targets_unacknowledged(year, department)
    targets_issued_signal.send(sender=AssessmentYear, department=department, year=year)


def receiving_departments(
    year: AssessmentYear, departments: Iterable[Department] | None = None
) -> list[Department]:
    """The departments a year's targets are issued to: the active units (departments
    without sub-departments) that have at least one target, in the tree's order."""
    pool = list(
        Department.objects.active().order_by("order", "code")
        if departments is None
        else departments
    )
    parents = set(
        Department.objects.filter(parent__isnull=False).values_list(
            "parent_id", flat=True
        )
    )
    targets = list(
        Target.objects.filter(category__year=year).prefetch_related("departments")
    )
    has_common = any(target.is_common for target in targets)
    assigned = {d.pk for target in targets for d in target.departments.all()}
    return [
        department
        for department in pool
        if department.active
        and department.pk not in parents
        and (has_common or department.pk in assigned)
    ]


def publish(year: AssessmentYear, user: User) -> list[Department]:
    """Draft → open: the targets issued. Returns the departments they went to.

    Refused if the year is not a draft or its catalogue does not pass the checks.
    """
    with transaction.atomic():
        locked = spine.lock_open_year(year, exclusive=True)
        if locked.status != YearStatus.DRAFT:
            raise spine.Refused(
                _("The %(year)s targets have been issued already.")
                % {"year": locked.year},
                code="invalid",
            )
        problems = rules.catalogue_problems(plan.plan_lines(plan.plan_targets(locked)))
        if problems:
            raise spine.Refused(
                _("The targets cannot be issued yet: %(problems)s")
                % {"problems": " ".join(problems)},
                code="invalid",
            )
        locked.status = YearStatus.OPEN
        locked.targets_issued_at = timezone.now()
        locked.targets_issued_by = user
        locked._history_user = user  # type: ignore[attr-defined]
        locked.save(update_fields=["status", "targets_issued_at", "targets_issued_by"])
        departments = receiving_departments(locked)

        def issue() -> None:
            for department in departments:
                targets_issued(department, locked)

        transaction.on_commit(issue)
    return departments


# --- acknowledgement -------------------------------------------------------------------


def may_acknowledge(user: User, department: Department) -> bool:
    """A member of the department who may act for it (its clerk or head), never a
    read-only leader, and never on another department's behalf."""
    return (
        user.is_active
        and not user.is_leader
        and user.departments.filter(pk=department.pk).exists()
    )


def acknowledge(
    year: AssessmentYear, department: Department, user: User
) -> tuple[TargetAcknowledgement, bool]:
    """Record that `department` received its targets; (row, created). Acknowledging
    again keeps the first acknowledgement."""
    with spine.write(year, user) as current:
        if current.year.is_draft:
            raise spine.Refused(
                _("These targets have not been issued yet."), code="invalid"
            )
        existing = TargetAcknowledgement.objects.filter(
            year=current.year, department=department
        ).first()
        if existing is not None:
            return existing, False
        row = TargetAcknowledgement(
            year=current.year,
            department=department,
            acknowledged_by=user,
            acknowledged_at=timezone.now(),
        )
        try:
            with transaction.atomic():
                current.save(row)
        except IntegrityError:  # a concurrent post a moment ago
            return (
                TargetAcknowledgement.objects.get(
                    year=current.year, department=department
                ),
                False,
            )
        return row, True


@dataclass(frozen=True)
class AcknowledgementLine:
    department: Department
    acknowledgement: TargetAcknowledgement | None

    @property
    def acknowledged(self) -> bool:
        return self.acknowledgement is not None


def acknowledgement_lines(
    year: AssessmentYear, departments: Iterable[Department]
) -> list[AcknowledgementLine]:
    """Every receiving department, acknowledged or not (those not first)."""
    receiving = receiving_departments(year, departments)
    stored = {
        row.department_id: row
        for row in TargetAcknowledgement.objects.filter(year=year).select_related(
            "acknowledged_by"
        )
    }
    lines = [
        AcknowledgementLine(department, stored.get(department.pk))
        for department in receiving
    ]
    return sorted(lines, key=lambda line: line.acknowledged)
