"""Överenskommelser: the written agreements between the region, the kommuner and
Länsstyrelsen, with their purposes, areas, cross-cutting perspectives, extensions and
årsplan.

An agreement's status is not stored: it follows from its adoption, its period and
its extensions on a given day (``Agreement.status_on``), so it can never go stale.
Writes go through ``agreements.services``.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from councils.models import Body, Case, Meeting, Organisation, Paragraph


class Agreement(models.Model):
    class Kind(models.TextChoices):
        KOMMUNAL = "kommunal", _("Municipal agreement (samverkansavtal)")
        LANSSTYRELSE = "lansstyrelse", _("Länsstyrelsen–Region agreement")
        OTHER = "annan", _("Other agreement")

    class Status(models.TextChoices):
        DRAFT = "utkast", _("Draft")
        ADOPTED = "antagen", _("Adopted, not yet in force")
        IN_FORCE = "gallande", _("In force")
        EXTENDED = "forlangd", _("Extended")
        ENDED = "upphord", _("Ended")

    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    short_name = models.CharField(
        _("short name"), max_length=80, blank=True, help_text=_("E.g. “Samverkansavtalet”.")
    )
    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        related_name="agreements",
        verbose_name=_("case (ärende)"),
    )
    parties = models.ManyToManyField(
        Organisation, related_name="agreements", verbose_name=_("parties")
    )
    summary = models.TextField(_("summary"), blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    adopted_by = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adopted_agreements",
        verbose_name=_("adopted by"),
    )
    adopted_on = models.DateField(
        _("adopted on"), null=True, blank=True, help_text=_("Empty while the agreement is a draft.")
    )
    adopted_paragraph = models.CharField(
        _("adopting §"), max_length=20, blank=True, help_text=_("E.g. “§ 92”.")
    )
    adopted_in = models.ForeignKey(
        Paragraph,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="adopted_agreements",
        verbose_name=_("adopting § in the portal"),
    )
    responsible_body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        related_name="responsible_for_agreements",
        verbose_name=_("responsible body"),
    )
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="successor",
        verbose_name=_("replaces"),
    )

    search = models.GeneratedField(
        expression=SearchVector("title", "short_name", "summary", config="swedish"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    history = HistoricalRecords(m2m_fields=[parties], excluded_fields=["search"])

    class Meta:
        ordering = ["-valid_from", "title"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        indexes = [GinIndex(fields=["search"], name="agreement_search")]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")),
                name="agreement_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.short_name or self.title

    def get_absolute_url(self) -> str:
        return reverse("agreements:detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            errors["valid_until"] = _("The agreement cannot end before it starts.")
        if self.adopted_on and not self.adopted_by_id:
            errors["adopted_by"] = _("Say which body adopted the agreement.")
        if self.adopted_in_id and self.adopted_on:
            paragraph = self.adopted_in
            if paragraph is not None and paragraph.meeting.starts_at.date() != self.adopted_on:
                errors["adopted_in"] = _("The § was decided on another day than the adoption.")
        if self.replaces_id:
            if self.pk and self.replaces_id == self.pk:
                errors["replaces"] = _("An agreement cannot replace itself.")
            elif (
                self.replaces is not None
                and self.valid_from
                and (self.replaces.valid_from >= self.valid_from)
            ):
                errors["replaces"] = _("The replaced agreement must have started earlier.")
            elif self.pk and self.replaces and self.pk in {a.pk for a in self.replaces.chain()}:
                errors["replaces"] = _("The chain of agreements cannot go round in a circle.")
        if errors:
            raise ValidationError(errors)

    # --- Period and status ---------------------------------------------------------

    @property
    def ends_on(self) -> datetime.date:
        """The last day in force, extensions included."""
        latest = max((e.extended_until for e in self.extensions.all()), default=None)
        return max(self.valid_until, latest) if latest else self.valid_until

    def status_on(self, day: datetime.date) -> str:
        if self.adopted_on is None:
            return self.Status.DRAFT
        if day < self.valid_from:
            return self.Status.ADOPTED
        if day <= self.valid_until:
            return self.Status.IN_FORCE
        if day <= self.ends_on:
            return self.Status.EXTENDED
        return self.Status.ENDED

    @property
    def status(self) -> str:
        return self.status_on(timezone.localdate())

    def get_status_display(self) -> str:
        return str(self.Status(self.status).label)

    def covers_year(self, year: int) -> bool:
        return self.valid_from.year <= year <= self.ends_on.year

    @property
    def years(self) -> list[int]:
        return list(range(self.valid_from.year, self.ends_on.year + 1))

    def chain(self) -> list[Agreement]:
        """This agreement and those it replaces, oldest first."""
        links: list[Agreement] = []
        current: Agreement | None = self
        while current is not None and current not in links:
            links.append(current)
            current = current.replaces
        return list(reversed(links))

    @property
    def kommuner(self) -> list[Organisation]:
        return [p for p in self.parties.all() if p.kind == Organisation.Kind.KOMMUN]


class Extension(models.Model):
    """A förlängning: the agreement stays in force longer, by its own decision."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="extensions", verbose_name=_("agreement")
    )
    extended_until = models.DateField(_("extended until"))
    decided_on = models.DateField(_("decided on"))
    decided_by = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision = models.TextField(
        _("decision"), blank=True, help_text=_("E.g. a review (genomlysning) during 2021.")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "extended_until"]
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")

    def __str__(self) -> str:
        return f"{self.agreement} → {self.extended_until:%Y-%m-%d}"

    def clean(self) -> None:
        if self.agreement_id and self.extended_until:
            if self.extended_until <= self.agreement.valid_until:
                raise ValidationError(
                    {"extended_until": _("An extension must end after the agreement's period.")}
                )
            if self.decided_on and self.decided_on > self.agreement.valid_until:
                raise ValidationError(
                    {"decided_on": _("An extension must be decided before the agreement ends.")}
                )


class Purpose(models.Model):
    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="purposes", verbose_name=_("agreement")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    text = models.TextField(_("purpose"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "position", "pk"]
        verbose_name = _("purpose")
        verbose_name_plural = _("purposes")

    def __str__(self) -> str:
        return self.text[:80]


class Area(models.Model):
    """An area the agreement covers (RUN/34/2018's five), or a priority area with
    goals for a period (RS/668/2021's six)."""

    class Kind(models.TextChoices):
        AREA = "omrade", _("Area")
        PRIORITY = "prioriterat", _("Priority area")

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="areas", verbose_name=_("agreement")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.AREA)
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    name = models.CharField(_("name"), max_length=200)
    goals = models.TextField(_("goals"), blank=True)
    goals_from = models.PositiveSmallIntegerField(_("goals from year"), null=True, blank=True)
    goals_until = models.PositiveSmallIntegerField(_("goals until year"), null=True, blank=True)
    cases = models.ManyToManyField(
        Case,
        blank=True,
        related_name="agreement_areas",
        verbose_name=_("cases (ärenden)"),
        help_text=_("The ärenden that concern the area: their decisions count for it."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "position", "pk"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "name"], name="area_name_once"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.goals_from and self.goals_until and self.goals_until < self.goals_from:
            raise ValidationError(
                {"goals_until": _("The goal period cannot end before it starts.")}
            )


class Perspective(models.Model):
    """A cross-cutting perspective every priority area must address."""

    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        related_name="perspectives",
        verbose_name=_("agreement"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "position", "pk"]
        verbose_name = _("cross-cutting perspective")
        verbose_name_plural = _("cross-cutting perspectives")

    def __str__(self) -> str:
        return self.name


class Activity(models.Model):
    """A planned activity of the agreement's årsplan for one year."""

    class Kind(models.TextChoices):
        TOP_MEETING = "toppmote", _("Top-level meeting")
        EXCHANGE = "chefsutbyte", _("Manager exchange (chefsutbyte)")
        WORKING_GROUP = "beredningsgrupp", _("Working group (beredningsgrupp)")
        MATERIAL = "underlag", _("Joint material")
        DIALOGUE = "dialog", _("Dialogue")
        OTHER = "ovrigt", _("Other")

    class Status(models.TextChoices):
        PLANNED = "planerad", _("Planned")
        DONE = "genomford", _("Done")
        CANCELLED = "installd", _("Cancelled")

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="activities", verbose_name=_("agreement")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("owner"),
    )
    area = models.ForeignKey(
        Area,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("area"),
    )
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("meeting"),
        help_text=_("The meeting where it was held, once held."),
    )
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "year", "due_on", "pk"]
        verbose_name = _("planned activity")
        verbose_name_plural = _("planned activities")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.due_on and self.year and self.due_on.year != self.year:
            errors["due_on"] = _("The due date must lie in the plan's year.")
        if self.area and self.agreement_id and self.area.agreement_id != self.agreement_id:
            errors["area"] = _("The area belongs to another agreement.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.PLANNED and self.due_on < timezone.localdate()
