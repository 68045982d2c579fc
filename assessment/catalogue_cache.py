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
"""

from __future__ import annotations

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

VERSION_KEY = "assessment:catalogue:version"
#: Kept values expire anyway after a day (memory, not correctness: the version is).
TIMEOUT = 24 * 3600
_MISSING = object()
#: The version as this request read it: None outside a request (every call reads
#: the cache), "" in a request that has not read it yet.
_request_version: ContextVar[str | None] = ContextVar("catalogue_version", default=None)


def version() -> str:
    """The current version, made when the cache has none (first use, eviction)."""
    known = _request_version.get()
    if known:
        return known
    current = cache.get(VERSION_KEY)
    if current is None:
        fresh = uuid.uuid4().hex
        cache.add(VERSION_KEY, fresh, timeout=None)
        current = cache.get(VERSION_KEY) or fresh
    if known is not None:
        _request_version.set(str(current))
    return str(current)


def _replace_version() -> None:
    fresh = uuid.uuid4().hex
    cache.set(VERSION_KEY, fresh, timeout=None)
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
    key = ":".join(
        ["assessment", name, version(), get_language() or "", *map(str, parts)]
    )
    found = cache.get(key, _MISSING)
    if found is _MISSING:
        found = compute()
        cache.set(key, found, timeout=TIMEOUT)
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
