from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from ..models import AssessmentYear
from ..models.catalogue import YearStatus


def current_year() -> AssessmentYear | None:
    """The latest open year, else the newest one."""
    return (
        AssessmentYear.objects.filter(status=YearStatus.OPEN).order_by("-year").first()
        or AssessmentYear.objects.order_by("-year").first()
    )


def home(request: HttpRequest) -> HttpResponse:
    year = current_year()
    if year is None:
        return render(request, "assessment/home_empty.html")
    if request.user.sees_all_departments:
        return redirect("assessment:matrix", year=year.year)
    return redirect("assessment:board", year=year.year)
