"""The year-end self-assessment report (年度目标管理考核自查总结), ready for its template.

`build_report` gathers, in a fixed number of queries whatever the number of departments,
everything the report says: the title (and the letterhead when the year prints one), the
overview, the catalogue's parts, categories, sections and targets in the outline's order
(`outline`) with each target's narrative, figures, chart and scores, then the results
(summary, ranking, deductions, bonus items, vetoes, total and grade), the closing and the
signature. Scores and totals come from `results`; figures roll up through `rollup`; this
module only arranges them. The same `Report` feeds the browser preview, the PDF and the
Word copy, in the bureau's language or, translated, in another.

The departments passed in must come from the scoped access path.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Max
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from assessment.figures import rollup
from assessment.models import (
    Adjustment,
    AssessmentYear,
    Category,
    Department,
    Figure,
    Indicator,
    Objection,
    ObjectionStatus,
    Publication,
    Rectification,
    ReportSection,
    ReportText,
    Score,
    SelfAssessment,
    Target,
)
from assessment.models.catalogue import Direction
from assessment.reporting import charts, narratives, outline
from assessment.reporting.formatting import (
    format_number,
    format_points,
    paragraphs,
    report_date,
    signed_number,
    signed_percent,
)
from assessment.reporting.outline import DepartmentText, FigureLine, Part, TargetContent
from assessment.reporting.translation import Translator, report_language
from assessment.scoring import results, rules


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


def last_year_value(
    lines: Sequence[results.IndicatorYear], decimals: int
) -> tuple[Decimal | None, dict[int, Decimal]]:
    """Last year's value and months of one indicator over the departments that reported
    it then (`lines`: their IndicatorYears), with this year's decimal places."""
    if not lines:
        return None, {}
    indicator = lines[0].indicator
    if len(lines) == 1:
        value = rollup.roll_up(lines[0].months, indicator.aggregation, decimals)
        return value, dict(lines[0].months)
    value = rollup.combine_departments(
        [v for v in (line.value for line in lines) if v is not None],
        indicator.aggregation,
        decimals,
    )
    months = combined_months(
        [line.months for line in lines], indicator.aggregation, decimals
    )
    return value, months


def latest_date(stamps: Iterable[datetime.datetime | None]) -> datetime.date | None:
    """The local date of the latest of the stamps (None when there is none)."""
    known = [stamp for stamp in stamps if stamp is not None]
    return timezone.localdate(max(known)) if known else None


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
class RectificationLine:
    """One of the previous year's rectification items and how far it got."""

    department: str
    item: str
    deadline: str
    state: str


@dataclass
class Report:
    year: AssessmentYear
    department: Department | None
    language: str
    unit_name: str
    title: str
    #: The title as printed: the unit on one line, what the document is on the next.
    title_lines: list[str]
    #: The date the results became final, or for a draft its latest change.
    date: datetime.date
    date_text: str
    is_draft: bool
    letterhead: str
    document_number: str
    overview: list[str]
    closing: list[str]
    parts: list[outline.Part]
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
    #: What a supervisor should still write (shown in the preview, never printed).
    missing: list[str] = field(default_factory=list)
    #: Texts with no translation into the report's language.
    untranslated: list[str] = field(default_factory=list)
    #: How the results became final: published, objections, final on (empty: not yet).
    final_note: str = ""
    #: The year the figures tables and charts compare with (None: no such year).
    last_year: int | None = None
    #: 上年整改落实情况: the previous year's rectification items and their state.
    rectification: list[RectificationLine] = field(default_factory=list)
    previous_year: int = 0

    @property
    def categories(self) -> list[outline.CategorySection]:
        return [category for part in self.parts for category in part.categories]

    @property
    def is_chinese(self) -> bool:
        return self.language.lower().startswith("zh")


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


class _Builder:
    """Builds one report: holds the translator and the year's catalogue rows."""

    def __init__(
        self, year: AssessmentYear, department: Department | None, language: str
    ) -> None:
        self.year = year
        self.department = department
        self.language = language
        self.tr = Translator.for_language(language)
        self.categories = list(Category.objects.filter(year=year))
        self.sections = list(ReportSection.objects.filter(year=year))
        self.codes = {s.code for s in self.sections}
        #: Last year, when there is one, and its indicators' years by indicator code.
        self.last_year: AssessmentYear | None = None
        self.previous: dict[str, list[results.IndicatorYear]] = {}

    def load_last_year(self, department_ids: list[int]) -> None:
        """Last year's figures of the departments, by indicator code (each year has
        its own catalogue): a fixed number of queries whatever the departments."""
        self.last_year = AssessmentYear.objects.filter(year=self.year.year - 1).first()
        if self.last_year is None:
            return
        values = results.year_indicator_values(self.last_year, department_ids)
        for line in values.values():
            self.previous.setdefault(line.indicator.code, []).append(line)

    def figure_line(
        self,
        indicator: Indicator,
        value: Decimal | None,
        target: Decimal | None,
        last: Decimal | None = None,
    ) -> FigureLine:
        at_most = indicator.direction == Direction.AT_MOST
        ratio = rollup.completion(value, target, at_most)
        change, change_percent = rollup.year_on_year(value, last, indicator.decimals)
        return FigureLine(
            name=self.tr(indicator.name),
            unit=self.tr(indicator.unit),
            value=format_number(value, indicator.decimals),
            target=format_number(target, indicator.decimals)
            if target is not None
            else "—",
            direction=str(Direction(indicator.direction).label),
            completion=f"{rollup.percent(ratio)}%" if ratio is not None else "—",
            met=None if ratio is None else ratio >= 1,
            last_value=format_number(last, indicator.decimals),
            change=signed_number(change, indicator.decimals),
            change_percent=signed_percent(change_percent),
        )

    def figures(
        self, lines: Iterable[results.IndicatorYear]
    ) -> tuple[list[FigureLine], charts.Chart | None]:
        """Figure lines of a target's indicators (combined over departments) and a
        chart of the first indicator (in catalogue order) with two months or more."""
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
            last, last_months = last_year_value(
                self.previous.get(indicator.code, []), indicator.decimals
            )
            figures.append(self.figure_line(indicator, value, target, last))
            shown = {m: v for m, v in months.items() if v}
            if chart is None and len(shown) >= 2:
                chart = charts.monthly_chart(
                    self.tr(indicator.name),
                    self.tr(indicator.unit),
                    months,
                    line=indicator.aggregation in (rollup.AVERAGE, rollup.LAST),
                    decimals=indicator.decimals,
                    last_year=last_months,
                    legend=self.legend(),
                )
        return figures, chart

    def legend(self) -> tuple[str, str]:
        """The names of this year's and last year's series in a chart."""
        last = self.last_year.year if self.last_year else self.year.year - 1
        return (
            pgettext("year in a chart legend", "%(year)s") % {"year": self.year.year},
            pgettext("year in a chart legend", "%(year)s") % {"year": last},
        )

    def records(
        self, department_ids: list[int], codes: set[str]
    ) -> tuple[dict[str, list[str]], list[str], datetime.date | None]:
        by_code: dict[str, list[str]] = defaultdict(list)
        other: list[str] = []
        items = narratives.records_for(self.year.year, department_ids)
        for item in items:
            if item.target_code in codes or item.target_code in self.codes:
                by_code[item.target_code].append(self.tr(item.sentence))
            else:
                other.append(self.tr(item.sentence))
        return by_code, other, latest_date(item.changed for item in items)

    def adjustment_line(self, adjustment, department_name: str) -> AdjustmentLine:
        return AdjustmentLine(
            department=department_name,
            target=self.tr(adjustment.target.name) if adjustment.target_id else "",
            reason=self.tr(adjustment.reason),
            points=format_points(adjustment.points),
        )

    def content(
        self,
        target: Target,
        held: list[tuple[str, results.TargetResult]],
        records: dict[str, list[str]],
        self_score: Decimal | None,
        assessed: Decimal | None,
        suggested: str,
    ) -> TargetContent:
        figures, chart = self.figures(
            indicator_year for _d, line in held for indicator_year in line.indicators
        )
        return TargetContent(
            code=target.code,
            name=self.tr(target.name),
            points=format_points(target.points),
            texts=self.texts(held),
            records=records.get(target.code, []),
            figures=figures,
            chart=chart,
            self_score=format_points(self_score),
            suggested=suggested,
            assessed=format_points(assessed),
            provisional=any(not line.is_scored for _d, line in held),
            points_value=target.points,
            self_value=self_score,
            assessed_value=assessed,
        )

    def texts(
        self, held: list[tuple[str, results.TargetResult]]
    ) -> list[DepartmentText]:
        """The departments' 完成情况, one paragraph group per distinct text: teams
        that wrote the same words share one, named together."""
        grouped: dict[tuple[str, ...], list[str]] = {}
        for name, line in held:
            if line.self_assessment and line.self_assessment.text.strip():
                key = tuple(paragraphs(self.tr(line.self_assessment.text)))
                grouped.setdefault(key, []).append(self.tr(name))
        several = len(held) > 1
        joiner = "、" if self.tr.is_identity else ", "
        return [
            DepartmentText(joiner.join(names) if several else "", list(key))
            for key, names in grouped.items()
        ]

    def outline(
        self,
        targets: list[Target],
        content: dict[int, TargetContent],
        records: dict[str, list[str]],
    ) -> list[outline.Part]:
        bureau = self.department is None
        return outline.build(
            self.categories,
            self.sections,
            targets,
            content,
            {code: lines for code, lines in records.items() if code in self.codes},
            with_section_texts=bureau,
            with_empty_sections=bureau,
            translate=self.tr,
            language=self.language,
        )

    def date(
        self, department_ids: list[int], records_changed: datetime.date | None
    ) -> tuple[datetime.date, bool]:
        """The results' final date, or for a draft the latest change of its data."""
        year = self.year
        # Final when made final after publication, or when the year closed.
        if year.results_final_at:
            return timezone.localdate(year.results_final_at), False
        in_scope = {"department_id__in": department_ids}
        stamps = [
            Figure.objects.filter(
                monthly_return__year=year,
                monthly_return__department_id__in=department_ids,
            ).aggregate(m=Max("updated_at"))["m"],
            SelfAssessment.objects.filter(
                target__category__year=year, **in_scope
            ).aggregate(m=Max("updated_at"))["m"],
            Score.objects.filter(target__category__year=year, **in_scope).aggregate(
                m=Max("scored_at")
            )["m"],
            Adjustment.objects.filter(year=year, **in_scope).aggregate(
                m=Max("created_at")
            )["m"],
            ReportText.objects.filter(year=year, department=self.department).aggregate(
                m=Max("updated_at")
            )["m"],
        ]
        changed = [latest_date(stamps), records_changed]
        known = [day for day in changed if day is not None]
        # A year without any data yet: its first day, never silently today.
        day = max(known) if known else datetime.date(year.year, 1, 1)
        return day, not year.is_closed

    def letterhead(self, unit: str) -> tuple[str, str]:
        if not self.year.letterhead:
            return "", ""
        name = self.year.letterhead_unit or _("%(unit)s Document") % {"unit": unit}
        return self.tr(name) if self.year.letterhead_unit else name, (
            self.year.document_number
        )

    def missing(self, text: ReportText, parts: list[Part]) -> list[str]:
        gaps = []
        if not text.overview.strip():
            gaps.append(_("The overview is not written yet."))
        if not text.closing.strip():
            gaps.append(
                _("The closing (problems and shortcomings) is not written yet.")
            )
        gaps += [
            _("“%(heading)s” has no text yet.") % {"heading": heading}
            for heading in outline.untold(parts)
        ]
        return gaps


def _report_text(year: AssessmentYear, department: Department | None) -> ReportText:
    text = ReportText.objects.filter(year=year, department=department).first()
    return text or ReportText(year=year, department=department)


def _title_lines(unit: str, year: AssessmentYear) -> list[str]:
    return [
        unit,
        _("%(year)s Target-Management Assessment Self-Review") % {"year": year.year},
    ]


def _report_title(unit: str, year: AssessmentYear) -> str:
    return _("%(unit)s: %(year)s Target-Management Assessment Self-Review") % {
        "unit": unit,
        "year": year.year,
    }


def _catalogue_order(target: Target) -> tuple:
    return (target.category.order, target.category.code, target.order, target.code)


def _department_report(b: _Builder, department: Department, text: ReportText) -> Report:
    result = results.department_result(b.year, department)
    lines = sorted(result.targets, key=lambda line: _catalogue_order(line.target))
    codes = {line.target.code for line in lines}
    records, other, records_changed = b.records([department.pk], codes)
    b.load_last_year([department.pk])
    name = b.tr(department.name)
    content = {
        line.target.pk: b.content(
            line.target,
            [(department.name, line)],
            records,
            line.self_score,
            line.counted,
            format_points(line.suggested),
        )
        for line in lines
    }
    parts = b.outline([line.target for line in lines], content, records)
    selfs = [line.self_score for line in lines if line.self_score is not None]
    total = result.total
    joiner = "" if b.tr.is_identity else ", "
    unit = f"{b.tr(unit_name())}{joiner}{name}"
    day, is_draft = b.date([department.pk], records_changed)
    letterhead, number = b.letterhead(b.tr(unit_name()))
    report = Report(
        year=b.year,
        department=department,
        language=b.language,
        unit_name=unit,
        title=_report_title(unit, b.year),
        title_lines=_title_lines(unit, b.year),
        date=day,
        date_text=report_date(day, is_draft),
        is_draft=is_draft,
        letterhead=letterhead,
        document_number=number,
        overview=paragraphs(b.tr(text.overview)),
        closing=paragraphs(b.tr(text.closing)),
        parts=parts,
        other_records=other,
        catalogue_points=format_points(result.possible_points),
        self_total=format_points(sum(selfs, Decimal(0))) if selfs else "—",
        scores_total=format_points(total.scores),
        deductions=[b.adjustment_line(a, name) for a in result.deductions],
        deductions_total=format_points(total.deductions),
        bonuses=[b.adjustment_line(a, name) for a in result.bonuses],
        bonus_total=format_points(total.bonus),
        bonus_cap=format_points(total.bonus_cap),
        vetoes=[
            AdjustmentLine(name, "", b.tr(veto.reason), "") for veto in result.vetoes
        ],
        total=format_points(total.base),
        total_per_100=format_points(result.total_per_100),
        grade=_grade_label(result.grade),
        is_provisional=not result.is_complete,
        text=text,
    )
    report.missing = b.missing(text, parts)
    return report


def _bureau_report(
    b: _Builder, departments: Iterable[Department], text: ReportText
) -> Report:
    departments = assessed_units(departments)
    department_results = results.year_results(b.year, departments)
    bureau = results.bureau_result(b.year, department_results)
    names = {d.pk: b.tr(d.name) for d in departments}
    lines_of: dict[int, list[tuple[str, results.TargetResult]]] = defaultdict(list)
    for result in sorted(
        department_results, key=lambda r: (r.department.order, r.department.code)
    ):
        for line in result.targets:
            lines_of[line.target.pk].append((result.department.name, line))
    targets = sorted(bureau.targets, key=lambda t: _catalogue_order(t.target))
    codes = {t.target.code for t in targets}
    ids = [d.pk for d in departments]
    records, other, records_changed = b.records(ids, codes)
    b.load_last_year(ids)
    content = {}
    self_scores: list[Decimal] = []
    for bureau_line in targets:
        target = bureau_line.target
        held = lines_of.get(target.pk, [])
        self_score = rules.bureau_target_score(
            [line.self_score for _d, line in held], target.combine
        )
        if self_score is not None:
            self_scores.append(self_score)
        content[target.pk] = b.content(
            target, held, records, self_score, bureau_line.score, ""
        )
    parts = b.outline([t.target for t in targets], content, records)
    score_sum = sum((t.score for t in targets if t.score is not None), Decimal(0))
    unit = b.tr(unit_name())
    day, is_draft = b.date(ids, records_changed)
    letterhead, number = b.letterhead(unit)
    report = Report(
        year=b.year,
        department=None,
        language=b.language,
        unit_name=unit,
        title=_report_title(unit, b.year),
        title_lines=_title_lines(unit, b.year),
        date=day,
        date_text=report_date(day, is_draft),
        is_draft=is_draft,
        letterhead=letterhead,
        document_number=number,
        overview=paragraphs(b.tr(text.overview)),
        closing=paragraphs(b.tr(text.closing)),
        parts=parts,
        other_records=other,
        catalogue_points=format_points(bureau.catalogue_points),
        self_total=format_points(sum(self_scores, Decimal(0))) if self_scores else "—",
        scores_total=format_points(score_sum),
        deductions=[
            b.adjustment_line(a, names.get(a.department_id, ""))
            for r in department_results
            for a in r.deductions
        ],
        deductions_total=format_points(
            sum((r.total.deductions for r in department_results), Decimal(0))
        ),
        bonuses=[
            b.adjustment_line(a, names.get(a.department_id, ""))
            for r in department_results
            for a in r.bonuses
        ],
        bonus_total=format_points(
            sum((r.total.bonus for r in department_results), Decimal(0))
        ),
        bonus_cap=format_points(b.year.bonus_cap),
        vetoes=[
            AdjustmentLine(names.get(r.department.pk, ""), "", b.tr(veto.reason), "")
            for r in department_results
            for veto in r.vetoes
        ],
        total=format_points(bureau.total),
        total_per_100=format_points(bureau.total),
        grade=_grade_label(bureau.grade),
        is_provisional=not bureau.is_complete,
        departments=[
            DepartmentLine(
                name=names.get(r.department.pk, r.department.name),
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
    report.missing = b.missing(text, parts)
    return report


def build_report(
    year: AssessmentYear,
    department: Department | None,
    departments: Iterable[Department] = (),
    language: str | None = None,
) -> Report:
    """The report of one department, or of the bureau when `department` is None.

    For the bureau, `departments` are the departments the viewer may see (all of them
    for supervisors and leaders, from `access.departments_for`). The report is in the
    bureau's language unless `language` names another; its texts are then translated.
    """
    language = language or report_language()
    departments = list(departments)
    with translation.override(language):
        builder = _Builder(year, department, language)
        text = _report_text(year, department)
        if department is not None:
            report = _department_report(builder, department, text)
        else:
            report = _bureau_report(builder, departments, text)
        report.final_note = final_note(year, department)
        report.previous_year = year.year - 1
        report.rectification = rectification_lines(
            builder, year, [department] if department is not None else departments
        )
    report.last_year = builder.last_year.year if builder.last_year else None
    report.untranslated = builder.tr.missing
    return report


def rectification_lines(
    b: _Builder, year: AssessmentYear, departments: Sequence[Department]
) -> list[RectificationLine]:
    """The previous year's rectification items of these departments, in the report's
    language: what failed, by when, and its state now."""
    items = Rectification.objects.filter(
        year__year=year.year - 1, department__in=departments
    ).select_related("department", "target")
    lines = []
    for item in items:
        if item.target is None:
            what = _("Graded fail (%(total)s per 100 points)") % {
                "total": format_points(item.score)
            }
        else:
            what = _("%(target)s: %(score)s of %(points)s points") % {
                "target": f"{item.target.code} {b.tr(item.target.name)}",
                "score": format_points(item.score),
                "points": format_points(item.points),
            }
        lines.append(
            RectificationLine(
                department=b.tr(item.department.name),
                item=what,
                deadline=formats.date_format(item.deadline, "DATE_FORMAT"),
                state=str(item.get_status_display()),
            )
        )
    return lines


def final_note(year: AssessmentYear, department: Department | None) -> str:
    """The sentence stating that the results are final, how and since when."""
    publication = Publication.objects.filter(year=year).first()
    if publication is None or publication.finalized_at is None:
        return ""
    answered = Objection.objects.filter(year=year)
    if department is not None:
        answered = answered.filter(department=department)
    counts = {
        status: answered.filter(status=status).count()
        for status in (ObjectionStatus.UPHELD, ObjectionStatus.REJECTED)
    }
    return _(
        "The results were published for objections from %(start)s to %(end)s; "
        "objections upheld: %(upheld)s, rejected: %(rejected)s. The results above "
        "are final since %(final)s."
    ) % {
        "start": formats.date_format(publication.starts_on, "DATE_FORMAT"),
        "end": formats.date_format(publication.ends_on, "DATE_FORMAT"),
        "upheld": counts[ObjectionStatus.UPHELD],
        "rejected": counts[ObjectionStatus.REJECTED],
        "final": formats.date_format(
            timezone.localdate(publication.finalized_at), "DATE_FORMAT"
        ),
    }
