"""results.py: the rows behind the scores, fetched with a constant number of queries."""

from __future__ import annotations

import datetime
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessment.models import (
    Adjustment,
    Department,
    Figure,
    Indicator,
    MonthlyReturn,
    Score,
    SelfAssessment,
    Target,
    Veto,
)
from assessment.scoring import results
from assessment.scoring.rules import Grade
from sanitation.bureau.models import Donation


def put_figures(year, department, indicator, months: dict[int, D]) -> None:
    for month, value in months.items():
        monthly_return, _ = MonthlyReturn.objects.get_or_create(
            year=year, department=department, month=month
        )
        Figure.objects.create(
            monthly_return=monthly_return, indicator=indicator, value=value
        )


def score(target, department, value) -> Score:
    return Score.objects.create(
        target=target, department=department, assessed_score=D(value)
    )


@pytest.fixture
def figures(year, catalogue, dept_a, dept_b):
    """A: area met (avg 150 of 150), pits 60 % (300,000 of 500,000); B: waste met."""
    put_figures(year, dept_a, catalogue["area"], {m: D(150) for m in range(1, 13)})
    put_figures(year, dept_a, catalogue["pits"], {m: D(25000) for m in range(1, 13)})
    put_figures(year, dept_b, catalogue["waste"], {m: D(5000) for m in range(1, 13)})
    return catalogue


def everyone(year):
    return results.year_results(year, Department.objects.all())


def test_department_result_suggests_from_the_rolled_up_figures(year, figures, dept_a):
    result = results.department_result(year, dept_a)
    assert [line.target.code for line in result.targets] == ["1.1", "1.3"]
    own, common = result.targets
    assert [i.value for i in own.indicators] == [D("150.0"), D(300000)]
    assert own.suggested == D("16.00")  # (1 + 0.6) / 2 × 20
    assert common.suggested is None  # judged without indicators
    assert result.possible_points == D(30)
    # provisional: the suggestion counts until a supervisor scores
    assert result.total.scores == D("16.00")
    assert result.total_per_100 == D("53.33")  # 16 of 30 points
    assert not result.is_complete
    assert result.to_score_count == 2


def test_assessed_scores_adjustments_and_veto_make_the_result(
    year, figures, dept_a, supervisor
):
    score(figures["target_a"], dept_a, "18")
    score(figures["common"], dept_a, "9")
    SelfAssessment.objects.create(
        target=figures["target_a"], department=dept_a, self_score=D(20)
    )
    Adjustment.objects.create(
        year=year, department=dept_a, kind="deduction", points=D(2), reason="x"
    )
    for points in ("3", "4"):
        Adjustment.objects.create(
            year=year, department=dept_a, kind="bonus", points=D(points), reason="y"
        )
    result = results.department_result(year, dept_a)
    assert result.is_complete
    assert result.targets[0].self_score == D(20)
    assert result.targets[0].differs_from_suggestion
    assert result.total.scores == D("27.00")
    assert result.total.bonus == D("5.00")  # 7 claimed, capped at 5
    assert result.total.cap_bites
    assert result.total.base == D("90.00")  # 27 of 30
    assert result.total_per_100 == D("93.00")  # 90 - 2 + 5, on the 100 scale
    assert result.grade == Grade.EXCELLENT

    Veto.objects.create(year=year, department=dept_a, reason="fatal accident")
    vetoed = results.department_result(year, dept_a)
    assert vetoed.total_per_100 == D("93.00")
    assert vetoed.grade == Grade.FAIL


def test_year_results_rank_with_ties(year, figures, dept_a, dept_b):
    score(figures["target_a"], dept_a, "20")
    score(figures["common"], dept_a, "10")
    score(figures["target_b"], dept_b, "20")
    score(figures["common"], dept_b, "10")
    dept_c = Department.objects.create(code="dept-c", name="粪便清运队", order=3)
    score(figures["common"], dept_c, "7")
    ranked = results.year_results(year, Department.objects.all())
    assert [(r.department.code, r.rank) for r in ranked] == [
        ("dept-a", 1),
        ("dept-b", 1),
        ("dept-c", 3),
    ]
    assert ranked[2].total_per_100 == D("70.00")
    assert ranked[2].grade == Grade.PASS


def test_a_vetoed_department_ranks_last(year, figures, dept_a, dept_b):
    score(figures["common"], dept_a, "10")
    Veto.objects.create(year=year, department=dept_a, reason="accident")
    ranked = results.year_results(year, Department.objects.all())
    assert [(r.department.code, r.rank) for r in ranked] == [
        ("dept-b", 1),
        ("dept-a", 2),
    ]


def test_only_the_departments_asked_for_are_loaded(year, figures, dept_a, dept_b):
    ranked = results.year_results(year, Department.objects.filter(pk=dept_a.pk))
    assert [r.department for r in ranked] == [dept_a]


def test_bureau_result_combines_shared_targets_by_their_rule(
    year, figures, dept_a, dept_b
):
    score(figures["target_a"], dept_a, "16")
    score(figures["target_b"], dept_b, "20")
    score(figures["common"], dept_a, "9")
    score(figures["common"], dept_b, "10")
    bureau = results.bureau_result(year, everyone(year))
    assert bureau.catalogue_points == D(50)
    by_code = {line.target.code: line.score for line in bureau.targets}
    assert by_code == {"1.1": D("16.00"), "1.2": D("20.00"), "1.3": D("9.00")}
    assert bureau.total == D("90.00")  # 45 of 50, on 100 points
    assert bureau.grade == Grade.EXCELLENT

    Target.objects.filter(pk=figures["common"].pk).update(combine="avg")
    bureau = results.bureau_result(year, everyone(year))
    assert bureau.total == D("91.00")

    Veto.objects.create(year=year, department=dept_b, reason="accident")
    assert results.bureau_result(year, everyone(year)).grade == Grade.FAIL


def test_missing_months_and_missing_indicators(year, catalogue, dept_a):
    # pits reported for three months only; area not at all
    put_figures(year, dept_a, catalogue["pits"], {1: D(50000), 2: D(50000)})
    line = results.department_result(year, dept_a).targets[0]
    assert [i.value for i in line.indicators] == [None, D(100000)]
    assert line.indicators[1].month_list()[:3] == [D(50000), D(50000), None]
    # area counts as not achieved: (0 + 0.2) / 2 × 20
    assert line.suggested == D("2.00")


def test_record_fed_indicator_reads_its_source(year, catalogue, dept_a, dept_b):
    donations = Indicator.objects.create(
        year=year,
        target=catalogue["common"],
        code="donations",
        name="捐款",
        unit="元",
        decimals=2,
        aggregation="sum",
        annual_target=D(20000),
        source="bureau.donation_amount",
    )
    donations.departments.add(dept_a, dept_b)
    for month, amount in ((6, "7540"), (9, "6160"), (10, "3740"), (11, "3850")):
        Donation.objects.create(
            department=dept_a,
            date=datetime.date(year.year, month, 15),
            title="捐款",
            amount=D(amount),
        )
    values = results.year_indicator_values(year, [dept_a.pk, dept_b.pk])
    assert values[donations.pk, dept_a.pk].value == D("21290.00")
    assert values[donations.pk, dept_a.pk].months[9] == D(6160)
    assert values[donations.pk, dept_b.pk].value is None
    common = results.department_result(year, dept_a).target_result(
        catalogue["common"].pk
    )
    assert common.suggested == D("10.00")  # 21,290 of 20,000: capped


def test_typed_figures_are_ignored_for_record_fed_indicators(year, catalogue, dept_a):
    catalogue["pits"].source = "bureau.donation_amount"
    catalogue["pits"].save()
    put_figures(year, dept_a, catalogue["pits"], {1: D(99)})
    values = results.year_indicator_values(year, [dept_a.pk])
    assert values[catalogue["pits"].pk, dept_a.pk].value is None


def make_departments(year, catalogue, count: int) -> None:
    """`count` more departments, each with an indicator, figures, a score, adjustments."""
    for n in range(count):
        department = Department.objects.create(code=f"extra-{n}", name=f"队{n}")
        catalogue["target_a"].departments.add(department)
        catalogue["area"].departments.add(department)
        put_figures(year, department, catalogue["area"], {1: D(150), 2: D(140)})
        score(catalogue["common"], department, "8")
        Adjustment.objects.create(
            year=year, department=department, kind="bonus", points=D(1), reason="r"
        )
        Veto.objects.create(year=year, department=department, reason="v")


def count_queries(func) -> int:
    with CaptureQueriesContext(connection) as context:
        func()
    return len(context.captured_queries)


def test_query_count_does_not_grow_with_departments(year, catalogue):
    make_departments(year, catalogue, 3)

    def load():
        ranked = results.year_results(year, Department.objects.all())
        results.bureau_result(year, ranked)

    small = count_queries(load)
    make_departments_more = 30
    for n in range(make_departments_more):
        department = Department.objects.create(code=f"more-{n}", name=f"组{n}")
        catalogue["area"].departments.add(department)
        put_figures(year, department, catalogue["area"], {3: D(120)})
    assert count_queries(load) == small


def test_a_parent_department_is_not_assessed_on_common_targets(
    year, catalogue, dept_a, dept_b
):
    bureau = Department.objects.create(code="bureau", name="区环境卫生管理局")
    Department.objects.filter(pk__in=[dept_a.pk, dept_b.pk]).update(parent=bureau)
    assert results.department_result(year, bureau).targets == []
    ranked = results.year_results(year, Department.objects.all())
    assert [r.department for r in ranked] == [dept_a, dept_b]
    # a target assigned to it explicitly still counts
    catalogue["target_b"].departments.add(bureau)
    assert [
        line.target.code for line in results.department_result(year, bureau).targets
    ] == ["1.2"]
    # The scoring and self-assessment pages list by the same rule.
    listed = Target.objects.filter(category__year=year)
    assert [t.code for t in listed.for_department(bureau)] == ["1.2"]
    assert sorted(t.code for t in listed.for_department(dept_a)) == ["1.1", "1.3"]


def test_the_bureau_leaves_out_departments_without_any_score(
    year, catalogue, dept_a, dept_b
):
    # the common target is judged: only A has a score, B has neither score nor
    # suggestion, so the lowest is A's, not zero
    score(catalogue["common"], dept_a, "8")
    bureau = results.bureau_result(year, everyone(year))
    common = next(t for t in bureau.targets if t.target.code == "1.3")
    assert common.score == D("8.00")
