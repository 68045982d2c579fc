"""What the write spine keeps: data versions and the tokens of create forms."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessment.models.catalogue import AssessmentYear, Department


class DataVersion(models.Model):
    """How often a department's data in a year has changed.

    Every write through the spine adds one to the rows of the departments it touched,
    in the same transaction, so anything built from the data (a stored report, a cached
    total) can tell whether it is still current by comparing versions.
    """

    year = models.ForeignKey(
        AssessmentYear,
        verbose_name=_("year"),
        on_delete=models.CASCADE,
        related_name="data_versions",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.CASCADE,
        related_name="data_versions",
    )
    version = models.PositiveBigIntegerField(_("version"), default=0)
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("data version")
        verbose_name_plural = _("data versions")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "department"], name="one_data_version_per_department"
            )
        ]

    def __str__(self) -> str:
        return f"{self.department} {self.year}: {self.version}"


class FormToken(models.Model):
    """The one-time token of a rendered create form, claimed by its first post.

    A double click, a browser resubmit or a retried request posts the same token again
    and finds the object the first post created, instead of creating a second one.
    """

    token = models.UUIDField(_("token"), primary_key=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    model = models.CharField(_("model"), max_length=100)
    object_id = models.PositiveBigIntegerField(_("object id"), null=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("form token")
        verbose_name_plural = _("form tokens")

    def __str__(self) -> str:
        return str(self.token)
