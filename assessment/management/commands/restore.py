"""python manage.py restore ARCHIVE [--database-url URL] [--media-root DIR]: checks the
archive's SHA-256 sums, then restores it into an empty database and media directory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from assessment import backups


class Command(BaseCommand):
    help = "Restore a backup archive into an EMPTY database and media directory."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="backup-YYYYMMDD-HHMMSS.tar.gz")
        parser.add_argument(
            "--database-url",
            help="restore into this database instead of the configured one",
        )
        parser.add_argument(
            "--media-root",
            default=str(settings.MEDIA_ROOT),
            help="restore the evidence files here (default: MEDIA_ROOT)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        archive = Path(options["archive"])
        if not archive.is_file():
            raise CommandError(f"no such archive: {archive}")
        try:
            db = backups.database_settings(
                options["database_url"], connections["default"].settings_dict
            )
            manifest = backups.restore(archive, db, Path(options["media_root"]))
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        files = sum(1 for name in manifest["sha256"] if name.startswith("media/"))
        self.stdout.write(
            f"Restored the backup of {manifest['created']} into {db['NAME']} "
            f"and {files} evidence files into {options['media_root']}."
        )
