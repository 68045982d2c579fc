"""An assessment year's own status: scoring started, what is outstanding, closing.

Changing the year's status takes the exclusive lock on its row
(`spine.lock_open_year(..., exclusive=True)`): it waits for every write in flight, and
every later write waits for it and then sees the new status. So once a close commits, no
figure, record, self-assessment, score, text or import can commit into the year.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment import spine, text
from assessment.figures import periods
from assessment.figures.workflow import ReturnStatus, SubmissionStatus
from assessment.models import (
    AssessmentYear,
    Department,
    MonthlyReturn,
    SelfAssessmentSubmission,
    User,
)
from assessment.models.catalogue import YearStatus
from assessment.scoring import rectification, results


@dataclass(frozen=True)
class OutstandingMonth:
    department: Department
    month: int
    state_label: str


@dataclass(frozen=True)
class Unscored:
    department: Department
    count: int


@dataclass
class Outstanding:
    """What is not finished in a year: listed before it closes."""

    months: list[OutstandingMonth] = field(default_factory=list)
    self_assessments: list[Department] = field(default_factory=list)
    unscored: list[Unscored] = field(default_factory=list)
    #: (heading, lines) from other parts of the system, e.g. open objections.
    other: list[tuple[str, list[str]]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (
            self.months
            or self.self_assessments
            or self.unscored
            or any(lines for _heading, lines in self.other)
        )

    @property
    def unscored_count(self) -> int:
        return sum(item.count for item in self.unscored)


#: Providers of further outstanding work: provider(year) -> (heading, lines).
_providers: list[Callable[[AssessmentYear], tuple[str, list[str]]]] = []


def register_outstanding(
    provider: Callable[[AssessmentYear], tuple[str, list[str]]],
) -> None:
    _providers.append(provider)


#: Rules that refuse closing whatever the reason: blocker(year) -> why, or None.
_blockers: list[Callable[[AssessmentYear], str | None]] = []


def register_close_blocker(blocker: Callable[[AssessmentYear], str | None]) -> None:
    _blockers.append(blocker)


def close_blockers(year: AssessmentYear) -> list[str]:
    """Why the year cannot be closed at all (an objection not answered, ...)."""
    return [message for blocker in _blockers if (message := blocker(year))]


def outstanding_work(
    year: AssessmentYear, departments: Iterable[Department]
) -> Outstanding:
    """Months not approved, self-assessments not submitted, targets not scored."""
    departments = list(departments)
    outstanding = Outstanding()
    reporting = periods.reporting(
        year, Department.objects.filter(pk__in=[d.pk for d in departments])
    ).order_by("order", "code")
    today = periods.today()
    for row in periods.month_grid(year, reporting, on=today):
        for cell in row.cells:
            approved = (
                cell.monthly_return is not None
                and cell.monthly_return.status == ReturnStatus.APPROVED
            )
            if not approved:
                outstanding.months.append(
                    OutstandingMonth(row.department, cell.month, cell.state_label)
                )
    assessed = results.year_results(year, departments)
    submitted = set(
        SelfAssessmentSubmission.objects.filter(
            year=year, status=SubmissionStatus.SUBMITTED
        ).values_list("department_id", flat=True)
    )
    for result in sorted(
        assessed, key=lambda r: (r.department.order, r.department.code)
    ):
        if result.department.pk not in submitted:
            outstanding.self_assessments.append(result.department)
        if result.to_score_count:
            outstanding.unscored.append(
                Unscored(result.department, result.to_score_count)
            )
    outstanding.other = [provider(year) for provider in _providers]
    return outstanding


def start_scoring(year: AssessmentYear, user: User) -> bool:
    """Open → scoring; False if scoring had already started."""
    with transaction.atomic():
        locked = spine.lock_open_year(year, exclusive=True)
        if locked.status != YearStatus.OPEN:
            return False
        locked.status = YearStatus.SCORING
        locked._history_user = user  # type: ignore[attr-defined]
        locked.save(update_fields=["status"])
        return True


def close_year(
    year: AssessmentYear,
    user: User,
    departments: Iterable[Department],
    reason: str = "",
) -> AssessmentYear:
    """Close the year: read-only for everyone from now on.

    With work outstanding (re-read under the exclusive lock, so nothing slips in
    between the page and the close) a reason is required and kept with the year.
    """
    with transaction.atomic():
        locked = spine.lock_open_year(year, exclusive=True)
        blockers = close_blockers(locked)
        if blockers:
            raise spine.Refused(" ".join(blockers))
        outstanding = outstanding_work(locked, departments)
        reason = text.strip_bidi(reason or "").strip()
        if not outstanding.is_empty and not reason:
            raise spine.Refused(
                _(
                    "Work is still outstanding in this year: give the reason for "
                    "closing it anyway."
                )
            )
        locked.status = YearStatus.CLOSED
        locked.closed_at = timezone.now()
        locked.closed_by = user
        locked.close_reason = reason
        locked._history_user = user  # type: ignore[attr-defined]
        locked.save(update_fields=["status", "closed_at", "closed_by", "close_reason"])
        # Closing makes the results final: their failures are to be rectified.
        rectification.create_items(locked, user)
    return locked


def purge_year(year: AssessmentYear) -> None:
    """Delete a year with everything in it, children first (data is protected against
    deletion everywhere else). For reloading demo data and for tests only."""
    from assessment.models import (
        Adjustment,
        Category,
        DataVersion,
        Evidence,
        Figure,
        Indicator,
        Objection,
        PanelScore,
        Publication,
        Rectification,
        ReportSection,
        ReportText,
        Score,
        ScoringBody,
        ScoringBodyMember,
        SelfAssessment,
        Target,
        Veto,
    )

    targets = Target.objects.filter(category__year=year)
    steps: list[models.QuerySet] = [
        Figure.objects.filter(monthly_return__year=year),
        MonthlyReturn.objects.filter(year=year),
        Evidence.objects.filter(self_assessment__target__in=targets),
        Evidence.objects.filter(adjustment__year=year),
        Evidence.objects.filter(objection__year=year),
        Evidence.objects.filter(rectification__year=year),
        Rectification.objects.filter(year=year),
        Objection.objects.filter(year=year),
        Publication.objects.filter(year=year),
        Adjustment.objects.filter(year=year),
        Veto.objects.filter(year=year),
        PanelScore.objects.filter(target__in=targets),
        Score.objects.filter(target__in=targets),
        SelfAssessment.objects.filter(target__in=targets),
        SelfAssessmentSubmission.objects.filter(year=year),
        ReportText.objects.filter(year=year),
        DataVersion.objects.filter(year=year),
        Indicator.objects.filter(year=year),
        targets,
        ScoringBodyMember.objects.filter(body__year=year),
        ScoringBody.objects.filter(year=year),
        # Sections nest (the parent link restricts): children first.
        *[
            ReportSection.objects.filter(year=year, parent__isnull=False)
            for _level in range(3)
        ],
        ReportSection.objects.filter(year=year),
        Category.objects.filter(year=year),
    ]
    with transaction.atomic():
        for queryset in steps:
            queryset.delete()
        AssessmentYear.objects.filter(pk=year.pk).delete()
