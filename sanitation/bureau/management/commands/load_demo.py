"""`python manage.py load_demo`: the bureau's 2021 year as demo data."""

from __future__ import annotations

import time
from typing import Any, TextIO, cast

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from sanitation.bureau import demo


class Command(BaseCommand):
    help = (
        "Load the 2021 demo (departments, demo accounts with a published password, "
        "the catalogue, a year of figures, work records and scores). Refuses to run "
        "when DEBUG is off unless --force is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even though DEBUG is off (never on a production site).",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the 2021 year, its work records and evidence files first.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                _(
                    "Refusing to load the demo: DEBUG is off, so this looks like a "
                    "production site, and the demo creates accounts whose password is "
                    "published in the README. Run with --force if you really mean it."
                )
            )
        started = time.perf_counter()
        if demo.demo_exists():
            if not options["reset"]:
                self.stdout.write(
                    _(
                        "The %(year)s demo year already exists; nothing loaded. "
                        "Use --reset to delete and reload it."
                    )
                    % {"year": demo.YEAR}
                )
                return
            demo.delete_demo(cast(TextIO, self.stdout))
        demo.load(cast(TextIO, self.stdout))
        self.stdout.write(
            self.style.SUCCESS(
                _("Done in %(seconds).1f s.")
                % {"seconds": time.perf_counter() - started}
            )
        )
