"""Create forms that store one object however often the same rendered form is posted.

A create form carries a one-time token (`OnceField`), rendered with the form; the domain
function creating the object passes it to `spine.create_once`, which claims it in the
same transaction. A second post of the same form (double click, browser resubmit,
retried request) finds the object the first one created.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class OnceField(forms.UUIDField):
    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", True)
        kwargs.setdefault(
            "error_messages",
            {
                "required": _(
                    "This form has expired. Reload the page and enter it again."
                ),
                "invalid": _(
                    "This form has expired. Reload the page and enter it again."
                ),
            },
        )
        super().__init__(**kwargs)


class OnceFormMixin(forms.Form):
    """Adds the `once` token; an unbound form gets a fresh one."""

    once = OnceField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("once", uuid.uuid4())
