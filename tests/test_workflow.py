from __future__ import annotations

import datetime

from assessment.figures.workflow import (
    MonthFacts,
    MonthState,
    deadline_for,
    lock_reason,
    month_state,
)


def facts(**overrides) -> MonthFacts:
    values = dict(
        year=2021,
        month=3,
        deadline=datetime.date(2021, 4, 10),
        status=None,
        has_figures=False,
        reopened=False,
        year_closed=False,
    )
    values.update(overrides)
    return MonthFacts(**values)


BEFORE = datetime.date(2021, 4, 5)
AFTER = datetime.date(2021, 4, 11)


def test_deadline_is_in_the_following_month():
    assert deadline_for(2021, 3, 10) == datetime.date(2021, 4, 10)
    assert deadline_for(2021, 12, 10) == datetime.date(2022, 1, 10)


def test_states():
    assert month_state(facts(), BEFORE) == MonthState.NOT_STARTED
    assert month_state(facts(), datetime.date(2021, 2, 1)) == MonthState.NOT_DUE
    assert (
        month_state(facts(status="draft", has_figures=True), BEFORE) == MonthState.DRAFT
    )
    assert month_state(facts(status="submitted"), AFTER) == MonthState.SUBMITTED
    assert month_state(facts(status="returned"), BEFORE) == MonthState.RETURNED
    assert month_state(facts(status="approved"), AFTER) == MonthState.APPROVED
    assert month_state(facts(status="draft"), AFTER) == MonthState.OVERDUE
    assert month_state(facts(), AFTER) == MonthState.OVERDUE
    assert month_state(
        facts(status="draft", reopened=True, has_figures=True), AFTER
    ) == (MonthState.DRAFT)


def test_locks():
    assert lock_reason(facts(status="draft"), BEFORE) is None
    assert lock_reason(facts(status="returned"), BEFORE) is None
    assert lock_reason(facts(status="approved"), BEFORE)
    assert lock_reason(facts(status="submitted"), BEFORE)
    assert lock_reason(facts(status="draft"), AFTER)
    assert lock_reason(facts(status="draft", reopened=True), AFTER) is None
    assert lock_reason(facts(status="draft", year_closed=True), BEFORE)
    assert lock_reason(facts(), datetime.date(2021, 2, 1))
