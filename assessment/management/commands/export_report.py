"""python manage.py export_report --year 2021 [--department CODE] --output FILE.pdf"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from assessment.models import AssessmentYear, Department
from assessment.reporting.report import build_report, render_report_pdf


class Command(BaseCommand):
    help = "Render the year-end self-assessment report as PDF (the bureau's or one department's)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument(
            "--department", help="A department's code; the whole bureau without it."
        )
        parser.add_argument("--output", required=True, help="The PDF file to write.")
        parser.add_argument(
            "--language", default="zh-hans", help="The report's language (zh-hans)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        year = AssessmentYear.objects.filter(year=options["year"]).first()
        if year is None:
            raise CommandError(f"No assessment year {options['year']}.")
        department = None
        if options["department"]:
            department = Department.objects.filter(code=options["department"]).first()
            if department is None:
                raise CommandError(
                    f"No department with code {options['department']!r}."
                )
        with translation.override(options["language"]):
            report = build_report(year, department, Department.objects.all())
            pdf = render_report_pdf(report)
        output = Path(options["output"])
        output.write_bytes(pdf)
        self.stdout.write(f"Wrote {output} ({len(pdf):,} bytes).")
