from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CLERK = "clerk", _("Clerk")
    SUPERVISOR = "supervisor", _("Supervisor")
    LEADER = "leader", _("Leader (read-only)")
    ADMIN = "admin", _("Administrator")


class User(AbstractUser):
    role = models.CharField(
        _("role"), max_length=16, choices=Role.choices, default=Role.CLERK
    )
    departments = models.ManyToManyField(
        "assessment.Department",
        verbose_name=_("departments"),
        related_name="members",
        blank=True,
        help_text=_("A clerk enters figures for these departments only."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def display_name(self) -> str:
        """Chinese names read family name first, with no space: 周国强."""
        if any("\u4e00" <= ch <= "\u9fff" for ch in self.last_name + self.first_name):
            return f"{self.last_name}{self.first_name}"
        return self.get_full_name() or self.username

    @property
    def is_clerk(self) -> bool:
        return self.role == Role.CLERK

    @property
    def is_supervisor(self) -> bool:
        """May approve, return, reopen, score and close years."""
        return self.is_active and (
            self.role in (Role.SUPERVISOR, Role.ADMIN) or self.is_superuser
        )

    @property
    def is_leader(self) -> bool:
        return self.role == Role.LEADER

    @property
    def sees_all_departments(self) -> bool:
        return self.is_supervisor or self.is_leader
