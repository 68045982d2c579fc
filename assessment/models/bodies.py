"""Scoring bodies (考核主体) and panel scores (民主测评).

A scoring body is a named group of supervisors for one year; each target may name the
body that scores it. A member of a body scores only its targets; a lead assessor (a
member marked lead, usually of the assessment office 考核办) scores any. A target may
be scored by a panel: each scorer's own score is a `PanelScore`, and the target's
`Score` is their mean (see `rules.panel_score`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessment.models.catalogue import AssessmentYear, Department, Target
from assessment.models.scoped import DepartmentScopedQuerySet


class ScoringBody(models.Model):
    """考核主体: the office whose supervisors score the targets that name it."""

    year = models.ForeignKey(
        AssessmentYear,
        verbose_name=_("year"),
        on_delete=models.PROTECT,
        related_name="scoring_bodies",
    )
    code = models.SlugField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    members: models.ManyToManyField = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("members"),
        through="ScoringBodyMember",
        related_name="scoring_bodies",
        blank=True,
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("scoring body")
        verbose_name_plural = _("scoring bodies")
        ordering = ["year", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "code"], name="scoring_body_code_per_year"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ScoringBodyMember(models.Model):
    """A supervisor's place in a scoring body; a lead assessor may score any target."""

    body = models.ForeignKey(
        ScoringBody,
        verbose_name=_("scoring body"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="scoring_body_memberships",
    )
    is_lead = models.BooleanField(
        _("lead assessor"),
        default=False,
        help_text=_(
            "A lead assessor (考核办) sees every panel score and may score every "
            "target of the year."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("scoring body member")
        verbose_name_plural = _("scoring body members")
        constraints = [
            models.UniqueConstraint(
                fields=["body", "user"], name="one_membership_per_body"
            )
        ]

    def __str__(self) -> str:
        return f"{self.body}: {self.user}"


class PanelScore(models.Model):
    """One panel member's score of a target for a department (民主测评)."""

    target = models.ForeignKey(
        Target, verbose_name=_("target"), on_delete=models.PROTECT
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT
    )
    scorer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("scorer"),
        on_delete=models.PROTECT,
        related_name="panel_scores",
    )
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2)
    reason = models.TextField(_("reason"), blank=True, max_length=2000)
    version = models.PositiveIntegerField(_("version"), default=1)
    scored_at = models.DateTimeField(_("scored at"), auto_now=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    objects = DepartmentScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("panel score")
        verbose_name_plural = _("panel scores")
        ordering = ["scored_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["target", "department", "scorer"],
                name="one_panel_score_per_scorer",
            )
        ]

    def __str__(self) -> str:
        return f"{self.department} {self.target} {self.scorer}: {self.score}"
