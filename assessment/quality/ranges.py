"""Season-aware plausible ranges, as pure functions.

An indicator's flat range (plausible minimum and maximum) says what a value may be in
any month. Where a month has a range of its own, it is used instead; failing that,
when the indicator asks for it, the range is derived from the same month of past
years: median ± k × MAD (the median absolute deviation), with at least two years of
history and some spread among them. Otherwise the flat range stands.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

MIN_YEARS = 2


class RangeSource(StrEnum):
    FLAT = "flat"
    MONTH = "month"
    HISTORY = "history"


@dataclass(frozen=True)
class PlausibleRange:
    low: Decimal | None
    high: Decimal | None
    source: RangeSource = RangeSource.FLAT


def median(values: Sequence[Decimal]) -> Decimal:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def from_history(
    history: Sequence[Decimal], k: Decimal, *, min_years: int = MIN_YEARS
) -> tuple[Decimal, Decimal] | None:
    """median ± k × MAD of the same month in past years, or None without enough.

    None with fewer than `min_years` values, or when they are all alike (MAD 0):
    a spread of nothing would refuse every change.
    """
    if len(history) < min_years:
        return None
    centre = median(history)
    mad = median([abs(value - centre) for value in history])
    if mad == 0:
        return None
    return centre - k * mad, centre + k * mad


def plausible_range(
    flat: tuple[Decimal | None, Decimal | None],
    month_range: tuple[Decimal | None, Decimal | None] | None = None,
    history: Sequence[Decimal] = (),
    k: Decimal | None = None,
) -> PlausibleRange:
    """The range a month's value is checked against: the month's own, the derived
    one, or the flat range, in that order."""
    if month_range is not None and (
        month_range[0] is not None or month_range[1] is not None
    ):
        return PlausibleRange(month_range[0], month_range[1], RangeSource.MONTH)
    if k is not None:
        derived = from_history(history, k)
        if derived is not None:
            return PlausibleRange(derived[0], derived[1], RangeSource.HISTORY)
    return PlausibleRange(flat[0], flat[1], RangeSource.FLAT)
