"""Model signals that keep files and rows together."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from assessment.models import Evidence


@receiver(post_delete, sender=Evidence, dispatch_uid="evidence-file-goes-with-its-row")
def delete_evidence_file(
    sender: type[Evidence], instance: Evidence, **kwargs: Any
) -> None:
    """An evidence row and its stored file go together, whichever path deleted the row:
    the file is removed once the deletion is committed (a rolled-back delete keeps it)."""
    if not instance.file:
        return
    storage, name = instance.file.storage, instance.file.name
    transaction.on_commit(lambda: storage.delete(name))
