"""Model field lookups typed for the code that reads stored values column by column."""

from __future__ import annotations

from django.db import models


def concrete_field(model: type[models.Model], name: str) -> models.Field:
    """The concrete column `name` of `model` (never a relation's reverse side)."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{model.__name__}.{name} is not a concrete field")
    return field
