"""The navigation bar's year: scoring, ranking and reports follow the year being scored."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from assessment.context_processors import _assessed_year
from assessment.models import AssessmentYear


def test_the_year_being_scored_wins_over_a_newer_open_year():
    assert _assessed_year([(2022, "open"), (2021, "scoring"), (2020, "closed")]) == 2021


def test_without_a_year_being_scored_the_newest_counts():
    assert _assessed_year([(2022, "open"), (2021, "closed")]) == 2022
    assert _assessed_year([]) is None


def test_in_january_the_supervisor_is_led_to_last_years_scoring(client_supervisor):
    AssessmentYear.objects.create(year=2021, status="scoring")
    AssessmentYear.objects.create(year=2022, status="open")
    body = client_supervisor.get(reverse("assessment:matrix", args=[2022])).content
    for name in ("scoring-index", "ranking", "my-report"):
        assert reverse(f"assessment:{name}", args=[2021]).encode() in body
        assert reverse(f"assessment:{name}", args=[2022]).encode() not in body


def test_the_nav_names_no_year_for_anonymous_visitors(db):
    AssessmentYear.objects.create(year=2021, status="scoring")
    body = Client().get(reverse("login")).content
    assert reverse("assessment:ranking", args=[2021]).encode() not in body


def test_the_favicon_is_served_to_anyone(db):
    response = Client().get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("img/favicon.ico")
    assert b'rel="icon"' in Client().get(reverse("login")).content
