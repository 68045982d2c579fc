"""The published list (公示) and the objection list read the same number of queries
at 10 and at 100 departments, for a supervisor and for a clerk."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessment.models import Department, Objection, Role, Score
from tests.conftest import make_user


def add_departments(year, catalogue, supervisor, count: int) -> None:
    """`count` more departments, each scored, with an objection (every other one
    answered) filed by its own clerk."""
    start = Department.objects.count()
    for n in range(start, start + count):
        department = Department.objects.create(code=f"unit-{n}", name=f"队{n}", order=n)
        clerk = make_user(f"clerk-{n}", Role.CLERK, department)
        Score.objects.create(
            target=catalogue["common"],
            department=department,
            assessed_score=Decimal(7 + n % 3),
            reason="r",
            scored_by=supervisor,
        )
        answered = n % 2 == 0
        Objection.objects.create(
            year=year,
            department=department,
            kind="score",
            item=f"score:{catalogue['common'].pk}",
            target=catalogue["common"],
            item_label="1.3 安全生产",
            previous_points=Decimal(7),
            grounds="g",
            filed_by=clerk,
            status="rejected" if answered else "open",
            answer="a" if answered else "",
            answered_at=timezone.now() if answered else None,
            answered_by=supervisor if answered else None,
        )


def queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("page", ["publication", "objection-list"])
@pytest.mark.parametrize("who", ["supervisor", "clerk"])
def test_the_same_number_of_queries_at_10_and_100_departments(
    page, who, year, published, scored, supervisor, client_supervisor, client_b
):
    client = client_supervisor if who == "supervisor" else client_b
    path = reverse(f"assessment:{page}", args=[year.year])
    add_departments(year, scored, supervisor, 8)
    assert Department.objects.count() == 10
    at_10 = queries(client, path)
    assert at_10 < 40
    add_departments(year, scored, supervisor, 90)
    assert Department.objects.count() == 100
    assert queries(client, path) == at_10
    if page == "objection-list" and who == "supervisor":
        assert len(client.get(path).context["objections"]) == 98
