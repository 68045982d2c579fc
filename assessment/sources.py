"""Indicator sources: how an indicator can be fed by records instead of typed by hand.

The engine knows nothing about the records themselves. An app that has records registers a
source under a key; an indicator whose `source` holds that key shows the computed monthly
value read-only, with a link to the records behind it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise

#: (department id, month) -> value for one year.
MonthlyValues = dict[tuple[int, int], Decimal]


@dataclass(frozen=True)
class IndicatorSource:
    key: str
    label: str | Promise
    #: monthly_values(department_ids, year) -> {(department_id, month): value}, one query.
    monthly_values: Callable[[Collection[int], int], MonthlyValues]
    #: records_url(department_code, year, month) -> the list of records behind a value.
    records_url: Callable[[str, int, int], str]
    #: feeds(record) -> whether this record (as stored, or as about to be stored)
    #: counts towards the source's values; a change to it changes the month's value.
    feeds: Callable[[object], bool] = lambda record: False


_registry: dict[str, IndicatorSource] = {}


def register(source: IndicatorSource) -> None:
    _registry[source.key] = source


def get(key: str) -> IndicatorSource | None:
    return _registry.get(key)


def all_sources() -> list[IndicatorSource]:
    return list(_registry.values())


def choices() -> list[tuple[str, str | Promise]]:
    return [(source.key, source.label) for source in _registry.values()]
