"""A department's 目标责任书: its targets, points, standards, target values and scoring
rules, with the bureau's and the department head's signature block.

The letter is set like the year-end report (the same stylesheet, faces and A4 page) and
rendered to PDF along the report's path (`reporting.pdf.render_pdf`); like the report it
is written in the bureau's language whatever the interface's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from assessment.models import (
    AssessmentYear,
    Department,
    Indicator,
    Target,
    TargetAcknowledgement,
)
from assessment.models.catalogue import Direction, ScoringRule
from assessment.planning import plan
from assessment.reporting import pdf
from assessment.reporting.formatting import (
    chinese_numeral,
    format_number,
    format_points,
    paragraphs,
)
from assessment.reporting.report import unit_name
from assessment.reporting.translation import report_language


@dataclass(frozen=True)
class LetterTarget:
    code: str
    name: str
    points: str
    standard: list[str]
    target_values: list[str]
    rule: str
    evidence: str


@dataclass
class LetterCategory:
    numeral: str
    name: str
    points: Decimal = Decimal(0)
    targets: list[LetterTarget] = field(default_factory=list)

    @property
    def points_text(self) -> str:
        return format_points(self.points)


@dataclass(frozen=True)
class Letter:
    year: AssessmentYear
    department: Department
    unit_name: str
    title: str
    categories: list[LetterCategory]
    total_points: str
    acknowledgement: TargetAcknowledgement | None
    language: str

    @property
    def is_draft(self) -> bool:
        return self.year.is_draft

    @property
    def target_count(self) -> int:
        return sum(len(category.targets) for category in self.categories)


def target_value_text(indicator: Indicator) -> str:
    """ "清扫面积：不少于 150 万m²" (the department's own target value)."""
    if indicator.annual_target is None:
        return _("%(name)s: no target value") % {"name": indicator.name}
    phrase = (
        _("at least %(value)s %(unit)s")
        if indicator.direction == Direction.AT_LEAST
        else _("at most %(value)s %(unit)s")
    )
    value = phrase % {
        "value": format_number(indicator.annual_target, indicator.decimals),
        "unit": indicator.unit,
    }
    return _("%(name)s: %(value)s") % {"name": indicator.name, "value": value.strip()}


def rule_text(target: Target) -> str:
    label = str(ScoringRule(target.rule).label)
    if target.rule == ScoringRule.DEDUCTION and target.deduction_per_unit is not None:
        return _("%(rule)s: %(points)s points off per unit short") % {
            "rule": label,
            "points": format_number(target.deduction_per_unit.normalize(), 0)
            if target.deduction_per_unit == target.deduction_per_unit.to_integral()
            else str(target.deduction_per_unit.normalize()),
        }
    return label


def letter_title(year: AssessmentYear, department: Department) -> str:
    return _("%(department)s: target responsibility statement %(year)s") % {
        "department": department.name,
        "year": year.year,
    }


def build_letter(
    year: AssessmentYear,
    department: Department,
    targets: list[Target] | None = None,
) -> Letter:
    """The department's letter; `targets` are the year's (from `plan.plan_targets`)."""
    language = report_language()
    own = set(
        Target.objects.filter(category__year=year)
        .for_department(department)
        .values_list("pk", flat=True)
    )
    targets = plan.plan_targets(year) if targets is None else targets
    with translation.override(language):
        categories: dict[int, LetterCategory] = {}
        for target in targets:
            if target.pk not in own:
                continue
            category = categories.get(target.category_id)
            if category is None:
                category = categories[target.category_id] = LetterCategory(
                    numeral=chinese_numeral(len(categories) + 1)
                    if language.startswith("zh")
                    else str(len(categories) + 1),
                    name=target.category.heading or target.category.name,
                )
            category.points += target.points
            category.targets.append(
                LetterTarget(
                    code=target.code,
                    name=target.name,
                    points=format_points(target.points),
                    standard=paragraphs(target.standard),
                    target_values=[
                        target_value_text(indicator)
                        for indicator in target.indicators.all()
                        if department in indicator.departments.all()
                    ],
                    rule=rule_text(target),
                    evidence=target.evidence_required,
                )
            )
        total = sum((c.points for c in categories.values()), Decimal(0))
        return Letter(
            year=year,
            department=department,
            unit_name=unit_name(),
            title=letter_title(year, department),
            categories=list(categories.values()),
            total_points=format_points(total),
            acknowledgement=TargetAcknowledgement.objects.filter(
                year=year, department=department
            )
            .select_related("acknowledged_by")
            .first(),
            language=language,
        )


def render_letter_body(letter: Letter) -> SafeString:
    with translation.override(letter.language):
        return mark_safe(  # noqa: S308 - a rendered, escaping template
            render_to_string("assessment/planning/letter.html", {"letter": letter})
        )


def render_letter_pdf(letter: Letter) -> bytes:
    with translation.override(letter.language):
        html = render_to_string(
            "assessment/planning/letter_pdf.html",
            {"letter": letter, "body": render_letter_body(letter)},
        )
    return pdf.render_pdf(html)


def letter_filename(letter: Letter) -> str:
    return f"targets-{letter.year.year}-{letter.department.code}.pdf"
