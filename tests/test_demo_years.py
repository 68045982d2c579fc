"""The demo's three years: 2020 closed and scaled back from 2021, 2021 as the
self-review tells it, and the current year in progress up to last month."""

from __future__ import annotations

import datetime
import io
from collections import Counter
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Count
from django.test import override_settings
from django.utils import timezone

from assessment.figures import periods, workflow
from assessment.models import AssessmentYear, Figure, MonthlyReturn, Score
from sanitation.bureau import demo
from sanitation.bureau.demo import current, scaling
from sanitation.bureau.demo.y2020 import figures as y2020_figures
from sanitation.bureau.demo.y2021 import figures as y2021_figures

DECEMBER_3 = datetime.date(2026, 12, 3)

# --- pure: the scaling and the years' shapes ---


def test_factors_are_the_same_for_the_same_seed_and_stay_in_range():
    first = scaling.factors(7, 12, "0.88", "0.97")
    assert first == scaling.factors(7, 12, "0.88", "0.97")
    assert first != scaling.factors(8, 12, "0.88", "0.97")
    assert all(Decimal("0.88") <= f <= Decimal("0.97") for f in first)


@pytest.mark.parametrize(
    ("value", "factor", "decimals", "expected"),
    [
        (Decimal("150.0"), Decimal("0.9"), 1, Decimal("135.0")),
        (Decimal("1385"), Decimal("0.915"), 0, Decimal("1267")),
        (Decimal("1"), Decimal("0.88"), 0, Decimal("1")),  # a count stays whole
        (Decimal("87"), Decimal("0.97"), 0, Decimal("84")),
        (Decimal("2.05"), Decimal("1"), 1, Decimal("2.1")),  # half up, once
    ],
)
def test_scale_rounds_once_to_the_indicators_places(value, factor, decimals, expected):
    assert scaling.scale(value, factor, decimals) == expected


def test_2020_months_are_88_to_97_per_cent_of_2021s():
    earlier = {spec["code"]: spec for spec in y2020_figures.INDICATORS}
    checked = 0
    for spec in y2021_figures.INDICATORS:
        if not spec.get("monthly"):
            assert "monthly" not in earlier[spec["code"]]  # fed by records
            continue
        half = Decimal(1).scaleb(-spec["decimals"]) / 2
        for then, now in zip(
            demo.monthly_values(earlier[spec["code"]]),
            demo.monthly_values(spec),
            strict=True,
        ):
            assert now * Decimal("0.88") - half <= then <= now * Decimal("0.97") + half
            if spec["decimals"] == 0:
                assert then == then.to_integral_value()
            checked += 1
    typed = [spec for spec in y2021_figures.INDICATORS if spec.get("monthly")]
    assert len(typed) >= 11 and checked == len(typed) * 12


def test_the_years_are_2020_2021_and_the_current_one():
    assert [d.year for d in demo.years(DECEMBER_3)] == [2020, 2021, 2026]
    assert [d.year for d in demo.years(datetime.date(2021, 6, 1))] == [2020, 2021]
    assert demo.Y2020.settings["status"] == "closed"
    assert demo.Y2021.settings["status"] == "scoring"


def test_the_current_year_runs_to_last_month_in_every_state():
    data = current.build(DECEMBER_3)
    assert data is not None
    assert data.year == 2026 and data.months == 11
    assert data.settings["status"] == "open"
    assert not data.self_assessments and not data.report_texts
    states = {key: status for key, (status, _c, _r) in data.month_states.items()}
    assert Counter(states.values()) == {"submitted": 3, "returned": 1, "draft": 2}
    assert states[("waste", 11)] == "returned"
    assert "11月" in data.month_states[("waste", 11)][1]
    assert states[("landfill", 10)] == "draft"  # past its deadline: overdue
    assert {month for _code, month in states} == {10, 11}
    donations = data.records["Donation"]
    assert all(r["date"].startswith("2026-") for r in donations)


@pytest.mark.parametrize(
    ("today", "months", "states"),
    [
        (datetime.date(2027, 1, 5), 0, 0),  # January: nothing is due yet
        (datetime.date(2027, 2, 5), 1, 5),  # one month: no month before it
        (datetime.date(2027, 3, 20), 2, 6),
    ],
)
def test_early_in_the_year_the_states_fit_the_months_there_are(today, months, states):
    data = current.build(today)
    assert data.months == months
    assert len(data.month_states) == states
    assert all(1 <= month <= months for _code, month in data.month_states)
    assert all(r["date"] < today.isoformat() for r in data.records["Donation"])


# --- the loaded demo ---


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("demo")):
                demo.load(io.StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def this_year(loaded, db) -> AssessmentYear:
    return AssessmentYear.objects.get(year=timezone.localdate().year)


def test_2020_is_closed_and_fully_scored(loaded, db):
    year = AssessmentYear.objects.get(year=2020)
    assert year.is_closed and year.closed_by.username == "supervisor"
    assert year.closed_at.date() == datetime.date(2021, 1, 31)
    returns = MonthlyReturn.objects.filter(year=year)
    assert returns.count() == 7 * 12
    assert set(returns.values_list("status", flat=True)) == {"approved"}
    assert Score.objects.filter(target__category__year=year).count() == len(
        demo.Y2020.responsible_pairs()
    )


def test_the_current_year_has_returns_up_to_last_month_only(this_year):
    today = timezone.localdate()
    last = today.month - 1
    months = set(
        MonthlyReturn.objects.filter(year=this_year).values_list("month", flat=True)
    )
    assert months == set(range(1, last + 1))
    now = timezone.now()
    for row in MonthlyReturn.objects.filter(year=this_year):
        for stamp in (row.submitted_at, row.reviewed_at):
            assert stamp is None or stamp <= now
    assert all(
        stamp <= now
        for stamp in Figure.objects.filter(monthly_return__year=this_year).values_list(
            "updated_at", flat=True
        )
    )


def test_the_current_years_months_show_every_state(this_year):
    if timezone.localdate().month < 3:
        pytest.skip("the states need two months over")
    today = timezone.localdate()
    states = Counter()
    rows = MonthlyReturn.objects.filter(year=this_year).annotate(n=Count("figures"))
    for row in rows:
        facts = periods.month_facts(row, this_year, row.month, has_figures=bool(row.n))
        states[workflow.month_state(facts, today)] += 1
    assert states["submitted"] == 3
    assert states["returned"] == 1
    assert states["overdue"] >= 1  # two once last month's deadline has passed
    assert states["approved"] > 5 * (today.month - 3)
