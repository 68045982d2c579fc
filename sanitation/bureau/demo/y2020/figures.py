"""2020: 2021's indicators with each typed month at 88–97 % of 2021's.

The bureau grew into 2021: the year before cleaned, collected and landfilled a little
less each month. Annual targets were set at 92 % of 2021's. Every month is approved:
the year is closed.
"""

from __future__ import annotations

from typing import Any

from sanitation.bureau.demo import scaling
from sanitation.bureau.demo.y2021 import figures as y2021

SEED = 2020

INDICATORS: list[dict[str, Any]] = scaling.scaled_indicators(
    y2021.INDICATORS, seed=SEED, low="0.88", high="0.97", target_factor="0.92"
)

FIGURE_NOTES: dict[tuple[str, int], str] = {
    ("waste_daily", 2): "受疫情影响，2月部分单位停工，清运量有所减少。",
}

MONTH_STATES: dict[tuple[str, int], tuple[str, str, str]] = {}
