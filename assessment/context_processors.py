from __future__ import annotations

from functools import cache
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from .models import AssessmentYear


def _latest_year() -> int | None:
    return (
        AssessmentYear.objects.order_by("-year").values_list("year", flat=True).first()
    )


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
    latest_year = cache(_latest_year)
    return {
        "nav_latest_year": latest_year,
        "nav_self_assessment_url": cache(
            lambda: _self_assessment_url(user, latest_year())
        ),
        "user_is_supervisor": user.is_supervisor,
        "user_sees_all": user.sees_all_departments,
    }
