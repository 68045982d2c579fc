"""Results: a department's result page, the ranking and everything behind one score."""

from __future__ import annotations

from collections import Counter

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from assessment import sources
from assessment.access import (
    AuthedRequest,
    departments_for,
    get_department_or_404,
    get_year_or_404,
    sees_all_required,
)
from assessment.models import Evidence
from assessment.reporting import charts
from assessment.scoring import results, rules


def department_result(request: AuthedRequest, year: int, code: str) -> HttpResponse:
    year_obj = get_year_or_404(year)
    department = get_department_or_404(request.user, code)
    if request.user.sees_all_departments:
        # The rank needs every department; only those who see them all get it.
        ranked = results.year_results(
            year_obj, departments_for(request.user), stored=True
        )
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
        [(str(g.label), counts[g], GRADE_HEX[g]) for g in rules.Grade],
    )


def tied_ranks(department_results: list[results.DepartmentResult]) -> set[int]:
    """The ranks that more than one department shares."""
    seen: set[int] = set()
    tied: set[int] = set()
    for result in department_results:
        if result.rank is not None:
            (tied if result.rank in seen else seen).add(result.rank)
    return tied


@sees_all_required
def ranking(request: AuthedRequest, year: int) -> HttpResponse:
    year_obj = get_year_or_404(year)
    department_results = results.year_results(
        year_obj, departments_for(request.user), stored=True
    )
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
    request: AuthedRequest, year: int, code: str, target_id: int
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
