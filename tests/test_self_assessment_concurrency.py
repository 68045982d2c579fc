"""Two clerks save the same target from the same version, in real threads (PostgreSQL)."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection

from assessment.models import Role, SelfAssessment
from assessment.scoring import self_assessment as rules
from tests.conftest import make_user

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL row locks"
    ),
]


def race(calls) -> list[object]:
    """Run the calls at the same moment, each in its own thread and connection."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index: int, call) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # reported to the test
            results[index] = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(index, call))
        for index, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


@pytest.mark.parametrize("existing", [False, True], ids=["new-row", "existing-row"])
def test_one_of_two_concurrent_saves_wins_the_other_is_told(
    catalogue, year, dept_a, clerk_a, existing
):
    other = make_user("clerk_a2", Role.CLERK, dept_a)
    target = catalogue["target_a"]
    version = 0
    if existing:
        rules.save_self_assessment(
            year=year,
            department=dept_a,
            target=target,
            user=clerk_a,
            version=0,
            self_score=Decimal(1),
            text="start",
        )
        version = 1

    def save(user, score: str):
        return lambda: rules.save_self_assessment(
            year=year,
            department=dept_a,
            target=target,
            user=user,
            version=version,
            self_score=Decimal(score),
            text=f"by {user.username}",
        )

    outcomes = race([save(clerk_a, "11"), save(other, "12")])
    assert all(isinstance(outcome, rules.SaveOutcome) for outcome in outcomes), outcomes
    winners = [outcome for outcome in outcomes if outcome.conflict is None]
    losers = [outcome for outcome in outcomes if outcome.conflict is not None]
    assert len(winners) == 1 and len(losers) == 1
    row = SelfAssessment.objects.get()
    assert row.version == version + 1
    assert row.text == winners[0].row.text
    assert row.updated_by.display_name in losers[0].conflict.message
    assert row.history.count() == version + 1


def test_a_double_click_in_two_threads_stores_one_value(
    catalogue, year, dept_a, clerk_a
):
    target = catalogue["target_a"]

    def save():
        return rules.save_self_assessment(
            year=year,
            department=dept_a,
            target=target,
            user=clerk_a,
            version=0,
            self_score=Decimal("7.5"),
            text="同一次提交",
        )

    outcomes = race([save, save])
    assert all(isinstance(outcome, rules.SaveOutcome) for outcome in outcomes), outcomes
    assert all(outcome.conflict is None for outcome in outcomes)
    row = SelfAssessment.objects.get()
    assert (row.self_score, row.version, row.history.count()) == (Decimal("7.5"), 1, 1)
