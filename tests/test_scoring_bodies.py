"""Who scores what (考核主体) and the panel's score (民主测评), as pure functions."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from assessment.scoring.bodies import (
    BodyProgress,
    ScorerRights,
    body_progress,
    may_score,
    sees_panel_scores,
)
from assessment.scoring.rules import panel_score

OFFICE, SAFETY, PARTY = 1, 2, 3

CLERK = ScorerRights()
SAFETY_SCORER = ScorerRights(is_supervisor=True, body_ids=frozenset({SAFETY}))
TWO_BODIES = ScorerRights(is_supervisor=True, body_ids=frozenset({SAFETY, PARTY}))
NO_BODY = ScorerRights(is_supervisor=True)
LEAD = ScorerRights(is_supervisor=True, is_lead=True, body_ids=frozenset({OFFICE}))
#: A lead flag without the supervisor role (a deactivated or demoted user) gives nothing.
LEAD_NOT_SUPERVISOR = ScorerRights(is_lead=True, body_ids=frozenset({OFFICE}))


@pytest.mark.parametrize(
    ("rights", "body", "expected"),
    [
        (SAFETY_SCORER, SAFETY, True),
        (SAFETY_SCORER, OFFICE, False),  # 信息报送 is the office's
        (SAFETY_SCORER, PARTY, False),
        (SAFETY_SCORER, None, True),  # a target no body owns: any supervisor
        (TWO_BODIES, SAFETY, True),
        (TWO_BODIES, PARTY, True),
        (TWO_BODIES, OFFICE, False),
        (NO_BODY, OFFICE, False),
        (NO_BODY, None, True),
        (LEAD, OFFICE, True),
        (LEAD, SAFETY, True),
        (LEAD, PARTY, True),
        (LEAD, None, True),
        (CLERK, None, False),
        (CLERK, SAFETY, False),
        (LEAD_NOT_SUPERVISOR, OFFICE, False),
        (LEAD_NOT_SUPERVISOR, None, False),
    ],
)
def test_who_may_score_which_target(rights, body, expected):
    assert may_score(rights, body) is expected


@pytest.mark.parametrize(
    ("rights", "expected"),
    [
        (LEAD, True),
        (SAFETY_SCORER, False),
        (NO_BODY, False),
        (CLERK, False),
        (LEAD_NOT_SUPERVISOR, False),
    ],
)
def test_only_the_lead_assessor_sees_individual_panel_scores(rights, expected):
    assert sees_panel_scores(rights) is expected


def test_body_progress_counts_each_bodys_targets_in_order_of_appearance():
    lines = [
        (OFFICE, True),
        (SAFETY, False),
        (OFFICE, True),
        (None, False),
        (PARTY, True),
    ]
    assert body_progress(lines) == [
        BodyProgress(OFFICE, 2, 2),
        BodyProgress(SAFETY, 0, 1),
        BodyProgress(None, 0, 1),
        BodyProgress(PARTY, 1, 1),
    ]


@pytest.mark.parametrize(
    ("scored", "total", "finished"),
    [(0, 0, True), (0, 1, False), (2, 3, False), (3, 3, True)],
)
def test_a_body_has_finished_when_every_target_is_scored(scored, total, finished):
    assert BodyProgress(OFFICE, scored, total).finished is finished


def test_no_targets_no_bodies():
    assert body_progress([]) == []


# --- panel means: one rounding, two places half up -------------------------------------


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ([], None),
        (["8"], D("8.00")),
        (["8", "9"], D("8.50")),
        (["8", "9", "9"], D("8.67")),  # 8.666… half up
        (["10", "9.5", "9.5", "7"], D("9.00")),
        (["1", "2", "2"], D("1.67")),  # 1.666… half up
        (["0.01", "0.02"], D("0.02")),  # 0.015 → 0.02
        (["0.01", "0.04"], D("0.03")),  # 0.025 → 0.03 (half up), banker's gives 0.02
        (["15", "14.5", "15"], D("14.83")),
    ],
)
def test_panel_mean(scores, expected):
    assert panel_score([D(s) for s in scores]) == expected


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ([], None),
        (["8"], None),  # fewer than three: nothing to average after dropping
        (["8", "9"], None),
        (["8", "9", "10"], D("9.00")),
        (["15", "14.5", "15"], D("15.00")),  # one 15 and the 14.5 dropped
        (["10", "10", "10"], D("10.00")),  # ties drop one each
        (["2", "9", "9", "9", "10"], D("9.00")),
        (["6", "7", "8", "9.5"], D("7.50")),
        (["6", "7", "7", "8.5"], D("7.00")),
        (["1", "2", "2", "3", "5"], D("2.33")),  # (2 + 2 + 3) / 3 = 2.333…
        (["0.01", "0.04", "0.02", "9"], D("0.03")),  # (0.02 + 0.04) / 2 = 0.03
    ],
)
def test_panel_mean_after_dropping_the_highest_and_lowest(scores, expected):
    assert panel_score([D(s) for s in scores], drop_extremes=True) == expected


def test_the_panel_score_does_not_depend_on_the_order_of_the_scores():
    scores = [D("9"), D("6"), D("7.5"), D("10"), D("8")]
    assert panel_score(scores, True) == panel_score(list(reversed(scores)), True)
    assert panel_score(scores, True) == D("8.17")  # (9 + 7.5 + 8) / 3 = 8.1666…
