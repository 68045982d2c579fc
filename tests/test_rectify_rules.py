"""Who gets a rectification item (整改): the threshold's boundaries and the fail grade,
as pure-function tables."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from assessment.scoring import rules
from assessment.scoring.rectify_rules import (
    TargetLine,
    below_threshold,
    default_deadline,
    findings,
)

D = Decimal


@pytest.mark.parametrize(
    ("score", "points", "percent", "below"),
    [
        ("5.99", "10", "60", True),
        ("6", "10", "60", False),  # exactly 60 %: passes
        ("6.01", "10", "60", False),
        ("0", "10", "60", True),
        ("11.99", "20", "60", True),
        ("12", "20", "60", False),
        ("2.99", "5", "60", True),
        ("3", "5", "60", False),
        ("4.49", "6", "75", True),
        ("4.5", "6", "75", False),
        ("0", "0", "60", False),  # a target worth nothing never fails
        ("0", "10", "0", False),  # a threshold of 0 asks nothing
        ("9.99", "10", "100", True),
        ("10", "10", "100", False),
    ],
)
def test_below_threshold(score, points, percent, below):
    assert below_threshold(D(score), D(points), D(percent)) is below


def line(pk: int, score: str, points: str = "10") -> TargetLine:
    return TargetLine(target_id=pk, score=D(score), points=D(points))


@pytest.mark.parametrize(
    ("failed", "lines", "keys"),
    [
        (False, [line(1, "6"), line(2, "10")], []),
        (False, [line(1, "5.5"), line(2, "10")], ["target:1"]),
        (True, [line(1, "6"), line(2, "10")], ["grade"]),
        (True, [line(1, "1"), line(2, "2")], ["grade", "target:1", "target:2"]),
        (True, [], ["grade"]),
        (False, [], []),
    ],
)
def test_findings(failed, lines, keys):
    found = findings(failed=failed, lines=lines, percent=D(60))
    assert [f.key for f in found] == keys
    assert [f.is_grade for f in found] == [k == "grade" for k in keys]


def test_a_target_finding_carries_its_score_and_points():
    (found,) = findings(failed=False, lines=[line(7, "2.5", "5")], percent=D(60))
    assert (found.target_id, found.score, found.points) == (7, D("2.5"), D(5))


@pytest.mark.parametrize(
    ("total", "vetoed", "failed"),
    [
        (D("59.99"), False, True),
        (D("60"), False, False),
        (D("95"), True, True),  # a veto fails whatever the total
        (None, False, False),
    ],
)
def test_the_fail_grade_is_what_makes_a_department_rectify(total, vetoed, failed):
    grade = rules.grade(total, (D(90), D(80), D(60)), vetoed)
    assert (grade == rules.Grade.FAIL) is failed


def test_the_default_deadline_is_ninety_days_after_the_final_date():
    assert default_deadline(datetime.date(2021, 1, 20)) == datetime.date(2021, 4, 20)
