"""Season-aware plausible ranges as pure functions."""

from __future__ import annotations

from decimal import Decimal as D

from assessment.quality.ranges import (
    RangeSource,
    from_history,
    median,
    plausible_range,
)


def test_median_of_odd_and_even_counts():
    assert median([D(3), D(1), D(2)]) == D(2)
    assert median([D(4), D(1), D(2), D(3)]) == D("2.5")


def test_median_plus_minus_k_mad():
    # median 100, deviations 0, 10, 20 -> MAD 10
    assert from_history([D(90), D(100), D(120)], D(3)) == (D(70), D(130))


def test_at_least_two_years_of_history():
    assert from_history([D(100)], D(3)) is None
    assert from_history([], D(3)) is None
    assert from_history([D(90), D(110)], D(2)) == (D(80), D(120))


def test_no_spread_gives_no_derived_range():
    assert from_history([D(5), D(5), D(5)], D(3)) is None


def test_a_months_own_range_comes_first():
    chosen = plausible_range(
        (D(0), D(100)), (D(40), D(60)), [D(90), D(100), D(120)], D(3)
    )
    assert (chosen.low, chosen.high, chosen.source) == (D(40), D(60), RangeSource.MONTH)


def test_then_the_range_from_past_years():
    chosen = plausible_range((D(0), D(1000)), None, [D(90), D(100), D(120)], D(3))
    assert (chosen.low, chosen.high, chosen.source) == (
        D(70),
        D(130),
        RangeSource.HISTORY,
    )


def test_then_the_flat_range():
    flat = (D(0), D(1000))
    assert plausible_range(flat, None, [D(100)], D(3)).source is RangeSource.FLAT
    assert plausible_range(flat, None, [D(90), D(110)], None).source is (
        RangeSource.FLAT
    )
    assert plausible_range(flat, (None, None)).low == D(0)
