"""The server-error page, and the one for a database failure.

Django calls `server_error` for any exception a request raised (in a view or in a
middleware) while the exception is being handled. A database error (the connection
dropped, the server restarting, a lock timeout) is not a bug in the request: it answers
503 with a page saying that nothing was saved and to try again. Writes run in
transactions, so such a request leaves nothing half-written.
"""

from __future__ import annotations

import sys

from django.db import DatabaseError, InterfaceError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views import defaults


def server_error(request: HttpRequest) -> HttpResponse:
    if isinstance(sys.exception(), (DatabaseError, InterfaceError)):
        return database_unavailable(request)
    return defaults.server_error(request)


def database_unavailable(request: HttpRequest) -> HttpResponse:
    # Rendered without the request: its context processors would ask the database
    # again, and the page must show when the database is gone.
    body = render_to_string(
        "503.html", {"was_saving": request.method not in ("GET", "HEAD")}
    )
    response = HttpResponse(body, status=503)
    response["Retry-After"] = "30"
    return response
