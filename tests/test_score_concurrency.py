"""Two supervisors score the same target at the same moment (PostgreSQL, real threads)."""

from __future__ import annotations

import threading
from decimal import Decimal as D

import pytest
from django.contrib.messages import get_messages
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from assessment.models import Role, Score
from tests.conftest import make_user

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL row locks"
    ),
]


def post_together(year, target, department, posts) -> list[tuple[int, list[str]]]:
    """Each (user, data) posts from its own thread, released at the same instant."""
    barrier = threading.Barrier(len(posts))
    outcomes: list[tuple[int, list[str]] | None] = [None] * len(posts)
    path = reverse(
        "assessment:score-save", args=[year.year, department.code, target.pk]
    )

    def run(index: int, user, data) -> None:
        try:
            client = Client()
            client.force_login(user)
            barrier.wait(timeout=10)
            response = client.post(path, data)
            errors = [
                str(m)
                for m in get_messages(response.wsgi_request)
                if m.level_tag == "error"
            ]
            outcomes[index] = (response.status_code, errors)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(i, user, data))
        for i, (user, data) in enumerate(posts)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(o is not None for o in outcomes)
    return outcomes  # type: ignore[return-value]


def data(target, score: str, reason: str, version: int) -> dict[str, str]:
    prefix = f"t{target.pk}"
    return {
        f"{prefix}-score": score,
        f"{prefix}-reason": reason,
        f"{prefix}-version": str(version),
    }


@pytest.fixture
def supervisors(transactional_db):
    return (
        make_user("sup_zhang", Role.SUPERVISOR),
        make_user("sup_li", Role.SUPERVISOR),
    )


@pytest.mark.parametrize("round_", range(3))
def test_two_supervisors_from_the_same_version_one_wins(
    round_, year, catalogue, dept_a, supervisors
):
    target = catalogue["common"]
    score = Score.objects.create(
        target=target, department=dept_a, assessed_score=D(5), version=1
    )
    zhang, li = supervisors
    outcomes = post_together(
        year,
        target,
        dept_a,
        [(zhang, data(target, "8", "张", 1)), (li, data(target, "9", "李", 1))],
    )
    assert all(status == 302 for status, _ in outcomes)
    refused = [errors for _, errors in outcomes if errors]
    assert len(refused) == 1  # exactly one is told
    score.refresh_from_db()
    assert score.version == 2
    winner = zhang if score.assessed_score == D(8) else li
    assert score.scored_by == winner
    assert winner.display_name in refused[0][0]
    # the fixture's creation and the winner's change; the loser left no trace
    assert score.history.count() == 2
    assert score.history.latest().history_user == winner


def test_two_supervisors_creating_the_first_score_one_wins(
    year, catalogue, dept_a, supervisors
):
    target = catalogue["common"]
    zhang, li = supervisors
    outcomes = post_together(
        year,
        target,
        dept_a,
        [(zhang, data(target, "8", "张", 0)), (li, data(target, "9", "李", 0))],
    )
    assert all(status == 302 for status, _ in outcomes)
    assert sum(1 for _, errors in outcomes if errors) == 1
    score = Score.objects.get(target=target, department=dept_a)
    assert score.version == 1
    assert score.history.count() == 1


def test_the_same_score_submitted_twice_at_once_is_stored_once(
    year, catalogue, dept_a, supervisors
):
    target = catalogue["common"]
    zhang, _ = supervisors
    same = data(target, "7", "一致", 0)
    outcomes = post_together(year, target, dept_a, [(zhang, same), (zhang, same)])
    assert outcomes == [(302, []), (302, [])]
    score = Score.objects.get(target=target, department=dept_a)
    assert (score.assessed_score, score.version) == (D(7), 1)
    assert score.history.count() == 1
