"""The score sheet on paper: a department's 考核评分表 and the bureau's summary sheet,
each as a page to print and as a PDF."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from assessment.access import (
    AuthedRequest,
    departments_for,
    get_department_or_404,
    get_year_or_404,
    sees_all_required,
)
from assessment.models import AssessmentYear, Department
from assessment.reporting import score_sheet
from assessment.scoring import results


def _department_result(
    request: AuthedRequest, year: int, code: str
) -> tuple[AssessmentYear, Department, results.DepartmentResult]:
    year_obj = get_year_or_404(year)
    department = get_department_or_404(request.user, code)
    result = results.department_result(year_obj, department)
    if not result.targets:
        raise Http404  # the bureau itself: its units have the sheets
    return year_obj, department, result


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=filename)
        or "attachment"
    )
    return response


@require_GET
def department_sheet(request: AuthedRequest, year: int, code: str) -> HttpResponse:
    year_obj, department, result = _department_result(request, year, code)
    return render(
        request,
        "assessment/scoring/score_sheet.html",
        {
            "year": year_obj,
            "department": department,
            "sheet": score_sheet.department_sheet(result),
            "pdf_url": reverse(
                "assessment:score-sheet-pdf", args=[year_obj.year, department.code]
            ),
        },
    )


@require_GET
def department_sheet_pdf(request: AuthedRequest, year: int, code: str) -> HttpResponse:
    year_obj, department, result = _department_result(request, year, code)
    return _pdf(
        score_sheet.department_pdf(result), score_sheet.filename(year_obj, department)
    )


def _ranked(request: AuthedRequest, year: int):
    year_obj = get_year_or_404(year)
    return year_obj, results.year_results(
        year_obj, departments_for(request.user), stored=True
    )


@require_GET
@sees_all_required
def summary_sheet(request: AuthedRequest, year: int) -> HttpResponse:
    year_obj, ranked = _ranked(request, year)
    return render(
        request,
        "assessment/scoring/score_sheet.html",
        {
            "year": year_obj,
            "department": None,
            "sheet": score_sheet.summary_sheet(year_obj, ranked),
            "pdf_url": reverse("assessment:summary-sheet-pdf", args=[year_obj.year]),
        },
    )


@require_GET
@sees_all_required
def summary_sheet_pdf(request: AuthedRequest, year: int) -> HttpResponse:
    year_obj, ranked = _ranked(request, year)
    return _pdf(
        score_sheet.summary_pdf(year_obj, ranked), score_sheet.filename(year_obj, None)
    )
