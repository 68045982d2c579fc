from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from assessment.models import AssessmentYear


def home(request: HttpRequest) -> HttpResponse:
    year = AssessmentYear.objects.current()
    if year is None:
        return render(request, "assessment/home_empty.html")
    if request.user.sees_all_departments:
        return redirect("assessment:matrix", year=year.year)
    return redirect("assessment:board", year=year.year)
