"""Text as people type it: what is refused or removed before anything is stored."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext as _

#: Bidirectional embedding, override and isolate controls (U+202A–U+202E,
#: U+2066–U+2069): invisible, they make stored text print in another order (the
#: "Trojan Source" trick) in the PDF, a spreadsheet or a file name.
BIDI_CONTROLS = frozenset(
    chr(code) for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))
)
_STRIP_BIDI = {ord(char): None for char in BIDI_CONTROLS}

#: The apps whose models are cleaned on every save.
CLEANED_APPS = frozenset({"assessment", "bureau"})


def strip_bidi(text: str) -> str:
    return text.translate(_STRIP_BIDI)


class CleanCharField(forms.CharField):
    """A form's text field with the bidi controls removed before it is checked.

    So a text of nothing but controls is empty (a required reason is still missing),
    and what the form hands on is exactly what will be stored: a form posted again is
    compared with the stored text as it is, not as a conflict.
    """

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = strip_bidi(value)
        return super().to_python(value)


def required_text(text: str | None, message: str, *, max_length: int = 2000) -> str:
    """A comment or reason that must be given: stripped, not empty, not too long.

    Raises ValueError with the message to show.
    """
    text = strip_bidi(text or "").strip()
    if not text:
        raise ValueError(message)
    if len(text) > max_length:
        raise ValueError(_("Keep it under %(n)d characters.") % {"n": max_length})
    if "\x00" in text:
        raise ValueError(_("The text contains a NUL character."))
    return text


def clean_instance(
    sender: type[models.Model], instance: models.Model, **kwargs: Any
) -> None:
    """pre_save: remove bidi controls from every text field of the project's models,
    whichever path the save came from (a form, the admin, an import, a command)."""
    if sender._meta.app_label not in CLEANED_APPS:
        return
    for field in sender._meta.concrete_fields:
        if isinstance(field, models.CharField | models.TextField):
            value = getattr(instance, field.attname)
            if isinstance(value, str) and not BIDI_CONTROLS.isdisjoint(value):
                setattr(instance, field.attname, strip_bidi(value))
