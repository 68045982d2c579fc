"""The report as HTML, PDF and file names: one body template for the preview and the PDF."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from assessment.reporting import pdf
from assessment.reporting.formatting import css_string
from assessment.reporting.report import Report
from assessment.reporting.translation import report_language


def render_body(report: Report) -> str:
    """The report's body (the same markup in the preview and the PDF)."""
    with translation.override(report.language):
        return render_to_string("assessment/reporting/report.html", {"report": report})


def pdf_context(report: Report) -> dict[str, object]:
    return {
        "report": report,
        "body": mark_safe(render_body(report)),  # noqa: S308 - rendered, escaped template
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
    return pdf.render_pdf(render_report_html(report))


def report_filename(report: Report, extension: str) -> str:
    scope = report.department.code if report.department else "bureau"
    suffix = "" if report.language == report_language() else f"-{report.language}"
    return f"report-{report.year.year}-{scope}{suffix}.{extension}"


def pdf_filename(report: Report) -> str:
    return report_filename(report, "pdf")
