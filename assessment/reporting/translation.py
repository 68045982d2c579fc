"""The report's own texts in the reader's language.

The report is written in the bureau's language (settings.LANGUAGE_CODE). In another
language every text the report takes from the data (catalogue names, headings,
narratives, records, reasons) is looked up in `ReportTranslation` by the exact text;
what has no translation is shown as a marked gap, never in the original language.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from assessment.models import ReportTranslation


def report_language() -> str:
    """The bureau's language: the report's whatever the interface's."""
    return settings.LANGUAGE_CODE


def language_choices() -> list[tuple[str, str]]:
    return [(code, str(name)) for code, name in settings.LANGUAGES]


def valid_language(code: str | None) -> str:
    """`code` if it is one of the site's languages, else the bureau's."""
    codes = {code for code, _name in settings.LANGUAGES}
    return code if code in codes else report_language()


def _key(text: str) -> str:
    return text.strip().rstrip("。")


@dataclass
class Translator:
    """Translates the data's texts into `language` (identity in the bureau's)."""

    language: str
    table: dict[str, str] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)

    @classmethod
    def for_language(cls, language: str) -> Translator:
        if language == report_language():
            return cls(language)
        rows = ReportTranslation.objects.filter(language=language).values_list(
            "source", "text"
        )
        return cls(language, {_key(source): text for source, text in rows})

    @property
    def is_identity(self) -> bool:
        return self.language == report_language()

    def __call__(self, text: str) -> str:
        if self.is_identity or not text.strip():
            return text
        found = self.table.get(_key(text))
        if found is not None:
            return found
        self.missing.append(text)
        return _("[not translated]")
