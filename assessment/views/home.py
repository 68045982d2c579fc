from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


def home(request: HttpRequest) -> HttpResponse:
    return redirect("admin:index")


def placeholder_redirect(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return redirect("assessment:home")
