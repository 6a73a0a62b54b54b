"""The uppföljningsplan and the annual focus: strategic questions and plan items."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agreements.models import Agreement, Area
from councils.models import (
    Body,
    Case,
    Meeting,
)

YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]


class StrategicQuestion(models.Model):
    """One of the 3–4 strategic questions a council chose to concentrate on in a year."""

    MAX_PER_YEAR = 4

    body = models.ForeignKey(
        Body, on_delete=models.CASCADE, related_name="strategic_questions", verbose_name=_("arena")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    title = models.CharField(_("question"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    cases = models.ManyToManyField(
        Case, blank=True, related_name="strategic_questions", verbose_name=_("cases (ärenden)")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["body", "-year", "position", "pk"]
        verbose_name = _("strategic question")
        verbose_name_plural = _("strategic questions")

    def __str__(self) -> str:
        return self.title


class PlanItem(models.Model):
    """A line of a body's uppföljningsplan: what it follows up in which month."""

    body = models.ForeignKey(
        Body, on_delete=models.CASCADE, related_name="plan_items", verbose_name=_("arena")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    subject = models.CharField(_("what is followed up"), max_length=300)
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="plan_items",
        verbose_name=_("agreement"),
    )
    area = models.ForeignKey(
        Area,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_items",
        verbose_name=_("area"),
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_items",
        verbose_name=_("meeting"),
    )
    decided_in = models.CharField(
        _("decided in"), max_length=100, blank=True, help_text=_("E.g. “RUN 2020-11-17 § 161”.")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["body", "year", "month", "pk"]
        verbose_name = _("follow-up plan item")
        verbose_name_plural = _("follow-up plan items")

    def __str__(self) -> str:
        return self.subject

    def clean(self) -> None:
        meeting = self.meeting if self.meeting_id else None
        if meeting is not None and (
            meeting.body_id != self.body_id or meeting.starts_at.year != self.year
        ):
            raise ValidationError(
                {"meeting": _("Choose a meeting of the same arena in the plan's year.")}
            )
