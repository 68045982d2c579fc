"""The validation run over the demo: clean as shipped, and the issue's landfill case."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessment.models import AssessmentYear, Figure, User, ValidationRule
from tests.conftest import login


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    settings.LANGUAGE_CODE = "zh-hans"
    call_command("load_demo", stdout=io.StringIO())
    return AssessmentYear.objects.get(year=2021)


def test_the_demo_run_is_clean_and_finds_a_landfill_above_what_was_collected(demo):
    supervisor = login(User.objects.get(username="supervisor"))
    run = reverse("assessment:validation-run", args=[2021])
    response = supervisor.get(run)
    assert response.status_code == 200
    assert response.context["lines"] == []

    rule = ValidationRule.objects.get(name="填埋量不超过清运量")
    landfill_code = rule.terms.get(side="left").indicator_code
    figure = Figure.objects.get(
        monthly_return__year=demo,
        monthly_return__month=12,
        monthly_return__department__code="landfill",
        indicator__code=landfill_code,
    )
    figure.value = Decimal("9000")
    figure.save()

    response = supervisor.get(run + "?department=landfill&start=12&end=12")
    line, season = response.context["lines"]
    assert line.name == "填埋量不超过清运量"
    assert (line.department, line.month, line.left) == ("填埋场", 12, "9,000.0")
    assert line.right == "6,999.8"  # December's waste and night soil, 31 days each
    # December's own plausible range catches it too.
    assert season.name == "合理范围：垃圾卫生填埋量"
    assert (season.left, season.span) == ("9,000", "3,000 – 7,000")
    assert line.url.startswith(
        reverse("assessment:entry", args=[2021, "landfill", 12]) + "#id_f-"
    )
    # 垃圾清运队's clerk finds it from the other side of the rule ...
    waste = login(User.objects.get(username="clerk_waste"))
    [seen] = waste.get(run).context["lines"]
    assert (seen.name, seen.department_code) == ("填埋量不超过清运量", "waste")
    # ... and the review panel of 填埋场's December counts it.
    entry = reverse("assessment:entry", args=[2021, "landfill", 12])
    assert supervisor.get(entry).context["violation_count"] == 2


def test_the_current_year_meets_the_donation_rule(demo):
    """The office's reported donations are backed by records, month by month."""
    from django.utils import timezone

    supervisor = login(User.objects.get(username="supervisor"))
    this_year = timezone.localdate().year
    run = reverse("assessment:validation-run", args=[this_year])
    lines = supervisor.get(run + "?department=office").context["lines"]
    assert [line for line in lines if line.name == "捐款报表数等于捐款记录合计"] == []
