"""How numbers, points, dates and lists read on pages, in messages and in exports.

One module for every format, so a score reads the same on the workbench, in a message
and in a spreadsheet. Templates reach these through the `formatting` filters
(`{% load formatting %}`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats, timezone
from django.utils.translation import pgettext

DASH = "—"
CENT = Decimal("0.01")


def points(value: Decimal | None) -> str:
    """A score: two decimals, half up ("12.50"); a dash for none."""
    if value is None:
        return DASH
    return f"{value.quantize(CENT, rounding=ROUND_HALF_UP):.2f}"


def points_input(value: Decimal | None) -> str:
    """A score as an input field holds it: like `points`, empty for none."""
    return "" if value is None else points(value)


def value_input(value: Decimal | None, decimals: int) -> str:
    """A figure as the clerk types it: the indicator's decimals, no separators."""
    if value is None:
        return ""
    return f"{value:.{decimals}f}"


def figure(value: Decimal | None, decimals: int) -> str:
    """A figure for reading: the indicator's decimals with thousands separators."""
    if value is None:
        return DASH
    return f"{value:,.{decimals}f}"


def plain(value: Decimal | None) -> str:
    """A number without trailing zeros ("1.5", "200"); a dash for none."""
    if value is None:
        return DASH
    text = format(value.normalize(), "f")
    return text


def moment(when: datetime.datetime | None) -> str:
    """A point in time, in the bureau's time zone and the reader's language."""
    if when is None:
        return DASH
    return formats.date_format(timezone.localtime(when), "DATETIME_FORMAT")


def day(date: datetime.date | None) -> str:
    if date is None:
        return DASH
    return formats.date_format(date, "DATE_FORMAT")


def month_label(year: int, month: int) -> str:
    """ "2021年10月" in Chinese, "October 2021" in English."""
    return formats.date_format(datetime.date(year, month, 1), "YEAR_MONTH_FORMAT")


def listing(items: Iterable[object]) -> str:
    """Items joined the way the language lists them: 甲、乙 / A, B."""
    return pgettext("list separator", ", ").join(str(item) for item in items)
