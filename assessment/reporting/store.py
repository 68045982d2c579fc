"""The report PDF, kept: a download with nothing changed is served from the store.

A report's PDF is a function of its HTML (the same template, the same faces), so the
stored PDF is current exactly when the SHA-256 of the report's HTML is the one it was
rendered from. Building the HTML takes a few hundredths of a second; WeasyPrint's PDF
of it one to two seconds. Anything the report prints (a figure, a text, a score, a
translation, the draft's date) changes the HTML, so a stale PDF is never served. Each
row also records the departments' data versions (see assessment.spine) it was built at.

Files go through Django's storage API under names derived from the content's hash, so
two requests rendering the same report at once write the same bytes to the same name.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction

from assessment.models import AssessmentYear, DataVersion, Department, StoredReport
from assessment.reporting import pdf
from assessment.reporting.rendering import pdf_pictures, render_report_html
from assessment.reporting.report import Report

logger = logging.getLogger(__name__)


def scope(report: Report) -> str:
    return report.department.code if report.department else "bureau"


def digest(html: str) -> str:
    return hashlib.sha256(html.encode()).hexdigest()


def _versions(report: Report) -> dict[str, int]:
    return versions_of(report.year, report.department)


def versions_of(year: AssessmentYear, department: Department | None) -> dict[str, int]:
    """The data versions a report is built at: its department's, or for the bureau
    every department's of the year (one query)."""
    rows = DataVersion.objects.filter(year=year)
    if department is not None:
        rows = rows.filter(department=department)
    return {
        str(department): version
        for department, version in rows.order_by("department_id").values_list(
            "department_id", "version"
        )
    }


def _read(row: StoredReport) -> bytes | None:
    try:
        with default_storage.open(row.file_name, "rb") as stored:
            return stored.read()
    except OSError:
        logger.warning("stored report %s is missing its file", row.pk)
        return None


def _keep(
    report: Report, html_digest: str, content: bytes, versions: dict[str, int]
) -> None:
    name = (
        f"reports/{report.year.year}/{scope(report)}-{report.language}-"
        f"{html_digest[:32]}.pdf"
    )
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(content))
    fields: dict[str, Any] = {
        "department": report.department,
        "html_sha256": html_digest,
        "data_versions": versions,
        "file_name": name,
        "size": len(content),
    }
    key: dict[str, Any] = {
        "year": report.year,
        "scope": scope(report),
        "language": report.language,
    }
    try:
        with transaction.atomic():
            previous = StoredReport.objects.select_for_update().filter(**key).first()
            StoredReport.objects.update_or_create(**key, defaults=fields)
    except IntegrityError:
        return  # stored by a concurrent request a moment ago
    if previous is not None and previous.file_name != name:
        default_storage.delete(previous.file_name)


def report_pdf(report: Report) -> bytes:
    """The report's PDF: the stored one when it is current, else rendered and kept."""
    # Read before the render: a change made while it renders leaves the PDF stale.
    versions = _versions(report)
    html = render_report_html(report)
    html_digest = digest(html)
    row = StoredReport.objects.filter(
        year=report.year, scope=scope(report), language=report.language
    ).first()
    if row is not None and row.html_sha256 == html_digest:
        content = _read(row)
        if content is not None:
            if row.data_versions != versions:  # changed, but not what it prints
                StoredReport.objects.filter(pk=row.pk).update(data_versions=versions)
            return content
    content = pdf.render_pdf(html, pictures=pdf_pictures(report))
    _keep(report, html_digest, content, versions)
    return content


def kept(report: Report) -> StoredReport | None:
    """The stored PDF of this report, whether current or not (two queries)."""
    return StoredReport.objects.filter(
        year=report.year, scope=scope(report), language=report.language
    ).first()


def read(row: StoredReport) -> bytes | None:
    return _read(row)
