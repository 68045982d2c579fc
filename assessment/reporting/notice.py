"""The published results as a printed notice (公示), in the year-end report's layout:
title, body, the table, the issuing unit and the date, rendered by the report's
WeasyPrint path (`reporting.pdf`) with its faces and stylesheet."""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assessment import formatting
from assessment.models import AssessmentYear, Publication
from assessment.reporting.formatting import report_date
from assessment.reporting.report import unit_name
from assessment.reporting.translation import report_language
from assessment.scoring import results


@dataclass(frozen=True)
class NoticeLine:
    rank: str
    department: str
    per_100: str
    grade: str
    vetoed: bool


@dataclass(frozen=True)
class Notice:
    language: str
    unit_name: str
    title: str
    body: list[str]
    lines: list[NoticeLine]
    date_text: str


def build_notice(
    year: AssessmentYear,
    publication: Publication,
    department_results: list[results.DepartmentResult],
) -> Notice:
    language = report_language()
    with translation.override(language):
        unit = unit_name()
        body = [
            _(
                "The %(year)s target-management assessment of the departments is "
                "scored. The provisional results are published below from %(start)s "
                "to %(end)s. A department that objects to a score, deduction, bonus "
                "item or veto files its objection with its grounds and evidence "
                "within this period."
            )
            % {
                "year": year.year,
                "start": formatting.day(publication.starts_on),
                "end": formatting.day(publication.ends_on),
            }
        ]
        if publication.finalized_at is not None:
            body.append(
                _("Every objection was answered; the results became final on %(date)s.")
                % {"date": formatting.day(timezone.localdate(publication.finalized_at))}
            )
        lines = [
            NoticeLine(
                rank=str(r.rank) if r.rank is not None else "—",
                department=r.department.name,
                per_100=formatting.points(r.total_per_100),
                grade=str(r.grade.label) if r.grade is not None else "—",
                vetoed=r.vetoed,
            )
            for r in department_results
        ]
        return Notice(
            language=language,
            unit_name=unit,
            title=_("Publication of the %(year)s assessment results")
            % {"year": year.year},
            body=body,
            lines=lines,
            date_text=report_date(timezone.localdate(publication.published_at), False),
        )


def render_notice(
    year: AssessmentYear,
    publication: Publication,
    department_results: list[results.DepartmentResult],
) -> str:
    notice = build_notice(year, publication, department_results)
    with translation.override(notice.language):
        return render_to_string(
            "assessment/publication/notice_pdf.html", {"notice": notice}
        )
