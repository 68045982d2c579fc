"""Template filters over `assessment.formatting`: `{% load formatting %}`."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import template

from assessment import formatting

register = template.Library()


@register.filter
def points(value: Decimal | None) -> str:
    return formatting.points(value)


@register.filter
def figure(value: Decimal | None, decimals: int = 0) -> str:
    return formatting.figure(value, int(decimals))


@register.filter
def moment(value: datetime.datetime | None) -> str:
    return formatting.moment(value)


@register.filter
def day(value: datetime.date | None) -> str:
    return formatting.day(value)


@register.simple_tag
def month_label(year: int, month: int) -> str:
    return formatting.month_label(int(year), int(month))
