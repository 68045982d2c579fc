"""Translations of the report's own texts (catalogue names, narratives, records).

The report is written in the bureau's language. A reader who needs another one gets
each text's translation from here, looked up by the exact text it translates; the
interface's own words come from gettext as everywhere else.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


def source_key(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class ReportTranslation(models.Model):
    language = models.CharField(_("language"), max_length=16, default="en")
    source = models.TextField(_("text"), max_length=20000)
    source_key = models.CharField(_("key"), max_length=64, editable=False)
    text = models.TextField(_("translation"), max_length=20000)

    class Meta:
        verbose_name = _("report translation")
        verbose_name_plural = _("report translations")
        ordering = ["language", "source"]
        constraints = [
            models.UniqueConstraint(
                fields=["language", "source_key"], name="one_translation_per_text"
            )
        ]

    def __str__(self) -> str:
        return self.source[:60]

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.source_key = source_key(self.source)
        super().save(*args, **kwargs)
