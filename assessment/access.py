"""Who may see and do what. Views go through these helpers, never around them."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from assessment.models import AssessmentYear, Department, User


def departments_for(user: User) -> QuerySet[Department]:
    """The departments a user may see: all for supervisors and leaders, else their own."""
    if not user.is_authenticated or not user.is_active:
        return Department.objects.none()
    if user.sees_all_departments:
        return Department.objects.all()
    # Read from the database on each request, so moving a user takes effect at once.
    return Department.objects.filter(members=user)


def get_department_or_404(user: User, code: str) -> Department:
    return get_object_or_404(departments_for(user), code=code)


def get_year_or_404(year: int) -> AssessmentYear:
    return get_object_or_404(AssessmentYear, year=year)


def supervisor_required(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """403 for anyone signed in who is not a supervisor (login is enforced globally)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_supervisor:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def can_edit_department_data(user: User) -> bool:
    """Clerks edit their own departments' data; supervisors may too; leaders only read."""
    return user.is_active and not user.is_leader
