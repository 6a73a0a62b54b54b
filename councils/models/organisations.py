"""Organisations, arenas (bodies) and their seats, people, their memberships and the
tasks an organisation gives them."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from base.reversing import reverse_id, reverse_slug


class Organisation(models.Model):
    """A party to the collaboration: the region, a kommun, Länsstyrelsen, a party, ..."""

    class Kind(models.TextChoices):
        REGION = "region", _("Region")
        KOMMUN = "kommun", _("Municipality")
        LANSSTYRELSE = "lansstyrelse", _("County administrative board")
        PARTY = "party", _("Political party")
        EXTERNAL = "external", _("External body")

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    official_email = models.EmailField(
        _("official mailbox"),
        blank=True,
        help_text=_("Where protocol extracts to the organisation are sent."),
    )
    website = models.URLField(_("website"), blank=True)
    self_registration = models.BooleanField(
        _("self-registration through its identity provider"),
        default=False,
        help_text=_(
            "Someone the organisation's identity provider signs in, whom the portal does not "
            "know, gets an account without roles. Off: only people already registered here."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse_slug("councils:organisation", self.slug)

    @property
    def label(self) -> str:
        return self.short_name or self.name


class Body(models.Model):
    """An arena (samverkansarena) or political body: nämnd, råd, utskott, network, ..."""

    class Kind(models.TextChoices):
        ASSEMBLY = "fullmaktige", _("Assembly (fullmäktige)")
        BOARD = "styrelse", _("Executive board (styrelse)")
        COMMITTEE = "namnd", _("Committee (nämnd)")
        JOINT_COMMITTEE = "gemensam_namnd", _("Joint committee (gemensam nämnd)")
        WORKING_COMMITTEE = "utskott", _("Working committee (utskott)")
        PRESIDIUM = "presidium", _("Presidium")
        COUNCIL = "rad", _("Council (råd)")
        PREPARATORY_GROUP = "beredningsgrupp", _("Preparatory group (beredningsgrupp)")
        NETWORK = "natverk", _("Political network")
        MEETING_FORUM = "motesforum", _("Meeting forum")

    class Procedure(models.TextChoices):
        FORMAL = "formal", _("Formal (the Local Government Act applies)")
        ADVISORY = "advisory", _("Advisory (same workflow, deadlines as guidance)")

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="bodies",
        verbose_name=_("organisation"),
        help_text=_("The organisation whose body this is."),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="parts",
        verbose_name=_("part of"),
    )
    purpose = models.TextField(_("purpose"), blank=True)
    can_decide = models.BooleanField(_("takes binding decisions"), default=False)
    can_recommend = models.BooleanField(_("adopts recommendations"), default=False)
    can_state_opinion = models.BooleanField(_("gives statements (yttranden)"), default=False)
    mandate = models.TextField(_("mandate"), blank=True)
    standing_subjects = ArrayField(
        models.CharField(max_length=200),
        verbose_name=_("standing subjects"),
        default=list,
        blank=True,
    )
    meetings_per_year = models.PositiveSmallIntegerField(
        _("meetings per year"), null=True, blank=True
    )
    meeting_rhythm = models.CharField(_("meeting rhythm"), max_length=200, blank=True)
    procedure = models.CharField(
        _("procedure"), max_length=10, choices=Procedure.choices, default=Procedure.FORMAL
    )
    notice_days = models.PositiveSmallIntegerField(
        _("notice period (days)"),
        default=5,
        help_text=_("How many days before a meeting the kallelse must be sent."),
    )
    allows_remote = models.BooleanField(_("allows participation at a distance"), default=True)
    posts_notices = models.BooleanField(
        _("announces justering on the anslagstavla"),
        default=False,
        help_text=_("Formal bodies always do; an advisory body may choose to."),
    )
    rules = models.TextField(
        _("rules (reglemente)"), blank=True, help_text=_("Where the body's rules were set.")
    )
    established = models.DateField(_("established"), null=True, blank=True)
    ended = models.DateField(_("ended"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation__name", "name"]
        verbose_name = _("arena")
        verbose_name_plural = _("arenas")
        constraints = [
            models.CheckConstraint(condition=~Q(parent=models.F("pk")), name="body_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse_slug("councils:body", self.slug)

    @property
    def label(self) -> str:
        return self.short_name or self.name

    @property
    def seat_count(self) -> int:
        """Ledamot seats, from the seat allocations (prefetched on list pages)."""
        return sum(a.seats for a in self.seat_allocations.all())


class SeatAllocation(models.Model):
    """How many ledamot seats an organisation appoints to a body."""

    body = models.ForeignKey(
        Body, on_delete=models.CASCADE, related_name="seat_allocations", verbose_name=_("arena")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="seat_allocations",
        verbose_name=_("appointed by"),
    )
    seats = models.PositiveSmallIntegerField(_("seats"))
    substitutes = models.PositiveSmallIntegerField(_("substitutes (ersättare)"), default=0)
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["body", "organisation__kind", "organisation__name"]
        verbose_name = _("seat allocation")
        verbose_name_plural = _("seat allocations")
        constraints = [
            models.UniqueConstraint(fields=["body", "organisation"], name="seat_unique_per_org"),
            models.CheckConstraint(condition=Q(seats__gte=0), name="seat_nonnegative"),
        ]

    def __str__(self) -> str:
        return f"{self.body}: {self.organisation} ({self.seats})"


class Person(models.Model):
    """A member, official or other participant. Names and roles are public; contact
    details in the demo data are placeholders."""

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    title = models.CharField(_("title"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("organisation"),
    )
    unit = models.CharField(_("unit"), max_length=200, blank=True)
    party = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="party_members",
        limit_choices_to={"kind": Organisation.Kind.PARTY},
        verbose_name=_("party"),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("user account"),
    )
    anonymised_at = models.DateTimeField(
        _("anonymised"),
        null=True,
        blank=True,
        help_text=_(
            "Someone who has left office is no longer named on the portal's pages; the "
            "protocols, as archived records, keep the name."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.shown_name

    def get_absolute_url(self) -> str:
        return reverse_id("councils:person", self.pk)

    @property
    def shown_name(self) -> str:
        """The name the portal's pages show: none for an anonymised person."""
        return str(_("Former member (anonymised)")) if self.anonymised_at else self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class OrganisationRole(models.Model):
    """A task the secretariat gives a person on an organisation's behalf. A
    bedömningsansvarig sets and changes the kommun's official assessment of the
    agreements; other people of the kommun only read it. An arvodesadministratör reads
    the attendance of the people the organisation appointed, to pay their arvoden. A
    beslutsansvarig (as a bedömningsansvarig) records the organisation's own decisions
    on the recommendations and agreements addressed to it."""

    class Kind(models.TextChoices):
        ASSESSOR = "bedomningsansvarig", _("Responsible for the assessments (bedömningsansvarig)")
        PAYROLL = "arvodesadministrator", _("Pays the arvoden (arvodesadministratör)")
        DECISIONS = (
            "beslutsansvarig",
            _("Records the organisation's decisions on recommendations (beslutsansvarig)"),
        )

    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="organisation_roles",
        verbose_name=_("person"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="person_roles",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("role"), max_length=30, choices=Kind.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "kind", "person"]
        verbose_name = _("organisation role")
        verbose_name_plural = _("organisation roles")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organisation", "kind"], name="organisation_role_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_kind_display()}, {self.organisation}"

    def clean(self) -> None:
        if (
            self.kind == self.Kind.ASSESSOR
            and self.organisation_id
            and self.organisation.kind != Organisation.Kind.KOMMUN
        ):
            raise ValidationError(
                {"organisation": _("Only a municipality's assessments have a responsible.")}
            )


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self, on: datetime.date | None = None) -> MembershipQuerySet:
        from django.utils import timezone

        day = on or timezone.localdate()
        return self.filter(Q(start__lte=day) | Q(start__isnull=True)).filter(
            Q(end__gte=day) | Q(end__isnull=True)
        )

    def in_role_order(self) -> MembershipQuerySet:
        """Chair first, then vice chairs, members, substitutes, observers, secretary."""
        rank = models.Case(
            *[models.When(role=role, then=index) for index, role in enumerate(Membership.Role)],
            output_field=models.IntegerField(),
        )
        return self.annotate(role_rank=rank).order_by(
            "role_rank", "represents__name", "person__last_name"
        )

    def entitled(self) -> MembershipQuerySet:
        """Memberships whose holder may read the body's internal documents."""
        return self.filter(role__in=Membership.Role.entitled())


class Membership(models.Model):
    """A person's seat or role in a body for a period."""

    class Role(models.TextChoices):
        CHAIR = "ordforande", _("Chair (ordförande)")
        VICE_CHAIR = "vice_ordforande", _("Vice chair (vice ordförande)")
        SECOND_VICE_CHAIR = "andre_vice_ordforande", _("Second vice chair")
        MEMBER = "ledamot", _("Member (ledamot)")
        SUBSTITUTE = "ersattare", _("Substitute (ersättare)")
        OBSERVER = "ahorare", _("Observer (åhörare)")
        SECRETARY = "sekreterare", _("Secretary (sekreterare)")

        @classmethod
        def entitled(cls) -> list[str]:
            """Roles that read closed items' documents; observers do not."""
            return [r.value for r in cls if r is not cls.OBSERVER]

        @classmethod
        def seated(cls) -> list[str]:
            """Roles that hold a ledamot seat."""
            return [
                cls.CHAIR.value,
                cls.VICE_CHAIR.value,
                cls.SECOND_VICE_CHAIR.value,
                cls.MEMBER.value,
            ]

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("person")
    )
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("arena")
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    represents = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="representatives",
        verbose_name=_("represents"),
    )
    appointed_by = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointments",
        verbose_name=_("appointed by"),
    )
    substitute_for = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="substitutes",
        verbose_name=_("substitute for"),
    )
    start = models.DateField(_("from"), null=True, blank=True)
    end = models.DateField(_("to"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = MembershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["body", "role", "person__last_name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True)
                | Q(start__isnull=True)
                | Q(end__gte=models.F("start")),
                name="membership_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_role_display()}, {self.body}"
