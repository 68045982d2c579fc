from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BureauConfig(AppConfig):
    name = "sanitation.bureau"
    label = "bureau"
    verbose_name = _("Sanitation bureau work records")

    def ready(self) -> None:
        from sanitation.bureau import narrative, sources

        sources.register_all()
        narrative.register()
