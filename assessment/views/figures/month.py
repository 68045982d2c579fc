"""A department's month: the entry page, its review actions and a figure's history."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from assessment import access, catalogue_cache, formatting, spine
from assessment.access import AuthedRequest
from assessment.figures import entry_rows, periods, queue, returns, workflow
from assessment.figures.forms import (
    CommentForm,
    FigureForm,
    FigureInputs,
    ReopenForm,
    TemplateRow,
    build_figure_forms,
    describe_rule,
    foreign_field_ids,
    initial_inputs,
)
from assessment.figures.values import parse_value
from assessment.figures.workflow import ReturnStatus
from assessment.models import (
    AssessmentYear,
    Department,
    Figure,
    FollowUp,
    Indicator,
    MonthlyReturn,
    User,
)
from assessment.quality import checks
from assessment.quality import months as quality_months
from assessment.quality import run as validation_run
from assessment.quality.ranges import PlausibleRange
from assessment.views.figures import queue as queue_views


@dataclass
class EntryRow(TemplateRow):
    indicator: Indicator
    #: The indicator's id as text, as the page writes it into element ids (a number
    #: would go through number localisation each time).
    key: str
    form: FigureForm | None
    #: The form's inputs, prepared once (the template writes them out by hand).
    inputs: FigureInputs | None
    target_code: str | None
    figure: Figure | None
    history_url: str
    computed: periods.ComputedValue | None
    last_month: str
    last_year: str
    rule: str
    findings: list[checks.Finding]
    follow_ups: list[FollowUp]


def _month_scope(
    request: AuthedRequest, year: int, code: str, month: int
) -> tuple[AssessmentYear, Department]:
    if not 1 <= month <= 12:
        raise Http404
    assessment_year = access.get_year_or_404(year)
    department = access.get_department_or_404(request.user, code)
    return assessment_year, department


def _back(year: AssessmentYear, department: Department, month: int) -> HttpResponse:
    return redirect(
        "assessment:entry", year=year.year, code=department.code, month=month
    )


def _current_return(
    year: AssessmentYear, department: Department, month: int
) -> MonthlyReturn | None:
    return (
        MonthlyReturn.objects.filter(year=year, department=department, month=month)
        .select_related("submitted_by", "reviewed_by")
        .first()
    )


def _scope_and_return(
    request: AuthedRequest, year: int, code: str, month: int
) -> tuple[AssessmentYear, Department, MonthlyReturn | None]:
    """`_month_scope` and `_current_return` in one query when the month has a return
    (the department read through it, in the user's scope); two when it has none."""
    if not 1 <= month <= 12:
        raise Http404
    assessment_year = access.get_year_or_404(year)
    monthly_return = (
        MonthlyReturn.objects.filter(
            year=assessment_year,
            month=month,
            department__code=code,
            department__in=access.departments_for(request.user),
        )
        .select_related("department", "submitted_by", "reviewed_by")
        .first()
    )
    if monthly_return is not None:
        return assessment_year, monthly_return.department, monthly_return
    return (
        assessment_year,
        access.get_department_or_404(request.user, code),
        None,
    )


@require_http_methods(["GET", "POST"])
def entry(request: AuthedRequest, year: int, code: str, month: int) -> HttpResponse:
    assessment_year, department, monthly_return = _scope_and_return(
        request, year, code, month
    )
    user: User = request.user
    indicators = _indicators(assessment_year, department)
    figures = (
        {figure.indicator_id: figure for figure in monthly_return.figures.all()}
        if monthly_return
        else {}
    )
    today = periods.today()
    facts = periods.month_facts(
        monthly_return, assessment_year, month, has_figures=bool(figures)
    )
    held = workflow.reviewer_lock(facts, is_supervisor=user.is_supervisor)
    lock = workflow.lock_reason(facts, today) or held
    may_edit = access.can_edit_department_data(user)
    editable = may_edit and lock is None
    status = 200
    ranges = {
        indicator_id: plausible
        for (indicator_id, _m), plausible in quality_months.month_ranges(
            indicators,
            department.pk,
            assessment_year.year,
            [month],
            own=catalogue_cache.cached(
                "month-ranges",
                (assessment_year.pk, department.pk, month),
                lambda: quality_months.own_ranges(indicators, [month]),
            ),
        ).items()
    }
    findings: list[checks.Finding] | None = None
    unmet: list[checks.Finding] = []

    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        typed_ids = {i.pk for i in indicators if not i.is_computed}
        if foreign_field_ids(request.POST, typed_ids):
            messages.error(
                request,
                _(
                    "Nothing was saved: the form named indicators that this "
                    "department does not report."
                ),
            )
            return _back(assessment_year, department, month)
        if lock:
            messages.error(
                request, _("Nothing was saved. %(reason)s") % {"reason": lock}
            )
            return _back(assessment_year, department, month)
        figure_forms = build_figure_forms(
            indicators, figures, data=request.POST, ranges=ranges, posted_only=True
        )
        posted = [form for form in figure_forms if form.submitted]
        if all([form.is_valid() for form in posted]):
            try:
                result = returns.save_figures(
                    user,
                    assessment_year,
                    department,
                    month,
                    [form.row() for form in posted],
                    on=today,
                )
            except spine.Refused as exc:
                messages.error(request, exc.message)
                return _back(assessment_year, department, month)
            if result.conflicts:
                figure_forms = _conflicted_forms(
                    indicators, figures, request.POST, result.conflicts, ranges
                )
                messages.error(request, result.conflict_message)
                status = 409
            elif result.unmet:
                findings, unmet = result.findings, result.unmet
                messages.error(request, _refusal_message(unmet))
            else:
                _say_findings(request, result.findings)
                if result.count:
                    messages.success(
                        request,
                        ngettext(
                            "Saved %(n)d change.", "Saved %(n)d changes.", result.count
                        )
                        % {"n": result.count},
                    )
                else:
                    messages.info(request, _("Nothing to save: no value was changed."))
                return _back(assessment_year, department, month)
        else:
            messages.error(
                request, _("Nothing was saved: correct the values marked below.")
            )
            findings, unmet = _typed_findings(
                assessment_year, department, month, posted
            )
    else:
        figure_forms = []

    context = _entry_context(
        request,
        assessment_year,
        department,
        month,
        monthly_return,
        indicators,
        figures,
        figure_forms,
        ranges,
        facts,
        lock,
        editable,
        findings,
        unmet,
    )
    return render(request, "assessment/figures/entry.html", context, status=status)


def _indicators(year: AssessmentYear, department: Department) -> list[Indicator]:
    """The department's indicators of the year in the page's order, kept until the
    catalogue changes. The page shows each indicator's target by its code alone:
    the targets are not loaded as objects."""
    return catalogue_cache.cached(
        "entry-indicators",
        (year.pk, department.pk),
        lambda: list(
            Indicator.objects.filter(year=year, departments=department)
            .annotate(target_code=F("target__code"))
            .order_by("order", "code")
        ),
    )


def _typed_findings(
    year: AssessmentYear, department: Department, month: int, posted: list[FigureForm]
) -> tuple[list[checks.Finding], list[checks.Finding]]:
    """The rules over the values as typed, when some of them are still to correct."""
    overrides: dict[str, Any] = {}
    notes: dict[str, str] = {}
    for form in posted:
        overrides[form.indicator.code] = _typed(
            form.indicator, form.data.get(form.add_prefix("value"), "")
        )
        notes[form.indicator.code] = str(
            form.data.get(form.add_prefix("note"), "")
        ).strip()
    findings = checks.month_findings(
        checks.department_context(year, department), department, month, overrides
    )
    return findings, checks.unmet(findings, notes)


def _typed(indicator: Indicator, raw: Any) -> Any:
    """The typed value as the rules read it: None when it is not a valid number."""
    try:
        return parse_value(
            str(raw or ""),
            decimals=indicator.decimals,
            allow_negative=indicator.allow_negative,
        )
    except ValidationError:
        return None  # the field's own error says why


def _refusal_message(unmet: list[checks.Finding]) -> str:
    if any(f.blocks for f in unmet):
        return _(
            "Nothing was saved: the values break a rule that blocks the save "
            "(%(rule)s). Correct them as shown beside the fields."
        ) % {"rule": next(f.name for f in unmet if f.blocks)}
    return _(
        "Nothing was saved: a rule needs a note (%(rule)s). Explain the value in "
        "the note of one of the fields shown."
    ) % {"rule": unmet[0].name}


def _say_findings(request: AuthedRequest, findings: list[checks.Finding]) -> None:
    if findings:
        messages.warning(
            request,
            ngettext(
                "%(n)d rule is not met; it is shown beside its fields.",
                "%(n)d rules are not met; they are shown beside their fields.",
                len(findings),
            )
            % {"n": len(findings)},
        )


def _conflicted_forms(
    indicators: list[Indicator],
    figures: dict[int, Figure],
    data: Any,
    conflicts: list[returns.FigureConflict],
    ranges: dict[int, PlausibleRange],
) -> list[FigureForm]:
    """The clerk's values again, with the stored version, so a second save is deliberate."""
    data = data.copy()
    for conflict in conflicts:
        data[f"f-{conflict.indicator.pk}-version"] = str(conflict.version)
    figure_forms = build_figure_forms(
        indicators, figures, data=data, ranges=ranges, posted_only=True
    )
    by_indicator = {conflict.indicator.pk: conflict for conflict in conflicts}
    for form in figure_forms:
        if not form.submitted:
            continue
        form.is_valid()
        clash = by_indicator.get(form.indicator.pk)
        if clash:
            form.add_error("value", clash.message)
    return figure_forms


def _entry_context(
    request: AuthedRequest,
    year: AssessmentYear,
    department: Department,
    month: int,
    monthly_return: MonthlyReturn | None,
    indicators: list[Indicator],
    figures: dict[int, Figure],
    figure_forms: list[FigureForm],
    ranges: dict[int, PlausibleRange],
    facts: workflow.MonthFacts,
    lock: str | None,
    editable: bool,
    findings: list[checks.Finding] | None = None,
    unmet: list[checks.Finding] | None = None,
) -> dict[str, Any]:
    user: User = request.user
    today = periods.today()
    state = workflow.month_state(facts, today)
    references = periods.reference_values(year, department, month, indicators)
    computed = periods.computed_values(indicators, department, year.year, month)
    # Posted forms are shown as validated; the other inputs (all of them on a GET)
    # come straight from the figures, with no form built for them.
    forms_by_indicator = {form.indicator.pk: form for form in figure_forms}
    typed = [indicator for indicator in indicators if not indicator.is_computed]
    inputs = {
        indicator.pk: forms_by_indicator[indicator.pk].inputs()
        if indicator.pk in forms_by_indicator
        else initial_inputs(indicator, figures.get(indicator.pk), disabled=not editable)
        for indicator in typed
    }
    plausible = {
        indicator.pk: ranges.get(indicator.pk) or _flat(indicator)
        for indicator in typed
    }
    if findings is None:
        findings = checks.month_findings(
            checks.department_context(year, department), department, month
        )
    by_code = findings_by_code(findings)
    flagged = _open_follow_ups(user, monthly_return)
    history_url = _history_url()
    rows = [
        EntryRow(
            indicator=indicator,
            key=str(indicator.pk),
            form=forms_by_indicator.get(indicator.pk),
            inputs=inputs.get(indicator.pk),
            target_code=getattr(indicator, "target_code", None),
            figure=figures.get(indicator.pk),
            history_url=history_url(figures[indicator.pk].pk)
            if indicator.pk in figures
            else "",
            computed=computed.get(indicator.pk),
            last_month=formatting.value_input(
                references.last_month.get(indicator.code), indicator.decimals
            ),
            last_year=formatting.value_input(
                references.last_year.get(indicator.code), indicator.decimals
            ),
            rule=describe_rule(indicator, plausible.get(indicator.pk)),
            findings=by_code.get(indicator.code, []),
            follow_ups=flagged.get(indicator.pk, []),
        )
        for indicator in indicators
    ]
    is_supervisor = user.is_supervisor
    unmet_ids = {f.rule_id for f in unmet or ()}
    return {
        "findings": findings,
        "unmet_ids": unmet_ids,
        "follow_ups": [f for row in rows for f in row.follow_ups],
        "can_mark": is_supervisor and not year.is_closed,
        "markable": [row for row in rows if row.figure is not None],
        "year": year,
        "department": department,
        "month": month,
        "monthly_return": monthly_return,
        "rows": rows,
        "rows_html": entry_rows.render_rows(
            rows,
            _row_labels(),
            editable=editable,
            findings_html=_findings_html(unmet_ids),
        ),
        "has_errors": any(each.has_errors for each in inputs.values()),
        "state": state,
        "state_colour": workflow.STATE_COLOURS[state],
        "deadline": facts.deadline,
        "days_late": periods.submission_days_late(monthly_return, facts.deadline),
        "lock_reason": lock,
        "editable": editable,
        "references": references,
        "can_submit": lock is None
        and workflow.can_submit(
            facts, today, may_edit=access.can_edit_department_data(user)
        ),
        "reopen_current": bool(
            monthly_return
            and monthly_return.reopened_at
            and monthly_return.reopen_reason
            and monthly_return.status != ReturnStatus.SUBMITTED
        ),
        **_since_return(monthly_return, indicators),
        "is_supervisor": is_supervisor,
        "can_review": workflow.can_review(facts, is_supervisor=is_supervisor),
        "violation_count": (
            validation_run.month_count(year, department.pk, month)
            if is_supervisor
            else None
        ),
        "can_reopen": workflow.can_reopen(facts, today, is_supervisor=is_supervisor),
        "comment_form": CommentForm(),
        "reopen_form": ReopenForm(),
        "previous_month": month - 1 if month > 1 else None,
        "next_month": month + 1 if month < 12 else None,
    }


def _row_labels() -> entry_rows.RowLabels:
    return entry_rows.RowLabels(
        flagged_title=_("Flagged for follow-up"),
        flagged_label=_("Follow-up"),
        last_month=_("Last month"),
        last_year=_("Same month last year"),
        history=_("History"),
        from_records=_("From work records"),
        see_records=_("See the records"),
        incomplete=_("The page was incomplete; reload it and try again."),
    )


def _findings_html(unmet_ids: set[int]) -> Callable[[Sequence[checks.Finding]], str]:
    """A row's rule findings as the live checks write them (`month_checks`)."""
    template = get_template("assessment/figures/rule_findings.html")
    return lambda found: template.render({"findings": found, "unmet_ids": unmet_ids})


def _history_url() -> Callable[[int], str]:
    """A figure's history address by its id: one `reverse` for all the rows, since
    the id is the only part that varies."""
    marker = 987654321
    pattern = reverse("assessment:figure-history", args=[marker])
    before, after = pattern.split(str(marker))
    return lambda pk: f"{before}{pk}{after}"


def _flat(indicator: Indicator) -> PlausibleRange:
    return PlausibleRange(indicator.plausible_min, indicator.plausible_max)


def _since_return(
    monthly_return: MonthlyReturn | None, indicators: list[Indicator]
) -> dict[str, Any]:
    """A resubmitted month's earlier return (who, when, the comment) and the figures
    changed since, for its review."""
    if monthly_return is None or monthly_return.status != ReturnStatus.SUBMITTED:
        return {"earlier_return": None, "changes": []}
    found = queue.earlier_return(
        queue.return_states([monthly_return.pk])[monthly_return.pk]
    )
    if found is None:
        return {"earlier_return": None, "changes": []}
    by_id = {indicator.pk: indicator for indicator in indicators}
    changes = []
    for change in queue.changes_since(
        queue.figure_states([monthly_return.pk])[monthly_return.pk], found.when
    ):
        indicator = by_id.get(change.indicator_id)
        if indicator is None:
            continue
        changes.append(
            ChangeRow(
                indicator=indicator,
                before=formatting.value_input(change.before, indicator.decimals),
                after=formatting.value_input(change.after, indicator.decimals),
                note_before=change.note_before,
                note_after=change.note_after,
            )
        )
    return {"earlier_return": found, "changes": changes}


@dataclass
class ChangeRow:
    indicator: Indicator
    before: str
    after: str
    note_before: str
    note_after: str


def findings_by_code(
    findings: list[checks.Finding],
) -> dict[str, list[checks.Finding]]:
    """Each finding beside every field of the viewing department it involves."""
    by_code: dict[str, list[checks.Finding]] = {}
    for found in findings:
        for code in sorted(found.fields):
            by_code.setdefault(code, []).append(found)
    return by_code


def _open_follow_ups(
    user: User, monthly_return: MonthlyReturn | None
) -> dict[int, list[FollowUp]]:
    if monthly_return is None:
        return {}
    flagged: dict[int, list[FollowUp]] = {}
    for follow_up in (
        FollowUp.objects.for_user(user)
        .open()
        .filter(figure__monthly_return=monthly_return)
        .select_related("figure__indicator", "created_by")
        .order_by("created_at", "pk")
    ):
        flagged.setdefault(follow_up.figure.indicator_id, []).append(follow_up)
    return flagged


@require_POST
def month_checks(
    request: AuthedRequest, year: int, code: str, month: int
) -> JsonResponse:
    """The rules over the values as typed, not saved: what the entry page shows live."""
    assessment_year, department = _month_scope(request, year, code, month)
    indicators = list(
        Indicator.objects.filter(
            year=assessment_year, departments=department, source=""
        ).order_by("order", "code")
    )
    overrides: dict[str, Any] = {}
    notes: dict[str, str] = {}
    for indicator in indicators:
        key = f"f-{indicator.pk}-value"
        if key not in request.POST:
            continue
        overrides[indicator.code] = _typed(indicator, request.POST[key])
        notes[indicator.code] = request.POST.get(f"f-{indicator.pk}-note", "").strip()
    findings = checks.month_findings(
        checks.department_context(assessment_year, department),
        department,
        month,
        overrides,
    )
    unmet_ids = {f.rule_id for f in checks.unmet(findings, notes)}
    ids = {
        code: pk
        for code, pk in Indicator.objects.filter(
            year=assessment_year, departments=department
        ).values_list("code", "pk")
    }
    html: dict[str, str] = {}
    for found_code, found in findings_by_code(findings).items():
        if found_code in ids:
            html[str(ids[found_code])] = render_to_string(
                "assessment/figures/rule_findings.html",
                {"findings": found, "unmet_ids": unmet_ids},
                request=request,
            )
    return JsonResponse(
        {"findings": html, "count": len(findings), "unmet": len(unmet_ids)}
    )


def _run(
    request: AuthedRequest,
    year: int,
    code: str,
    month: int,
    action: str,
) -> HttpResponse:
    assessment_year, department = _month_scope(request, year, code, month)
    user: User = request.user
    today = periods.today()
    monthly_return = returns.get_or_create_return(assessment_year, department, month)
    name = {"month": queue_views.month_name(monthly_return)}
    try:
        if action == "submit":
            returns.submit_return(user, monthly_return, on=today)
            done = _("The month was submitted for review.")
        elif action == "approve":
            returns.approve_return(user, monthly_return)
            done = _("%(month)s was approved and is now locked.") % name
            return queue_views.after_review(request, monthly_return, done)
        elif action == "return":
            returns.send_back_return(
                user, monthly_return, request.POST.get("comment", ""), on=today
            )
            done = (
                _("%(month)s was returned to the department with your comment.") % name
            )
            return queue_views.after_review(request, monthly_return, done)
        else:
            returns.reopen_return(
                user, monthly_return, request.POST.get("reason", ""), on=today
            )
            done = _("The month was reopened for corrections.")
    except spine.Refused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return _back(assessment_year, department, month)


@require_http_methods(["GET", "POST"])
@access.editor_required
def submit(request: AuthedRequest, year: int, code: str, month: int) -> HttpResponse:
    """GET: what will be submitted and that it then locks, to confirm; POST: submit."""
    assessment_year, department = _month_scope(request, year, code, month)
    monthly_return = _current_return(assessment_year, department, month)
    today = periods.today()
    figures = (
        {f.indicator_id: f for f in monthly_return.figures.all()}
        if monthly_return
        else {}
    )
    facts = periods.month_facts(
        monthly_return, assessment_year, month, has_figures=bool(figures)
    )
    held = workflow.reviewer_lock(facts, is_supervisor=request.user.is_supervisor)
    if request.method == "POST":
        if held:
            messages.error(request, held)
            return _back(assessment_year, department, month)
        return _run(request, year, code, month, "submit")
    lock = workflow.lock_reason(facts, today) or held
    indicators = list(
        Indicator.objects.filter(year=assessment_year, departments=department).order_by(
            "order", "code"
        )
    )
    computed = periods.computed_values(indicators, department, year, month)
    rows = [
        SubmitRow(
            indicator=indicator,
            value=formatting.figure(
                computed[indicator.pk].value
                if indicator.pk in computed
                else (figures[indicator.pk].value if indicator.pk in figures else None),
                indicator.decimals,
            ),
            note=figures[indicator.pk].note if indicator.pk in figures else "",
            from_records=indicator.pk in computed,
        )
        for indicator in indicators
    ]
    missing = [row for row in rows if row.value == formatting.DASH]
    return render(
        request,
        "assessment/figures/submit_confirm.html",
        {
            "year": assessment_year,
            "department": department,
            "month": month,
            "rows": rows,
            "missing": missing,
            "lock_reason": lock,
            "can_submit": lock is None
            and workflow.can_submit(facts, today, may_edit=True),
            "deadline": facts.deadline,
        },
    )


@dataclass
class SubmitRow:
    indicator: Indicator
    value: str
    note: str
    from_records: bool


@require_POST
@access.supervisor_required
def approve(request: AuthedRequest, year: int, code: str, month: int) -> HttpResponse:
    return _run(request, year, code, month, "approve")


@require_POST
@access.supervisor_required
def send_back(request: AuthedRequest, year: int, code: str, month: int) -> HttpResponse:
    return _run(request, year, code, month, "return")


@require_POST
@access.supervisor_required
def reopen(request: AuthedRequest, year: int, code: str, month: int) -> HttpResponse:
    return _run(request, year, code, month, "reopen")


@dataclass
class HistoryEntry:
    when: Any
    who: str
    kind: str
    old_value: str
    new_value: str
    old_note: str
    new_note: str


def figure_history(request: AuthedRequest, pk: int) -> HttpResponse:
    figure = get_object_or_404(
        Figure.objects.for_user(request.user).select_related(
            "indicator", "monthly_return__department", "monthly_return__year"
        ),
        pk=pk,
    )
    decimals = figure.indicator.decimals
    kinds = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}
    entries: list[HistoryEntry] = []
    previous = None
    for record in figure.history.select_related("history_user").order_by(
        "history_date", "history_id"
    ):
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=record.history_user.display_name if record.history_user else "—",
                kind=kinds.get(record.history_type, record.history_type),
                old_value=formatting.value_input(previous.value, decimals)
                if previous
                else "",
                new_value=formatting.value_input(record.value, decimals),
                old_note=previous.note if previous else "",
                new_note=record.note,
            )
        )
        previous = record
    entries.reverse()
    monthly_return = figure.monthly_return
    return render(
        request,
        "assessment/figures/figure_history.html",
        {
            "figure": figure,
            "entries": entries,
            "follow_ups": list(
                figure.follow_ups.select_related("created_by", "resolved_by").order_by(
                    "-created_at", "-pk"
                )
            ),
            "can_mark": request.user.is_supervisor
            and not monthly_return.year.is_closed,
            "year": monthly_return.year,
            "department": monthly_return.department,
            "month": monthly_return.month,
        },
    )
