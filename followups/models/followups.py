"""A follow-up with its questions, dialogues and answers, themes, findings and the
priorities it names."""

from __future__ import annotations

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agreements.models import Agreement
from councils.models import (
    Body,
    Case,
    Organisation,
)
from followups.models.plans import YEAR_VALIDATORS


class FollowUp(models.Model):
    """One follow-up of an agreement in a year (e.g. RUN/60/2019): a question set, one
    dialogue per kommun, findings by theme and the priorities the kommuner named."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="followups", verbose_name=_("agreement")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    title = models.CharField(_("title"), max_length=300)
    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="followups",
        verbose_name=_("case (ärende)"),
    )
    body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        related_name="followups",
        verbose_name=_("followed up by"),
    )
    summary = models.TextField(_("summary"), blank=True)
    search = models.GeneratedField(
        expression=SearchVector("title", "summary", config="swedish"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    history = HistoricalRecords(excluded_fields=["search"])

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        indexes = [GinIndex(fields=["search"], name="followup_search")]

    def __str__(self) -> str:
        return f"{self.title} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("followups:followup", kwargs={"pk": self.pk})


class Question(models.Model):
    followup = models.ForeignKey(
        FollowUp, on_delete=models.CASCADE, related_name="questions", verbose_name=_("follow-up")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    text = models.CharField(_("question"), max_length=500)

    history = HistoricalRecords()

    class Meta:
        ordering = ["followup", "position", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text


class Dialogue(models.Model):
    """The follow-up's dialogue with one kommun: planned, then held."""

    followup = models.ForeignKey(
        FollowUp, on_delete=models.CASCADE, related_name="dialogues", verbose_name=_("follow-up")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="dialogues",
        limit_choices_to={"kind": Organisation.Kind.KOMMUN},
        verbose_name=_("municipality"),
    )
    planned_on = models.DateField(_("planned for"), null=True, blank=True)
    held_on = models.DateField(_("held on"), null=True, blank=True)
    participants = models.TextField(_("participants"), blank=True)
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["followup", "organisation__name"]
        verbose_name = _("dialogue")
        verbose_name_plural = _("dialogues")
        constraints = [
            models.UniqueConstraint(
                fields=["followup", "organisation"], name="one_dialogue_per_kommun"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.followup} – {self.organisation}"

    def get_absolute_url(self) -> str:
        return reverse("followups:dialogue", kwargs={"pk": self.pk})

    @property
    def is_held(self) -> bool:
        return self.held_on is not None

    def clean(self) -> None:
        if self.held_on and self.held_on > timezone.localdate():
            raise ValidationError({"held_on": _("A dialogue cannot be held in the future.")})


class Answer(models.Model):
    dialogue = models.ForeignKey(
        Dialogue, on_delete=models.CASCADE, related_name="answers", verbose_name=_("dialogue")
    )
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="answers", verbose_name=_("question")
    )
    text = models.TextField(_("answer"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["dialogue", "question__position"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["dialogue", "question"], name="one_answer_per_question"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class Theme(models.Model):
    """A theme findings are grouped by (samverkansarenor, dialog, övergripande
    processer, …)."""

    name = models.CharField(_("name"), max_length=120, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.name


class Finding(models.Model):
    class Kind(models.TextChoices):
        OBSERVATION = "iakttagelse", _("Observation from the dialogues")
        ANALYSIS = "analys", _("Analysis point")

    followup = models.ForeignKey(
        FollowUp, on_delete=models.CASCADE, related_name="findings", verbose_name=_("follow-up")
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=Kind.choices, default=Kind.OBSERVATION
    )
    theme = models.ForeignKey(
        Theme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="findings",
        verbose_name=_("theme"),
    )
    heading = models.CharField(_("heading"), max_length=200, blank=True)
    text = models.TextField(_("finding"))
    position = models.PositiveSmallIntegerField(_("position"), default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["followup", "kind", "theme__name", "position", "pk"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")

    def __str__(self) -> str:
        return self.heading or self.text[:80]

    def clean(self) -> None:
        if self.kind == self.Kind.OBSERVATION and self.theme is None:
            raise ValidationError({"theme": _("Tag the observation with a theme.")})


class Priority(models.Model):
    """A priority for the county as the kommuner named it in the dialogues."""

    followup = models.ForeignKey(
        FollowUp, on_delete=models.CASCADE, related_name="priorities", verbose_name=_("follow-up")
    )
    label = models.CharField(_("priority"), max_length=300)
    named_by = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="named_priorities",
        limit_choices_to={"kind": Organisation.Kind.KOMMUN},
        verbose_name=_("named by"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)

    history = HistoricalRecords(m2m_fields=[named_by])

    class Meta:
        ordering = ["followup", "position", "pk"]
        verbose_name = _("named priority")
        verbose_name_plural = _("named priorities")
        constraints = [
            models.UniqueConstraint(fields=["followup", "label"], name="priority_once"),
        ]

    def __str__(self) -> str:
        return self.label
