"""Who may see and do what. Views go through these helpers, never around them.

The scope rule itself is `Department.objects.visible_to(user)`; these helpers and every
`Model.objects.for_user(user)` delegate to it. Out-of-scope ids answer 404.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from assessment import catalogue_cache
from assessment.models import AssessmentYear, Department, Role, ScoringBodyMember, User
from assessment.scoring.bodies import ScorerRights

View = Callable[..., HttpResponse]


class AuthedRequest(HttpRequest):
    """A request past `LoginRequiredMiddleware`: its user is signed in (for typing)."""

    user: User


def departments_for(user: User) -> QuerySet[Department]:
    """The departments a user may see: all for supervisors and leaders, else their own."""
    return Department.objects.visible_to(user)


def get_department_or_404(user: User, code: str) -> Department:
    return get_object_or_404(departments_for(user), code=code)


def get_year_or_404(year: int) -> AssessmentYear:
    """A year whose targets have been issued: a draft answers 404 on every page but
    the planning pages, which ask `get_plannable_year_or_404`. Kept until a year
    changes (`catalogue_cache`): each caller gets its own copy."""
    found = catalogue_cache.cached(
        "issued-year",
        (year,),
        lambda: AssessmentYear.objects.issued().filter(year=year).first(),
    )
    if found is None:
        raise Http404("No issued assessment year matches the given query.")
    return found


def get_plannable_year_or_404(user: User, year: int) -> AssessmentYear:
    """Any year the user may open, drafts included for supervisors."""
    return get_object_or_404(AssessmentYear.objects.visible_to(user), year=year)


def can_edit_department_data(user: User) -> bool:
    """Clerks edit their own departments' data; supervisors may too; leaders only read."""
    return user.is_active and not user.is_leader


def scorer_rights(user: User, year: AssessmentYear) -> ScorerRights:
    """The facts `scoring.bodies` decides on: the user's bodies in the year, and
    whether they lead. Administrators are lead assessors of every year."""
    if not user.is_authenticated or not user.is_supervisor:
        return ScorerRights()
    memberships = list(
        ScoringBodyMember.objects.filter(body__year=year, user=user).values_list(
            "body_id", "is_lead"
        )
    )
    return ScorerRights(
        is_supervisor=True,
        is_lead=user.is_superuser
        or user.role == Role.ADMIN
        or any(lead for _body, lead in memberships),
        body_ids=frozenset(body for body, _lead in memberships),
        year_has_lead=ScoringBodyMember.objects.filter(
            body__year=year, is_lead=True
        ).exists(),
    )


def _requiring(test: Callable[[User], bool]) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: AuthedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not test(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


#: 403 for anyone signed in who is not a supervisor (login is enforced globally).
supervisor_required = _requiring(lambda user: user.is_supervisor)
#: 403 for clerks: pages that compare every department (ranking, matrix).
sees_all_required = _requiring(lambda user: user.sees_all_departments)
#: 403 for read-only users (leaders): anything that changes department data.
editor_required = _requiring(can_edit_department_data)
