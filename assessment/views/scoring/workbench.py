"""The supervisor's scoring workbench: scores, deductions, bonus items and vetoes.

Numbers come from `scoring.results` (which calls the pure functions of `scoring.rules`);
the writes are `scoring.scores`, which go through the write spine. These views check
access, validate forms and turn a refusal into a message.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from assessment import formatting, spine
from assessment.access import (
    AuthedRequest,
    departments_for,
    get_department_or_404,
    get_year_or_404,
    scorer_rights,
    supervisor_required,
)
from assessment.models import (
    Adjustment,
    AssessmentYear,
    Department,
    PanelScore,
    Target,
    Veto,
)
from assessment.scoring import bodies, results, scores
from assessment.scoring import publication as publishing
from assessment.scoring.forms import AdjustmentForm, ScoreForm, VetoForm, score_prefix


def _workbench_url(year: AssessmentYear, department: Department, **query: int) -> str:
    url = reverse("assessment:workbench", args=[year.year, department.code])
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def _applicable_targets(year: AssessmentYear, department: Department):
    return Target.objects.filter(category__year=year).for_department(department)


def _refused(
    request: AuthedRequest,
    year: AssessmentYear,
    department: Department,
    exc: spine.Refused,
) -> HttpResponse:
    messages.error(request, exc.message)
    return redirect(_workbench_url(year, department))


# --- scoring overview and workbench ---------------------------------------------------


@supervisor_required
def scoring_index(request: AuthedRequest, year: int) -> HttpResponse:
    year_obj = get_year_or_404(year)
    department_results = results.year_results(year_obj, departments_for(request.user))
    department_results.sort(key=lambda r: (r.department.order, r.department.code))
    return render(
        request,
        "assessment/scoring/index.html",
        {
            "year": year_obj,
            "results": department_results,
            "rows": [(r, _bodies_of(r)) for r in department_results],
            "scored": sum(r.scored_count for r in department_results),
            "to_score": sum(r.to_score_count for r in department_results),
        },
    )


@dataclass(frozen=True)
class BodyStatus:
    """A scoring body's progress with one department, for the scoring index."""

    code: str
    name: str
    progress: bodies.BodyProgress


def _bodies_of(result: results.DepartmentResult) -> list[BodyStatus]:
    named = {
        line.target.scoring_body_id: line.target.scoring_body
        for line in result.targets
        if line.target.scoring_body is not None
    }
    progress = bodies.body_progress(
        (line.target.scoring_body_id, line.is_scored) for line in result.targets
    )
    statuses = []
    for p in progress:
        body = named.get(p.body_id)
        if body is None:
            statuses.append(BodyStatus("", _("Any supervisor"), p))
        else:
            statuses.append(BodyStatus(body.code, body.name, p))
    return statuses


#: About how many characters of a reason fit on one line of its text area.
REASON_LINE_CHARS = 16


def reason_rows(text: str, *, least: int = 2, most: int = 10) -> int:
    """Rows a text area needs to show `text` whole (within `least` and `most`)."""
    lines = sum(
        max(1, -(-len(line) // REASON_LINE_CHARS)) for line in text.splitlines() or [""]
    )
    return max(least, min(most, lines))


@dataclass
class Panel:
    """A panel target as one scorer sees it: their own score, and for the lead
    assessor every member's."""

    count: int
    own: PanelScore | None
    members: list[PanelScore] = field(default_factory=list)


@dataclass
class WorkbenchRow:
    line: results.TargetResult
    form: ScoreForm
    focus: bool
    may_score: bool = True
    panel: Panel | None = None

    @property
    def reason_rows(self) -> int:
        """Rows for the reason's text area: enough for the text it holds."""
        value = self.form["reason"].value()
        return reason_rows(value if isinstance(value, str) else "")

    @property
    def focus_field(self) -> str:
        """Where the cursor goes: the reason when only the reason is missing."""
        if not self.focus:
            return ""
        errors = self.form.errors if self.form.is_bound else {}
        return "reason" if "reason" in errors and "score" not in errors else "score"


def _score_form(
    line: results.TargetResult,
    data: Any = None,
    focus: bool = False,
    *,
    may_score: bool = True,
    panel: Panel | None = None,
) -> WorkbenchRow:
    if panel is not None:
        # A panel member edits their own score, never the panel's mean.
        own = panel.own
        initial = {
            "score": formatting.points_input(own.score if own else line.suggested),
            "reason": own.reason if own else "",
            "version": own.version if own else 0,
        }
    else:
        initial_score = line.assessed if line.assessed is not None else line.suggested
        initial = {
            "score": formatting.points_input(initial_score),
            "reason": line.reason,
            "version": line.score.version if line.score else 0,
        }
    form = ScoreForm(
        data,
        prefix=score_prefix(line.target.pk),
        max_points=line.points,
        suggested=line.suggested,
        initial=initial,
    )
    return WorkbenchRow(
        line=line, form=form, focus=focus, may_score=may_score, panel=panel
    )


def _panels(
    year: AssessmentYear,
    department: Department,
    result: results.DepartmentResult,
    rights: bodies.ScorerRights,
    user: Any,
) -> dict[int, Panel]:
    """{target id: Panel} of the department's panel targets, in one query."""
    panel_ids = [line.target.pk for line in result.targets if line.target.panel]
    if not panel_ids:
        return {}
    by_target: dict[int, list[PanelScore]] = defaultdict(list)
    for panel_score in (
        PanelScore.objects.filter(department=department, target_id__in=panel_ids)
        .select_related("scorer")
        .order_by("scorer__username")
    ):
        by_target[panel_score.target_id].append(panel_score)
    lead = bodies.sees_panel_scores(rights)
    return {
        target_id: Panel(
            count=len(by_target[target_id]),
            own=next((p for p in by_target[target_id] if p.scorer_id == user.pk), None),
            members=by_target[target_id] if lead else [],
        )
        for target_id in panel_ids
    }


def _render_workbench(
    request: AuthedRequest,
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
    rights = scorer_rights(request.user, year)
    panels = _panels(year, department, result, rights, request.user)
    rows = []
    for line in result.targets:
        may_score = bodies.may_score(rights, line.target.scoring_body_id)
        panel = panels.get(line.target.pk)
        if bound_score is not None and bound_score[0] == line.target.pk:
            rows.append(
                _score_form(
                    line, bound_score[1], focus=True, may_score=may_score, panel=panel
                )
            )
        else:
            focus = bound_score is None and focus_id == str(line.target.pk)
            rows.append(
                _score_form(line, focus=focus, may_score=may_score, panel=panel)
            )
    results_locked = publishing.guard(year) or ""
    if adjustment_form is None:
        adjustment_form = AdjustmentForm(
            targets=_applicable_targets(year, department),
            bonus_cap=year.bonus_cap,
            prefix="adj",
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
            "editable": not year.is_closed and not results_locked,
            "results_locked": results_locked,
        },
        status=status,
    )


@supervisor_required
def workbench(request: AuthedRequest, year: int, code: str) -> HttpResponse:
    year_obj = get_year_or_404(year)
    department = get_department_or_404(request.user, code)
    result = results.department_result(year_obj, department)
    return _render_workbench(request, year_obj, department, result)


def _next_target_id(
    result: results.DepartmentResult, target_id: int, rights: bodies.ScorerRights
) -> int | None:
    """The next target after `target_id` that this scorer may score."""
    ids = [line.target.pk for line in result.targets]
    for line in result.targets[ids.index(target_id) + 1 :]:
        if bodies.may_score(rights, line.target.scoring_body_id):
            return line.target.pk
    return None


@supervisor_required
@require_POST
def score_save(
    request: AuthedRequest, year: int, code: str, target_id: int
) -> HttpResponse:
    year_obj = get_year_or_404(year)
    department = get_department_or_404(request.user, code)
    if year_obj.is_closed:
        return _refused(
            request, year_obj, department, spine.Refused(spine.closed_message(year))
        )
    result = results.department_result(year_obj, department)
    line = result.target_result(target_id)
    if line is None:
        raise Http404
    rights = scorer_rights(request.user, year_obj)
    if not bodies.may_score(rights, line.target.scoring_body_id):
        # Another body's target: read-only on the page, refused here whatever was sent.
        raise PermissionDenied
    row = _score_form(line, request.POST)
    if not row.form.is_valid():
        return _render_workbench(
            request, year_obj, department, result, bound_score=(target_id, request.POST)
        )
    data = row.form.cleaned_data
    save = scores.save_panel_score if line.target.panel else scores.save_score
    try:
        saved = save(
            year_obj,
            department,
            line.target,
            data["score"],
            data["reason"],
            data["version"],
            request.user,
        )
    except spine.Refused as exc:
        return _refused(request, year_obj, department, exc)
    stored = saved.row
    stored_score: Decimal | None
    if isinstance(stored, PanelScore):
        stored_score, stored_by = stored.score, stored.entered_by
    else:
        stored_score, stored_by = stored.assessed_score, stored.scored_by
    if saved.conflict:
        messages.error(
            request,
            _(
                "%(target)s was changed by %(user)s at %(time)s to %(score)s while you "
                "were working on it. Your score %(mine)s was not saved; the page shows "
                "the current score."
            )
            % {
                "target": line.target,
                "user": stored_by.display_name if stored_by else "?",
                "time": formatting.moment(stored.scored_at),
                "score": formatting.points(stored_score),
                "mine": formatting.points(data["score"]),
            },
        )
        return redirect(_workbench_url(year_obj, department, focus=target_id))
    messages.success(
        request,
        _("Saved %(target)s: %(score)s.")
        % {"target": line.target, "score": formatting.points(stored_score)},
    )
    next_id = _next_target_id(result, target_id, rights)
    if next_id is None:
        return redirect(_workbench_url(year_obj, department) + "#summary")
    # No #fragment: browsers skip autofocus when the URL names a target element.
    return redirect(_workbench_url(year_obj, department, focus=next_id))


# --- deductions, bonus items and vetoes -----------------------------------------------


@supervisor_required
@require_POST
def adjustment_add(request: AuthedRequest, year: int, code: str) -> HttpResponse:
    year_obj = get_year_or_404(year)
    department = get_department_or_404(request.user, code)
    form = AdjustmentForm(
        request.POST,
        targets=_applicable_targets(year_obj, department),
        bonus_cap=year_obj.bonus_cap,
        prefix="adj",
    )
    if not form.is_valid():
        result = results.department_result(year_obj, department)
        return _render_workbench(
            request, year_obj, department, result, adjustment_form=form
        )
    data = form.cleaned_data
    try:
        added = scores.add_adjustment(
            year_obj,
            department,
            kind=data["kind"],
            points=data["points"],
            reason=data["reason"],
            target=data["target"],
            user=request.user,
            once=data["once"],
        )
    except spine.Refused as exc:
        return _refused(request, year_obj, department, exc)
    if added.created:
        messages.success(request, _("Added: %(item)s.") % {"item": added.item})
    else:
        messages.info(request, _("Already added: %(item)s.") % {"item": added.item})
    return redirect(_workbench_url(year_obj, department) + "#adjustments")


def _confirm_removal(
    request: AuthedRequest,
    year: AssessmentYear,
    department: Department,
    *,
    adjustment: Adjustment | None = None,
    veto: Veto | None = None,
) -> HttpResponse:
    """The page that asks before a deduction, bonus item or veto is deleted."""
    locked = (
        spine.closed_message(year.year) if year.is_closed else publishing.guard(year)
    )
    if locked:
        messages.error(request, locked)
        return redirect(_workbench_url(year, department))
    return render(
        request,
        "assessment/scoring/confirm_removal.html",
        {
            "year": year,
            "department": department,
            "adjustment": adjustment,
            "veto": veto,
            "back": _workbench_url(year, department)
            + ("#adjustments" if adjustment is not None else "#vetoes"),
        },
    )


@supervisor_required
@require_http_methods(["GET", "POST"])
def adjustment_delete(
    request: AuthedRequest, year: int, code: str, pk: int
) -> HttpResponse:
    """GET asks for confirmation, listing the item; POST deletes it."""
    year_obj = get_year_or_404(year)
    department = get_department_or_404(request.user, code)
    adjustment = get_object_or_404(
        Adjustment.objects.for_user(request.user).select_related(
            "target", "created_by"
        ),
        pk=pk,
        year=year_obj,
        department=department,
    )
    if request.method == "GET":
        return _confirm_removal(request, year_obj, department, adjustment=adjustment)
    done = _("Removed: %(item)s.") % {"item": adjustment}
    try:
        scores.remove(adjustment, request.user)
    except spine.Refused as exc:
        return _refused(request, year_obj, department, exc)
    messages.success(request, done)
    return redirect(_workbench_url(year_obj, department) + "#adjustments")


@supervisor_required
@require_POST
def veto_add(request: AuthedRequest, year: int, code: str) -> HttpResponse:
    year_obj = get_year_or_404(year)
    department = get_department_or_404(request.user, code)
    form = VetoForm(request.POST, prefix="veto")
    if not form.is_valid():
        result = results.department_result(year_obj, department)
        return _render_workbench(request, year_obj, department, result, veto_form=form)
    try:
        scores.add_veto(
            year_obj,
            department,
            reason=form.cleaned_data["reason"],
            user=request.user,
            once=form.cleaned_data["once"],
        )
    except spine.Refused as exc:
        return _refused(request, year_obj, department, exc)
    messages.warning(
        request,
        _("One-vote veto recorded: %(department)s is graded Fail.")
        % {"department": department},
    )
    return redirect(_workbench_url(year_obj, department) + "#vetoes")


@supervisor_required
@require_http_methods(["GET", "POST"])
def veto_delete(request: AuthedRequest, year: int, code: str, pk: int) -> HttpResponse:
    """GET asks for confirmation, showing the veto; POST removes it."""
    year_obj = get_year_or_404(year)
    department = get_department_or_404(request.user, code)
    veto = get_object_or_404(
        Veto.objects.for_user(request.user).select_related("created_by"),
        pk=pk,
        year=year_obj,
        department=department,
    )
    if request.method == "GET":
        return _confirm_removal(request, year_obj, department, veto=veto)
    try:
        scores.remove(veto, request.user)
    except spine.Refused as exc:
        return _refused(request, year_obj, department, exc)
    messages.success(request, _("The veto was removed."))
    return redirect(_workbench_url(year_obj, department) + "#vetoes")
