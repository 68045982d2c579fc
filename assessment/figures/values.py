"""Reading a typed figure: the rules shown on the entry page, as pure functions.

- Digits with at most one dot; full-width digits (１２３．５) are read as their ASCII
  equivalents, since Chinese input methods type them; a comma is refused, because "1,5"
  may mean 1.5 or 15.
- Spaces before and after the number are trimmed; spaces inside it (ordinary, thin
  U+2009, narrow no-break U+202F, no-break U+00A0) and other thousands separators
  (apostrophe, underscore, the Arabic separator) are refused with the comma's message:
  "5 004" may be 5004 or two figures typed into one field.
- No NaN, Infinity or exponents, no more decimals than the indicator allows.
- Negative values only where the indicator allows them.
- Outside the plausible range: accepted only with a note explaining it.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_ABS = Decimal("1e13")
_NUMBER = re.compile(r"^-?(\d+(\.\d*)?|\.\d+)$")
#: Thousands separators in use around the world, besides the comma.
_SEPARATORS = re.compile(r"[\s'\u2019_\u066c\u2009\u202f\u00a0]")


def parse_value(raw: str, *, decimals: int, allow_negative: bool) -> Decimal | None:
    """The Decimal a clerk typed, or None for an empty field; ValidationError if invalid."""
    text = unicodedata.normalize("NFKC", raw or "").strip()
    text = text.replace("\u2212", "-")  # minus sign from some keyboards
    if text == "":
        return None
    if "," in text or _SEPARATORS.search(text):
        raise ValidationError(
            _("Use a dot as the decimal separator and no thousands separators."),
            code="comma",
        )
    if not _NUMBER.match(text):
        raise ValidationError(_("Enter a number, such as 1250 or 3.5."), code="invalid")
    try:
        value = Decimal(text)
    except (
        InvalidOperation
    ) as exc:  # pragma: no cover - the pattern already excludes it
        raise ValidationError(_("Enter a number."), code="invalid") from exc
    if abs(value) >= MAX_ABS:
        raise ValidationError(_("This number is too large."), code="too_large")
    if value < 0 and not allow_negative:
        raise ValidationError(_("This figure cannot be negative."), code="negative")
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > decimals:
        if decimals == 0:
            message = _("Enter a whole number.")
        else:
            message = _("Enter at most %(decimals)d decimal places.") % {
                "decimals": decimals
            }
        raise ValidationError(message, code="decimals")
    return value


def plausibility_problem(
    value: Decimal, low: Decimal | None, high: Decimal | None
) -> str | None:
    """Why a value looks implausible, or None; such a value needs a note."""
    if low is not None and value < low:
        return _(
            "Below the plausible minimum of %(low)s: add a note explaining it."
        ) % {"low": _plain(low)}
    if high is not None and value > high:
        return _(
            "Above the plausible maximum of %(high)s: add a note explaining it."
        ) % {"high": _plain(high)}
    return None


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text
