"""Create the reminders due now and e-mail every pending notice.

Safe to run from cron every few minutes, and twice at once: a person gets one notice
per key (a unique constraint), and each e-mail is claimed before it is sent.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from assessment.notices import delivery, reminders


class Command(BaseCommand):
    help = "Create the due and overdue reminders of today and e-mail pending notices."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-email",
            action="store_true",
            help="Create the notices but send no e-mail.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        created = reminders.create_reminders()
        sent = 0 if options["no_email"] else delivery.send_pending()
        self.stdout.write(
            f"{datetime.datetime.now().isoformat(timespec='seconds')} "
            f"reminders created: {len(created)}, e-mails sent: {sent}"
        )
