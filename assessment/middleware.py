"""Request and response rules every view shares: no caching, and capped uploads.

- `NoStoreMiddleware`: every response that is not a static file (pages, downloads,
  redirects, error pages) carries `Cache-Control: private, no-store`, so neither the
  browser nor a proxy keeps a copy of a department's figures or a report.
- `RequestSizeMiddleware`: a request body larger than the view accepts is refused with
  413 from its Content-Length, before anything reads it. Upload views declare their cap
  with `@accepts_upload(...)`; every other view accepts `DATA_UPLOAD_MAX_MEMORY_SIZE`.
  The proxy in front caps it first (README, "Deployment").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat

NO_STORE = "private, no-store"
#: Room for the form's other fields and the multipart framing around an upload.
UPLOAD_FORM_OVERHEAD = 1024 * 1024

View = Callable[..., HttpResponse]


class NoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path_info.startswith(settings.STATIC_URL):
            response["Cache-Control"] = NO_STORE
        return response


def accepts_upload(limit: Callable[[], int]) -> Callable[[View], View]:
    """Marks a view that takes a file of up to `limit()` bytes (read at request time)."""

    def mark(view: View) -> View:
        view.upload_limit = limit  # type: ignore[attr-defined]
        return view

    return mark


def request_limit(view: View) -> int:
    """The largest request body `view` accepts, in bytes."""
    limit = getattr(view, "upload_limit", None)
    if limit is None:
        return settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 2_621_440
    return limit() + UPLOAD_FORM_OVERHEAD


def declared_length(request: HttpRequest) -> int | None:
    try:
        return int(request.META.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None


class RequestSizeMiddleware:
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
        length = declared_length(request)
        limit = request_limit(view)
        if length is None or length <= limit:
            return None
        # Tell the client not to keep sending: the body stays unread.
        response = render(
            request,
            "413.html",
            {"limit": filesizeformat(limit - UPLOAD_FORM_OVERHEAD)},
            status=413,
        )
        response["Connection"] = "close"
        return response
