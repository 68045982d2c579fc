"""Two people saving the same figure at the same moment, with real threads on PostgreSQL."""

from __future__ import annotations

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from assessment import spine
from assessment.figures import returns
from assessment.models import Figure, MonthlyReturn, Role
from tests.conftest import make_user

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL row locks"
    ),
]

MONTH = 2


def on_day(year) -> datetime.date:
    return datetime.date(year.year, 3, 5)


def save_in_threads(
    monthly_return: MonthlyReturn, jobs: list[tuple[object, Decimal]], indicator, day
) -> list[object]:
    """Start every save at the same moment; each returns a SaveResult or an exception."""
    barrier = threading.Barrier(len(jobs))
    results: list[object] = [None] * len(jobs)

    def run(index: int, user, value: Decimal) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = returns.save_figures(
                user,
                monthly_return.year,
                monthly_return.department,
                monthly_return.month,
                [returns.FigureRow(indicator, value, "", 1)],
                on=day,
            )
        except Exception as exc:  # the test inspects what happened
            results[index] = exc
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(i, user, value))
        for i, (user, value) in enumerate(jobs)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.fixture
def stored(transactional_db, year, dept_a, clerk_a, catalogue):
    """February with the area at 150.0, version 1."""
    monthly_return = returns.get_or_create_return(year, dept_a, MONTH)
    returns.save_figures(
        clerk_a,
        monthly_return.year,
        monthly_return.department,
        monthly_return.month,
        [returns.FigureRow(catalogue["area"], Decimal(150), "", 0)],
        on=on_day(year),
    )
    return monthly_return


def test_two_saves_from_the_same_version_one_wins(
    stored, clerk_a, dept_a, catalogue, year
):
    colleague = make_user("clerk_a2", Role.CLERK, dept_a)
    colleague.first_name = "李"
    colleague.save()
    area = catalogue["area"]
    results = save_in_threads(
        stored,
        [(clerk_a, Decimal("160.1")), (colleague, Decimal("170.2"))],
        area,
        on_day(year),
    )
    wins = [r for r in results if isinstance(r, returns.SaveResult)]
    conflicts = [r for r in wins if r.conflicts]
    wins = [r for r in wins if not r.conflicts]
    assert len(wins) == 1 and len(conflicts) == 1, results
    figure = Figure.objects.get(indicator=area)
    assert figure.version == 2
    winner = clerk_a if results[0] is wins[0] else colleague
    assert figure.updated_by == winner
    assert figure.value == (Decimal("160.1") if winner == clerk_a else Decimal("170.2"))
    assert winner.display_name in conflicts[0].conflict_message
    # One history row for the first save, one for the winner: no silent overwrite.
    assert figure.history.count() == 2
    assert figure.history.latest().history_user == winner


def test_two_identical_saves_store_one_value(stored, clerk_a, catalogue, year):
    area = catalogue["area"]
    results = save_in_threads(
        stored,
        [(clerk_a, Decimal("160.1")), (clerk_a, Decimal("160.1"))],
        area,
        on_day(year),
    )
    assert all(isinstance(r, returns.SaveResult) for r in results), results
    assert sorted(r.count for r in results) == [0, 1]
    figure = Figure.objects.get(indicator=area)
    assert figure.value == Decimal("160.1") and figure.version == 2
    assert figure.history.count() == 2


def test_a_save_to_a_submitted_month_is_refused_while_it_is_approved(
    stored, clerk_a, supervisor, catalogue, year
):
    returns.submit_return(clerk_a, stored, on=on_day(year))
    returns.send_back_return(supervisor, stored, "请核实", on=on_day(year))
    returns.submit_return(clerk_a, stored, on=on_day(year))
    stored.refresh_from_db()
    # Submitted: a save must be refused whatever the page showed, even concurrently.
    barrier = threading.Barrier(2)
    results: list[object] = [None, None]

    def save() -> None:
        try:
            barrier.wait(timeout=10)
            results[0] = returns.save_figures(
                clerk_a,
                stored.year,
                stored.department,
                stored.month,
                [returns.FigureRow(catalogue["area"], Decimal(190), "", 1)],
                on=on_day(year),
            )
        except Exception as exc:
            results[0] = exc
        finally:
            connections.close_all()

    def approve() -> None:
        try:
            barrier.wait(timeout=10)
            results[1] = returns.approve_return(supervisor, stored)
        except Exception as exc:
            results[1] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save), threading.Thread(target=approve)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert isinstance(results[0], spine.Refused), results
    assert isinstance(results[1], MonthlyReturn), results
    assert Figure.objects.get(indicator=catalogue["area"]).value == Decimal(150)
