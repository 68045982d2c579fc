"""The validation run as lines to read: the page and the .xlsx export show these."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _

from assessment import formatting
from assessment.quality.rules import Importance
from assessment.quality.run import Kind, Run, Violation


def importance_label(importance: Importance) -> str:
    return {
        Importance.BLOCK: _("Blocks the save"),
        Importance.NOTE: _("Needs a note"),
        Importance.WARN: _("Warning"),
    }[importance]


IMPORTANCE_COLOURS = {
    Importance.BLOCK: "danger",
    Importance.NOTE: "warning",
    Importance.WARN: "secondary",
}


@dataclass(frozen=True)
class Line:
    violation: Violation
    name: str
    detail: str
    importance_label: str
    colour: str
    department: str
    department_code: str
    indicator: str
    decimals: int
    left: str
    right: str
    span: str
    url: str

    @property
    def month(self) -> int:
        return self.violation.month

    @property
    def noted(self) -> bool:
        return self.violation.noted

    @property
    def is_range(self) -> bool:
        return self.violation.kind == Kind.RANGE

    @property
    def left_value(self) -> Decimal:
        return self.violation.left

    @property
    def right_value(self) -> Decimal | None:
        return self.violation.right


def field_anchor(indicator_id: int | None) -> str:
    """The entry page's value field of an indicator (assessment.figures.forms)."""
    return f"#id_f-{indicator_id}-value" if indicator_id is not None else ""


def lines(run: Run, violations: Iterable[Violation] | None = None) -> Iterator[Line]:
    """The run's violations (or some of them: a page of the listing) as lines."""
    context = run.context
    year = context.year.year
    for violation in run.violations if violations is None else violations:
        department = context.departments.get(violation.department)
        spec = context.indicators.get(violation.indicator)
        decimals = context.decimals(violation.indicator)
        indicator_name = context.name(violation.indicator)
        if violation.kind == Kind.RULE and violation.check is not None:
            rule = violation.check.rule
            decimals = max(
                (context.decimals(term.indicator) for term in rule.terms), default=0
            )
            if any(
                term.per_day or term.coefficient != term.coefficient.to_integral()
                for term in rule.terms
            ):
                decimals = max(decimals, 1)
            name = rule.name
            detail = f"{rule.message} ({context.describe(rule)})"
        else:
            name = _("Plausible range: %(indicator)s") % {"indicator": indicator_name}
            detail = _("The value is outside the plausible range of its month.")
        span = ""
        if violation.low is not None or violation.high is not None:
            span = (
                f"{formatting.figure(violation.low, decimals)} – "
                f"{formatting.figure(violation.high, decimals)}"
            )
            if violation.low is None:
                span = f"≤ {formatting.figure(violation.high, decimals)}"
            elif violation.high is None:
                span = f"≥ {formatting.figure(violation.low, decimals)}"
        url = ""
        if department is not None:
            url = reverse(
                "assessment:entry", args=[year, department.code, violation.month]
            )
            is_fed = spec is not None and bool(spec[4])
            if spec is not None and not is_fed:
                url += field_anchor(spec[3])
        yield Line(
            violation=violation,
            name=name,
            detail=detail,
            importance_label=importance_label(violation.importance),
            colour=IMPORTANCE_COLOURS[violation.importance],
            department=department.name if department else str(violation.department),
            department_code=department.code if department else "",
            indicator=indicator_name,
            decimals=decimals,
            left=formatting.figure(violation.left, decimals),
            right=(
                formatting.figure(violation.right, decimals)
                if violation.right is not None
                else ""
            ),
            span=span,
            url=url,
        )
