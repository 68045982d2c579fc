"""python manage.py export_report --year 2021 [--department CODE] [--format pdf|docx]
[--language en] --output FILE"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessment.models import AssessmentYear, Department
from assessment.reporting.rendering import render_report_pdf
from assessment.reporting.report import build_report
from assessment.reporting.translation import report_language
from assessment.reporting.word import render_report_docx


class Command(BaseCommand):
    help = (
        "Render the year-end self-assessment report (the bureau's or one "
        "department's) as PDF or as a Word document."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument(
            "--department", help="A department's code; the whole bureau without it."
        )
        parser.add_argument(
            "--format", choices=["pdf", "docx"], default="pdf", help="pdf or docx."
        )
        parser.add_argument("--output", required=True, help="The file to write.")
        parser.add_argument(
            "--language",
            default=None,
            choices=[code for code, _name in settings.LANGUAGES],
            help=f"A translation of the report; it is in {report_language()} without.",
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
        report = build_report(
            year, department, Department.objects.all(), options["language"]
        )
        if options["format"] == "docx":
            content = render_report_docx(report)
        else:
            content = render_report_pdf(report)
        output = Path(options["output"])
        output.write_bytes(content)
        self.stdout.write(f"Wrote {output} ({len(content):,} bytes).")
