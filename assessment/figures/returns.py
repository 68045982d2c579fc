"""Writes to a department's month: its figures, its review, and what feeds it.

Every operation is a write of the spine (`assessment.spine.write`): the year is locked
open, the month's `MonthlyReturn` row is locked (select for update) and its lock is
checked again there, whatever the page showed; saves go through `.save()`/`.delete()`
so django-simple-history records who changed what. Refusals are `spine.Refused`.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment import formatting, sources, spine, text
from assessment.figures import values, workflow
from assessment.figures.periods import month_facts, today
from assessment.figures.workflow import ReturnStatus
from assessment.models import (
    AssessmentYear,
    Department,
    Figure,
    FollowUp,
    Indicator,
    MonthlyReturn,
    NoticeKind,
    User,
)
from assessment.notices import events
from assessment.quality import checks, followups
from assessment.quality import months as quality_months

MAX_COMMENT_LENGTH = 2000


@dataclass(frozen=True)
class FigureConflict:
    """A figure someone else saved after the page was loaded."""

    indicator: Indicator
    value: Decimal | None
    note: str
    version: int
    updated_by: str
    updated_at: datetime.datetime | None

    @property
    def message(self) -> str:
        return _(
            "%(who)s changed this value at %(when)s while you were editing; it is "
            "now %(value)s. Check it and save again to keep yours."
        ) % {
            "who": self.updated_by,
            "when": formatting.moment(self.updated_at),
            "value": formatting.plain(self.value),
        }


@dataclass(frozen=True)
class FigureRow:
    """What the clerk submitted for one indicator: value None means no figure."""

    indicator: Indicator
    value: Decimal | None
    note: str
    version: int  # the stored version the page started from; 0 for none


@dataclass
class SaveResult:
    created: list[Indicator] = field(default_factory=list)
    changed: list[Indicator] = field(default_factory=list)
    deleted: list[Indicator] = field(default_factory=list)
    #: Figures saved by someone else meanwhile; when any, nothing was saved.
    conflicts: list[FigureConflict] = field(default_factory=list)
    #: The rules the submitted values violate (warnings and noted ones included).
    findings: list[checks.Finding] = field(default_factory=list)
    #: Blocking rules, and needs-a-note rules without a note: when any, nothing was
    #: saved.
    unmet: list[checks.Finding] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.created) + len(self.changed) + len(self.deleted)

    @property
    def conflict_message(self) -> str:
        first = self.conflicts[0]
        return _(
            "Nothing was saved: %(who)s changed %(indicator)s after you opened this page."
        ) % {"who": first.updated_by, "indicator": first.indicator.name}


def get_or_create_return(
    year: AssessmentYear, department: Department, month: int
) -> MonthlyReturn:
    try:
        with transaction.atomic():
            monthly_return, _created = MonthlyReturn.objects.get_or_create(
                year=year, department=department, month=month
            )
    except IntegrityError:  # created by a concurrent write a moment ago
        monthly_return = MonthlyReturn.objects.get(
            year=year, department=department, month=month
        )
    return monthly_return


def _locked_month(
    current: spine.Write, department: Department, month: int, *, create: bool = True
) -> MonthlyReturn | None:
    """The month's row, locked for the rest of the write (None: none and not created)."""
    rows = (
        MonthlyReturn.objects.select_for_update(of=("self",))
        .order_by()
        .filter(year=current.year, department=department, month=month)
    )
    locked = rows.first()
    if locked is None and create:
        get_or_create_return(current.year, department, month)
        locked = rows.get()
    if locked is not None:
        locked.year = current.year
    return locked


def refuse_retired(department: Department) -> None:
    """A retired department's data stays as it was: every write to it is refused."""
    if not department.active:
        raise spine.Refused(
            _("%(department)s is retired: its data can no longer be changed.")
            % {"department": department.name},
            code="retired",
        )


def _refuse_if_locked(
    monthly_return: MonthlyReturn | None,
    year: AssessmentYear,
    month: int,
    on: datetime.date,
) -> None:
    reason = workflow.lock_reason(
        month_facts(monthly_return, year, month, has_figures=False), on
    )
    if reason:
        raise spine.Refused(reason, code="locked")


def _save_return(current: spine.Write, monthly_return: MonthlyReturn) -> None:
    monthly_return.version += 1
    current.save(monthly_return)
    current.touch(monthly_return.department_id)


def save_figures(
    user: User,
    year: AssessmentYear,
    department: Department,
    month: int,
    rows: Iterable[FigureRow],
    *,
    on: datetime.date | None = None,
) -> SaveResult:
    """Store the submitted figures of a month, all or nothing.

    A row whose starting version differs from the stored one is a conflict (nothing is
    saved, the result lists them), unless the stored value and note already equal what
    was submitted. Unchanged rows are not saved again; a month without figures gets no
    return row until one is typed.
    """
    rows = list(rows)
    result = SaveResult()
    with spine.write(year, user) as current:
        refuse_retired(department)
        locked = _locked_month(current, department, month, create=False)
        _refuse_if_locked(locked, current.year, month, on or today())
        stored: dict[int, Figure] = {}
        if locked is not None:
            stored = {
                figure.indicator_id: figure
                for figure in Figure.objects.select_for_update(of=("self",))
                .filter(monthly_return=locked)
                .select_related("updated_by", "indicator")
            }
        for row in rows:
            conflict = _conflict(stored.get(row.indicator.pk), row)
            if conflict is not None:
                result.conflicts.append(conflict)
        if result.conflicts:
            return result
        rule_findings = _check_rules(current, department, month, rows, stored)
        result.findings = rule_findings.findings
        result.unmet = rule_findings.unmet
        if result.unmet:
            return result
        saved: dict[int, Figure] = {}
        for row in rows:
            figure = stored.get(row.indicator.pk)
            values = {"value": row.value, "note": row.note}
            if figure is None:
                if row.value is None:
                    continue
                if locked is None:
                    locked = _locked_month(current, department, month)
                    assert locked is not None
                figure = Figure(
                    monthly_return=locked,
                    indicator=row.indicator,
                    version=1,
                    updated_by=user,
                    **values,
                )
                current.save(figure)
                result.created.append(row.indicator)
                saved[row.indicator.pk] = figure
            elif row.value is None:
                current.delete(figure)
                result.deleted.append(row.indicator)
            elif spine.versioned_outcome(figure, values, figure.version) is (
                spine.Outcome.CHANGED
            ):
                figure.value, figure.note = row.value, row.note
                figure.version += 1
                figure.updated_by = user
                current.save(figure)
                result.changed.append(row.indicator)
                saved[row.indicator.pk] = figure
        _flag_noted(current, rows, saved, rule_findings.findings)
        touched = {i.pk for i in result.created + result.changed + result.deleted}
        if touched:
            current.touch(department.pk, touched)
    return result


@dataclass
class RuleFindings:
    findings: list[checks.Finding] = field(default_factory=list)
    unmet: list[checks.Finding] = field(default_factory=list)


def _check_rules(
    current: spine.Write,
    department: Department,
    month: int,
    rows: list[FigureRow],
    stored: dict[int, Figure],
) -> RuleFindings:
    """The validation rules over the month as it would be after this save.

    Only rules reading a value (or note) this save changes can stop it: a violation
    that stands already, caused elsewhere, is shown but does not refuse unrelated
    changes.
    """
    context = checks.department_context(current.year, department)
    if not context.rules:
        return RuleFindings()
    overrides = {row.indicator.code: row.value for row in rows}
    saving = {row.indicator.pk for row in rows}
    notes = {
        figure.indicator.code: figure.note
        for figure in stored.values()
        if figure.indicator_id not in saving
    }
    notes.update({row.indicator.code: row.note for row in rows})
    changed = {
        row.indicator.code
        for row in rows
        if _differs(stored.get(row.indicator.pk), row)
    }
    findings = checks.month_findings(context, department, month, overrides)
    unmet = [f for f in checks.unmet(findings, notes) if f.fields & changed]
    return RuleFindings(findings=findings, unmet=unmet)


def _differs(figure: Figure | None, row: FigureRow) -> bool:
    if figure is None:
        return row.value is not None
    return figure.value != row.value or figure.note != row.note


def _flag_noted(
    current: spine.Write,
    rows: list[FigureRow],
    saved: dict[int, Figure],
    findings: list[checks.Finding],
) -> None:
    """Values saved with a note against a rule or the plausible range stay flagged."""
    noted = [
        row
        for row in rows
        if row.indicator.pk in saved and row.value is not None and row.note
    ]
    if not noted:
        return
    figure_month = next(iter(saved.values())).monthly_return
    limits = quality_months.month_ranges(
        [row.indicator for row in noted],
        figure_month.department_id,
        current.year.year,
        [figure_month.month],
    )
    for row in noted:
        figure = saved[row.indicator.pk]
        assert row.value is not None
        for found in findings:
            if found.needs_note and row.indicator.code in found.fields:
                followups.flag(
                    current,
                    figure,
                    FollowUp.Reason.RULE,
                    rule_id=found.rule_id,
                    detail=found.name,
                )
        plausible = limits[(row.indicator.pk, figure_month.month)]
        problem = values.plausibility_problem(row.value, plausible.low, plausible.high)
        if problem:
            followups.flag(current, figure, FollowUp.Reason.RANGE, detail=problem)


def _conflict(figure: Figure | None, row: FigureRow) -> FigureConflict | None:
    if figure is None:
        if row.version == 0 or row.value is None:
            return None  # never saved, or deleted meanwhile and wanted empty anyway
    else:
        outcome = spine.versioned_outcome(
            figure, {"value": row.value, "note": row.note}, row.version
        )
        if outcome is not spine.Outcome.CONFLICT:
            return None
    return FigureConflict(
        indicator=row.indicator,
        value=figure.value if figure else None,
        note=figure.note if figure else "",
        version=figure.version if figure else 0,
        updated_by=(
            figure.updated_by.display_name
            if figure and figure.updated_by
            else _("someone")
        ),
        updated_at=figure.updated_at if figure else None,
    )


def needs_typed_figures(year: AssessmentYear, department: Department) -> bool:
    return Indicator.objects.filter(
        year=year, departments=department, source=""
    ).exists()


# --- the month's review -----------------------------------------------------------------


def submit_return(
    user: User, monthly_return: MonthlyReturn, *, on: datetime.date | None = None
) -> MonthlyReturn:
    with spine.write(monthly_return.year_id, user) as current:
        locked = _locked_month(current, monthly_return.department, monthly_return.month)
        assert locked is not None
        refuse_retired(locked.department)
        if locked.status not in (ReturnStatus.DRAFT, ReturnStatus.RETURNED):
            raise spine.Refused(_("Only a draft or a returned month can be submitted."))
        _refuse_if_locked(locked, current.year, locked.month, on or today())
        if not locked.figures.exists() and needs_typed_figures(
            current.year, locked.department
        ):
            raise spine.Refused(_("Enter the month's figures before submitting."))
        locked.status = ReturnStatus.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.submitted_by = user
        _save_return(current, locked)
    return locked


def approve_return(
    user: User, monthly_return: MonthlyReturn, *, expected_version: int | None = None
) -> MonthlyReturn:
    """Approve a submitted month; with `expected_version`, only the version the
    supervisor confirmed (a bulk approval skips a month changed since)."""
    with spine.write(monthly_return.year_id, user) as current:
        locked = _locked_month(current, monthly_return.department, monthly_return.month)
        assert locked is not None
        if locked.status != ReturnStatus.SUBMITTED:
            raise spine.Refused(_("Only a submitted month can be approved."))
        if expected_version is not None and locked.version != expected_version:
            raise spine.Refused(
                _("The month changed after you confirmed; open it to review it again."),
                code="conflict",
            )
        locked.status = ReturnStatus.APPROVED
        locked.reviewed_at = timezone.now()
        locked.reviewed_by = user
        locked.reopened_at = None
        _save_return(current, locked)
        events.month_reviewed(current, locked, NoticeKind.APPROVED)
    return locked


def _required(comment: str, message: str) -> str:
    try:
        return text.required_text(comment, message, max_length=MAX_COMMENT_LENGTH)
    except ValueError as exc:
        raise spine.Refused(str(exc)) from None


def send_back_return(
    user: User,
    monthly_return: MonthlyReturn,
    comment: str,
    *,
    on: datetime.date | None = None,
) -> MonthlyReturn:
    """Return a submitted month with a comment the clerk will see.

    A month returned after its deadline is reopened at the same time, or the clerk could
    not correct it.
    """
    comment = _required(comment, _("Say what needs correcting: a comment is required."))
    with spine.write(monthly_return.year_id, user) as current:
        locked = _locked_month(current, monthly_return.department, monthly_return.month)
        assert locked is not None
        if locked.status != ReturnStatus.SUBMITTED:
            raise spine.Refused(_("Only a submitted month can be returned."))
        now = timezone.now()
        locked.status = ReturnStatus.RETURNED
        locked.comment = comment
        locked.reviewed_at = now
        locked.reviewed_by = user
        facts = month_facts(locked, current.year, locked.month, has_figures=True)
        if workflow.is_past_deadline(facts, on or today()) and not locked.reopened_at:
            locked.reopened_at = now
            locked.reopen_reason = comment
        _save_return(current, locked)
        events.month_reviewed(current, locked, NoticeKind.RETURNED)
    return locked


def reopen_return(
    user: User,
    monthly_return: MonthlyReturn,
    reason: str,
    *,
    on: datetime.date | None = None,
) -> MonthlyReturn:
    """Unlock an approved or past-deadline month for corrections, with a reason."""
    reason = _required(reason, _("Give a reason for reopening the month."))
    with spine.write(monthly_return.year_id, user) as current:
        locked = _locked_month(current, monthly_return.department, monthly_return.month)
        assert locked is not None
        facts = month_facts(locked, current.year, locked.month, has_figures=True)
        if locked.status == ReturnStatus.SUBMITTED:
            raise spine.Refused(
                _("A submitted month is approved or returned, not reopened.")
            )
        if not workflow.can_reopen(facts, on or today(), is_supervisor=True):
            raise spine.Refused(_("Only an approved or overdue month can be reopened."))
        locked.status = ReturnStatus.DRAFT
        locked.reopened_at = timezone.now()
        locked.reopen_reason = reason
        locked.reviewed_at = locked.reopened_at
        locked.reviewed_by = user
        _save_return(current, locked)
        events.month_reviewed(current, locked, NoticeKind.REOPENED)
    return locked


# --- months fed by work records -----------------------------------------------------------


def lock_fed_month(
    current: spine.Write,
    department: Department,
    day: datetime.date,
    source_keys: Collection[str],
    *,
    on: datetime.date | None = None,
) -> None:
    """Refuse a change to records dated `day` that feed the month of a department.

    A record counts towards the record-fed indicators (`Indicator.source`) of its
    department; while that month is submitted, approved or past its deadline, the
    figures it feeds are frozen like typed ones, so the change is refused with the
    month and who can reopen it. Months of departments with no indicator fed by these
    sources are not affected. Call inside the write, for the old and the new date.
    """
    if not source_keys or day.year != current.year.year:
        return
    fed = list(
        Indicator.objects.filter(
            year=current.year, departments=department, source__in=list(source_keys)
        ).values_list("pk", "name")
    )
    if not fed:
        return
    refuse_retired(department)
    locked = _locked_month(current, department, day.month, create=False)
    facts = month_facts(locked, current.year, day.month, has_figures=True)
    on = on or today()
    # A month that has not started holds no reported figures to keep still.
    started = workflow.month_started(facts.year, facts.month, on)
    reason = workflow.lock_reason(facts, on) if started else None
    if reason:
        if facts.status == ReturnStatus.SUBMITTED:
            # A submitted month is approved or returned, never reopened.
            message = _(
                "%(month)s of %(department)s cannot change: %(reason)s This record "
                "counts towards %(indicators)s. %(who)s can return the month for "
                "changes."
            )
        else:
            message = _(
                "%(month)s of %(department)s cannot change: %(reason)s This record "
                "counts towards %(indicators)s. %(who)s can reopen the month."
            )
        raise spine.Refused(
            message
            % {
                "month": formatting.month_label(current.year.year, day.month),
                "department": department.name,
                "reason": reason,
                "indicators": formatting.listing(name for _pk, name in fed),
                "who": (
                    locked.reviewed_by.display_name
                    if locked is not None and locked.reviewed_by
                    else _("A supervisor")
                ),
            },
            code="locked",
        )
    current.touch(department.pk, {pk for pk, _name in fed})


def record_sources(record: object) -> set[str]:
    """The keys of the sources a record feeds (see `sources.IndicatorSource.feeds`)."""
    return {source.key for source in sources.all_sources() if source.feeds(record)}
