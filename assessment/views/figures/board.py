"""What is due: the clerk's board and the supervisors' completeness matrix."""

from __future__ import annotations

import dataclasses

from django.http import HttpResponse
from django.shortcuts import render

from assessment import access
from assessment.access import AuthedRequest
from assessment.figures import periods, queue
from assessment.models import AssessmentYear
from assessment.quality import followups


def board(request: AuthedRequest, year: int) -> HttpResponse:
    assessment_year = access.get_year_or_404(year)
    departments = access.departments_for(request.user)
    grid = periods.month_grid(
        assessment_year,
        periods.reporting(assessment_year, departments).order_by("order", "code"),
    )
    return render(
        request,
        "assessment/figures/board.html",
        {
            "year": assessment_year,
            "grid": grid,
            "ordered": [(row, *queue.board_order(row.cells)) for row in grid],
            "has_departments": bool(grid) or departments.exists(),
            "today": periods.today(),
            "years": _years(),
        },
    )


@access.sees_all_required
def matrix(request: AuthedRequest, year: int) -> HttpResponse:
    assessment_year = access.get_year_or_404(year)
    grid = periods.month_grid(
        assessment_year,
        periods.reporting(
            assessment_year, access.departments_for(request.user)
        ).order_by("order", "code"),
    )
    flagged = followups.open_counts(
        assessment_year, [row.department.pk for row in grid]
    )
    for row in grid:
        row.cells[:] = [
            dataclasses.replace(
                cell, follow_ups=flagged.get((row.department.pk, cell.month), 0)
            )
            for cell in row.cells
        ]
    return render(
        request,
        "assessment/figures/matrix.html",
        {
            "year": assessment_year,
            "grid": grid,
            "counts": periods.state_counts(grid),
            "flagged_total": sum(flagged.values()),
            "can_urge": request.user.is_supervisor and not assessment_year.is_closed,
            "months": range(1, 13),
            "today": periods.today(),
            "years": _years(),
        },
    )


def _years() -> list[int]:
    return list(AssessmentYear.objects.issued().values_list("year", flat=True))
