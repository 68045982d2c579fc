from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import Any, TypeVar, cast

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from assessment import catalogue_cache
from assessment.models import AssessmentYear, Notice
from assessment.models.catalogue import YearStatus

T = TypeVar("T")


def _years() -> list[tuple[int, str, int | None]]:
    """(year, status, publication id) of every issued assessment year, newest first:
    a handful of rows, kept until a year or a publication changes."""
    return catalogue_cache.cached(
        "issued-years",
        (),
        lambda: list(
            AssessmentYear.objects.issued()
            .order_by("-year")
            .values_list("year", "status", "publication__id")
        ),
    )


def _latest_year(years: Sequence[tuple[Any, ...]]) -> int | None:
    return years[0][0] if years else None


def _assessed_year(years: Sequence[tuple[Any, ...]]) -> int | None:
    """The year scoring, ranking and reports are about: the one being scored (in
    January, while the new year's figures already come in), else the newest."""
    scoring = [row[0] for row in years if row[1] == YearStatus.SCORING]
    return scoring[0] if scoring else _latest_year(years)


def _self_assessment_url(user: Any, year: int | None) -> str:
    """A clerk's first department's self-assessment page ('' when there is none)."""
    if not user.is_clerk or year is None:
        return ""
    code = catalogue_cache.cached(
        "first-department",
        (user.pk,),
        lambda: (
            user.departments.order_by("order", "code")
            .values_list("code", flat=True)
            .first()
        ),
    )
    if code is None:
        return ""
    return reverse("assessment:self-assessment", kwargs={"year": year, "code": code})


def _published(years: Sequence[tuple[Any, ...]], year: int | None) -> bool:
    """Whether the results of `year` are published (公示)."""
    return any(row[0] == year and row[2] is not None for row in years)


def page_year(request: HttpRequest) -> int | None:
    """The assessment year in the page's URL (`/years/<year>/...`), if any."""
    match = getattr(request, "resolver_match", None)
    year = match.kwargs.get("year") if match is not None else None
    return year if isinstance(year, int) else None


def _shown_year(years: Sequence[tuple[Any, ...]], page: int | None) -> int | None:
    """The year the switcher shows as chosen: the page's, else where monthly work
    goes (the newest open year), else the newest."""
    known = [row[0] for row in years]
    if page in known:
        return page
    open_years = [row[0] for row in years if row[1] == YearStatus.OPEN]
    return open_years[0] if open_years else _latest_year(years)


def _results_year(years: Sequence[tuple[Any, ...]], page: int | None) -> int | None:
    """The year the scoring, ranking and report links go to: the page's when it has
    results (scoring or closed), else the year being scored."""
    statuses = {row[0]: row[1] for row in years}
    if page in statuses and statuses[page] != YearStatus.OPEN:
        return page
    return _assessed_year(years)


def year_choices(years: Sequence[tuple[Any, ...]]) -> list[tuple[int, str]]:
    """(year, label) for the switcher, newest first: "2020 · Closed"."""
    return [(row[0], f"{row[0]} · {YearStatus(row[1]).label}") for row in years]


def _once_per_request(request: HttpRequest, key: str, compute: Callable[[], T]) -> T:
    """A navigation value computed at most once per request, however many templates
    the request renders with it (each render runs the context processors again)."""
    store: dict[str, Any] = request.__dict__.setdefault("_navigation_values", {})
    if key not in store:
        store[key] = compute()
    return cast(T, store[key])


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy: the queries run only when a template asks (templates call callables),
    # and once per request.
    years = cache(lambda: _once_per_request(request, "years", _years))
    page = page_year(request)
    statuses = cache(lambda: {row[0]: row[1] for row in years()})
    return {
        "nav_assessed_year": cache(lambda: _results_year(years(), page)),
        "nav_years": cache(lambda: year_choices(years())),
        "nav_shown_year": cache(lambda: _shown_year(years(), page)),
        "nav_page_year_closed": cache(
            lambda: page is not None and statuses().get(page) == YearStatus.CLOSED
        ),
        "nav_page_year": page,
        "nav_latest_year": cache(lambda: _latest_year(years())),
        "nav_published": cache(
            lambda: _published(years(), _results_year(years(), page))
        ),
        "nav_self_assessment_url": cache(
            lambda: _once_per_request(
                request,
                "self_assessment_url",
                lambda: _self_assessment_url(user, _latest_year(years())),
            )
        ),
        "nav_unread_notices": cache(
            lambda: _once_per_request(
                request,
                "unread_notices",
                lambda: Notice.objects.for_recipient(user).unread().count(),
            )
        ),
        "user_is_supervisor": user.is_supervisor,
        "user_sees_all": user.sees_all_departments,
    }


def session(request: HttpRequest) -> dict[str, Any]:
    """What the idle-session warning (static/js/session.js) needs to count down."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "session_idle_seconds": settings.SESSION_COOKIE_AGE,
        "session_idle_minutes": settings.SESSION_COOKIE_AGE // 60,
        "session_warning_seconds": settings.SESSION_WARNING_SECONDS,
    }
