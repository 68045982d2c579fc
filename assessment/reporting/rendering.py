"""The report as HTML, PDF and file names: one body template for the preview and the PDF."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from assessment.reporting import charts, outline, pdf
from assessment.reporting.formatting import css_string
from assessment.reporting.report import Report
from assessment.reporting.translation import report_language


def render_body(report: Report, pictures: bool = False) -> str:
    """The report's body (the same markup in the preview and the PDF); with `pictures`
    its charts are PNG pictures named by `pdf_pictures` instead of inline SVG."""
    with translation.override(report.language):
        return render_to_string(
            "assessment/reporting/report.html",
            {"report": report, "pictures": pdf.PICTURES if pictures else ""},
        )


def pdf_context(report: Report) -> dict[str, object]:
    return {
        "report": report,
        "body": mark_safe(render_body(report, pictures=True)),  # noqa: S308 - rendered, escaped template
        # Fully escaped by css_string: letters, digits, spaces and \hex escapes only.
        "draft_css": mark_safe(css_string(_draft_word(report))),
    }


def _draft_word(report: Report) -> str:
    with translation.override(report.language):
        return _("Draft")


def render_report_html(report: Report) -> str:
    with translation.override(report.language):
        return render_to_string(
            "assessment/reporting/report_pdf.html", pdf_context(report)
        )


def render_report_pdf(report: Report) -> bytes:
    """The report as PDF, from the same body template as the browser preview."""
    return pdf.render_pdf(render_report_html(report), pictures=pdf_pictures(report))


def report_filename(report: Report, extension: str) -> str:
    scope = report.department.code if report.department else "bureau"
    suffix = "" if report.language == report_language() else f"-{report.language}"
    return f"report-{report.year.year}-{scope}{suffix}.{extension}"


def pdf_filename(report: Report) -> str:
    return report_filename(report, "pdf")


def report_charts(report: Report) -> list[charts.Chart]:
    """Every chart the report prints, in order."""
    found: list[charts.Chart] = []

    def visit(nodes: Iterable[outline.Node]) -> None:
        for node in nodes:
            if node.target is not None and node.target.chart is not None:
                found.append(node.target.chart)
            visit(node.children)

    for part in report.parts:
        for category in part.categories:
            visit(category.nodes)
    return found


def pdf_pictures(
    report: Report, prepared: bool = False
) -> dict[str, Callable[[], bytes]]:
    """The PDF's pictures by name: its charts, drawn when the PDF renderer asks for them
    (never when a stored PDF is served); `prepared` draws them now."""
    pictures: dict[str, Callable[[], bytes]] = {}
    for chart in report_charts(report):
        if prepared:
            pictures[chart.picture_name] = functools.partial(bytes, chart.picture())
        else:
            pictures[chart.picture_name] = chart.picture
    return pictures


def pdf_fetcher(report: Report, prepared: bool = False) -> pdf.StaticFilesFetcher:
    """The URL fetcher the report's PDF is rendered with."""
    return pdf.StaticFilesFetcher(pictures=pdf_pictures(report, prepared))
