"""How the report writes numbers, section numbers, dates and CSS strings (pure).

The report is an official document: section numbers follow GB/T 9704-2012 in Chinese
(第一部分 / 一、 / （一） / 1.) and a plain outline in other languages; numbers carry
thousands separators.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _

from assessment.scoring import rules

NUMERALS = "零一二三四五六七八九"


def chinese_numeral(number: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 20 -> 二十, 35 -> 三十五 (1..99)."""
    if not 0 < number < 100:
        return str(number)
    tens, ones = divmod(number, 10)
    if tens == 0:
        return NUMERALS[ones]
    head = "" if tens == 1 else NUMERALS[tens]
    return f"{head}十{NUMERALS[ones] if ones else ''}"


def is_chinese(language: str) -> bool:
    return language.lower().startswith("zh")


def part_label(number: int, language: str) -> str:
    """第一部分 / Part 1"""
    if is_chinese(language):
        return f"第{chinese_numeral(number)}部分"
    return f"Part {number}"


def level_numeral(level: int, number: int, language: str) -> str:
    """The numbering of a heading: level 1 一、, level 2 （一）, level 3 1.

    In other languages: 1. / (1) / (a).
    """
    if is_chinese(language):
        if level == 1:
            return f"{chinese_numeral(number)}、"
        if level == 2:
            return f"（{chinese_numeral(number)}）"
        return f"{number}."
    if level == 1:
        return f"{number}."
    if level == 2:
        return f"({number})"
    letters = "abcdefghijklmnopqrstuvwxyz"
    return f"({letters[(number - 1) % 26]})"


def format_number(value: Decimal | None, decimals: int) -> str:
    """21290 -> "21,290"; None -> "—"."""
    if value is None:
        return "—"
    return f"{value:,.{decimals}f}"


def format_points(value: Decimal | None) -> str:
    """Points as the score sheets write them: 9.50 -> "9.5", 9 -> "9", None -> "—"."""
    if value is None:
        return "—"
    text = f"{rules.points(value):,.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def paragraphs(text: str) -> list[str]:
    """A typed text as paragraphs: one per non-empty line."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def report_date(date: datetime.date, is_draft: bool) -> str:
    """2022年1月21日, and for a draft 2022年1月21日（草稿）."""
    text = formats.date_format(date, "DATE_FORMAT")
    if is_draft:
        return _("%(date)s (draft)") % {"date": text}
    return text


def css_string(text: str) -> str:
    """A CSS string literal holding `text` (for page-margin content), fully escaped."""
    escaped = "".join(
        char if char.isalnum() or char == " " else f"\\{ord(char):06x}" for char in text
    )
    return f'"{escaped}"'


MINUS = "\u2212"


def signed_number(value: Decimal | None, decimals: int) -> str:
    """A change with its sign: +1,234 / −56.5 / 0; None -> "—"."""
    if value is None:
        return "—"
    text = f"{abs(value):,.{decimals}f}"
    if value > 0:
        return f"+{text}"
    if value < 0:
        return f"{MINUS}{text}"
    return text


def signed_percent(value: Decimal | None) -> str:
    """A per cent change with its sign: +5.2% / −3.0% / 0.0%; None -> "—"."""
    if value is None:
        return "—"
    return f"{signed_number(value, 1)}%"
