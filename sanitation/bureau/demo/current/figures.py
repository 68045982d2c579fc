"""The current year: 2021's pattern grown by 1–6 % a month, up to last month, and the
months in the states a bureau sees early in a month.

Which month is "last month" depends on the day the demo loads, so the states are
worked out from it (`month_states`), never written down for one date.
"""

from __future__ import annotations

from typing import Any

from sanitation.bureau.demo import scaling
from sanitation.bureau.demo.y2021 import figures as y2021

SEED = 2026

INDICATORS: list[dict[str, Any]] = scaling.scaled_indicators(
    y2021.INDICATORS, seed=SEED, low="1.01", high="1.06", target_factor="1.02"
)

RETURN_COMMENT = "{month}月垃圾清运量与车辆台账不符，请核对后重新提交"


def month_states(months: int) -> dict[tuple[str, int], tuple[str, str, str]]:
    """(department, month) -> (status, comment, reopen reason) when `months` months
    of the year are over; every other month up to then is approved.

    Last month: three units have submitted and wait for review, the waste team's was
    returned with a comment, the landfill is still typing. The month before: the
    landfill never submitted it (overdue, its figures typed in).
    """
    states: dict[tuple[str, int], tuple[str, str, str]] = {}
    last = months
    if last >= 1:
        for code in ("street", "nightsoil", "office"):
            states[(code, last)] = ("submitted", "", "")
        states[("waste", last)] = (
            "returned",
            RETURN_COMMENT.format(month=last),
            "",
        )
        states[("landfill", last)] = ("draft", "", "")
    if last >= 2:
        states[("landfill", last - 1)] = ("draft", "", "")
    return states
