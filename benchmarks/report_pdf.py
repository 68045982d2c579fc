"""Report PDF benchmark: the demo bureau's full year-end report against WeasyPrint laying
out the same HTML (`HTML(string=...).render()`), and the PDF's size.

Needs a database with the 2021 demo loaded (benchmarks/run.py loads it into its throwaway
database); `ours` is the whole path a download takes: building the report (queries,
roll-up, charts), rendering the template and writing the PDF. For reference it also times
WeasyPrint alone turning the same HTML into a PDF (`render()` then `write_pdf()`), the
least any WeasyPrint-based report can take.
"""

from __future__ import annotations

import io
import time
from typing import Any


def bench_report_pdf(runs: int = 1) -> dict[str, Any]:
    from django.core.management import call_command
    from django.template.loader import render_to_string
    from django.utils import translation
    from pypdf import PdfReader
    from weasyprint import HTML

    from assessment.models import AssessmentYear, Department
    from assessment.reporting import pdf
    from assessment.reporting.rendering import pdf_context, render_report_pdf
    from assessment.reporting.report import build_report
    from sanitation.bureau import demo

    if not AssessmentYear.objects.filter(year=demo.YEAR).exists():
        call_command("load_demo", "--force", stdout=io.StringIO())
    year = AssessmentYear.objects.get(year=demo.YEAR)
    departments = list(Department.objects.filter(code__in=[*demo.UNITS, "bureau"]))
    if len(departments) != len(demo.UNITS) + 1:
        raise SystemExit(f"the {demo.YEAR} year in this database is not the demo's")

    with translation.override("zh-hans"):

        def ours() -> bytes:
            return render_report_pdf(build_report(year, None, departments))

        html = render_to_string(
            "assessment/reporting/report_pdf.html",
            pdf_context(build_report(year, None, departments)),
        )

        def floor() -> Any:
            return HTML(
                string=html,
                base_url=pdf.BASE_URL,
                url_fetcher=pdf.StaticFilesFetcher(),
            ).render()

        def weasyprint_pdf() -> bytes:
            return floor().write_pdf()

        floor()  # warm fontconfig and the font cache for both sides alike
        ours_best = floor_best = weasyprint_best = float("inf")
        document: bytes = b""
        for _ in range(runs):
            start = time.perf_counter()
            document = ours()
            ours_best = min(ours_best, time.perf_counter() - start)
            start = time.perf_counter()
            floor()
            floor_best = min(floor_best, time.perf_counter() - start)
            start = time.perf_counter()
            weasyprint_pdf()
            weasyprint_best = min(weasyprint_best, time.perf_counter() - start)
    return {
        "ours_seconds": ours_best,
        "floor_seconds": floor_best,
        "weasyprint_pdf_seconds": weasyprint_best,
        "ratio": ours_best / floor_best if floor_best else float("inf"),
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
    print(bench_report_pdf(runs=int(sys.argv[1]) if len(sys.argv) > 1 else 1))
