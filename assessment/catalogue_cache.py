"""Values read from the catalogue and the rules, kept in Django's cache between requests.

A year's rules, its catalogue and the issued years change only when someone edits
them (the admin, the planning pages, a roll-over), while the entry page reads them on
every request. Each kept value is filed under a version that every write to those
models replaces (the signals below), so the next request after an edit reads the
database again: nothing is ever served from before the edit. Keys also carry the
interface language (kept values may hold translated words) and whatever the value
depends on (the year, the department).

The version is in the cache itself, so every process sharing the cache sees a bump at
once; a request reads it once (from its start on, it sees one version, and its own
edits). With several web processes, settings.CACHES must be a shared cache (Redis,
CACHE_URL); a per-process cache is only for one process (development, tests), and
without either nothing is kept (DummyCache).

The cache is never needed for a page to work: when it cannot be reached (Redis down)
the values are read from the database and the failure is logged. A version that could
not be replaced then (an edit while the cache was unreachable) is why kept values
expire after `TIMEOUT`: the longest a value from before such an edit can be served.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, TypeVar

from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import get_language

T = TypeVar("T")
logger = logging.getLogger(__name__)

VERSION_KEY = "assessment:catalogue:version"
#: Kept values expire after this many seconds whatever the version (see above).
TIMEOUT = 15 * 60


class _Unreachable(Exception):
    """The cache could not be reached."""


def _cache(operation: str, *args: Any, **kwargs: Any) -> Any:
    try:
        return getattr(cache, operation)(*args, **kwargs)
    except Exception as exc:  # the backend's own errors: redis, sockets, pickling
        logger.warning("catalogue cache unreachable (%s): %s", operation, exc)
        raise _Unreachable from exc


_MISSING = object()
#: The version as this request read it: None outside a request (every call reads
#: the cache), "" in a request that has not read it yet.
_request_version: ContextVar[str | None] = ContextVar("catalogue_version", default=None)


def version() -> str:
    """The current version, made when the cache has none (first use, eviction)."""
    known = _request_version.get()
    if known:
        return known
    current = _cache("get", VERSION_KEY)
    if current is None:
        fresh = uuid.uuid4().hex
        _cache("add", VERSION_KEY, fresh, timeout=None)
        current = _cache("get", VERSION_KEY) or fresh
    if known is not None:
        _request_version.set(str(current))
    return str(current)


def _replace_version() -> None:
    fresh = uuid.uuid4().hex
    try:
        _cache("set", VERSION_KEY, fresh, timeout=None)
    except _Unreachable:
        logger.error("catalogue cache: an edit could not replace the version")
    if _request_version.get() is not None:
        _request_version.set(fresh)


def bump(**_signal: Any) -> None:
    """Make every kept value stale: now, and again when the write's transaction
    commits (a request that read the old rows meanwhile files them under the old
    version, never the new one)."""
    _replace_version()
    transaction.on_commit(_replace_version)


def _request_starts(**_signal: Any) -> None:
    _request_version.set("")


def _request_ends(**_signal: Any) -> None:
    _request_version.set(None)


def cached(name: str, parts: tuple[Any, ...], compute: Callable[[], T]) -> T:
    """`compute()`, kept under the current version, language and `parts`."""
    try:
        key = ":".join(
            ["assessment", name, version(), get_language() or "", *map(str, parts)]
        )
        found = _cache("get", key, _MISSING)
    except _Unreachable:
        return compute()
    if found is _MISSING:
        found = compute()
        try:
            _cache("set", key, found, timeout=TIMEOUT)
        except _Unreachable:
            pass
    return found


def connect() -> None:
    """Bump the version on every write to what kept values are read from; read it
    once per request."""
    request_started.connect(_request_starts, dispatch_uid="catalogue-cache-start")
    request_finished.connect(_request_ends, dispatch_uid="catalogue-cache-end")
    from assessment.models import (
        AssessmentYear,
        Department,
        Indicator,
        MonthRange,
        Publication,
        RuleTerm,
        Target,
        User,
        ValidationRule,
    )

    for model in (
        AssessmentYear,
        Department,
        Indicator,
        MonthRange,
        Publication,
        RuleTerm,
        Target,
        ValidationRule,
    ):
        label = model._meta.label_lower
        post_save.connect(bump, sender=model, dispatch_uid=f"catalogue-cache-s-{label}")
        post_delete.connect(
            bump, sender=model, dispatch_uid=f"catalogue-cache-d-{label}"
        )
    for through in (
        Indicator.departments.through,
        Target.departments.through,
        ValidationRule.departments.through,
        ValidationRule.years.through,
        User.departments.through,
    ):
        label = through._meta.label_lower
        m2m_changed.connect(
            bump, sender=through, dispatch_uid=f"catalogue-cache-m-{label}"
        )
