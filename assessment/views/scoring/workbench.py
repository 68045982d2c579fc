"""Supervisor scoring: the workbench, adjustments, vetoes, results, ranking, closing.

Numbers come from `results.py` (which calls the pure functions of `rules.py`); these
views only check access, validate forms and store what a supervisor decided. Every
change is saved with `.save()`/`.delete()` so django-simple-history records who did it,
and every change re-checks, inside its transaction, that the year is not closed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessment import sources
from assessment.access import (
    departments_for,
    get_department_or_404,
    get_year_or_404,
    supervisor_required,
)
from assessment.models import (
    Adjustment,
    AssessmentYear,
    Department,
    Evidence,
    Score,
    Target,
    User,
    Veto,
)
from assessment.models.catalogue import YearStatus
from assessment.reporting import charts
from assessment.scoring import results, rules
from assessment.scoring.forms import (
    AdjustmentForm,
    CloseYearForm,
    ScoreForm,
    VetoForm,
    format_points,
    score_prefix,
)

# --- helpers --------------------------------------------------------------------------


class YearClosed(Exception):
    """The year was closed: nothing in it may change."""


def _lock_open_year(year: AssessmentYear) -> AssessmentYear:
    """Inside a transaction: lock the year row and refuse if it is closed.

    Locking the row makes closing the year wait for scoring changes in flight, and
    changes wait for a close in flight, so no change slips in after closing.
    """
    locked = AssessmentYear.objects.select_for_update().get(pk=year.pk)
    if locked.is_closed:
        raise YearClosed
    return locked


def _closed_message(request: HttpRequest, year: AssessmentYear) -> None:
    messages.error(
        request,
        _("The %(year)s assessment year is closed: nothing in it can be changed.")
        % {"year": year.year},
    )


def _workbench_url(year: AssessmentYear, department: Department, **query: int) -> str:
    url = reverse("assessment:workbench", args=[year.year, department.code])
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def _require_sees_all(user: User) -> None:
    if not user.sees_all_departments:
        raise PermissionDenied


def _applicable_targets(year: AssessmentYear, department: Department):
    return Target.objects.filter(category__year=year).for_department(department)


# --- scoring overview and workbench ---------------------------------------------------


@supervisor_required
def scoring_index(request: HttpRequest, year: int) -> HttpResponse:
    year_obj = get_year_or_404(year)
    department_results = results.year_results(year_obj, departments_for(request.user))
    department_results.sort(key=lambda r: (r.department.order, r.department.code))
    return render(
        request,
        "assessment/scoring/index.html",
        {
            "year": year_obj,
            "results": department_results,
            "scored": sum(r.scored_count for r in department_results),
            "to_score": sum(r.to_score_count for r in department_results),
        },
    )


@dataclass
class WorkbenchRow:
    line: results.TargetResult
    form: ScoreForm
    focus: bool

    @property
    def focus_field(self) -> str:
        """Where the cursor goes: the reason when only the reason is missing."""
        if not self.focus:
            return ""
        errors = self.form.errors if self.form.is_bound else {}
        return "reason" if "reason" in errors and "score" not in errors else "score"


def _score_form(
    line: results.TargetResult, data: Any = None, focus: bool = False
) -> WorkbenchRow:
    initial_score = line.assessed if line.assessed is not None else line.suggested
    form = ScoreForm(
        data,
        prefix=score_prefix(line.target.pk),
        max_points=line.points,
        suggested=line.suggested,
        initial={
            "score": format_points(initial_score),
            "reason": line.reason,
            "version": line.score.version if line.score else 0,
        },
    )
    return WorkbenchRow(line=line, form=form, focus=focus)


def _render_workbench(
    request: HttpRequest,
    year: AssessmentYear,
    department: Department,
    result: results.DepartmentResult,
    *,
    bound_score: tuple[int, Any] | None = None,
    adjustment_form: AdjustmentForm | None = None,
    veto_form: VetoForm | None = None,
    status: int = 200,
) -> HttpResponse:
    focus_id = request.GET.get("focus", "")
    rows = []
    for line in result.targets:
        if bound_score is not None and bound_score[0] == line.target.pk:
            rows.append(_score_form(line, bound_score[1], focus=True))
        else:
            focus = bound_score is None and focus_id == str(line.target.pk)
            rows.append(_score_form(line, focus=focus))
    if adjustment_form is None:
        adjustment_form = AdjustmentForm(
            targets=_applicable_targets(year, department), prefix="adj"
        )
    return render(
        request,
        "assessment/scoring/workbench.html",
        {
            "year": year,
            "department": department,
            "result": result,
            "rows": rows,
            "adjustment_form": adjustment_form,
            "veto_form": veto_form or VetoForm(prefix="veto"),
            "editable": not year.is_closed,
        },
        status=status,
    )


@supervisor_required
def workbench(request: HttpRequest, year: int, code: str) -> HttpResponse:
    year_obj = get_year_or_404(year)
    department = get_department_or_404(request.user, code)
    result = results.department_result(year_obj, department)
    return _render_workbench(request, year_obj, department, result)


class Outcome(Enum):
    SAVED = "saved"
    UNCHANGED = "unchanged"
    CONFLICT = "conflict"


def save_score(
    year: AssessmentYear,
    department: Department,
    target: Target,
    value: Decimal,
    reason: str,
    version: int,
    user: User,
) -> tuple[Outcome, Score]:
    """Store a score if nobody changed it since `version` (0: there was none).

    A resubmission of what is already stored succeeds without a change (double click,
    retry); a different stored value from another version is a conflict. Raises
    YearClosed when the year is closed.
    """
    with transaction.atomic():
        _lock_open_year(year)
        score = (
            Score.objects.select_for_update()
            .filter(target=target, department=department)
            .first()
        )
        if score is None:
            try:
                with transaction.atomic():
                    score = Score(
                        target=target,
                        department=department,
                        assessed_score=value,
                        reason=reason,
                        scored_by=user,
                    )
                    score.save()
                return Outcome.SAVED, score
            except IntegrityError:
                # Another supervisor created it a moment ago: compare with theirs.
                score = Score.objects.select_for_update().get(
                    target=target, department=department
                )
        if score.assessed_score == value and score.reason == reason:
            return Outcome.UNCHANGED, score
        if score.version != version:
            return Outcome.CONFLICT, score
        score.assessed_score = value
        score.reason = reason
        score.version += 1
        score.scored_by = user
        score.save()
        return Outcome.SAVED, score


def _next_target_id(result: results.DepartmentResult, target_id: int) -> int | None:
    ids = [line.target.pk for line in result.targets]
    position = ids.index(target_id)
    return ids[position + 1] if position + 1 < len(ids) else None


@supervisor_required
@require_POST
def score_save(
    request: HttpRequest, year: int, code: str, target_id: int
) -> HttpResponse:
    year_obj = get_year_or_404(year)
    department = get_department_or_404(request.user, code)
    if year_obj.is_closed:
        _closed_message(request, year_obj)
        return redirect(_workbench_url(year_obj, department))
    result = results.department_result(year_obj, department)
    line = result.target_result(target_id)
    if line is None:
        raise Http404
    row = _score_form(line, request.POST)
    if not row.form.is_valid():
        return _render_workbench(
            request, year_obj, department, result, bound_score=(target_id, request.POST)
        )
    data = row.form.cleaned_data
    try:
        outcome, score = save_score(
            year_obj,
            department,
            line.target,
            data["score"],
            data["reason"],
            data["version"],
            request.user,
        )
    except YearClosed:
        _closed_message(request, year_obj)
        return redirect(_workbench_url(year_obj, department))
    if outcome is Outcome.CONFLICT:
        messages.error(
            request,
            _(
                "%(target)s was changed by %(user)s at %(time)s to %(score)s while you "
                "were working on it. Your score %(mine)s was not saved; the page shows "
                "the current score."
            )
            % {
                "target": line.target,
                "user": score.scored_by.display_name if score.scored_by else "?",
                "time": formats.date_format(
                    timezone.localtime(score.scored_at), "DATETIME_FORMAT"
                ),
                "score": format_points(score.assessed_score),
                "mine": format_points(data["score"]),
            },
        )
        return redirect(_workbench_url(year_obj, department, focus=target_id))
    messages.success(
        request,
        _("Saved %(target)s: %(score)s.")
        % {"target": line.target, "score": format_points(score.assessed_score)},
    )
    next_id = _next_target_id(result, target_id)
    if next_id is None:
        return redirect(_workbench_url(year_obj, department) + "#summary")
    # No #fragment: browsers skip autofocus when the URL names a target element.
    return redirect(_workbench_url(year_obj, department, focus=next_id))


# --- deductions, bonus items and vetoes -----------------------------------------------


@supervisor_required
@require_POST
def adjustment_add(request: HttpRequest, year: int, code: str) -> HttpResponse:
    year_obj = get_year_or_404(year)
    department = get_department_or_404(request.user, code)
    if year_obj.is_closed:
        _closed_message(request, year_obj)
        return redirect(_workbench_url(year_obj, department))
    form = AdjustmentForm(
        request.POST, targets=_applicable_targets(year_obj, department), prefix="adj"
    )
    if not form.is_valid():
        result = results.department_result(year_obj, department)
        return _render_workbench(
            request, year_obj, department, result, adjustment_form=form
        )
    adjustment = Adjustment(
        year=year_obj,
        department=department,
        target=form.cleaned_data["target"],
        kind=form.cleaned_data["kind"],
        points=form.cleaned_data["points"],
        reason=form.cleaned_data["reason"],
        created_by=request.user,
    )
    refused = _change_in_open_year(request, year_obj, department, adjustment.save)
    if refused:
        return refused
    messages.success(
        request,
        _("Added: %(item)s.") % {"item": adjustment},
    )
    return redirect(_workbench_url(year_obj, department) + "#adjustments")


@supervisor_required
@require_POST
def adjustment_delete(
    request: HttpRequest, year: int, code: str, pk: int
) -> HttpResponse:
    year_obj = get_year_or_404(year)
    department = get_department_or_404(request.user, code)
    adjustment = get_object_or_404(
        Adjustment.objects.for_user(request.user),
        pk=pk,
        year=year_obj,
        department=department,
    )
    done = _("Removed: %(item)s.") % {"item": adjustment}
    refused = _change_in_open_year(request, year_obj, department, adjustment.delete)
    if refused:
        return refused
    messages.success(request, done)
    return redirect(_workbench_url(year_obj, department) + "#adjustments")


def _change_in_open_year(
    request: HttpRequest,
    year_obj: AssessmentYear,
    department: Department,
    change: Callable[[], object],
) -> HttpResponse | None:
    """Save or delete a deduction, bonus or veto with the year locked open; the
    workbench with a message instead (and nothing changed) if it closed meanwhile."""
    try:
        with transaction.atomic():
            _lock_open_year(year_obj)
            change()
    except YearClosed:
        _closed_message(request, year_obj)
        return redirect(_workbench_url(year_obj, department))
    return None


@supervisor_required
@require_POST
def veto_add(request: HttpRequest, year: int, code: str) -> HttpResponse:
    year_obj = get_year_or_404(year)
    department = get_department_or_404(request.user, code)
    if year_obj.is_closed:
        _closed_message(request, year_obj)
        return redirect(_workbench_url(year_obj, department))
    form = VetoForm(request.POST, prefix="veto")
    if not form.is_valid():
        result = results.department_result(year_obj, department)
        return _render_workbench(request, year_obj, department, result, veto_form=form)
    veto = Veto(
        year=year_obj,
        department=department,
        reason=form.cleaned_data["reason"],
        created_by=request.user,
    )
    refused = _change_in_open_year(request, year_obj, department, veto.save)
    if refused:
        return refused
    messages.warning(
        request,
        _("One-vote veto recorded: %(department)s is graded Fail.")
        % {"department": department},
    )
    return redirect(_workbench_url(year_obj, department) + "#vetoes")


@supervisor_required
@require_POST
def veto_delete(request: HttpRequest, year: int, code: str, pk: int) -> HttpResponse:
    year_obj = get_year_or_404(year)
    department = get_department_or_404(request.user, code)
    veto = get_object_or_404(
        Veto.objects.for_user(request.user),
        pk=pk,
        year=year_obj,
        department=department,
    )
    refused = _change_in_open_year(request, year_obj, department, veto.delete)
    if refused:
        return refused
    messages.success(request, _("The veto was removed."))
    return redirect(_workbench_url(year_obj, department) + "#vetoes")


# --- the year's status ----------------------------------------------------------------


@supervisor_required
@require_POST
def start_scoring(request: HttpRequest, year: int) -> HttpResponse:
    year_obj = get_year_or_404(year)
    with transaction.atomic():
        locked = AssessmentYear.objects.select_for_update().get(pk=year_obj.pk)
        if locked.status == YearStatus.OPEN:
            locked.status = YearStatus.SCORING
            locked.save(update_fields=["status"])
            messages.success(request, _("Scoring has started."))
        elif locked.is_closed:
            _closed_message(request, locked)
    return redirect("assessment:scoring-index", year=year_obj.year)


@supervisor_required
def close_year(request: HttpRequest, year: int) -> HttpResponse:
    year_obj = get_year_or_404(year)
    form = CloseYearForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if year_obj.is_closed:
            _closed_message(request, year_obj)
            return redirect("assessment:scoring-index", year=year_obj.year)
        if form.is_valid():
            with transaction.atomic():
                locked = AssessmentYear.objects.select_for_update().get(pk=year_obj.pk)
                locked.status = YearStatus.CLOSED
                locked.save(update_fields=["status"])
            messages.success(
                request,
                _("The %(year)s assessment year is closed and read-only.")
                % {"year": year_obj.year},
            )
            return redirect("assessment:ranking", year=year_obj.year)
    department_results = results.year_results(year_obj, departments_for(request.user))
    return render(
        request,
        "assessment/scoring/close_year.html",
        {
            "year": year_obj,
            "form": form,
            "to_score": sum(r.to_score_count for r in department_results),
        },
    )


# --- results --------------------------------------------------------------------------


def department_result(request: HttpRequest, year: int, code: str) -> HttpResponse:
    year_obj = get_year_or_404(year)
    department = get_department_or_404(request.user, code)
    if request.user.sees_all_departments:
        # The rank needs every department; only those who see them all get it.
        ranked = results.year_results(year_obj, departments_for(request.user))
        result = next(r for r in ranked if r.department.pk == department.pk)
    else:
        result = results.department_result(year_obj, department)
    return render(
        request,
        "assessment/scoring/result.html",
        {"year": year_obj, "department": department, "result": result},
    )


#: Bootstrap's success / primary / warning / danger, as on the grade badges.
GRADE_HEX = {
    rules.Grade.EXCELLENT: "#198754",
    rules.Grade.GOOD: "#0d6efd",
    rules.Grade.PASS: "#ffc107",
    rules.Grade.FAIL: "#dc3545",
}


def grade_chart(department_results: list[results.DepartmentResult]) -> charts.Chart:
    """The grade distribution as an inline SVG bar chart."""
    counts = Counter(r.grade for r in department_results if r.grade is not None)
    return charts.grade_chart(
        _("Number of departments per grade"),
        [(str(g.label), counts[g.value], GRADE_HEX[g]) for g in rules.Grade],
    )


def tied_ranks(department_results: list[results.DepartmentResult]) -> set[int]:
    """The ranks that more than one department shares."""
    seen: set[int] = set()
    tied: set[int] = set()
    for result in department_results:
        if result.rank is not None:
            (tied if result.rank in seen else seen).add(result.rank)
    return tied


def ranking(request: HttpRequest, year: int) -> HttpResponse:
    _require_sees_all(request.user)
    year_obj = get_year_or_404(year)
    department_results = results.year_results(year_obj, departments_for(request.user))
    bureau = results.bureau_result(year_obj, department_results)
    return render(
        request,
        "assessment/scoring/ranking.html",
        {
            "year": year_obj,
            "results": department_results,
            "bureau": bureau,
            "chart": grade_chart(department_results),
            "tied_ranks": tied_ranks(department_results),
        },
    )


def score_detail(
    request: HttpRequest, year: int, code: str, target_id: int
) -> HttpResponse:
    """Everything behind one score: rule, months, records, self-assessment, history."""
    year_obj = get_year_or_404(year)
    department = get_department_or_404(request.user, code)
    result = results.department_result(year_obj, department)
    line = result.target_result(target_id)
    if line is None:
        raise Http404
    record_links = []
    for indicator_year in line.indicators:
        source = sources.get(indicator_year.indicator.source)
        links: list[str | None] = [None] * 12
        if source is not None:
            for month in indicator_year.months:
                links[month - 1] = source.records_url(department.code, year, month)
        record_links.append(list(zip(indicator_year.month_list(), links, strict=True)))
    evidence = []
    if line.self_assessment is not None:
        evidence = list(
            Evidence.objects.for_user(request.user).filter(
                self_assessment=line.self_assessment
            )
        )
    history = []
    if line.score is not None:
        history = list(
            line.score.history.select_related("history_user").order_by("-history_date")
        )
    adjustments = [
        a for a in result.deductions + result.bonuses if a.target_id == target_id
    ]
    return render(
        request,
        "assessment/scoring/score_detail.html",
        {
            "year": year_obj,
            "department": department,
            "result": result,
            "line": line,
            "indicator_rows": list(zip(line.indicators, record_links, strict=True)),
            "months": range(1, 13),
            "evidence": evidence,
            "history": history,
            "adjustments": adjustments,
        },
    )
