"""The year-round pages by role where the other test files leave a role out: the
leader reads who has acknowledged the targets (and may not acknowledge), the bulletin's
PDF is the bureau's (not a clerk's, not anonymous), and the acknowledgement list takes
the same number of queries at 10 and at 100 departments."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessment.models import Department, TargetAcknowledgement
from assessment.models.catalogue import YearStatus
from assessment.planning import issuing
from tests.test_progress_views import YEAR, figures, frozen_today  # noqa: F401


@pytest.fixture
def issued(year, catalogue, dept_a, dept_b, supervisor):
    catalogue["target_a"].points = D(70)
    catalogue["target_a"].save()
    year.status = YearStatus.DRAFT
    year.save()
    issuing.publish(year, supervisor)
    year.refresh_from_db()
    return catalogue


def acknowledgements(year) -> str:
    return reverse("assessment:acknowledgements", args=[year.year])


def test_the_leader_reads_who_has_acknowledged(
    issued, year, dept_a, dept_b, clerk_a, client_leader
):
    issuing.acknowledge(year, dept_a, clerk_a)
    response = client_leader.get(acknowledgements(year))
    assert response.status_code == 200
    assert [
        (line.department, line.acknowledged) for line in response.context["lines"]
    ] == [
        (dept_b, False),
        (dept_a, True),
    ]
    letter = client_leader.get(
        reverse("assessment:target-letter", args=[year.year, dept_b.code])
    )
    assert letter.status_code == 200
    assert 'id="acknowledge"' not in letter.content.decode()
    ack = reverse("assessment:target-acknowledge", args=[year.year, dept_b.code])
    assert client_leader.post(ack).status_code == 403
    assert TargetAcknowledgement.objects.count() == 1


def test_a_clerk_of_two_departments_is_sent_to_the_first(issued, year, dept_a, dept_b):
    from tests.conftest import login, make_user

    both = login(make_user("clerk_ab", "clerk", dept_b, dept_a))
    response = both.get(acknowledgements(year))
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "assessment:target-letter", args=[year.year, dept_a.code]
    )


def _count(client: Client, url: str) -> int:
    client.get(url)  # the catalogue's kept values read first (catalogue_cache)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_the_acknowledgement_list_queries_do_not_grow_with_departments(
    issued, year, supervisor, client_supervisor
):
    common = issued["common"]

    def grow_to(total: int) -> None:
        for i in range(Department.objects.count(), total):
            department = Department.objects.create(code=f"d{i}", name=f"队{i}", order=i)
            common.departments.add(department)
            if i % 2:
                TargetAcknowledgement.objects.create(
                    year=year,
                    department=department,
                    acknowledged_by=supervisor,
                    acknowledged_at=timezone.now(),
                )

    grow_to(10)
    at_10 = _count(client_supervisor, acknowledgements(year))
    grow_to(100)
    lines = client_supervisor.get(acknowledgements(year)).context["lines"]
    assert len(lines) >= 100
    assert _count(client_supervisor, acknowledgements(year)) == at_10


def bulletin_pdf() -> str:
    return reverse("assessment:bulletin-pdf", args=[YEAR, 6])


def test_a_clerk_may_not_download_the_bulletin(client_a, figures):  # noqa: F811
    assert client_a.get(bulletin_pdf()).status_code == 403


def test_the_bulletin_pdf_needs_login(figures):  # noqa: F811
    response = Client().get(bulletin_pdf())
    assert response.status_code == 302 and "login" in response["Location"]
