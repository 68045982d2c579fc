"""What the entry page does once per request instead of once per field: the inputs
written out from the figures, the navigation's queries, the rules' context."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assessment.figures.forms import FigureForm, initial_inputs
from assessment.models import Figure, Indicator
from assessment.quality.rules import month_reporting


def _indicator(pk: int = 7, decimals: int = 1) -> Indicator:
    return Indicator(pk=pk, code="I7", name="清扫面积", decimals=decimals)


@pytest.mark.parametrize(
    ("figure", "disabled"),
    [
        (None, False),
        (None, True),
        (Figure(value=Decimal("150.5"), note="雨天", version=3), False),
        (Figure(value=Decimal("-2"), note="", version=1), True),
    ],
)
def test_initial_inputs_are_what_the_unbound_form_renders(figure, disabled):
    indicator = _indicator()
    form = FigureForm(indicator=indicator, figure=figure)
    if disabled:
        for field in form.fields.values():
            field.disabled = True
    assert initial_inputs(indicator, figure, disabled=disabled) == form.inputs()


def test_bound_inputs_carry_the_typed_values_and_their_errors():
    indicator = _indicator()
    form = FigureForm(
        {"f-7-value": "1,5", "f-7-note": " x ", "f-7-version": "2"},
        indicator=indicator,
        figure=None,
    )
    assert not form.is_valid()
    inputs = form.inputs()
    assert (inputs.value_name, inputs.value_id) == ("f-7-value", "id_f-7-value")
    assert (inputs.value, inputs.note, inputs.version) == ("1,5", " x ", "2")
    assert inputs.value_errors and all(isinstance(e, str) for e in inputs.value_errors)
    assert inputs.has_errors and not inputs.disabled


def test_the_hidden_version_input_matches_the_widget():
    """The page writes the version input by hand: the same markup as the widget's."""
    indicator = _indicator()
    for figure, disabled in ((None, False), (Figure(value=1, version=4), True)):
        form = FigureForm(indicator=indicator, figure=figure)
        if disabled:
            form.fields["version"].disabled = True
        inputs = initial_inputs(indicator, figure, disabled=disabled)
        by_hand = (
            f'<input type="hidden" name="{inputs.version_name}" '
            f'value="{inputs.version}"{" disabled" if disabled else ""} '
            f'id="{inputs.version_id}">'
        )
        assert str(form["version"]) == by_hand


# --- the rules' context narrowed to one department's month --------------------------


def test_month_reporting_names_the_departments_and_indicators_a_month_reads():
    from assessment.quality.rules import Importance, Operator, Rule, Term

    def rule(*terms: Term) -> Rule:
        return Rule(
            id=1,
            name="r",
            message="",
            importance=Importance.BLOCK,
            operator=Operator.LE,
            left=terms[:1],
            right=terms[1:],
        )

    own = rule(Term("A", Decimal(1)), Term("B", Decimal(1)))
    names_7 = rule(Term("A", Decimal(1)), Term("C", Decimal(1), department=7))
    names_8 = rule(Term("D", Decimal(1), department=8), Term("E", Decimal(1)))
    assert month_reporting([own], 7) == (frozenset({7}), frozenset())
    assert month_reporting([own, names_7, names_8], 7) == (
        frozenset({7, 8}),
        frozenset({"A"}),
    )


@pytest.mark.django_db
def test_a_departments_narrowed_context_finds_exactly_what_the_full_one_finds(year):
    """Random catalogues, figures and rules (some naming departments): every
    department's month gives the same findings from either context."""
    import random

    from assessment.models import Department, MonthlyReturn, RuleTerm, ValidationRule
    from assessment.quality import checks

    rng = random.Random(12)
    departments = [
        Department.objects.create(code=f"d{i}", name=f"单位{i}", order=i)
        for i in range(6)
    ]
    indicators = [
        Indicator.objects.create(
            year=year, code=f"I{i}", name=f"指标{i}", decimals=1, order=i
        )
        for i in range(6)
    ]
    for indicator in indicators:
        indicator.departments.set(rng.sample(departments, rng.randint(1, 5)))
    for department in departments:
        for month in (1, 2, 3):
            monthly = MonthlyReturn.objects.create(
                year=year, department=department, month=month
            )
            for indicator in indicator_set(department):
                if rng.random() < 0.8:
                    Figure.objects.create(
                        monthly_return=monthly,
                        indicator=indicator,
                        value=Decimal(rng.randint(0, 40)),
                    )
    operators = ["le", "lt", "ge", "gt", "eq"]
    for n in range(12):
        rule = ValidationRule.objects.create(
            name=f"规则{n}",
            message="请核对",
            importance=rng.choice(["block", "note", "warn"]),
            operator=rng.choice(operators),
            order=n,
        )
        if rng.random() < 0.3:
            rule.departments.set(rng.sample(departments, 2))
        for order in range(rng.randint(2, 4)):
            RuleTerm.objects.create(
                rule=rule,
                side="left" if order == 0 else "right",
                indicator_code=rng.choice(indicators).code,
                coefficient=Decimal(rng.choice([1, 1, 2, "0.5"])),
                department=rng.choice(departments) if rng.random() < 0.35 else None,
                order=order,
            )
    full = checks.load_context(year)
    found = narrower = 0
    for department in departments:
        narrowed = checks.load_context(year, department)
        narrower += len(narrowed.departments) < len(full.departments)
        for month in (1, 2, 3):
            expected = checks.month_findings(full, department, month)
            assert checks.month_findings(narrowed, department, month) == expected
            found += len(expected)
    assert found > 10  # the rules do find something to compare
    assert narrower  # and some contexts are narrower than the year's


def indicator_set(department):
    return list(Indicator.objects.filter(departments=department))


# --- the navigation's queries, once per request ------------------------------------


def _ask_navigation(values: dict) -> tuple:
    return (
        values["nav_years"](),
        values["nav_unread_notices"](),
        values["nav_self_assessment_url"](),
        values["nav_published"](),
    )


@pytest.mark.django_db
def test_the_navigation_queries_run_once_per_request(rf, clerk_a):
    """Every render of a request (the page, its partials rendered apart) runs the
    context processors again; the years, the unread notices and the clerk's
    self-assessment link are read once for the request all the same."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from assessment.context_processors import navigation
    from assessment.models import AssessmentYear

    AssessmentYear.objects.create(year=2021, status="closed")
    AssessmentYear.objects.create(year=2022, status="open")
    request = rf.get("/")
    request.user = clerk_a
    with CaptureQueriesContext(connection) as first:
        answers = _ask_navigation(navigation(request))
    assert len(first) == 3  # the years, the unread notices, the clerk's department
    with CaptureQueriesContext(connection) as again:
        for _ in range(3):
            assert _ask_navigation(navigation(request)) == answers
    assert len(again) == 0

    another = rf.get("/")
    another.user = clerk_a
    with CaptureQueriesContext(connection) as fresh:
        assert _ask_navigation(navigation(another)) == answers
    # The next request reads the unread notices again; the years and the clerk's
    # department are kept until the catalogue changes (assessment.catalogue_cache).
    assert len(fresh) == 1

    clerk_a.departments.clear()
    latest = rf.get("/")
    latest.user = clerk_a
    with CaptureQueriesContext(connection) as changed:
        assert _ask_navigation(navigation(latest))[2] == ""
    assert len(changed) == 3


def test_posted_ids_are_read_as_written():
    from assessment.figures.forms import posted_ids

    data = {"f-12-value": "1", "f-12-note": "", "f-012-value": "2", "f-3-x": ""}
    assert posted_ids({**data, "csrfmiddlewaretoken": "t", "f-a-value": ""}) == {
        "12",
        "012",
        "3",
    }


def test_template_rows_read_the_same_by_either_lookup():
    from django.template import Context, Template

    inputs = initial_inputs(_indicator(), None)
    assert inputs["value_id"] == inputs.value_id == "id_f-7-value"
    rendered = Template("{{ r.missing }}|{{ r.value_id }}|{{ r.version }}").render(
        Context({"r": inputs})
    )
    assert rendered == "|id_f-7-value|0"


def test_the_months_a_rule_reads_are_all_its_evaluation_needs():
    """Random rules over a random table of three years: each month's outcome from the
    table cut down to `months_read` is the outcome from the whole table."""
    import random

    from assessment.quality.rules import (
        ChangeBase,
        Importance,
        Operator,
        Period,
        Rule,
        Term,
        evaluate,
        months_read,
    )

    rng = random.Random(7)
    codes = ["A", "B", "C"]
    table = {
        (1, code, year, month): Decimal(rng.randint(1, 30))
        for code in codes
        for year in (2023, 2024, 2025)
        for month in range(1, 13)
        if rng.random() < 0.95
    }
    for n in range(60):
        operator = rng.choice(list(Operator))
        rule = Rule(
            id=n,
            name="r",
            message="",
            importance=Importance.WARN,
            operator=operator,
            left=(Term(rng.choice(codes)),),
            right=() if operator is Operator.CHANGE else (Term(rng.choice(codes)),),
            period=rng.choice(list(Period)),
            change_base=rng.choice(list(ChangeBase)),
            change_limit=Decimal(rng.choice([5, 20, 50])),
        )
        for month in range(1, 13):
            wanted = months_read([rule], 2025, month)
            cut = {k: v for k, v in table.items() if (k[2], k[3]) in wanted}
            assert evaluate(rule, cut, 1, 2025, month) == evaluate(
                rule, table, 1, 2025, month
            )
    assert months_read([], 2025, 3) == set()
