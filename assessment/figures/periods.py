"""What the pages read about departments' months: states, grids, reference values.

`month_facts` gathers what the pure rules of `workflow` need about one month; the month
grid of the board and the completeness matrix comes from one query of returns.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils import timezone

from assessment import sources
from assessment.figures import workflow
from assessment.figures.workflow import MonthFacts
from assessment.models import (
    AssessmentYear,
    Department,
    Figure,
    Indicator,
    MonthlyReturn,
)


def today() -> datetime.date:
    return timezone.localdate()


def month_facts(
    monthly_return: MonthlyReturn | None,
    year: AssessmentYear,
    month: int,
    has_figures: bool,
) -> MonthFacts:
    return MonthFacts(
        year=year.year,
        month=month,
        deadline=year.deadline_for(month),
        status=monthly_return.status if monthly_return else None,
        has_figures=has_figures,
        reopened=bool(monthly_return and monthly_return.reopened_at),
        year_closed=year.is_closed,
    )


@dataclass(frozen=True)
class ReferenceValues:
    """What the entry page shows beside each field, by indicator code."""

    last_month: dict[str, Decimal]
    last_year: dict[str, Decimal]
    last_month_label: str
    last_year_label: str


def reference_values(
    year: AssessmentYear,
    department: Department,
    month: int,
    indicators: Iterable[Indicator] = (),
) -> ReferenceValues:
    """Last month's figures and the same month last year's, in one query; record-fed
    `indicators` that last year's catalogue also had add their records' value of the
    same month last year (a query for the catalogue and one per source).

    Indicators are matched by code, since each year has its own catalogue.
    """
    if month == 1:
        last_month_key = (year.year - 1, 12)
    else:
        last_month_key = (year.year, month - 1)
    last_year_key = (year.year - 1, month)
    rows = (
        Figure.objects.filter(monthly_return__department=department)
        .filter(
            models.Q(
                monthly_return__year__year=last_month_key[0],
                monthly_return__month=last_month_key[1],
            )
            | models.Q(
                monthly_return__year__year=last_year_key[0],
                monthly_return__month=last_year_key[1],
            )
        )
        .values_list(
            "indicator__code",
            "monthly_return__year__year",
            "monthly_return__month",
            "value",
        )
    )
    last_month: dict[str, Decimal] = {}
    last_year: dict[str, Decimal] = {}
    for code, row_year, row_month, value in rows:
        if (row_year, row_month) == last_month_key:
            last_month[code] = value
        if (row_year, row_month) == last_year_key:
            last_year[code] = value
    last_year.update(_fed_last_year(year.year - 1, department, month, indicators))
    return ReferenceValues(
        last_month=last_month,
        last_year=last_year,
        last_month_label=f"{last_month_key[0]}-{last_month_key[1]:02d}",
        last_year_label=f"{last_year_key[0]}-{last_year_key[1]:02d}",
    )


def _fed_last_year(
    last: int, department: Department, month: int, indicators: Iterable[Indicator]
) -> dict[str, Decimal]:
    fed = {i.code: i.source for i in indicators if i.source}
    if not fed:
        return {}
    had = Indicator.objects.filter(
        year__year=last, code__in=fed, departments=department
    ).exclude(source="")
    by_source: dict[str, list[str]] = {}
    for code, source in had.values_list("code", "source"):
        if fed[code] == source:
            by_source.setdefault(source, []).append(code)
    values: dict[str, Decimal] = {}
    for key, codes in by_source.items():
        feeding = sources.get(key)
        if feeding is None:
            continue
        value = feeding.monthly_values([department.pk], last).get(
            (department.pk, month), Decimal(0)
        )
        values.update(dict.fromkeys(codes, value))
    return values


@dataclass(frozen=True)
class ComputedValue:
    value: Decimal
    records_url: str


def computed_values(
    indicators: Iterable[Indicator], department: Department, year: int, month: int
) -> dict[int, ComputedValue]:
    """Values of record-fed indicators: one `monthly_values` call per source."""
    by_source: dict[str, list[Indicator]] = {}
    for indicator in indicators:
        if indicator.source:
            by_source.setdefault(indicator.source, []).append(indicator)
    result: dict[int, ComputedValue] = {}
    for key, fed in by_source.items():
        source = sources.get(key)
        if source is None:
            continue
        monthly = source.monthly_values([department.pk], year)
        url = source.records_url(department.code, year, month)
        for indicator in fed:
            result[indicator.pk] = ComputedValue(
                value=monthly.get((department.pk, month), Decimal(0)),
                records_url=url,
            )
    return result


@dataclass(frozen=True)
class MonthCell:
    department: Department
    month: int
    state: str
    state_label: str
    colour: str
    deadline: datetime.date
    monthly_return: MonthlyReturn | None
    #: Values flagged for follow-up and not yet resolved (the matrix fills it in).
    follow_ups: int = 0

    @property
    def comment(self) -> str:
        if (
            self.monthly_return
            and self.monthly_return.status == workflow.ReturnStatus.RETURNED
        ):
            return self.monthly_return.comment
        return ""

    @property
    def days_late(self) -> int:
        """Days the month was submitted after its deadline (0: on time or not yet)."""
        return submission_days_late(self.monthly_return, self.deadline)


def submission_days_late(
    monthly_return: MonthlyReturn | None, deadline: datetime.date
) -> int:
    """How late a submitted or approved month came in, in the bureau's days."""
    if monthly_return is None or monthly_return.status not in (
        workflow.ReturnStatus.SUBMITTED,
        workflow.ReturnStatus.APPROVED,
    ):
        return 0
    return workflow.days_late(
        deadline, monthly_return.submitted_at, timezone.get_current_timezone()
    )


@dataclass(frozen=True)
class DepartmentMonths:
    department: Department
    cells: list[MonthCell]


def reporting(
    year: AssessmentYear, departments: models.QuerySet[Department]
) -> models.QuerySet[Department]:
    """The departments with monthly figures to report in the year: those given at least
    one of its indicators. The bureau at the root of the tree reports none itself."""
    return departments.filter(
        models.Exists(
            Indicator.objects.filter(year=year, departments=models.OuterRef("pk"))
        )
    )


def month_grid(
    year: AssessmentYear,
    departments: Iterable[Department],
    *,
    on: datetime.date | None = None,
) -> list[DepartmentMonths]:
    """Each department's twelve months with their state, from one query of returns."""
    departments = list(departments)
    on = on or today()
    returns = {
        (r.department_id, r.month): r
        for r in MonthlyReturn.objects.filter(
            year=year, department__in=[d.pk for d in departments]
        ).annotate(figure_count=models.Count("figures"))
    }
    grid: list[DepartmentMonths] = []
    for department in departments:
        cells = []
        for month in range(1, 13):
            monthly_return = returns.get((department.pk, month))
            facts = month_facts(
                monthly_return,
                year,
                month,
                has_figures=bool(monthly_return and monthly_return.figure_count),
            )
            state = workflow.month_state(facts, on)
            cells.append(
                MonthCell(
                    department=department,
                    month=month,
                    state=str(state),
                    state_label=str(state.label),
                    colour=workflow.STATE_COLOURS[state],
                    deadline=facts.deadline,
                    monthly_return=monthly_return,
                )
            )
        grid.append(DepartmentMonths(department=department, cells=cells))
    return grid


def state_counts(grid: Iterable[DepartmentMonths]) -> list[tuple[str, str, str, int]]:
    """(state, label, colour, count) for every state, in the board's order."""
    counts = {state: 0 for state in workflow.MonthState}
    for row in grid:
        for cell in row.cells:
            counts[workflow.MonthState(cell.state)] += 1
    return [
        (str(state), str(state.label), workflow.STATE_COLOURS[state], n)
        for state, n in counts.items()
    ]
