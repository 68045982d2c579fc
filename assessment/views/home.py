from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from assessment import access
from assessment.access import AuthedRequest
from assessment.models import AssessmentYear

#: URL arguments that name the same thing in every year; any other (a target's or a
#: figure's id) belongs to one year's catalogue and cannot follow a switch.
_YEARLESS_ARGUMENTS = {"year", "code", "month"}


def home(request: AuthedRequest) -> HttpResponse:
    year = AssessmentYear.objects.current()
    if year is None:
        return render(request, "assessment/home_empty.html")
    if request.user.is_supervisor:
        return redirect("assessment:queue")
    return _year_home(request, year.year)


def _year_home(request: AuthedRequest, year: int) -> HttpResponse:
    if request.user.is_supervisor:  # the review queue, of that year
        return redirect(reverse("assessment:queue") + f"?year={year}")
    if request.user.is_leader:
        return redirect("assessment:dashboard", year=year)
    if request.user.sees_all_departments:
        return redirect("assessment:matrix", year=year)
    return redirect("assessment:board", year=year)


def same_page_in(path: str, year: int) -> str | None:
    """The page at `path` for another year, or None when it has no such page (it is
    not year-scoped, or it names something of one year's catalogue)."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if "year" not in match.kwargs or set(match.kwargs) - _YEARLESS_ARGUMENTS:
        return None
    try:
        return reverse(match.view_name, kwargs={**match.kwargs, "year": year})
    except NoReverseMatch:
        return None


@require_GET
def switch_year(request: AuthedRequest) -> HttpResponse:
    """The top bar's year switcher: the same page in the chosen year, else that
    year's home (the board, or the completeness matrix for who sees every unit)."""
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return redirect("assessment:home")
    access.get_year_or_404(year)
    next_path = request.GET.get("next", "")
    if next_path and url_has_allowed_host_and_scheme(
        next_path, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = same_page_in(next_path.split("?", 1)[0], year)
        if target is not None:
            return redirect(target)
    return _year_home(request, year)
