"""The year's status: starting scoring and closing the year."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessment import spine, years
from assessment.access import (
    AuthedRequest,
    departments_for,
    get_year_or_404,
    supervisor_required,
)
from assessment.scoring.forms import CloseYearForm


@supervisor_required
@require_POST
def start_scoring(request: AuthedRequest, year: int) -> HttpResponse:
    year_obj = get_year_or_404(year)
    try:
        if years.start_scoring(year_obj, request.user):
            messages.success(request, _("Scoring has started."))
    except spine.Refused as exc:
        messages.error(request, exc.message)
    return redirect("assessment:scoring-index", year=year_obj.year)


@supervisor_required
def close_year(request: AuthedRequest, year: int) -> HttpResponse:
    """The outstanding work first; closing with any needs a reason."""
    year_obj = get_year_or_404(year)
    departments = departments_for(request.user)
    outstanding = years.outstanding_work(year_obj, departments)
    form = CloseYearForm(
        request.POST if request.method == "POST" else None,
        outstanding=not outstanding.is_empty,
    )
    if request.method == "POST" and form.is_valid():
        try:
            years.close_year(
                year_obj, request.user, departments, form.cleaned_data["reason"]
            )
        except spine.Refused as exc:
            messages.error(request, exc.message)
            return redirect("assessment:close-year", year=year_obj.year)
        messages.success(
            request,
            _("The %(year)s assessment year is closed and read-only.")
            % {"year": year_obj.year},
        )
        return redirect("assessment:ranking", year=year_obj.year)
    return render(
        request,
        "assessment/scoring/close_year.html",
        {
            "year": year_obj,
            "form": form,
            "outstanding": outstanding,
            "blockers": years.close_blockers(year_obj),
        },
        status=400 if form.is_bound else 200,
    )
