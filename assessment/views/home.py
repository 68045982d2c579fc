from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render

from assessment.access import AuthedRequest
from assessment.models import AssessmentYear


def home(request: AuthedRequest) -> HttpResponse:
    year = AssessmentYear.objects.current()
    if year is None:
        return render(request, "assessment/home_empty.html")
    if request.user.sees_all_departments:
        return redirect("assessment:matrix", year=year.year)
    return redirect("assessment:board", year=year.year)
