"""The catalogue's checks before its targets are issued: pure functions, no database."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.utils import translation

from assessment.planning import rules


def line(code: str, points: str, *, departments: int = 1, common: bool = False):
    return rules.PlanLine(
        code=code,
        name=f"目标{code}",
        points=D(points),
        is_common=common,
        department_count=departments,
    )


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("points", "ok"),
    [
        (["55", "30", "15"], True),
        (["33.33", "33.33", "33.34"], True),
        (["100"], True),
        (["55", "30", "14.99"], False),
        (["55", "30", "15.01"], False),
        (["0"], False),
        ([], False),
    ],
)
def test_points_must_sum_to_exactly_100(points, ok):
    problem = rules.points_problem(D(p) for p in points)
    assert (problem is None) is ok


def test_the_sum_problem_says_how_far_off_it_is():
    problem = rules.points_problem([D("55"), D("30"), D("10")])
    assert problem == ("The targets' points add up to 95.00, not 100.00 (5.00 to go).")
    assert "-5.00 to go" in rules.points_problem([D(60), D(45)])


def test_points_total_is_exact():
    assert rules.points_total([D("0.1")] * 10) == D("1.0")
    assert rules.points_total([]) == D(0)


@pytest.mark.parametrize(
    ("departments", "common", "has"),
    [(1, False, True), (3, False, True), (0, True, True), (0, False, False)],
)
def test_a_target_has_a_department_when_assigned_or_common(departments, common, has):
    assert (
        line("1.1", "10", departments=departments, common=common).has_department is has
    )


def test_targets_without_a_department_are_named_in_order():
    lines = [
        line("1.1", "50"),
        line("1.2", "30", departments=0),
        line("1.3", "10", departments=0, common=True),
        line("2.1", "10", departments=0),
    ]
    assert [x.code for x in rules.without_department(lines)] == ["1.2", "2.1"]
    assert rules.catalogue_problems(lines) == [
        "1.2 目标1.2 has no responsible department.",
        "2.1 目标2.1 has no responsible department.",
    ]


def test_a_ready_catalogue_has_no_problems():
    assert rules.catalogue_problems([line("1", "55"), line("2", "45")]) == []


def test_every_problem_is_listed_at_once():
    problems = rules.catalogue_problems(
        [line("1", "55"), line("2", "40", departments=0)]
    )
    assert len(problems) == 2
    assert problems[0].startswith("The targets' points add up to 95.00")
    assert problems[1] == "2 目标2 has no responsible department."


def test_an_empty_catalogue_cannot_be_issued():
    assert rules.catalogue_problems([]) == ["The catalogue has no targets."]


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("2021年度目标管理考核", "2022年度目标管理考核"),
        ("Assessment 2021", "Assessment 2022"),
        ("", ""),
        ("目标管理考核", "目标管理考核"),
        ("2021 (2020 baseline), 20210 items", "2022 (2020 baseline), 20210 items"),
    ],
)
def test_the_title_moves_to_the_next_year(title, expected):
    assert rules.next_title(title, 2021, 2022) == expected
