"""The project's URLs plus a view that fails, for the tests of the 500 page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from sanitation.urls import handler500  # noqa: F401 - the project's error pages
from sanitation.urls import urlpatterns as project_urlpatterns


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug in a view")


urlpatterns = [path("broken/", broken), *project_urlpatterns]
