"""Publishing the year's provisional results (公示) and making them final.

Publishing and finalizing change the year's state of results, so they take the year's
exclusive lock (`spine.lock_open_year(..., exclusive=True)`), like closing: a score
write in flight finishes first, and every later one reads the new state. While the
results are published, the spine refuses writes of scores, deductions, bonus items and
vetoes (`guard`): they change only through an answered objection
(`scoring.objections`). Once final they do not change at all.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessment import formatting, spine
from assessment.models import (
    AssessmentYear,
    Department,
    Objection,
    ObjectionStatus,
    Publication,
    User,
)
from assessment.scoring import rectification, results, window


def publication_of(year: AssessmentYear) -> Publication | None:
    return Publication.objects.filter(year=year).first()


def window_state(
    publication: Publication, now: datetime.datetime | None = None
) -> window.WindowState:
    return window.state(
        now or timezone.now(),
        publication.starts_on,
        publication.ends_on,
        settings.TIME_ZONE,
    )


def default_window(today: datetime.date | None = None) -> tuple[datetime.date, ...]:
    """Today and the last of five working days from today (the bureau's dates)."""
    start = today or timezone.localdate()
    return start, window.working_days_end(start, window.DEFAULT_WORKING_DAYS)


def guard(year: AssessmentYear) -> str | None:
    """The spine's rule for writes of the results (registered in apps.ready)."""
    publication = publication_of(year)
    if publication is None:
        return None
    if publication.is_final:
        return _(
            "The %(year)s results are final: scores, deductions, bonus items and "
            "vetoes can no longer be changed."
        ) % {"year": year.year}
    return _(
        "The %(year)s results are published: scores, deductions, bonus items and "
        "vetoes change only by answering an objection."
    ) % {"year": year.year}


def open_objection_count(year: AssessmentYear) -> int:
    return Objection.objects.filter(year=year, status=ObjectionStatus.OPEN).count()


def outstanding_objections(year: AssessmentYear) -> tuple[str, list[str]]:
    """For the close-year page: the objections not answered yet (they block closing)."""
    lines = [
        _("%(department)s: %(item)s (filed %(when)s)")
        % {
            "department": objection.department.name,
            "item": objection.item_label,
            "when": formatting.moment(objection.filed_at),
        }
        for objection in Objection.objects.filter(
            year=year, status=ObjectionStatus.OPEN
        )
        .select_related("department")
        .order_by("department__order", "department__code", "filed_at")
    ]
    return _("Objections not answered"), lines


def close_blocker(year: AssessmentYear) -> str | None:
    """Why the year cannot close (even with a reason): an objection is open."""
    count = open_objection_count(year)
    if not count:
        return None
    return ngettext(
        "%(count)s objection is not answered yet: answer it first.",
        "%(count)s objections are not answered yet: answer them first.",
        count,
    ) % {"count": count}


@dataclass(frozen=True)
class Outstanding:
    unscored: list[results.DepartmentResult]

    @property
    def is_empty(self) -> bool:
        return not self.unscored


def before_publishing(year: AssessmentYear) -> Outstanding:
    """What must be done before the results can be published: every target scored."""
    assessed = results.year_results(year, Department.objects.all())
    return Outstanding(unscored=[r for r in assessed if not r.is_complete])


def publish(
    year: AssessmentYear,
    user: User,
    starts_on: datetime.date,
    ends_on: datetime.date,
) -> Publication:
    """Publish the provisional results with an objection window."""
    if ends_on < starts_on:
        raise spine.Refused(_("The window cannot end before it starts."))
    with transaction.atomic():
        locked = spine.lock_open_year(year, exclusive=True)
        if Publication.objects.filter(year=locked).exists():
            raise spine.Refused(
                _("The %(year)s results are already published.") % {"year": locked.year}
            )
        outstanding = before_publishing(locked)
        if not outstanding.is_empty:
            raise spine.Refused(
                _("Score every target before publishing: %(list)s.")
                % {
                    "list": formatting.listing(
                        [r.department.name for r in outstanding.unscored]
                    )
                }
            )
        publication = Publication(
            year=locked,
            starts_on=starts_on,
            ends_on=ends_on,
            published_at=timezone.now(),
            published_by=user,
        )
        publication._history_user = user  # type: ignore[attr-defined]
        publication.save()
    return publication


def finalize(year: AssessmentYear, user: User) -> Publication:
    """Make the published results final: after the window, every objection answered."""
    with transaction.atomic():
        locked = spine.lock_open_year(year, exclusive=True)
        publication = (
            Publication.objects.select_for_update().filter(year=locked).first()
        )
        if publication is None:
            raise spine.Refused(_("Publish the results before making them final."))
        if publication.is_final:
            return publication
        state = window_state(publication)
        if state is not window.WindowState.CLOSED:
            raise spine.Refused(
                _(
                    "The objection window runs until %(date)s: the results can be "
                    "made final after it."
                )
                % {"date": formatting.day(publication.ends_on)}
            )
        blocker = close_blocker(locked)
        if blocker:
            raise spine.Refused(blocker)
        now = timezone.now()
        publication.finalized_at = now
        publication.finalized_by = user
        publication._history_user = user  # type: ignore[attr-defined]
        publication.save(update_fields=["finalized_at", "finalized_by"])
        locked.results_final_at = now
        locked._history_user = user  # type: ignore[attr-defined]
        locked.save(update_fields=["results_final_at"])
        # Failures found in the final results are to be rectified (整改).
        rectification.create_items(locked, user)
    return publication
