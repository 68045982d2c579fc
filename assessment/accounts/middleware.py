"""Holds a signed-in supervisor or administrator at the second factor until it is done.

Whoever must use a second factor (see `two_factor.required_for`) and has not yet passed
it in this session is sent to set one up, or to type a code, before any other page. The
few views that make this possible are marked with `two_factor_exempt`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import reverse

from assessment.accounts import two_factor

View = Callable[..., HttpResponseBase]


def two_factor_exempt(view: View) -> View:
    """Reachable before the second factor is done: sign-out, language, its own pages."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> HttpResponseBase:
        return view(*args, **kwargs)

    wrapped.two_factor_exempt = True  # type: ignore[attr-defined]
    return wrapped


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view: View,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        user = request.user
        if (
            not user.is_authenticated
            or getattr(view, "two_factor_exempt", False)
            or request.path_info.startswith(settings.STATIC_URL)
            or two_factor.is_satisfied(user)
        ):
            return None
        step = (
            "accounts:two-factor-verify"
            if two_factor.is_enrolled(user)
            else "accounts:two-factor-enrol"
        )
        return redirect_to_login(request.get_full_path(), reverse(step))
