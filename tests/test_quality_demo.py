"""The demo's validation rules: shipped, readable, and met by the demo's figures."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessment.models import AssessmentYear, FollowUp, User, ValidationRule
from assessment.quality import checks, rules
from tests.conftest import login


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    settings.LANGUAGE_CODE = "zh-hans"
    call_command("load_demo", stdout=io.StringIO())
    return AssessmentYear.objects.get(year=2021)


def test_the_demo_ships_the_bureaus_rules(demo):
    names = set(ValidationRule.objects.values_list("name", flat=True))
    assert names == {
        "填埋量不超过清运量",
        "人工清掏量不超过粪便清运总量",
        "热线办结数不超过受理数",
        "垃圾清运量同比变化不超过25%",
        "捐款报表数等于捐款记录合计",
    }
    landfill = ValidationRule.objects.get(name="填埋量不超过清运量")
    assert checks.preview(landfill) == (
        "垃圾卫生填埋量 (填埋场) ≤ 日均垃圾清运量 (垃圾清运队) × 当月天数 "
        "+ 日均粪便清运量 (粪便清运队) × 当月天数"
    )


def test_the_demo_figures_meet_every_rule(demo):
    context = checks.load_context(demo)
    table, _entered = checks.load_table(context, None, [2020, 2021])
    evaluated = rules.evaluate_all(
        context.rules, table, context.reporting, 2021, range(1, 13), context.fed
    )
    by_rule = {check.rule.name for check in evaluated}
    # Every rule whose indicators the year has is evaluated somewhere ...
    assert {
        "填埋量不超过清运量",
        "人工清掏量不超过粪便清运总量",
        "捐款报表数等于捐款记录合计",
    } <= by_rule
    # ... and none is violated.
    assert [c for c in evaluated if c.violated] == []


def test_the_demo_keeps_a_value_marked_for_follow_up(demo):
    marked = FollowUp.objects.get()
    assert marked.figure.monthly_return.month == 11
    assert marked.figure.indicator.code == "waste_daily"
    assert marked.resolved_at is None


def test_the_admin_previews_a_rule(demo):
    admin = User.objects.get(username="admin")
    rule = ValidationRule.objects.get(name="人工清掏量不超过粪便清运总量")
    response = login(admin).get(
        reverse("admin:assessment_validationrule_change", args=[rule.pk])
    )
    assert response.status_code == 200
    assert "其中日均人工清掏粪便量 ≤ 日均粪便清运量" in response.content.decode()
    listing = login(admin).get(reverse("admin:assessment_validationrule_changelist"))
    assert "其中日均人工清掏粪便量 ≤ 日均粪便清运量" in listing.content.decode()
