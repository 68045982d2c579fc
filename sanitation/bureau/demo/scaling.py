"""Another demo year from 2021's pattern: monthly values scaled by seeded factors.

Pure: values in, values out. A fixed seed makes every load the same; each value is
rounded once to its indicator's decimal places, so counts stay whole numbers.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

FACTOR_PLACES = Decimal("0.001")


def factors(seed: int, count: int, low: str, high: str) -> list[Decimal]:
    """`count` factors between low and high (inclusive), the same for the same seed."""
    rng = random.Random(seed)
    lo, hi = Decimal(low), Decimal(high)
    steps = int((hi - lo) / FACTOR_PLACES)
    return [lo + FACTOR_PLACES * rng.randint(0, steps) for _ in range(count)]


def scale(value: Decimal, factor: Decimal, decimals: int) -> Decimal:
    """value × factor rounded half up to `decimals` places."""
    return (value * factor).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)


def scaled_months(
    values: Iterable[Decimal], month_factors: Iterable[Decimal], decimals: int
) -> list[Decimal]:
    return [
        scale(value, factor, decimals)
        for value, factor in zip(values, month_factors, strict=True)
    ]


def monthly_text(values: Iterable[Decimal]) -> str:
    """The demo's way of writing twelve values: separated by spaces."""
    return " ".join(str(value) for value in values)


def scaled_indicators(
    indicators: list[dict[str, Any]],
    *,
    seed: int,
    low: str,
    high: str,
    target_factor: str,
) -> list[dict[str, Any]]:
    """Copies of `indicators` whose typed months are scaled by seeded factors in
    [low, high] and whose annual targets are scaled by `target_factor`.

    Record-fed indicators keep their source: their months come from the year's
    records. Each indicator draws its own factors (seed + its position).
    """
    scaled = []
    for position, spec in enumerate(indicators):
        copy = dict(spec)
        decimals = spec["decimals"]
        if spec.get("monthly"):
            values = [Decimal(v) for v in spec["monthly"].split()]
            month_factors = factors(seed + position, len(values), low, high)
            copy["monthly"] = monthly_text(
                clamp(v, spec["range"])
                for v in scaled_months(values, month_factors, decimals)
            )
        if spec.get("annual_target"):
            copy["annual_target"] = str(
                scale(Decimal(spec["annual_target"]), Decimal(target_factor), decimals)
            )
        scaled.append(copy)
    return scaled


def clamp(value: Decimal, bounds: tuple[str, str]) -> Decimal:
    """Keep a scaled value inside the indicator's plausible range."""
    low, high = (Decimal(b) for b in bounds)
    return min(max(value, low), high)


def shift_year(text: str, source: int, year: int) -> str:
    """A text (or ISO date) of the source year told of another year."""
    return text.replace(str(source), str(year))
