"""Next year (年度目标制定) and issuing its targets (目标下达): the pages.

Set up next year and publish are the supervisor's; the plan page edits the draft; each
department's 目标责任书 is a page and a PDF that its own clerks, supervisors and leaders
may read, and that a member of the department acknowledges.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessment import spine
from assessment.access import (
    AuthedRequest,
    departments_for,
    get_department_or_404,
    get_plannable_year_or_404,
    supervisor_required,
)
from assessment.models import AssessmentYear, Category, Department, Indicator, Target
from assessment.planning import issuing, letters, plan, rollover, rules
from assessment.planning.forms import plan_formset


def _next_year(year: AssessmentYear) -> AssessmentYear | None:
    return AssessmentYear.objects.filter(year=rollover.next_year_number(year)).first()


@supervisor_required
def next_year(request: AuthedRequest, year: int) -> HttpResponse:
    """What setting up next year copies, and the button that does it."""
    year_obj = get_plannable_year_or_404(request.user, year)
    existing = _next_year(year_obj)
    if request.method == "POST" and existing is None:
        try:
            created = rollover.set_up_next_year(year_obj, request.user)
        except spine.Refused as refused:
            messages.error(request, refused.message)
            return redirect("assessment:next-year", year=year_obj.year)
        messages.success(
            request,
            _(
                "The %(year)s assessment year is set up as a draft: check the "
                "targets, then publish them."
            )
            % {"year": created.year},
        )
        return redirect("assessment:plan", year=created.year)
    targets = Target.objects.filter(category__year=year_obj)
    return render(
        request,
        "assessment/planning/next_year.html",
        {
            "year": year_obj,
            "next_number": rollover.next_year_number(year_obj),
            "existing": existing,
            "categories": Category.objects.filter(year=year_obj).count(),
            "targets": targets.count(),
            "indicators": Indicator.objects.filter(year=year_obj).count(),
            "retired": Department.objects.filter(active=False)
            .filter(targets__in=targets)
            .distinct()
            .order_by("order", "code"),
        },
        status=400 if request.method == "POST" else 200,
    )


@supervisor_required
def plan_page(request: AuthedRequest, year: int) -> HttpResponse:
    """The draft's targets in one form: points, target values, departments."""
    year_obj = get_plannable_year_or_404(request.user, year)
    targets = plan.plan_targets(year_obj)
    editable = year_obj.is_draft
    formset = plan_formset(
        targets, request.POST if request.method == "POST" and editable else None
    )
    if request.method == "POST":
        if not editable:
            messages.error(
                request,
                _("The %(year)s targets have been issued: the plan cannot be changed.")
                % {"year": year_obj.year},
            )
        elif formset.is_valid():
            try:
                changed = plan.save_plan(year_obj, request.user, formset.planned())
            except spine.Refused as refused:
                messages.error(request, refused.message)
            else:
                messages.success(
                    request,
                    _("The plan was saved (%(count)d targets changed).")
                    % {"count": changed},
                )
                return redirect("assessment:plan", year=year_obj.year)
    problems = rules.catalogue_problems(plan.plan_lines(targets))
    return render(
        request,
        "assessment/planning/plan.html",
        {
            "year": year_obj,
            "formset": formset,
            "rows": list(zip(targets, formset.forms, strict=True)),
            "editable": editable,
            "problems": problems,
            "total": rules.points_total(target.points for target in targets),
        },
        status=400 if request.method == "POST" else 200,
    )


@supervisor_required
def publish(request: AuthedRequest, year: int) -> HttpResponse:
    """What stops the targets being issued, then the button that issues them."""
    year_obj = get_plannable_year_or_404(request.user, year)
    if request.method == "POST":
        try:
            departments = issuing.publish(year_obj, request.user)
        except spine.Refused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(
                request,
                _(
                    "The %(year)s targets were issued to %(count)d departments; the "
                    "year is open."
                )
                % {"year": year_obj.year, "count": len(departments)},
            )
            return redirect("assessment:acknowledgements", year=year_obj.year)
    targets = plan.plan_targets(year_obj)
    return render(
        request,
        "assessment/planning/publish.html",
        {
            "year": year_obj,
            "problems": rules.catalogue_problems(plan.plan_lines(targets)),
            "departments": issuing.receiving_departments(year_obj),
            "target_count": len(targets),
        },
        status=400 if request.method == "POST" else 200,
    )


def acknowledgements(request: AuthedRequest, year: int) -> HttpResponse:
    """Who has acknowledged the year's targets; a clerk goes to their own letter."""
    year_obj = get_plannable_year_or_404(request.user, year)
    if not request.user.sees_all_departments:
        department = departments_for(request.user).order_by("order", "code").first()
        if department is None:
            raise PermissionDenied
        return redirect("assessment:target-letter", year=year, code=department.code)
    lines = issuing.acknowledgement_lines(year_obj, departments_for(request.user))
    return render(
        request,
        "assessment/planning/acknowledgements.html",
        {
            "year": year_obj,
            "lines": lines,
            "outstanding": sum(1 for line in lines if not line.acknowledged),
        },
    )


def _letter(request: AuthedRequest, year: int, code: str) -> letters.Letter:
    year_obj = get_plannable_year_or_404(request.user, year)
    department = get_department_or_404(request.user, code)
    return letters.build_letter(year_obj, department)


def target_letter(request: AuthedRequest, year: int, code: str) -> HttpResponse:
    letter = _letter(request, year, code)
    return render(
        request,
        "assessment/planning/letter_page.html",
        {
            "letter": letter,
            "body": letters.render_letter_body(letter),
            "may_acknowledge": not letter.is_draft
            and not letter.year.is_closed
            and issuing.may_acknowledge(request.user, letter.department),
        },
    )


def target_letter_pdf(request: AuthedRequest, year: int, code: str) -> HttpResponse:
    letter = _letter(request, year, code)
    response = HttpResponse(
        letters.render_letter_pdf(letter), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        content_disposition_header(
            as_attachment=True, filename=letters.letter_filename(letter)
        )
        or "attachment"
    )
    return response


@require_POST
def acknowledge(request: AuthedRequest, year: int, code: str) -> HttpResponse:
    year_obj = get_plannable_year_or_404(request.user, year)
    department = get_department_or_404(request.user, code)
    if not issuing.may_acknowledge(request.user, department):
        raise PermissionDenied
    try:
        row, created = issuing.acknowledge(year_obj, department, request.user)
    except spine.Refused as refused:
        messages.error(request, refused.message)
    else:
        if created:
            messages.success(
                request, _("Thank you: the targets are acknowledged as received.")
            )
        else:
            messages.info(
                request,
                _("%(who)s acknowledged these targets already.")
                % {"who": row.acknowledged_by.display_name},
            )
    return redirect("assessment:target-letter", year=year_obj.year, code=code)
