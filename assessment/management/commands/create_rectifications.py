"""Make the rectification items (整改) of a year whose results are final.

Finalizing the results (or closing the year) makes them already; this command is for
a year that became final before, and may be run any number of times: an item is made
once per department and cause.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessment import spine
from assessment.models import AssessmentYear
from assessment.scoring import rectification


class Command(BaseCommand):
    help = "Make the rectification items of a year whose results are final."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        year = AssessmentYear.objects.filter(year=options["year"]).first()
        if year is None:
            raise CommandError(f"No assessment year {options['year']}.")
        try:
            made = rectification.create_items(year, None)
        except spine.Refused as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"{year.year}: rectification items made: {len(made)}")
