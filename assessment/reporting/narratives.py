"""Narrative providers: the dated sentences the year-end report tells about each target.

The engine knows nothing about work records. An app that keeps dated records registers a
provider here; the report asks every provider for the sentences of one year and a set of
department ids (ids that came from the scoped access path, never from a request) and files
each sentence under the target whose code it names.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Collection
from dataclasses import dataclass


@dataclass(frozen=True)
class NarrativeItem:
    date: datetime.date
    department_id: int
    #: The catalogue code of the target the record tells about; "" when none fits.
    target_code: str
    sentence: str
    #: When the record behind it last changed (the date of a draft report).
    changed: datetime.datetime | None = None


#: provider(year, department_ids) -> items, with a fixed number of queries.
Provider = Callable[[int, Collection[int]], list[NarrativeItem]]

_providers: dict[str, Provider] = {}


def register(key: str, provider: Provider) -> None:
    _providers[key] = provider


def records_for(year: int, department_ids: Collection[int]) -> list[NarrativeItem]:
    """Every provider's items for the year and departments, in date order."""
    ids = list(department_ids)
    if not ids:
        return []
    items: list[NarrativeItem] = []
    for provider in _providers.values():
        items.extend(provider(year, ids))
    return sorted(items, key=lambda item: (item.date, item.department_id))
