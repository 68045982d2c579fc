"""The bureau's records as indicator sources: monthly values in one query."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from assessment import sources
from sanitation.bureau.models import (
    Donation,
    PartyActivity,
    Petition,
    SafetyActivity,
    Task,
)


def test_donation_amount_sums_per_department_and_month(
    dept_a, dept_b, django_assert_num_queries
):
    Donation.objects.create(
        department=dept_a,
        date=datetime.date(2021, 6, 3),
        title="a",
        amount=Decimal("7000"),
    )
    Donation.objects.create(
        department=dept_a,
        date=datetime.date(2021, 6, 20),
        title="b",
        amount=Decimal("540"),
    )
    Donation.objects.create(
        department=dept_a,
        date=datetime.date(2021, 9, 1),
        title="c",
        amount=Decimal("6160"),
    )
    Donation.objects.create(
        department=dept_b,
        date=datetime.date(2021, 6, 9),
        title="d",
        amount=Decimal("1.5"),
    )
    # Another year and a department not asked for stay out.
    Donation.objects.create(
        department=dept_a, date=datetime.date(2020, 6, 9), title="e", amount=Decimal(99)
    )
    source = sources.get("bureau.donation_amount")
    with django_assert_num_queries(1):
        values = source.monthly_values([dept_a.pk, dept_b.pk], 2021)
    assert values == {
        (dept_a.pk, 6): Decimal("7540"),
        (dept_a.pk, 9): Decimal("6160"),
        (dept_b.pk, 6): Decimal("1.5"),
    }
    with django_assert_num_queries(1):
        only_b = source.monthly_values([dept_b.pk], 2021)
    assert only_b == {(dept_b.pk, 6): Decimal("1.5")}


@pytest.mark.parametrize(
    ("key", "make"),
    [
        (
            "bureau.petition_count",
            lambda dept, day, n: Petition.objects.create(
                department=dept, date=day, title=f"p{n}", channel="letter"
            ),
        ),
        (
            "bureau.party_activity_count",
            lambda dept, day, n: PartyActivity.objects.create(
                department=dept, date=day, title=f"p{n}", kind="study"
            ),
        ),
        (
            "bureau.task_count",
            lambda dept, day, n: Task.objects.create(
                department=dept, date=day, title=f"t{n}", kind="emergency"
            ),
        ),
        (
            "bureau.safety_activity_count",
            lambda dept, day, n: SafetyActivity.objects.create(
                department=dept, date=day, title=f"s{n}", kind="inspection"
            ),
        ),
    ],
)
def test_the_other_sources_count_records(
    key, make, dept_a, dept_b, django_assert_num_queries
):
    for n in range(3):
        make(dept_a, datetime.date(2021, 7, 1 + n), n)
    make(dept_a, datetime.date(2021, 8, 1), 9)
    make(dept_b, datetime.date(2021, 7, 5), 10)
    with django_assert_num_queries(1):
        values = sources.get(key).monthly_values([dept_a.pk, dept_b.pk], 2021)
    assert values == {
        (dept_a.pk, 7): Decimal(3),
        (dept_a.pk, 8): Decimal(1),
        (dept_b.pk, 7): Decimal(1),
    }


def test_safety_count_leaves_out_accidents(dept_a):
    day = datetime.date(2021, 5, 1)
    SafetyActivity.objects.create(
        department=dept_a, date=day, title="m", kind="meeting"
    )
    SafetyActivity.objects.create(
        department=dept_a, date=day, title="x", kind="accident"
    )
    values = sources.get("bureau.safety_activity_count").monthly_values(
        [dept_a.pk], 2021
    )
    assert values == {(dept_a.pk, 5): Decimal(1)}


@pytest.mark.parametrize("kind", ["donations", "petitions", "safety", "party", "tasks"])
def test_records_url_opens_the_filtered_list(kind, client_a, dept_a, year):
    key = {
        "donations": "bureau.donation_amount",
        "petitions": "bureau.petition_count",
        "safety": "bureau.safety_activity_count",
        "party": "bureau.party_activity_count",
        "tasks": "bureau.task_count",
    }[kind]
    url = sources.get(key).records_url(dept_a.code, year.year, 3)
    assert url.startswith(reverse("bureau:record-list", args=[kind]))
    response = client_a.get(url)
    assert response.status_code == 200
    assert response.context["department"] == dept_a
    assert response.context["month"] == 3
