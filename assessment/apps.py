from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save, pre_save
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = _("Target-management assessment")

    def ready(self) -> None:
        from assessment import audit, checks, signals, spine, text, years  # noqa: F401
        from assessment.figures import stored
        from assessment.models import Figure
        from assessment.scoring import publication

        # The stored roll-up follows every write (see assessment.figures.stored).
        spine.on_write(stored.on_write)
        post_save.connect(stored.figure_changed, sender=Figure, dispatch_uid="rollup-f")
        post_delete.connect(
            stored.figure_changed, sender=Figure, dispatch_uid="rollup-fd"
        )
        # Work records are connected by the app that has them (see stored.record_changed).

        spine.guard_results(publication.guard)
        from assessment.jobs import rerender

        spine.on_write(rerender.schedule, after_commit=True)
        years.register_outstanding(publication.outstanding_objections)
        years.register_close_blocker(publication.close_blocker)

        pre_save.connect(text.clean_instance, dispatch_uid="strip-bidi-controls")

        from assessment import catalogue_cache

        catalogue_cache.connect()

        # After every migrate (the test database's too): history tables refuse
        # UPDATE and DELETE on PostgreSQL.
        post_migrate.connect(audit.protect_after_migrate, sender=self)
