"""The kommuner's assessments of the agreements' areas, and uppdrag given by a §."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agreements.models import Agreement, Area
from councils.models import (
    AgendaItem,
    Body,
    Case,
    Organisation,
    Paragraph,
)
from followups.models.plans import YEAR_VALIDATORS


class Assessment(models.Model):
    """A kommun's judgement of how far an area of an agreement was fulfilled in a year."""

    class Score(models.IntegerChoices):
        NOT_AT_ALL = 1, _("1 – Not fulfilled")
        SMALL = 2, _("2 – Fulfilled to a small extent")
        LARGE = 3, _("3 – Fulfilled to a large extent")
        FULL = 4, _("4 – Fully fulfilled")

    area = models.ForeignKey(
        Area, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("area")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("municipality"),
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    score = models.PositiveSmallIntegerField(_("assessment"), choices=Score.choices)
    comment = models.TextField(_("comment"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assessed by"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["area__position", "organisation__name"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["area", "organisation", "year"], name="one_assessment_per_kommun"
            ),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=4), name="score_on_scale"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.area} {self.year}: {self.score}"


class Assignment(models.Model):
    """An uppdrag a decision (§) gives: who, by when, and how it stands."""

    class Status(models.TextChoices):
        OPEN = "oppen", _("Open")
        IN_PROGRESS = "pagar", _("In progress")
        REPORTED = "aterrapporterad", _("Reported back")
        CANCELLED = "avskriven", _("Cancelled")

    CLOSED = (Status.REPORTED, Status.CANCELLED)
    #: Open uppdrag show up for meetings this many days before they fall due.
    REPORT_WINDOW_DAYS = 60

    paragraph = models.ForeignKey(
        Paragraph,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("given by §"),
    )
    given_by = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("given by")
    )
    given_in = models.CharField(
        _("decision"), max_length=100, blank=True, help_text=_("E.g. “RS 2018-05-15 § 187”.")
    )
    given_on = models.DateField(_("given on"))
    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("case (ärende)"),
    )
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("agreement"),
    )
    title = models.CharField(_("uppdrag"), max_length=300)
    owner = models.CharField(_("owner"), max_length=200, help_text=_("E.g. “Regiondirektören”."))
    responsible = models.ForeignKey(
        "councils.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("reminders to"),
        help_text=_(
            "The official reminded a week before the due date and when it is overdue; "
            "without one, the secretariat is."
        ),
    )
    due_on = models.DateField(_("report back by"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default="oppen")
    report_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reported_assignments",
        verbose_name=_("report-back on the agenda"),
    )
    outcome = models.TextField(_("outcome"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("uppdrag")
        verbose_name_plural = _("uppdrag")
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("followups:assignment", kwargs={"pk": self.pk})

    def clean(self) -> None:
        if self.due_on and self.given_on and self.due_on < self.given_on:
            raise ValidationError({"due_on": _("An uppdrag cannot be due before it is given.")})

    @property
    def is_open(self) -> bool:
        return self.status not in self.CLOSED

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_on < timezone.localdate()
