from __future__ import annotations

from functools import cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from assessment.models import AssessmentYear, Notice
from assessment.models.catalogue import YearStatus


def _years() -> list[tuple[int, str]]:
    """(year, status) of every assessment year, newest first: a handful of rows."""
    return list(AssessmentYear.objects.order_by("-year").values_list("year", "status"))


def _latest_year(years: list[tuple[int, str]]) -> int | None:
    return years[0][0] if years else None


def _assessed_year(years: list[tuple[int, str]]) -> int | None:
    """The year scoring, ranking and reports are about: the one being scored (in
    January, while the new year's figures already come in), else the newest."""
    scoring = [year for year, status in years if status == YearStatus.SCORING]
    return scoring[0] if scoring else _latest_year(years)


def _self_assessment_url(user: Any, year: int | None) -> str:
    """A clerk's first department's self-assessment page ('' when there is none)."""
    if not user.is_clerk or year is None:
        return ""
    code = (
        user.departments.order_by("order", "code")
        .values_list("code", flat=True)
        .first()
    )
    if code is None:
        return ""
    return reverse("assessment:self-assessment", kwargs={"year": year, "code": code})


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy: the queries run only when a template asks (templates call callables).
    years = cache(_years)
    return {
        "nav_assessed_year": cache(lambda: _assessed_year(years())),
        "nav_self_assessment_url": cache(
            lambda: _self_assessment_url(user, _latest_year(years()))
        ),
        "nav_unread_notices": cache(
            lambda: Notice.objects.for_recipient(user).unread().count()
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
