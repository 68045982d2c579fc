"""The validation run's pure part: violated checks and out-of-range values as lines."""

from __future__ import annotations

from decimal import Decimal as D

from assessment.quality import run
from assessment.quality.rules import (
    ChangeBase,
    Importance,
    Operator,
    Rule,
    Term,
    evaluate,
)
from assessment.quality.run import Kind, RangeSpec

WASTE, NIGHTSOIL, LANDFILL, STREET = 1, 2, 3, 4


def landfill_rule() -> Rule:
    """Bureau-wide: 填埋场's landfill ≤ 垃圾清运队's waste + 粪便清运队's night soil."""
    return Rule(
        id=7,
        name="landfill",
        message="too much landfilled",
        importance=Importance.BLOCK,
        operator=Operator.LE,
        left=(Term("landfill", department=LANDFILL),),
        right=(
            Term("waste", department=WASTE),
            Term("nightsoil", department=NIGHTSOIL),
        ),
    )


def hand_rule() -> Rule:
    return Rule(
        id=8,
        name="hand",
        message="hand > total",
        importance=Importance.NOTE,
        operator=Operator.LE,
        left=(Term("hand"),),
        right=(Term("total"),),
    )


def table_2021() -> dict:
    return {
        (LANDFILL, "landfill", 2021, 12): D("6900"),
        (WASTE, "waste", 2021, 12): D("5135.7"),
        (NIGHTSOIL, "nightsoil", 2021, 12): D("1000"),
        (NIGHTSOIL, "hand", 2021, 12): D("9"),
        (NIGHTSOIL, "total", 2021, 12): D("5"),
    }


def test_a_cross_department_violation_is_listed_under_the_left_side():
    table = table_2021()
    check = evaluate(landfill_rule(), table, None, 2021, 12)
    [line] = run.rule_violations([check], {})
    assert line.kind == Kind.RULE
    assert (line.department, line.indicator, line.month) == (LANDFILL, "landfill", 12)
    assert (line.left, line.right) == (D("6900"), D("6135.7"))
    assert line.noted is False
    assert line.importance is Importance.BLOCK


def test_filtered_to_the_other_side_it_is_listed_under_that_department():
    check = evaluate(landfill_rule(), table_2021(), None, 2021, 12)
    [line] = run.rule_violations([check], {}, selected={WASTE})
    assert (line.department, line.indicator) == (WASTE, "waste")


def test_a_note_on_any_field_the_rule_reads_counts():
    check = evaluate(landfill_rule(), table_2021(), None, 2021, 12)
    notes = {(WASTE, "waste", 2021, 12): "台账已核对"}
    [line] = run.rule_violations([check], notes)
    assert line.noted is True
    # A note of another month does not.
    [line] = run.rule_violations([check], {(WASTE, "waste", 2021, 11): "x"})
    assert line.noted is False


def test_checks_that_hold_are_not_listed():
    table = table_2021() | {(LANDFILL, "landfill", 2021, 12): D("6135.7")}
    check = evaluate(landfill_rule(), table, None, 2021, 12)
    assert check is not None and check.holds
    assert run.rule_violations([check], {}) == []


def test_the_pairs_checked_for_a_department_include_rules_naming_it():
    reporting = {"hand": {NIGHTSOIL}, "total": {NIGHTSOIL}}
    rules = [landfill_rule(), hand_rule()]
    assert run.checked_pairs(rules, reporting, None) == [
        (rules[0], None),
        (rules[1], NIGHTSOIL),
    ]
    assert run.checked_pairs(rules, reporting, {WASTE}) == [(rules[0], None)]
    assert run.checked_pairs(rules, reporting, {STREET}) == []


def test_a_change_limit_across_the_year_boundary_shows_the_span():
    change = Rule(
        id=9,
        name="waste yoy",
        message="±25 %",
        importance=Importance.WARN,
        operator=Operator.CHANGE,
        left=(Term("waste"),),
        change_base=ChangeBase.LAST_MONTH,
        change_limit=D(25),
    )
    table = {(WASTE, "waste", 2020, 12): D("100"), (WASTE, "waste", 2021, 1): D("130")}
    check = evaluate(change, table, WASTE, 2021, 1)
    [line] = run.rule_violations([check], {})
    assert (line.left, line.right, line.low, line.high) == (
        D("130"),
        D("100"),
        D("75"),
        D("125"),
    )


# --- ranges ---------------------------------------------------------------------


def test_values_outside_the_flat_range_are_listed_inclusive_bounds():
    specs = {"waste": RangeSpec(low=D(0), high=D(10000))}
    values = {
        (WASTE, "waste", 2021, 1): D("10000"),
        (WASTE, "waste", 2021, 2): D("10000.1"),
        (WASTE, "waste", 2021, 3): D("-0.5"),
        (WASTE, "waste", 2021, 4): D("0"),
    }
    found = run.range_violations(values, {}, specs, 2021, range(1, 13))
    assert sorted((v.month, v.left) for v in found) == [
        (2, D("10000.1")),
        (3, D("-0.5")),
    ]
    assert all(v.kind == Kind.RANGE and v.importance is Importance.NOTE for v in found)
    assert found[0].low == D(0) and found[0].high == D(10000)


def test_a_months_own_range_replaces_the_flat_one():
    specs = {"waste": RangeSpec(D(0), D(10000), months={12: (D(4000), D(6000))})}
    values = {
        (WASTE, "waste", 2021, 12): D("6900"),
        (WASTE, "waste", 2021, 11): D("6900"),
    }
    [found] = run.range_violations(values, {}, specs, 2021, range(1, 13))
    assert (found.month, found.low, found.high) == (12, D(4000), D(6000))


def test_a_range_from_past_years_is_season_aware_and_per_department():
    # December of 2018-2020: 100, 110, 120 -> median 110, MAD 10; k = 2 -> 90 – 130.
    specs = {"waste": RangeSpec(D(0), D(10000), k=D(2))}
    values = {
        (WASTE, "waste", 2018, 12): D(100),
        (WASTE, "waste", 2019, 12): D(110),
        (WASTE, "waste", 2020, 12): D(120),
        (WASTE, "waste", 2021, 12): D(131),
        # another department, no history: the flat range
        (STREET, "waste", 2021, 12): D(131),
        # a month with one year of history: the flat range
        (WASTE, "waste", 2020, 6): D(50),
        (WASTE, "waste", 2021, 6): D(9000),
    }
    [found] = run.range_violations(values, {}, specs, 2021, range(1, 13))
    assert (found.department, found.month) == (WASTE, 12)
    assert (found.low, found.high) == (D(90), D(130))


def test_months_outside_the_selection_and_noted_values():
    specs = {"waste": RangeSpec(D(0), D(10))}
    values = {(WASTE, "waste", 2021, 1): D(11), (WASTE, "waste", 2021, 5): D(11)}
    notes = {(WASTE, "waste", 2021, 5): "大扫除"}
    [found] = run.range_violations(values, notes, specs, 2021, [5])
    assert found.month == 5 and found.noted is True


def test_tally_counts_every_importance():
    specs = {"waste": RangeSpec(D(0), D(10))}
    values = {(WASTE, "waste", 2021, 1): D(11)}
    found = run.range_violations(values, {}, specs, 2021, [1])
    check = evaluate(landfill_rule(), table_2021(), None, 2021, 12)
    found += run.rule_violations([check], {})
    assert run.tally(found) == {
        Importance.BLOCK: 1,
        Importance.NOTE: 1,
        Importance.WARN: 0,
    }
