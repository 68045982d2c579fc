from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = _("Target-management assessment")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from assessment import audit

        # After every migrate (the test database's too): history tables refuse
        # UPDATE and DELETE on PostgreSQL.
        post_migrate.connect(audit.protect_after_migrate, sender=self)
