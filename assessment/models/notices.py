"""Notices: what the system tells a person, in the app and by e-mail."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessment.models.catalogue import AssessmentYear, Department


class NoticeKind(models.TextChoices):
    DUE = "due", _("Month due soon")
    OVERDUE = "overdue", _("Month overdue")
    URGED = "urged", _("Urgent reminder")
    RETURNED = "returned", _("Month returned")
    APPROVED = "approved", _("Month approved")
    REOPENED = "reopened", _("Month reopened")
    SELF_ASSESSMENT_RETURNED = (
        "self_assessment_returned",
        _("Self-assessment returned"),
    )
    TARGETS_UNACKNOWLEDGED = (
        "targets_unacknowledged",
        _("Targets not yet acknowledged"),
    )
    RECTIFICATION_RETURNED = "rectification_returned", _("Rectification returned")
    RECTIFICATION_ACCEPTED = "rectification_accepted", _("Rectification accepted")
    BULLETIN = "bulletin", _("Progress bulletin issued")
    BULLETIN_DRAFT = "bulletin_draft", _("Progress bulletin ready to issue")


class EmailStatus(models.TextChoices):
    PENDING = "pending", _("To be sent")
    SENT = "sent", _("Sent")
    OFF = "off", _("Not sent (e-mail off or no address)")


class NoticeQuerySet(models.QuerySet):
    def for_recipient(self, user: object) -> NoticeQuerySet:
        """A person's own notices: nobody reads anyone else's, whatever their role."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(recipient=user)

    def unread(self) -> NoticeQuerySet:
        return self.filter(read_at__isnull=True)


class Notice(models.Model):
    """One thing one person is told, once.

    `key` names the event or the reminder (e.g. "returned:42:v3", "due:2021:7:10"); a
    person gets at most one notice per key, which is what makes creating notices safe to
    repeat (a retried write, `send_reminders` run again or twice at once).
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notices",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=NoticeKind.choices)
    key = models.CharField(_("key"), max_length=200)
    year = models.ForeignKey(
        AssessmentYear,
        verbose_name=_("year"),
        on_delete=models.CASCADE,
        related_name="notices",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.CASCADE,
        related_name="notices",
    )
    month = models.PositiveSmallIntegerField(_("month"), null=True, blank=True)
    detail = models.TextField(_("detail"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    email_status = models.CharField(
        _("e-mail"),
        max_length=16,
        choices=EmailStatus.choices,
        default=EmailStatus.PENDING,
    )
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"], name="one_notice_per_key"
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notice_unread"),
            models.Index(fields=["email_status"], name="notice_email_status"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} {self.key}"


class NoticeSettings(models.Model):
    """A person's choice of notices by e-mail (on unless they turn it off)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notice_settings",
    )
    email = models.BooleanField(
        _("send notices by e-mail too"),
        default=True,
        help_text=_("Notices always appear in the app's inbox."),
    )

    class Meta:
        verbose_name = _("notice settings")
        verbose_name_plural = _("notice settings")

    def __str__(self) -> str:
        return str(self.user)
