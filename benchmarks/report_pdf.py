"""Report PDF benchmark: the demo bureau's full year-end report, a fresh render against
WeasyPrint alone turning the same HTML into a PDF, and a download with nothing changed.

Needs a database with the 2021 demo loaded (benchmarks/run.py loads it into its throwaway
database). CPU time (`time.process_time`), medians of interleaved runs:

- fresh: the whole path a download takes when nothing is stored: building the report
  (queries, roll-up, charts), rendering the template, writing the PDF and storing it
  (`store.report_pdf` after the stored copy is deleted, outside the clock);
- weasyprint: `HTML(...).render().write_pdf()` of the very HTML the fresh render made,
  with the same fetcher, no application code: the least any WeasyPrint report takes;
- stored: `store.report_pdf` again with nothing changed (served from the store).
"""

from __future__ import annotations

import io
import statistics
import tempfile
import time
from collections.abc import Callable
from typing import Any


def bench_report_pdf(runs: int = 5) -> dict[str, Any]:
    from django.core.management import call_command
    from django.test import override_settings
    from django.utils import translation
    from pypdf import PdfReader
    from weasyprint import HTML

    from assessment.models import AssessmentYear, Department, StoredReport
    from assessment.reporting import pdf, rendering, store
    from assessment.reporting.report import build_report
    from sanitation.bureau import demo

    if not AssessmentYear.objects.filter(year=demo.YEAR).exists():
        call_command("load_demo", "--force", stdout=io.StringIO())
    year = AssessmentYear.objects.get(year=demo.YEAR)
    departments = list(Department.objects.filter(code__in=[*demo.UNITS, "bureau"]))
    if len(departments) != len(demo.UNITS) + 1:
        raise SystemExit(f"the {demo.YEAR} year in this database is not the demo's")

    with (
        tempfile.TemporaryDirectory() as media,
        override_settings(MEDIA_ROOT=media),
        translation.override("zh-hans"),
    ):
        report = build_report(year, None, departments)
        html = rendering.render_report_html(report)
        fetcher = rendering.pdf_fetcher(report, prepared=True)

        def fresh() -> bytes:
            return store.report_pdf(build_report(year, None, departments))

        def weasyprint() -> bytes:
            return (
                HTML(string=html, base_url=pdf.BASE_URL, url_fetcher=fetcher)
                .render()
                .write_pdf()
            )

        def stored() -> bytes:
            return store.report_pdf(build_report(year, None, departments))

        weasyprint()  # warm fontconfig and the font cache for both sides alike
        times: dict[str, list[float]] = {"fresh": [], "weasyprint": [], "stored": []}
        document = b""
        steps: list[tuple[str, Callable[[], bytes]]] = [
            ("fresh", fresh),
            ("weasyprint", weasyprint),
            ("stored", stored),
        ]
        for _ in range(runs):
            for name, func in steps:
                if name == "fresh":  # nothing stored: the next download renders
                    StoredReport.objects.all().delete()
                start = time.process_time()
                content = func()
                times[name].append(time.process_time() - start)
                if name == "fresh":
                    document = content
    medians = {name: statistics.median(values) for name, values in times.items()}
    return {
        "fresh_seconds": medians["fresh"],
        "weasyprint_seconds": medians["weasyprint"],
        "stored_seconds": medians["stored"],
        "runs": runs,
        "pdf_bytes": len(document),
        "pages": len(PdfReader(io.BytesIO(document)).pages),
    }


if __name__ == "__main__":
    import os
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanitation.settings")
    import django

    django.setup()
    print(bench_report_pdf(runs=int(sys.argv[1]) if len(sys.argv) > 1 else 5))
