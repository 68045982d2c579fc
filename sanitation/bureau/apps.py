from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BureauConfig(AppConfig):
    name = "sanitation.bureau"
    label = "bureau"
    verbose_name = _("Sanitation bureau work records")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from assessment.figures import stored
        from sanitation.bureau import narrative, records, sources

        sources.register_all()
        narrative.register()
        # A record saved outside the write spine keeps the stored roll-up in step.
        for kind in records.KINDS.values():
            label = kind.model._meta.label
            post_save.connect(
                stored.record_changed, sender=kind.model, dispatch_uid=f"rollup-{label}"
            )
            post_delete.connect(
                stored.record_changed,
                sender=kind.model,
                dispatch_uid=f"rollup-{label}-d",
            )
