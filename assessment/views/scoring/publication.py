"""Publication of the results (公示): the published list, a department's published
score sheet, publishing, making final, and the printed notice."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessment import spine
from assessment.access import (
    AuthedRequest,
    get_department_or_404,
    get_year_or_404,
    supervisor_required,
)
from assessment.models import (
    AssessmentYear,
    Department,
    Objection,
    ObjectionKind,
    Publication,
)
from assessment.reporting import pdf
from assessment.reporting.notice import render_notice
from assessment.scoring import objections, results, window
from assessment.scoring import publication as publishing
from assessment.scoring.objection_forms import PublishForm
from assessment.scoring.self_assessment import is_department_clerk


def published_results(year: AssessmentYear) -> list[results.DepartmentResult]:
    """Every department's published result, ranked among all of them.

    The published list (公示) is addressed to every department: its totals, grades
    and ranks are shown to everyone signed in; each sheet stays with its department.
    """
    return results.year_results(year, Department.objects.all(), stored=True)


def _publication_or_404(year: AssessmentYear) -> Publication:
    found = publishing.publication_of(year)
    if found is None:
        raise Http404(_("The results of this year are not published."))
    return found


def publication_page(request: AuthedRequest, year: int) -> HttpResponse:
    """The published list; before publishing, the supervisor's publish form."""
    year_obj = get_year_or_404(year)
    found = publishing.publication_of(year_obj)
    if found is None:
        if not request.user.is_supervisor:
            raise Http404(_("The results of this year are not published."))
        starts_on, ends_on = publishing.default_window()
        return render(
            request,
            "assessment/publication/publish.html",
            {
                "year": year_obj,
                "form": PublishForm(
                    initial={"starts_on": starts_on, "ends_on": ends_on}
                ),
                "outstanding": publishing.before_publishing(year_obj),
                "working_days": window.DEFAULT_WORKING_DAYS,
            },
        )
    department_results = published_results(year_obj)
    visible = set(
        Department.objects.visible_to(request.user).values_list("pk", flat=True)
    )
    return render(
        request,
        "assessment/publication/publication.html",
        {
            "year": year_obj,
            "publication": found,
            "state": publishing.window_state(found).value,
            "results": department_results,
            "visible": visible,
            "open_count": publishing.open_objection_count(year_obj)
            if request.user.is_supervisor
            else None,
        },
    )


@supervisor_required
@require_POST
def publish(request: AuthedRequest, year: int) -> HttpResponse:
    year_obj = get_year_or_404(year)
    form = PublishForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "assessment/publication/publish.html",
            {
                "year": year_obj,
                "form": form,
                "outstanding": publishing.before_publishing(year_obj),
                "working_days": window.DEFAULT_WORKING_DAYS,
            },
            status=400,
        )
    try:
        publishing.publish(
            year_obj,
            request.user,
            form.cleaned_data["starts_on"],
            form.cleaned_data["ends_on"],
        )
    except spine.Refused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The provisional results are published."))
    return redirect("assessment:publication", year=year_obj.year)


@supervisor_required
@require_POST
def finalize(request: AuthedRequest, year: int) -> HttpResponse:
    year_obj = get_year_or_404(year)
    try:
        publishing.finalize(year_obj, request.user)
    except spine.Refused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The results are final."))
    return redirect("assessment:publication", year=year_obj.year)


def published_sheet(request: AuthedRequest, year: int, code: str) -> HttpResponse:
    """A department's published score sheet: every point's reason, every objection."""
    year_obj = get_year_or_404(year)
    department = get_department_or_404(request.user, code)
    found = _publication_or_404(year_obj)
    ranked = published_results(year_obj)
    result = next((r for r in ranked if r.department.pk == department.pk), None)
    if result is None:
        raise Http404(_("This department is not assessed."))
    filed = list(
        Objection.objects.for_user(request.user)
        .filter(year=year_obj, department=department)
        .select_related("filed_by", "answered_by")
    )
    open_items = {o.item for o in filed if o.is_open}
    items = objections.items_of(result)
    may_object = is_department_clerk(request.user, department)
    closed_reason = objections.window_refusal(found)
    return render(
        request,
        "assessment/publication/sheet.html",
        {
            "year": year_obj,
            "publication": found,
            "state": publishing.window_state(found).value,
            "department": department,
            "result": result,
            "score_items": [i for i in items if i.kind == ObjectionKind.SCORE],
            "other_items": [i for i in items if i.kind != ObjectionKind.SCORE],
            "open_items": open_items,
            "objections": filed,
            "may_object": may_object and closed_reason is None,
            "closed_reason": closed_reason if may_object else "",
        },
    )


def notice_pdf(request: AuthedRequest, year: int) -> HttpResponse:
    """The published list as a printed notice (公示), in the report's layout."""
    year_obj = get_year_or_404(year)
    found = _publication_or_404(year_obj)
    content = pdf.render_pdf(
        render_notice(year_obj, found, published_results(year_obj))
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        content_disposition_header(
            as_attachment=True, filename=f"publication-{year_obj.year}.pdf"
        )
        or "attachment"
    )
    return response
