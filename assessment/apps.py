from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import pre_save
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = _("Target-management assessment")

    def ready(self) -> None:
        from assessment import checks, signals, text  # noqa: F401 - registers them

        pre_save.connect(text.clean_instance, dispatch_uid="strip-bidi-controls")
