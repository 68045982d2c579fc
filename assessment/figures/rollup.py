"""Roll-up: how a year's months become the year's value, as pure functions.

Values are `Decimal`; a month without a figure is absent from the mapping, never zero.
Rounding happens once, at the end, to the indicator's decimal places.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Context, Decimal
from functools import cache
from operator import eq, methodcaller

SUM = "sum"
AVERAGE = "avg"
LAST = "last"
MAX = "max"


@cache
def _quantum(decimals: int) -> Decimal:
    return Decimal(1).scaleb(-decimals)


def quantize(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(_quantum(decimals), rounding=ROUND_HALF_UP)


#: How Django reads a DecimalField back from SQLite, which keeps such numbers as 64-bit
#: integers or floats: 15 significant digits, then the column's decimal places with the
#: column's context (`DecimalField.context`, half even). `YearValue.value` has 22 digits
#: and 4 places.
_FROM_FLOAT = Context(prec=15).create_decimal_from_float
_COLUMN_PLACES = Decimal(1).scaleb(-4)
_COLUMN_CONTEXT = Context(prec=22)
#: The quanta of 0 to 4 decimal places (what indicators allow), without a call.
_QUANTA = tuple(Decimal(1).scaleb(-places) for places in range(5))

#: A stored value as a database driver returns it (see `stored_value`).
Raw = Decimal | float | int | str | None


def stored_value(raw: Raw, decimals: int) -> Decimal | None:
    """A stored year value as the database driver returns it, with `decimals` places:
    exactly what reading the column through the ORM and then `quantize` give.

    PostgreSQL returns the numeric column as a Decimal; SQLite as an int or a float,
    read as Django reads it (15 significant digits, then the column's 4 places); a str
    is read as written. None (no month yet) stays None.
    """
    if raw is None:
        return None
    quantum = _QUANTA[decimals] if decimals < len(_QUANTA) else _quantum(decimals)
    if isinstance(raw, float | int):
        column = _FROM_FLOAT(raw)
        shown = column.quantize(quantum, rounding=ROUND_HALF_UP)
        if decimals <= 4 and shown == column:
            # At most `decimals` places: the column's 4 places change nothing.
            return shown
        column = column.quantize(_COLUMN_PLACES, context=_COLUMN_CONTEXT)
    elif isinstance(raw, Decimal):
        column = raw
    else:
        column = Decimal(raw).quantize(_COLUMN_PLACES, context=_COLUMN_CONTEXT)
    return column.quantize(quantum, rounding=ROUND_HALF_UP)


def stored_values(raws: Sequence[Raw], decimals: int) -> list[Decimal | None]:
    """`stored_value` of each raw value, many at once: the same results, the common
    cases (all Decimals, or numbers with at most `decimals` places) without a Python
    call per value."""
    kinds = set(map(type, raws))
    if type(None) in kinds:
        converted = iter(stored_values([r for r in raws if r is not None], decimals))
        return [None if raw is None else next(converted) for raw in raws]
    if decimals >= len(_QUANTA):
        return [stored_value(raw, decimals) for raw in raws]
    places = methodcaller("quantize", _QUANTA[decimals], ROUND_HALF_UP)
    if kinds <= {Decimal}:
        return list(map(places, raws))
    if not kinds <= {float, int}:
        return [stored_value(raw, decimals) for raw in raws]
    columns = list(map(_FROM_FLOAT, raws))  # type: ignore[arg-type]
    shown = list(map(places, columns))
    if all(map(eq, shown, columns)):
        return shown
    return [
        value if value == column else stored_value(raw, decimals)
        for value, column, raw in zip(shown, columns, raws, strict=True)
    ]


def roll_up(
    months: Mapping[int, Decimal], aggregation: str, decimals: int | None = None
) -> Decimal | None:
    """The year's value from {month: value}; None when no month has a value."""
    if not months:
        return None
    if aggregation == SUM:
        result = sum(months.values(), Decimal(0))
    elif aggregation == AVERAGE:
        result = sum(months.values(), Decimal(0)) / len(months)
    elif aggregation == LAST:
        result = months[max(months)]
    elif aggregation == MAX:
        result = max(months.values())
    else:
        raise ValueError(f"unknown aggregation {aggregation!r}")
    return quantize(result, decimals) if decimals is not None else result


def combine_departments(
    values: Iterable[Decimal], aggregation: str, decimals: int | None = None
) -> Decimal | None:
    """The bureau's year value from its departments' year values.

    Quantities that add up over months add up over departments; averages, last values and
    maxima of departments add up too, since each department measures its own share (tonnes
    a day of its own trucks, say).
    """
    items = list(values)
    if not items:
        return None
    result = sum(items, Decimal(0))
    return quantize(result, decimals) if decimals is not None else result


def completion(
    value: Decimal | None, target: Decimal | None, at_most: bool
) -> Decimal | None:
    """Completion ratio against the annual target (1 = exactly met), unrounded.

    For an at-least target it is value / target; for an at-most target (a ceiling such as
    complaints) it is target / value, and a value of zero fully meets it. None when there
    is nothing to compare.
    """
    if value is None or target is None:
        return None
    if at_most:
        if value <= 0:
            return Decimal(1)
        if target <= 0:
            return Decimal(0)
        return target / value
    if target <= 0:
        return Decimal(1) if value >= target else Decimal(0)
    return value / target


def percent(ratio: Decimal | None) -> Decimal | None:
    return None if ratio is None else quantize(ratio * 100, 1)


def year_on_year(
    value: Decimal | None, last: Decimal | None, decimals: int
) -> tuple[Decimal | None, Decimal | None]:
    """(change, per cent change) of this year's value against last year's (同比增减).

    The change has the indicator's decimal places, the per cent one place; both are
    rounded half up, from the unrounded difference. Both are None when either year has
    no value; the per cent is None when last year's value is zero. Against a negative
    last year the per cent is taken of its magnitude, so its sign is the change's.
    """
    if value is None or last is None:
        return None, None
    difference = value - last
    change = quantize(difference, decimals)
    if last == 0:
        return change, None
    return change, quantize(difference / abs(last) * 100, 1)
