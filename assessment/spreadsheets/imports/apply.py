"""Applying a problem-free dry run: all of it in one transaction, or nothing.

Under row locks it checks that nothing changed since the report was made, so two
overlapping imports never mix.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from assessment import access, spine
from assessment.figures import periods, returns, workflow
from assessment.models import AssessmentYear, Department, Figure, MonthlyReturn, User
from assessment.models.fields import concrete_field
from assessment.quality import followups

if TYPE_CHECKING:
    from assessment.spreadsheets.imports.validation import ImportReport


CHANGE_REASON = "xlsx import %s"


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int

    @property
    def count(self) -> int:
        return self.created + self.updated


def was_imported(
    department: Department, year: AssessmentYear, fingerprint: str
) -> bool:
    """Whether a file with this fingerprint was applied before (seen in the audit)."""
    return Figure.history.filter(
        history_change_reason=CHANGE_REASON % fingerprint,
        monthly_return__department_id=department.pk,
        monthly_return__year_id=year.pk,
    ).exists()


def _returns_for_update(
    year: AssessmentYear, department: Department, months: list[int], user: User
) -> dict[int, MonthlyReturn]:
    existing = set(
        MonthlyReturn.objects.filter(
            year=year, department=department, month__in=months
        ).values_list("month", flat=True)
    )
    for month in months:
        if month in existing:
            continue
        monthly_return = MonthlyReturn(year=year, department=department, month=month)
        monthly_return._history_user = user  # type: ignore[attr-defined]
        try:
            with transaction.atomic():
                monthly_return.save()
        except IntegrityError:
            pass  # created by a concurrent request meanwhile; locked below
    return {
        r.month: r
        for r in MonthlyReturn.objects.select_for_update(of=("self",))
        .filter(year=year, department=department, month__in=months)
        .order_by("month")
    }


def _update_figures(figures: list[Figure]) -> None:
    """One prepared UPDATE run for every row: Django's bulk_update builds a CASE per
    column whose cost grows with the batch squared, which dominated large imports."""
    table = Figure._meta.db_table
    quote = connection.ops.quote_name
    columns = ["value", "note", "version", "updated_by_id", "updated_at"]
    assignments = ", ".join(f"{quote(c)} = %s" for c in columns)
    sql = f"UPDATE {quote(table)} SET {assignments} WHERE {quote('id')} = %s"
    fields = [concrete_field(Figure, c.removesuffix("_id")) for c in columns]
    params = [
        [
            field.get_db_prep_save(getattr(figure, field.attname), connection)
            for field in fields
        ]
        + [figure.pk]
        for figure in figures
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def apply_import(
    report: ImportReport, user: User, *, today: datetime.date | None = None
) -> ImportResult:
    """Write every change of a problem-free report, or nothing (`spine.Refused`)."""
    if report.problems:
        raise spine.Refused(_("The file has problems; nothing was imported."))
    department, year = report.department, report.year
    if not access.can_edit_department_data(user) or not (
        access.departments_for(user).filter(pk=department.pk).exists()
    ):
        raise PermissionDenied
    if not report.changes:
        return ImportResult(created=0, updated=0)
    today = today or periods.today()
    months = sorted({change.month for change in report.changes})
    indicator_ids = {change.indicator_id for change in report.changes}
    now = timezone.now()
    reason = CHANGE_REASON % report.fingerprint
    with spine.write(year, user) as current:
        year = current.year
        returns.refuse_retired(department)
        locked = _returns_for_update(year, department, months, user)
        for month in months:
            lock = workflow.lock_reason(
                periods.month_facts(locked.get(month), year, month, True), today
            )
            if lock:
                raise spine.Refused(
                    _("Nothing was imported: month %(month)d cannot be changed: ")
                    % {"month": month}
                    + lock
                )
        stored = {
            (f.monthly_return_id, f.indicator_id): f
            for f in Figure.objects.select_for_update(of=("self",))
            .filter(monthly_return__in=locked.values(), indicator_id__in=indicator_ids)
            .select_related("updated_by")
        }
        to_create: list[Figure] = []
        to_update: list[Figure] = []
        for change in report.changes:
            monthly_return = locked[change.month]
            figure = stored.get((monthly_return.pk, change.indicator_id))
            seen = (change.figure_id, change.figure_version)
            now_stored = (figure.pk, figure.version) if figure else (None, None)
            if seen != now_stored:
                who = (
                    figure.updated_by.display_name
                    if figure and figure.updated_by
                    else _("someone")
                )
                raise spine.Refused(
                    _(
                        "Nothing was imported: %(who)s changed %(indicator)s for month "
                        "%(month)d after this file was checked. Upload it again to "
                        "see the changes."
                    )
                    % {
                        "who": who,
                        "indicator": change.indicator_name,
                        "month": change.month,
                    }
                )
            if figure is None:
                to_create.append(
                    Figure(
                        monthly_return=monthly_return,
                        indicator_id=change.indicator_id,
                        value=change.new_value,
                        note=change.new_note,
                        version=1,
                        updated_by=user,
                        updated_at=now,
                    )
                )
            else:
                figure.value = change.new_value
                figure.note = change.new_note
                figure.version += 1
                figure.updated_by = user
                figure.updated_at = now
                to_update.append(figure)
        if to_update:
            _update_figures(to_update)
            # History through simple_history's bulk helper: one row per change, with
            # the user and the import's fingerprint as the reason.
            bulk_update_with_history(
                to_update,
                Figure,
                [],
                batch_size=1000,
                default_user=user,
                default_change_reason=reason,
                default_date=now,
            )
        if to_create:
            to_create = bulk_create_with_history(
                to_create,
                Figure,
                batch_size=1000,
                default_user=user,
                default_change_reason=reason,
                default_date=now,
            )
        _flag(current, report, locked, to_create + to_update)
        current.touch(department.pk, indicator_ids)
    return ImportResult(created=len(to_create), updated=len(to_update))


def _flag(
    current: spine.Write,
    report: ImportReport,
    locked: dict[int, MonthlyReturn],
    figures: list[Figure],
) -> None:
    """Values imported with a note against a rule or the range stay flagged."""
    if not report.flags:
        return
    months = {monthly_return.pk: month for month, monthly_return in locked.items()}
    by_key = {(months[f.monthly_return_id], f.indicator_id): f for f in figures}
    for month, indicator_id, reason, rule_id, detail in report.flags:
        figure = by_key.get((month, indicator_id))
        if figure is not None and figure.pk is not None:
            followups.flag(current, figure, reason, rule_id=rule_id, detail=detail)
