"""The score sheet on paper (考核评分表): one department's, and the bureau's summary.

The rows come from `scoring.results` (the numbers every page shows); `rows_for` and
`summary_rows` only lay them out as bureaus print them: 考核项目, 标准, 标准分, 扣分,
得分, 扣分理由, then the deductions, bonus items, vetoes and totals, and a block for
the scorers' and the department head's signatures. The page and the PDF share one
template; the PDF goes through the report's WeasyPrint path and faces.

The last rows of a table (its last item and every total) are one group the PDF never
breaks, so a table never splits before its total row.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from assessment.models import AssessmentYear, Department
from assessment.reporting import pdf
from assessment.reporting.report import unit_name
from assessment.scoring import results, rules

ZERO = Decimal(0)

#: How many item rows stay with the totals at the end of a table.
ROWS_KEPT_WITH_TOTALS = 1


@dataclass(frozen=True)
class SheetRow:
    """One printed row. `kind` styles it: category, target, adjustment, total."""

    kind: str
    item: str
    standard: str = ""
    points: Decimal | None = None
    deducted: Decimal | None = None
    score: Decimal | None = None
    reason: str = ""
    #: A signed figure for bonus rows ("+1.00"); empty for every other row.
    score_text: str = ""


@dataclass(frozen=True)
class Signature:
    """A line to sign on: who signs (a scoring body, the department head)."""

    role: str


@dataclass
class Sheet:
    """A table ready to print: rows that may break across pages, then the tail."""

    year: AssessmentYear
    title: str
    subtitle: str
    unit: str
    rows: list[SheetRow]
    tail: list[SheetRow]
    signatures: list[Signature] = field(default_factory=list)
    provisional: bool = False


def _deducted(possible: Decimal, score: Decimal | None) -> Decimal | None:
    if score is None:
        return None
    return max(possible - score, ZERO)


def _grade_label(grade: str | None) -> str:
    return "—" if grade is None else str(rules.Grade(grade).label)


def target_rows(result: results.DepartmentResult) -> Iterator[SheetRow]:
    """Each category's heading, then its targets: points, deducted, score, reason."""
    category_id = None
    for line in result.targets:
        target = line.target
        if target.category_id != category_id:
            category_id = target.category_id
            yield SheetRow(
                "category", f"{target.category.code}、{target.category.name}"
            )
        if line.assessed is not None:
            reason = line.reason
        elif line.suggested is not None:
            reason = _("Suggested by the rule; not yet assessed.")
        else:
            reason = _("Not yet assessed.")
        yield SheetRow(
            "target",
            f"{target.code} {target.name}",
            standard=target.standard,
            points=target.points,
            deducted=_deducted(target.points, line.counted),
            score=line.counted,
            reason=reason,
        )


def total_rows(result: results.DepartmentResult) -> Iterator[SheetRow]:
    """The subtotal, the 100-point base, deductions, bonus items, vetoes, result, grade."""
    total = result.total
    yield SheetRow(
        "total",
        _("Subtotal of the targets"),
        points=result.possible_points,
        deducted=result.possible_points - total.scores,
        score=total.scores,
    )
    yield SheetRow("total", _("Score per 100 points"), score=total.base)
    for adjustment in result.deductions:
        yield SheetRow(
            "adjustment",
            _("Deduction"),
            standard=str(adjustment.target) if adjustment.target else "",
            deducted=adjustment.points,
            reason=adjustment.reason,
        )
    for adjustment in result.bonuses:
        yield SheetRow(
            "adjustment",
            _("Bonus"),
            standard=str(adjustment.target) if adjustment.target else "",
            score=adjustment.points,
            score_text=f"+{rules.points(adjustment.points):.2f}",
            reason=adjustment.reason,
        )
    for veto in result.vetoes:
        yield SheetRow("adjustment", _("One-vote veto"), reason=veto.reason)
    note = (
        _("Bonus counted up to the cap of %(cap)s points.") % {"cap": total.bonus_cap}
        if total.cap_bites
        else ""
    )
    yield SheetRow("total", _("Result per 100 points"), score=total.total, reason=note)
    yield SheetRow(
        "total",
        _("Grade"),
        reason=_grade_label(result.grade)
        + (" (" + _("one-vote veto") + ")" if result.vetoed else ""),
    )


def _split_tail(
    body: list[SheetRow], totals: Iterable[SheetRow]
) -> tuple[list[SheetRow], list[SheetRow]]:
    keep = ROWS_KEPT_WITH_TOTALS if len(body) > ROWS_KEPT_WITH_TOTALS else len(body)
    cut = len(body) - keep
    return body[:cut], body[cut:] + list(totals)


def sheet_title(year: AssessmentYear) -> str:
    return _("Target-management assessment score sheet %(year)s") % {"year": year.year}


def scorer_signatures(result: results.DepartmentResult) -> list[Signature]:
    """A line for each body that scores the department's targets, then its head's."""
    bodies: list[str] = []
    for line in result.targets:
        body = line.target.scoring_body
        name = body.name if body is not None else _("Assessor")
        if name not in bodies:
            bodies.append(name)
    if not bodies:
        bodies.append(_("Assessor"))
    signatures = [
        Signature(_("%(body)s (signature)") % {"body": name}) for name in bodies
    ]
    signatures.append(Signature(_("Head of the department assessed (signature)")))
    return signatures


def department_sheet(result: results.DepartmentResult) -> Sheet:
    body, tail = _split_tail(list(target_rows(result)), total_rows(result))
    return Sheet(
        year=result.year,
        title=sheet_title(result.year),
        subtitle=result.department.name,
        unit=unit_name(),
        rows=body,
        tail=tail,
        signatures=scorer_signatures(result),
        provisional=not result.is_complete,
    )


@dataclass(frozen=True)
class SummaryRow:
    """One line of the bureau's summary sheet."""

    kind: str
    rank: int | None
    name: str
    possible: Decimal | None
    scores: Decimal | None
    base: Decimal | None
    deductions: Decimal | None
    bonus: Decimal | None
    total: Decimal | None
    grade: str
    note: str = ""


def summary_rows(
    department_results: list[results.DepartmentResult],
    bureau: results.BureauResult,
) -> list[SummaryRow]:
    """Every department in rank order, then the bureau on the catalogue's points."""
    rows = []
    for r in department_results:
        notes = []
        if r.vetoed:
            notes.append(_("One-vote veto"))
        if r.total.cap_bites:
            notes.append(
                _("Bonus counted up to the cap of %(cap)s points.")
                % {"cap": r.total.bonus_cap}
            )
        if not r.is_complete:
            notes.append(_("provisional"))
        rows.append(
            SummaryRow(
                "department",
                r.rank,
                r.department.name,
                r.possible_points,
                r.total.scores,
                r.total.base,
                r.total.deductions,
                r.total.bonus,
                r.total.total,
                _grade_label(r.grade),
                "；".join(notes),
            )
        )
    rows.append(
        SummaryRow(
            "total",
            None,
            _("The bureau on the catalogue's points"),
            bureau.catalogue_points,
            bureau.total,
            None,
            None,
            None,
            bureau.total,
            _grade_label(bureau.grade),
            _("One-vote veto") if bureau.vetoed else "",
        )
    )
    return rows


@dataclass
class Summary:
    year: AssessmentYear
    title: str
    unit: str
    rows: list[SummaryRow]
    tail: list[SummaryRow]
    signatures: list[Signature]
    provisional: bool


def summary_sheet(
    year: AssessmentYear, department_results: list[results.DepartmentResult]
) -> Summary:
    bureau = results.bureau_result(year, department_results)
    rows = summary_rows(department_results, bureau)
    keep = min(len(rows), ROWS_KEPT_WITH_TOTALS + 1)
    return Summary(
        year=year,
        title=_("Target-management assessment summary sheet %(year)s")
        % {"year": year.year},
        unit=unit_name(),
        rows=rows[:-keep],
        tail=rows[-keep:],
        signatures=[
            Signature(
                pgettext("signature", "Assessment office (signature)"),
            ),
            Signature(pgettext("signature", "Head of the bureau (signature)")),
        ],
        provisional=not bureau.is_complete,
    )


# --- rendering ---------------------------------------------------------------------


def render_html(template: str, context: dict[str, object]) -> str:
    """The standalone document the PDF is made from."""
    return render_to_string(template, context)


def department_pdf(result: results.DepartmentResult) -> bytes:
    html = render_html(
        "assessment/scoring/score_sheet_pdf.html",
        {"sheet": department_sheet(result), "kind": "department"},
    )
    return pdf.render_pdf(html)


def summary_pdf(
    year: AssessmentYear, department_results: list[results.DepartmentResult]
) -> bytes:
    html = render_html(
        "assessment/scoring/score_sheet_pdf.html",
        {"sheet": summary_sheet(year, department_results), "kind": "summary"},
    )
    return pdf.render_pdf(html)


def filename(year: AssessmentYear, department: Department | None) -> str:
    scope = department.code if department is not None else "bureau"
    return f"score-sheet-{year.year}-{scope}.pdf"
