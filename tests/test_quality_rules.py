"""Validation rules as pure functions over Decimal tables."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from assessment.quality.rules import (
    ChangeBase,
    Importance,
    Operator,
    Period,
    Rule,
    Term,
    contexts,
    describe,
    evaluate,
    evaluate_all,
    expression,
    touching,
)

WASTE, NIGHTSOIL, LANDFILL = 1, 2, 3


def rule(operator=Operator.LE, left=(), right=(), **kwargs) -> Rule:
    return Rule(
        id=1,
        name="rule",
        message="message",
        importance=kwargs.pop("importance", Importance.BLOCK),
        operator=operator,
        left=tuple(left),
        right=tuple(right),
        **kwargs,
    )


@pytest.mark.parametrize(
    ("operator", "left", "right", "holds"),
    [
        (Operator.LE, "5", "5", True),
        (Operator.LE, "6", "5", False),
        (Operator.LT, "5", "5", False),
        (Operator.LT, "4.9", "5", True),
        (Operator.EQ, "5.0", "5", True),
        (Operator.EQ, "5.1", "5", False),
        (Operator.GE, "5", "5", True),
        (Operator.GE, "4", "5", False),
        (Operator.GT, "5", "5", False),
        (Operator.GT, "6", "5", True),
    ],
)
def test_every_operator(operator, left, right, holds):
    table = {(1, "a", 2021, 3): D(left), (1, "b", 2021, 3): D(right)}
    check = evaluate(rule(operator, [Term("a")], [Term("b")]), table, 1, 2021, 3)
    assert check is not None
    assert check.holds is holds
    assert (check.left, check.right) == (D(left), D(right))


def test_a_missing_value_on_either_side_leaves_the_rule_unevaluated():
    subject = rule(Operator.LE, [Term("a")], [Term("b"), Term("c")])
    full = {(1, "a", 2021, 3): D(9), (1, "b", 2021, 3): D(4), (1, "c", 2021, 3): D(4)}
    assert evaluate(subject, full, 1, 2021, 3).violated
    for missing in list(full):
        table = {key: value for key, value in full.items() if key != missing}
        assert evaluate(subject, table, 1, 2021, 3) is None


def test_coefficients_and_negative_terms():
    table = {(1, "a", 2021, 1): D(10), (1, "b", 2021, 1): D(3)}
    total = expression([Term("a", D("0.5")), Term("b", D(-1))], table, 1, 2021, 1)
    assert total == D(2)


def test_cross_department_sums_bureau_wide():
    # landfilled ≤ waste collected + night soil collected, every term named.
    subject = rule(
        Operator.LE,
        [Term("landfill", department=LANDFILL)],
        [Term("waste", department=WASTE), Term("nightsoil", department=NIGHTSOIL)],
    )
    table = {
        (LANDFILL, "landfill", 2021, 12): D("6900"),
        (WASTE, "waste", 2021, 12): D("5135.7"),
        (NIGHTSOIL, "nightsoil", 2021, 12): D("1700"),
    }
    check = evaluate(subject, table, None, 2021, 12)
    assert check.left == D(6900) and check.right == D("6835.7")
    assert check.violated
    assert check.cells == {
        (LANDFILL, "landfill"),
        (WASTE, "waste"),
        (NIGHTSOIL, "nightsoil"),
    }
    assert contexts(subject, {}) == [None]


def test_daily_averages_count_the_days_of_the_month():
    table = {(1, "daily", 2021, 2): D(10), (1, "daily", 2020, 2): D(10)}
    assert expression([Term("daily", per_day=True)], table, 1, 2021, 2) == D(280)
    assert expression([Term("daily", per_day=True)], table, 1, 2020, 2) == D(290)


def test_year_to_date_needs_every_month():
    table = {(1, "a", 2021, m): D(m) for m in (1, 2, 3)}
    table.update({(1, "b", 2021, m): D(2) for m in (1, 2, 3)})
    subject = rule(Operator.LE, [Term("a")], [Term("b")], period=Period.YEAR_TO_DATE)
    check = evaluate(subject, table, 1, 2021, 3)
    assert (check.left, check.right, check.holds) == (D(6), D(6), True)
    del table[(1, "b", 2021, 2)]
    assert evaluate(subject, table, 1, 2021, 3) is None


def test_record_fed_indicators_read_a_month_without_records_as_zero():
    subject = rule(Operator.EQ, [Term("typed_total")], [Term("from_records")])
    table = {(1, "typed_total", 2021, 5): D(0), (1, "typed_total", 2021, 6): D(7540)}
    table[(1, "from_records", 2021, 6)] = D(7540)
    assert evaluate(subject, table, 1, 2021, 6, fed={"from_records"}).holds
    assert evaluate(subject, table, 1, 2021, 5, fed={"from_records"}).holds
    # Not fed by records: a missing value is missing.
    assert evaluate(subject, table, 1, 2021, 5) is None
    table[(1, "typed_total", 2021, 5)] = D(100)
    assert evaluate(subject, table, 1, 2021, 5, fed={"from_records"}).violated


def test_change_limit_against_last_month_crosses_the_year_boundary():
    subject = rule(
        Operator.CHANGE,
        [Term("waste")],
        change_base=ChangeBase.LAST_MONTH,
        change_limit=D(25),
    )
    table = {(1, "waste", 2020, 12): D(100), (1, "waste", 2021, 1): D(125)}
    check = evaluate(subject, table, 1, 2021, 1)
    assert (check.right, check.low, check.high, check.holds) == (
        D(100),
        D(75),
        D(125),
        True,
    )
    table[(1, "waste", 2021, 1)] = D("125.1")
    assert evaluate(subject, table, 1, 2021, 1).violated
    table[(1, "waste", 2021, 1)] = D(74)
    assert evaluate(subject, table, 1, 2021, 1).violated


def test_change_limit_against_the_same_month_last_year():
    subject = rule(
        Operator.CHANGE,
        [Term("waste")],
        change_base=ChangeBase.LAST_YEAR,
        change_limit=D(25),
    )
    table = {
        (1, "waste", 2020, 2): D(100),
        (1, "waste", 2021, 1): D(200),  # last month is far off: not what is compared
        (1, "waste", 2021, 2): D(120),
    }
    check = evaluate(subject, table, 1, 2021, 2)
    assert check.holds and check.right == D(100)
    assert evaluate(subject, table, 1, 2021, 3) is None  # no March at all
    del table[(1, "waste", 2020, 2)]
    assert evaluate(subject, table, 1, 2021, 2) is None  # no history: not evaluated


def test_change_limit_from_zero_is_not_evaluated():
    subject = rule(Operator.CHANGE, [Term("a")], change_limit=D(10))
    table = {(1, "a", 2021, 1): D(0), (1, "a", 2021, 2): D(5)}
    assert evaluate(subject, table, 1, 2021, 2) is None


def test_contexts_follow_the_reporting_departments_and_the_rule_list():
    subject = rule(Operator.LE, [Term("manual")], [Term("total")])
    reporting = {"manual": {2, 5}, "total": {2}}
    assert contexts(subject, reporting) == [2, 5]
    narrowed = rule(
        Operator.LE, [Term("manual")], [Term("total")], departments=frozenset({5})
    )
    assert contexts(narrowed, reporting) == [5]


def test_a_cross_department_rule_is_found_from_either_side():
    subject = rule(
        Operator.LE,
        [Term("landfill", department=LANDFILL)],
        [Term("waste", department=WASTE)],
    )
    own = rule(Operator.LE, [Term("manual")], [Term("total")])
    reporting = {"manual": {NIGHTSOIL}, "total": {NIGHTSOIL}}
    assert touching([subject, own], LANDFILL, reporting) == [(subject, None)]
    assert touching([subject, own], WASTE, reporting) == [(subject, None)]
    assert touching([subject, own], NIGHTSOIL, reporting) == [(own, NIGHTSOIL)]


def test_evaluate_all_runs_every_rule_over_every_month():
    subject = rule(Operator.LE, [Term("manual")], [Term("total")])
    table = {}
    for month in range(1, 13):
        table[(2, "manual", 2021, month)] = D(2)
        table[(2, "total", 2021, month)] = D(60)
    table[(2, "manual", 2021, 12)] = D(90)
    del table[(2, "total", 2021, 6)]
    checks = evaluate_all([subject], table, {"manual": {2}}, 2021, range(1, 13))
    assert len(checks) == 11
    assert [(c.month, c.left) for c in checks if c.violated] == [(12, D(90))]


def test_describe_reads_like_the_rule():
    names = {"landfill": "填埋量", "waste": "清运量", "nightsoil": "粪便量"}
    departments = {LANDFILL: "填埋场", WASTE: "垃圾清运队"}
    subject = rule(
        Operator.LE,
        [Term("landfill", department=LANDFILL)],
        [Term("waste", department=WASTE, per_day=True), Term("nightsoil", D(-2))],
    )
    assert (
        describe(subject, names, departments)
        == "填埋量 (填埋场) ≤ 清运量 (垃圾清运队) × days − 2 × 粪便量"
    )
    change = rule(
        Operator.CHANGE,
        [Term("waste")],
        change_limit=D("25.00"),
        change_base=ChangeBase.LAST_YEAR,
    )
    assert describe(change, names, departments) == "清运量 within ±25 % last_year"
