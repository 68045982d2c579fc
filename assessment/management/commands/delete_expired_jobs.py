"""Delete the background jobs' result files whose time is up (beat runs it hourly)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from assessment.jobs import work


class Command(BaseCommand):
    help = "Delete expired background-job results (PDFs, archives) from storage."

    def handle(self, *args: Any, **options: Any) -> None:
        count = work.delete_expired_results()
        self.stdout.write(f"expired results deleted: {count}")
