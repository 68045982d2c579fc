"""E-mailing notices: each pending notice is sent once, then marked.

A notice is claimed by locking its row (PostgreSQL skips rows another run holds, so
two runs at once never send the same notice; SQLite runs one write transaction at a
time); the mail goes out inside that transaction and the row is marked sent with it.
A failed send rolls back and the notice stays pending for the next run.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assessment.models import Notice, NoticeSettings
from assessment.models.notices import EmailStatus
from assessment.notices.texts import describe

logger = logging.getLogger(__name__)


def wants_email(user_id: int) -> bool:
    chosen = (
        NoticeSettings.objects.filter(user_id=user_id)
        .values_list("email", flat=True)
        .first()
    )
    return True if chosen is None else chosen


def _claim(pk: int) -> Notice | None:
    rows = Notice.objects.filter(pk=pk, email_status=EmailStatus.PENDING)
    if connection.features.has_select_for_update_skip_locked:
        rows = rows.select_for_update(skip_locked=True, of=("self",))
    return rows.select_related("recipient", "year", "department", "actor").first()


def _send(notice: Notice) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        text = describe(notice)
        body = "\n\n".join(
            part
            for part in (
                text.body,
                notice.detail,
                _("Open: %(url)s") % {"url": settings.SITE_URL.rstrip("/") + text.url},
            )
            if part
        )
        send_mail(
            text.title,
            body,
            settings.DEFAULT_FROM_EMAIL,
            [notice.recipient.email],
        )


def send_pending(*, key: str | None = None) -> int:
    """E-mail the pending notices (those of one key, or all); return how many were
    sent."""
    pending = Notice.objects.filter(email_status=EmailStatus.PENDING).order_by("pk")
    if key is not None:
        pending = pending.filter(key=key)
    sent = 0
    for pk in pending.values_list("pk", flat=True):
        try:
            with transaction.atomic():
                notice = _claim(pk)
                if notice is None:
                    continue  # sent by a concurrent run meanwhile
                if notice.recipient.email and wants_email(notice.recipient_id):
                    _send(notice)
                    notice.email_status = EmailStatus.SENT
                    notice.emailed_at = timezone.now()
                    sent += 1
                else:
                    notice.email_status = EmailStatus.OFF
                notice.save(update_fields=["email_status", "emailed_at"])
        except Exception:  # a mail server down: leave it pending, try the next
            logger.exception("Could not e-mail notice %s", pk)
    return sent
