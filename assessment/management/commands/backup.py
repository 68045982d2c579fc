"""python manage.py backup [--output-dir DIR]: database and evidence files in one
dated, checksummed archive (see assessment.backups)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.utils import timezone

from assessment import backups


class Command(BaseCommand):
    help = "Write the database and MEDIA_ROOT into one dated archive with SHA-256 sums."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output-dir",
            default=str(settings.BACKUP_DIR),
            help="where the archive goes (default: BACKUP_DIR)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = backups.backup(
                connections["default"].settings_dict,
                Path(settings.MEDIA_ROOT),
                Path(options["output_dir"]),
                timezone.localtime(),
            )
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{result.archive} ({result.files} evidence files)\n"
            f"SHA-256 {result.checksum}"
        )
