"""Progress watched (亮灯): the leader's dashboard, a department's lights and the
monthly progress bulletin (月度通报)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assessment import spine
from assessment.access import (
    AuthedRequest,
    departments_for,
    get_department_or_404,
    get_year_or_404,
    sees_all_required,
    supervisor_required,
)
from assessment.models import AssessmentYear
from assessment.progress import bulletin, charts, lights, watch
from assessment.scoring.rules import Grade

#: Bar colours of the projected results, by grade (Bootstrap's).
GRADE_HEX = {
    Grade.EXCELLENT: "#198754",
    Grade.GOOD: "#0d6efd",
    Grade.PASS: "#e0a800",
    Grade.FAIL: "#dc3545",
}


def _month(request: AuthedRequest, year: AssessmentYear) -> int:
    """The month asked for (?month=), else the last month that is over."""
    try:
        month = int(request.GET.get("month", ""))
    except ValueError:
        return watch.default_month(year)
    return month if 1 <= month <= 12 else watch.default_month(year)


def _valid_month(month: int) -> int:
    if not 1 <= month <= 12:
        raise Http404
    return month


@require_GET
@sees_all_required
def dashboard(request: AuthedRequest, year: int) -> HttpResponse:
    year_obj = get_year_or_404(year)
    month = _month(request, year_obj)
    departments = list(departments_for(request.user))
    watched = watch.year_progress(year_obj, departments, month)
    chart = charts.projected_chart(
        _("Projected result per 100 points"),
        [
            (
                d.department.name,
                d.per_100,
                GRADE_HEX.get(d.grade, "#6c757d") if d.grade else "#6c757d",
            )
            for d in watched.departments
        ],
    )
    labels = (
        str(year_obj.year),
        str(watched.last_year.year) if watched.last_year else str(year_obj.year - 1),
    )
    trends = [
        (
            trend,
            charts.trend_chart(
                trend.indicator.name, *trend.series(), labels, trend.indicator.decimals
            ),
        )
        for trend in watch.trends(
            watched, watch.key_indicators(year_obj), max(month, 0)
        )
    ]
    return render(
        request,
        "assessment/progress/dashboard.html",
        {
            "year": year_obj,
            "month": month,
            "months": range(1, 13),
            "watched": watched,
            "chart": chart,
            "trends": trends,
            "completeness": watch.completeness(year_obj, departments, month),
            "light_colours": lights.LIGHT_COLOURS,
        },
    )


@require_GET
def department_progress(request: AuthedRequest, year: int, code: str) -> HttpResponse:
    """One department's lights, target by target: what the dashboard's numbers are
    made of. Clerks see their own departments only (another answers 404)."""
    year_obj = get_year_or_404(year)
    department = get_department_or_404(request.user, code)
    month = _month(request, year_obj)
    watched = watch.year_progress(year_obj, [department], month)
    if not watched.departments:
        raise Http404  # the bureau itself: its units carry the targets
    return render(
        request,
        "assessment/progress/department.html",
        {
            "year": year_obj,
            "month": month,
            "months": range(1, 13),
            "department": department,
            "row": watched.departments[0],
        },
    )


def _bulletin(request: AuthedRequest, year: int, month: int) -> bulletin.BulletinData:
    year_obj = get_year_or_404(year)
    return bulletin.bulletin_data(
        year_obj, list(departments_for(request.user)), _valid_month(month)
    )


@require_GET
@sees_all_required
def bulletin_page(request: AuthedRequest, year: int, month: int) -> HttpResponse:
    data = _bulletin(request, year, month)
    return render(
        request,
        "assessment/progress/bulletin.html",
        {
            "year": data.year,
            "data": data,
            "month": data.month,
            "months": range(1, 13),
            "can_issue": request.user.is_supervisor
            and data.issued is None
            and not data.year.is_closed,
        },
    )


@require_GET
@sees_all_required
def bulletin_pdf(request: AuthedRequest, year: int, month: int) -> HttpResponse:
    data = _bulletin(request, year, month)
    response = HttpResponse(bulletin.render_pdf(data), content_type="application/pdf")
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=bulletin.filename(data))
        or "attachment"
    )
    return response


@require_POST
@supervisor_required
def bulletin_issue(request: AuthedRequest, year: int, month: int) -> HttpResponse:
    year_obj = get_year_or_404(year)
    try:
        bulletin.issue(request.user, year_obj, _valid_month(month))
    except spine.Refused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("The bulletin is issued."))
    return redirect("assessment:bulletin", year=year, month=month)
