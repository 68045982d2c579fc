from __future__ import annotations

import datetime

import pytest

from assessment.figures.workflow import (
    MonthFacts,
    MonthState,
    can_reopen,
    can_review,
    can_submit,
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


def test_a_reopened_month_is_a_draft_even_without_typed_figures():
    """A month fed by work records only has no figures of its own; reopened after its
    approval it is a draft to submit again, not a month that never started."""
    reopened = facts(status="draft", reopened=True, has_figures=False)
    assert month_state(reopened, BEFORE) == MonthState.DRAFT
    assert month_state(reopened, AFTER) == MonthState.DRAFT
    assert month_state(facts(status="draft"), BEFORE) == MonthState.NOT_STARTED


def test_locks():
    assert lock_reason(facts(status="draft"), BEFORE) is None
    assert lock_reason(facts(status="returned"), BEFORE) is None
    assert lock_reason(facts(status="approved"), BEFORE)
    assert lock_reason(facts(status="submitted"), BEFORE)
    assert lock_reason(facts(status="draft"), AFTER)
    assert lock_reason(facts(status="draft", reopened=True), AFTER) is None
    assert lock_reason(facts(status="draft", year_closed=True), BEFORE)
    assert lock_reason(facts(), datetime.date(2021, 2, 1))


# --- who may act on a month: pure tables ------------------------------------------------

WITHIN = BEFORE  # on or before the deadline (10 April), March has started
PAST = AFTER
NOT_STARTED = datetime.date(2021, 2, 20)


@pytest.mark.parametrize(
    ("status", "on", "reopened", "closed", "may_edit", "expected"),
    [
        (None, WITHIN, False, False, True, True),
        ("draft", WITHIN, False, False, True, True),
        ("returned", WITHIN, False, False, True, True),
        ("submitted", WITHIN, False, False, True, False),
        ("approved", WITHIN, False, False, True, False),
        # Someone who may not edit the department's data never submits.
        ("draft", WITHIN, False, False, False, False),
        # Past the deadline only a reopened month may be submitted.
        ("draft", PAST, False, False, True, False),
        (None, PAST, False, False, True, False),
        ("draft", PAST, True, False, True, True),
        ("returned", PAST, True, False, True, True),
        ("approved", PAST, True, False, True, False),
        # A month that has not started, or a closed year.
        (None, NOT_STARTED, False, False, True, False),
        ("draft", WITHIN, False, True, True, False),
        ("returned", PAST, True, True, True, False),
    ],
)
def test_can_submit(status, on, reopened, closed, may_edit, expected):
    month = facts(status=status, reopened=reopened, year_closed=closed)
    assert can_submit(month, on, may_edit=may_edit) is expected


@pytest.mark.parametrize(
    ("status", "closed", "is_supervisor", "expected"),
    [
        ("submitted", False, True, True),
        ("submitted", False, False, False),
        ("submitted", True, True, False),
        (None, False, True, False),
        ("draft", False, True, False),
        ("returned", False, True, False),
        ("approved", False, True, False),
    ],
)
def test_can_review(status, closed, is_supervisor, expected):
    month = facts(status=status, year_closed=closed)
    assert can_review(month, is_supervisor=is_supervisor) is expected


@pytest.mark.parametrize(
    ("status", "on", "reopened", "closed", "is_supervisor", "expected"),
    [
        # An approved month is reopened whatever the calendar says.
        ("approved", WITHIN, False, False, True, True),
        ("approved", PAST, False, False, True, True),
        ("approved", PAST, True, False, True, True),
        # A month past its deadline that nobody reopened yet.
        ("draft", PAST, False, False, True, True),
        ("returned", PAST, False, False, True, True),
        (None, PAST, False, False, True, True),
        # Not again once reopened, not within the deadline, never a submitted month.
        ("draft", PAST, True, False, True, False),
        ("draft", WITHIN, False, False, True, False),
        (None, WITHIN, False, False, True, False),
        ("submitted", PAST, False, False, True, False),
        ("submitted", WITHIN, False, False, True, False),
        # Only supervisors, and never in a closed year.
        ("approved", PAST, False, False, False, False),
        ("draft", PAST, False, False, False, False),
        ("approved", PAST, False, True, True, False),
    ],
)
def test_can_reopen(status, on, reopened, closed, is_supervisor, expected):
    month = facts(status=status, reopened=reopened, year_closed=closed)
    assert can_reopen(month, on, is_supervisor=is_supervisor) is expected


def test_the_deadline_day_itself_is_still_within_it():
    deadline = datetime.date(2021, 4, 10)
    assert can_submit(facts(status="draft"), deadline, may_edit=True)
    assert not can_reopen(facts(status="draft"), deadline, is_supervisor=True)
    day_after = deadline + datetime.timedelta(days=1)
    assert not can_submit(facts(status="draft"), day_after, may_edit=True)
    assert can_reopen(facts(status="draft"), day_after, is_supervisor=True)
