"""The year-end self-assessment report (年度目标管理考核自查总结), ready for its template.

`build_report` gathers, in a fixed number of queries whatever the number of departments,
everything the report says: the cover, the overview and closing texts, the three parts in
catalogue order with each target's narrative, figures, chart and scores, then the
deductions, bonus items, vetoes, total and grade. Scores and totals come from `results`;
figures roll up through `rollup`; this module only arranges them. The same context feeds
the browser preview and the PDF.

The departments passed in must come from the scoped access path.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from assessment.figures import rollup
from assessment.models import AssessmentYear, Department, Indicator, ReportText, Target
from assessment.models.catalogue import Direction
from assessment.reporting import charts, narratives, pdf
from assessment.scoring import results, rules

NUMERALS = "零一二三四五六七八九"


def chinese_numeral(number: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 20 -> 二十, 35 -> 三十五 (1..99)."""
    if not 0 < number < 100:
        return str(number)
    tens, ones = divmod(number, 10)
    if tens == 0:
        return NUMERALS[ones]
    head = "" if tens == 1 else NUMERALS[tens]
    return f"{head}十{NUMERALS[ones] if ones else ''}"


def format_number(value: Decimal | None, decimals: int) -> str:
    """21290 -> "21,290"; None -> "—"."""
    if value is None:
        return "—"
    return f"{value:,.{decimals}f}"


def format_points(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{rules.points(value):,.2f}"


def paragraphs(text: str) -> list[str]:
    """A typed text as paragraphs: one per non-empty line."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def combined_target(annual_target: Decimal | None, departments: int) -> Decimal | None:
    """The bureau's target for an indicator several departments report.

    `rollup.combine_departments` adds the departments' year values up, each department
    measuring its own share; the annual target is each department's share, so the
    bureau's target adds up the same way.
    """
    if annual_target is None or departments == 0:
        return None
    return annual_target * departments


def combined_months(
    month_maps: Sequence[dict[int, Decimal]], aggregation: str, decimals: int
) -> dict[int, Decimal]:
    """The bureau's months of one indicator from its departments' months."""
    months: dict[int, Decimal] = {}
    for month in range(1, 13):
        values = [m[month] for m in month_maps if month in m]
        combined = rollup.combine_departments(values, aggregation, decimals)
        if combined is not None:
            months[month] = combined
    return months


def css_string(text: str) -> str:
    """A CSS string literal holding `text` (for page-margin content), fully escaped."""
    escaped = "".join(
        char if char.isalnum() or char == " " else f"\\{ord(char):06x}" for char in text
    )
    return f'"{escaped}"'


def page_number_content(template: str) -> str:
    """CSS `content` for a "Page {page} of {pages}" template (already translated)."""
    parts: list[str] = []
    rest = template
    while rest:
        positions = [
            (rest.find(token), token, counter)
            for token, counter in (
                ("{pages}", "counter(pages)"),
                ("{page}", "counter(page)"),
            )
            if token in rest
        ]
        if not positions:
            parts.append(css_string(rest))
            break
        index, token, counter = min(positions)
        if index:
            parts.append(css_string(rest[:index]))
        parts.append(counter)
        rest = rest[index + len(token) :]
    return " ".join(parts)


@dataclass
class FigureLine:
    name: str
    unit: str
    value: str
    target: str
    direction: str
    completion: str
    met: bool | None


@dataclass
class DepartmentText:
    department: str
    paragraphs: list[str]


@dataclass
class TargetSection:
    numeral: str
    code: str
    name: str
    points: str
    standard: str
    texts: list[DepartmentText]
    records: list[str]
    figures: list[FigureLine]
    chart: charts.Chart | None
    self_score: str
    suggested: str
    assessed: str
    provisional: bool


@dataclass
class PartSection:
    numeral: str
    name: str
    targets: list[TargetSection]
    points: str
    self_score: str
    assessed: str


@dataclass
class AdjustmentLine:
    department: str
    target: str
    reason: str
    points: str


@dataclass
class DepartmentLine:
    name: str
    total: str
    per_100: str
    grade: str
    rank: str
    vetoed: bool


@dataclass
class Report:
    year: AssessmentYear
    department: Department | None
    unit_name: str
    title: str
    date: datetime.date
    is_draft: bool
    overview: list[str]
    closing: list[str]
    parts: list[PartSection]
    other_records: list[str]
    catalogue_points: str
    self_total: str
    scores_total: str
    deductions: list[AdjustmentLine]
    deductions_total: str
    bonuses: list[AdjustmentLine]
    bonus_total: str
    bonus_cap: str
    vetoes: list[AdjustmentLine]
    total: str
    total_per_100: str
    grade: str
    is_provisional: bool
    departments: list[DepartmentLine] = field(default_factory=list)
    text: ReportText | None = None


def unit_name() -> str:
    """The bureau's name: settings.ASSESSMENT_UNIT_NAME, else the root of the
    department tree, else a generic name."""
    configured = getattr(settings, "ASSESSMENT_UNIT_NAME", "")
    if configured:
        return configured
    root = (
        Department.objects.filter(parent__isnull=True, children__isnull=False)
        .order_by("order", "code")
        .values_list("name", flat=True)
        .first()
    )
    return root or _("District Sanitation Bureau")


def assessed_units(departments: Iterable[Department]) -> list[Department]:
    """The departments the bureau's report adds up: those with no sub-departments.

    A department that is the parent of others (the bureau itself at the root of the
    tree) is the organisation, not a unit that reports and is scored.
    """
    departments = list(departments)
    parents = {d.parent_id for d in departments if d.parent_id is not None}
    return [d for d in departments if d.pk not in parents]


def _grade_label(grade: rules.Grade | None) -> str:
    return str(rules.Grade(grade).label) if grade else "—"


def _figure_line(
    indicator: Indicator, value: Decimal | None, target: Decimal | None
) -> FigureLine:
    at_most = indicator.direction == Direction.AT_MOST
    ratio = rollup.completion(value, target, at_most)
    return FigureLine(
        name=indicator.name,
        unit=indicator.unit,
        value=format_number(value, indicator.decimals),
        target=format_number(target, indicator.decimals) if target is not None else "—",
        direction=Direction(indicator.direction).label,
        completion=(
            f"{rollup.percent(ratio)}%" if ratio is not None else "—"  # one rounding
        ),
        met=None if ratio is None else ratio >= 1,
    )


def _indicator_figures(
    lines: Iterable[results.IndicatorYear],
) -> tuple[list[FigureLine], charts.Chart | None]:
    """Figure lines of a target's indicators (combined over departments) and a chart.

    The chart shows the first indicator (by catalogue order) that has any month.
    """
    by_indicator: dict[int, list[results.IndicatorYear]] = defaultdict(list)
    indicators: dict[int, Indicator] = {}
    for line in lines:
        by_indicator[line.indicator.pk].append(line)
        indicators[line.indicator.pk] = line.indicator
    ordered = sorted(indicators.values(), key=lambda i: (i.order, i.code))
    figures: list[FigureLine] = []
    chart: charts.Chart | None = None
    for indicator in ordered:
        years = by_indicator[indicator.pk]
        if len(years) == 1:
            value, target, months = years[0].value, years[0].target, years[0].months
        else:
            value = rollup.combine_departments(
                [y.value for y in years if y.value is not None],
                indicator.aggregation,
                indicator.decimals,
            )
            target = combined_target(indicator.annual_target, len(years))
            months = combined_months(
                [y.months for y in years], indicator.aggregation, indicator.decimals
            )
        figures.append(_figure_line(indicator, value, target))
        if chart is None and months:
            chart = charts.monthly_chart(
                indicator.name,
                indicator.unit,
                months,
                line=indicator.aggregation in (rollup.AVERAGE, rollup.LAST),
                decimals=indicator.decimals,
            )
    return figures, chart


def _records_by_target(
    year: AssessmentYear, department_ids: list[int], codes: set[str]
) -> tuple[dict[str, list[str]], list[str]]:
    by_target: dict[str, list[str]] = defaultdict(list)
    other: list[str] = []
    for item in narratives.records_for(year.year, department_ids):
        if item.target_code in codes:
            by_target[item.target_code].append(item.sentence)
        else:
            other.append(item.sentence)
    return by_target, other


def _report_text(year: AssessmentYear, department: Department | None) -> ReportText:
    text = ReportText.objects.filter(year=year, department=department).first()
    return text or ReportText(year=year, department=department)


def _parts(
    sections: list[tuple[Target, TargetSection, Decimal | None, Decimal | None]],
) -> list[PartSection]:
    """Group target sections by category, in catalogue order, numbering both levels."""
    grouped: dict[int, list] = defaultdict(list)
    categories = {}
    for target, section, self_score, assessed in sections:
        grouped[target.category_id].append((target, section, self_score, assessed))
        categories[target.category_id] = target.category
    parts = []
    ordered = sorted(categories.values(), key=lambda c: (c.order, c.code))
    for number, category in enumerate(ordered, start=1):
        rows = grouped[category.pk]
        for position, (_target, section, _s, _a) in enumerate(rows, start=1):
            section.numeral = f"（{chinese_numeral(position)}）"
        selfs = [s for _t, _sec, s, _a in rows if s is not None]
        parts.append(
            PartSection(
                numeral=f"{chinese_numeral(number)}、",
                name=category.name,
                targets=[section for _t, section, _s, _a in rows],
                points=format_points(sum((t.points for t, *_ in rows), Decimal(0))),
                self_score=format_points(sum(selfs, Decimal(0))) if selfs else "—",
                assessed=format_points(
                    sum((a for *_, a in rows if a is not None), Decimal(0))
                ),
            )
        )
    return parts


def _catalogue_order(target: Target) -> tuple:
    return (target.category.order, target.category.code, target.order, target.code)


def _adjustment_line(adjustment, department_name: str) -> AdjustmentLine:
    return AdjustmentLine(
        department=department_name,
        target=adjustment.target.name if adjustment.target_id else "",
        reason=adjustment.reason,
        points=format_points(adjustment.points),
    )


def _department_report(
    year: AssessmentYear, department: Department, text: ReportText
) -> Report:
    result = results.department_result(year, department)
    lines = sorted(result.targets, key=lambda line: _catalogue_order(line.target))
    codes = {line.target.code for line in lines}
    records, other = _records_by_target(year, [department.pk], codes)
    sections = []
    for line in lines:
        figures, chart = _indicator_figures(line.indicators)
        own_text = line.self_assessment.text if line.self_assessment else ""
        sections.append(
            (
                line.target,
                TargetSection(
                    numeral="",
                    code=line.target.code,
                    name=line.target.name,
                    points=format_points(line.points),
                    standard=line.target.standard,
                    texts=(
                        [DepartmentText("", paragraphs(own_text))]
                        if own_text.strip()
                        else []
                    ),
                    records=records.get(line.target.code, []),
                    figures=figures,
                    chart=chart,
                    self_score=format_points(line.self_score),
                    suggested=format_points(line.suggested),
                    assessed=format_points(line.counted),
                    provisional=not line.is_scored,
                ),
                line.self_score,
                line.counted,
            )
        )
    selfs = [line.self_score for line in lines if line.self_score is not None]
    name = department.name
    total = result.total
    return Report(
        year=year,
        department=department,
        unit_name=f"{unit_name()}{department.name}",
        title=_report_title(year),
        date=timezone.localdate(),
        is_draft=not year.is_closed,
        overview=paragraphs(text.overview),
        closing=paragraphs(text.closing),
        parts=_parts(sections),
        other_records=other,
        catalogue_points=format_points(result.possible_points),
        self_total=format_points(sum(selfs, Decimal(0))) if selfs else "—",
        scores_total=format_points(total.scores),
        deductions=[_adjustment_line(a, name) for a in result.deductions],
        deductions_total=format_points(total.deductions),
        bonuses=[_adjustment_line(a, name) for a in result.bonuses],
        bonus_total=format_points(total.bonus),
        bonus_cap=format_points(total.bonus_cap),
        vetoes=[AdjustmentLine(name, "", veto.reason, "") for veto in result.vetoes],
        total=format_points(total.base),
        total_per_100=format_points(result.total_per_100),
        grade=_grade_label(result.grade),
        is_provisional=not result.is_complete,
        text=text,
    )


def _bureau_report(
    year: AssessmentYear, departments: Iterable[Department], text: ReportText
) -> Report:
    departments = assessed_units(departments)
    department_results = results.year_results(year, departments)
    bureau = results.bureau_result(year, department_results)
    names = {d.pk: d.name for d in departments}
    lines_of: dict[int, list[tuple[Department, results.TargetResult]]] = defaultdict(
        list
    )
    for result in sorted(
        department_results, key=lambda r: (r.department.order, r.department.code)
    ):
        for line in result.targets:
            lines_of[line.target.pk].append((result.department, line))
    targets = sorted(
        (b for b in bureau.targets), key=lambda b: _catalogue_order(b.target)
    )
    codes = {b.target.code for b in targets}
    records, other = _records_by_target(year, [d.pk for d in departments], codes)
    sections = []
    self_scores: list[Decimal] = []
    for bureau_line in targets:
        target = bureau_line.target
        held = lines_of.get(target.pk, [])
        figures, chart = _indicator_figures(
            indicator_year for _d, line in held for indicator_year in line.indicators
        )
        texts = [
            DepartmentText(
                department.name if len(held) > 1 else "",
                paragraphs(line.self_assessment.text),
            )
            for department, line in held
            if line.self_assessment and line.self_assessment.text.strip()
        ]
        self_score = rules.bureau_target_score(
            [line.self_score for _d, line in held], target.combine
        )
        if self_score is not None:
            self_scores.append(self_score)
        sections.append(
            (
                target,
                TargetSection(
                    numeral="",
                    code=target.code,
                    name=target.name,
                    points=format_points(target.points),
                    standard=target.standard,
                    texts=texts,
                    records=records.get(target.code, []),
                    figures=figures,
                    chart=chart,
                    self_score=format_points(self_score),
                    suggested="",
                    assessed=format_points(bureau_line.score),
                    provisional=any(not line.is_scored for _d, line in held),
                ),
                self_score,
                bureau_line.score,
            )
        )
    score_sum = sum((b.score for b in targets if b.score is not None), Decimal(0))
    deductions = [
        _adjustment_line(a, names.get(a.department_id, ""))
        for r in department_results
        for a in r.deductions
    ]
    bonuses = [
        _adjustment_line(a, names.get(a.department_id, ""))
        for r in department_results
        for a in r.bonuses
    ]
    vetoes = [
        AdjustmentLine(r.department.name, "", veto.reason, "")
        for r in department_results
        for veto in r.vetoes
    ]
    return Report(
        year=year,
        department=None,
        unit_name=unit_name(),
        title=_report_title(year),
        date=timezone.localdate(),
        is_draft=not year.is_closed,
        overview=paragraphs(text.overview),
        closing=paragraphs(text.closing),
        parts=_parts(sections),
        other_records=other,
        catalogue_points=format_points(bureau.catalogue_points),
        self_total=format_points(sum(self_scores, Decimal(0))) if self_scores else "—",
        scores_total=format_points(score_sum),
        deductions=deductions,
        deductions_total=format_points(
            sum((r.total.deductions for r in department_results), Decimal(0))
        ),
        bonuses=bonuses,
        bonus_total=format_points(
            sum((r.total.bonus for r in department_results), Decimal(0))
        ),
        bonus_cap=format_points(year.bonus_cap),
        vetoes=vetoes,
        total=format_points(bureau.total),
        total_per_100=format_points(bureau.total),
        grade=_grade_label(bureau.grade),
        is_provisional=not bureau.is_complete,
        departments=[
            DepartmentLine(
                name=r.department.name,
                total=format_points(r.total.scores),
                per_100=format_points(r.total_per_100),
                grade=_grade_label(r.grade),
                rank=str(r.rank) if r.rank else "—",
                vetoed=r.vetoed,
            )
            for r in department_results
            if r.targets
        ],
        text=text,
    )


def _report_title(year: AssessmentYear) -> str:
    return _("%(year)s Target-Management Assessment Self-Review") % {"year": year.year}


def build_report(
    year: AssessmentYear,
    department: Department | None,
    departments: Iterable[Department] = (),
) -> Report:
    """The report of one department, or of the bureau when `department` is None.

    For the bureau, `departments` are the departments the viewer may see (all of them
    for supervisors and leaders, from `access.departments_for`).
    """
    text = _report_text(year, department)
    if department is not None:
        return _department_report(year, department, text)
    return _bureau_report(year, departments, text)


def pdf_context(report: Report) -> dict[str, object]:
    return {
        "report": report,
        # Fully escaped by css_string: letters, digits, spaces and \hex escapes only.
        "page_number_css": mark_safe(page_number_content(_("Page {page} of {pages}"))),
        "draft_css": mark_safe(css_string(_("Draft"))),
    }


def render_report_pdf(report: Report) -> bytes:
    """The report as PDF, from the same body template as the browser preview."""
    html = render_to_string("assessment/reporting/report_pdf.html", pdf_context(report))
    return pdf.render_pdf(html)


def pdf_filename(report: Report) -> str:
    scope = report.department.code if report.department else "bureau"
    return f"report-{report.year.year}-{scope}.pdf"
