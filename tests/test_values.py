from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from assessment.figures.values import parse_value, plausibility_problem


@pytest.mark.parametrize(
    ("raw", "decimals", "expected"),
    [
        ("12", 0, D(12)),
        (" 12.5 ", 1, D("12.5")),
        ("１２３", 0, D(123)),  # full-width digits are read as ASCII digits
        ("１２．５", 1, D("12.5")),
        ("0", 0, D(0)),
        ("", 0, None),
        (".5", 1, D("0.5")),
        # Spaces around the number (any kind) are trimmed.
        ("\u00a05004\u2009", 0, D(5004)),
        ("\u30005004 ", 0, D(5004)),
    ],
)
def test_it_reads_numbers(raw, decimals, expected):
    assert parse_value(raw, decimals=decimals, allow_negative=False) == expected


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("NaN", "invalid"),
        ("nan", "invalid"),
        ("Infinity", "invalid"),
        ("-Infinity", "invalid"),
        ("1e309", "invalid"),
        ("1E3", "invalid"),
        ("1,5", "comma"),
        ("1,500", "comma"),
        # Inner spaces and other thousands separators are refused like commas:
        # "5 004" may be 5004 or two figures run together.
        (" 5 004 ", "comma"),
        ("5\u2009004", "comma"),  # thin space
        ("5\u202f004", "comma"),  # narrow no-break space
        ("5\u00a0004", "comma"),  # no-break space
        ("5\u3000004", "comma"),  # ideographic space
        ("5'004", "comma"),
        ("5_004", "comma"),
        ("5\t004", "comma"),
        ("1 234.5", "comma"),
        ("- 5", "comma"),
        ("abc", "invalid"),
        ("1.2.3", "invalid"),
        ("-1", "negative"),
        ("1.234", "decimals"),
        ("99999999999999", "too_large"),
        ("0x10", "invalid"),
    ],
)
def test_it_refuses_bad_numbers(raw, code):
    with pytest.raises(ValidationError) as info:
        parse_value(raw, decimals=2, allow_negative=False)
    assert info.value.code == code


def test_negative_allowed_where_the_indicator_says_so():
    assert parse_value("-1", decimals=0, allow_negative=True) == D(-1)


def test_whole_numbers_only_when_no_decimals():
    with pytest.raises(ValidationError) as info:
        parse_value("1.5", decimals=0, allow_negative=False)
    assert info.value.code == "decimals"


def test_plausibility():
    assert plausibility_problem(D(5), D(0), D(10)) is None
    assert plausibility_problem(D(11), D(0), D(10)) is not None
    assert plausibility_problem(D(-1), D(0), None) is not None
    assert plausibility_problem(D(10**9), None, None) is None


def test_inner_spaces_get_the_comma_message():
    with pytest.raises(ValidationError) as spaced:
        parse_value(" 5 004 ", decimals=0, allow_negative=False)
    with pytest.raises(ValidationError) as comma:
        parse_value("5,004", decimals=0, allow_negative=False)
    assert spaced.value.messages == comma.value.messages
