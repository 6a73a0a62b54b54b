"""Organisations, arenas (bodies), people and memberships; the diarium with its
ärenden and handlingar.

Writes go through ``councils.services``; reads that need a permission decision go
through ``councils.selectors``. The models hold row logic and invariants only.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


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

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("councils:organisation", kwargs={"slug": self.slug})

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
        return reverse("councils:body", kwargs={"slug": self.slug})

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
        return reverse("councils:person", kwargs={"pk": self.pk})

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
    agreements; other people of the kommun only read it."""

    class Kind(models.TextChoices):
        ASSESSOR = "bedomningsansvarig", _("Responsible for the assessments (bedömningsansvarig)")

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


class Diarium(models.Model):
    """A registry of allmänna handlingar. Each authority keeps its own, with a prefix."""

    prefix = models.CharField(
        _("prefix"),
        max_length=12,
        unique=True,
        help_text=_("Begins every diarienummer, for example RUN or RS."),
    )
    name = models.CharField(_("name"), max_length=200)
    body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="diaria",
        verbose_name=_("authority"),
    )
    active = models.BooleanField(
        _("open for new cases"),
        default=True,
        help_text=_("Closed diaria (e.g. the former county council) keep their cases."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["prefix"]
        verbose_name = _("diarium")
        verbose_name_plural = _("diaria")
        constraints = [
            models.CheckConstraint(
                condition=Q(prefix__regex=r"^[A-ZÅÄÖ]{1,12}$"), name="diarium_prefix_format"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.prefix} – {self.name}"


class DiariumSequence(models.Model):
    """The last running number handed out per diarium and year. Allocation locks the
    row (``services.case_register``) so numbers are unique and without gaps."""

    diarium = models.ForeignKey(Diarium, on_delete=models.CASCADE, related_name="sequences")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["diarium", "year"], name="sequence_unique_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.diarium.prefix} {self.year}: {self.last_number}"


class Case(models.Model):
    """An ärende, identified by its diarienummer PREFIX/NUMBER/YEAR."""

    class Status(models.TextChoices):
        OPEN = "oppet", _("Open")
        IN_PREPARATION = "beredning", _("In preparation")
        DECIDED = "beslutat", _("Decided")
        CLOSED = "avslutat", _("Closed")

    diarium = models.ForeignKey(
        Diarium, on_delete=models.PROTECT, related_name="cases", verbose_name=_("diarium")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("running number"))
    diarienummer = models.CharField(_("diarienummer"), max_length=40, unique=True, editable=False)
    title = models.CharField(_("case title"), max_length=300)
    public_title = models.CharField(
        _("public title"),
        max_length=300,
        blank=True,
        help_text=_(
            "Shown to the public instead of the title when the title itself reveals "
            "something confidential."
        ),
    )
    description = models.TextField(_("case description (ärendebeskrivning)"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    registered_on = models.DateField(_("registered on"))
    unit = models.CharField(_("unit"), max_length=200, blank=True)
    handler = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handled_cases",
        verbose_name=_("case officer (handläggare)"),
    )
    body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("handled in"),
        help_text=_("The arena that treats the case; its members may read its documents."),
    )
    #: Swedish full text, kept by the database: everything, for those who see the
    #: internal matter; and what the public sees (the public title where there is one).
    search_internal = models.GeneratedField(
        expression=SearchVector("title", "public_title", "description", config="swedish"),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    search_public = models.GeneratedField(
        expression=SearchVector(
            models.Case(
                models.When(public_title="", then=models.F("title")),
                default=models.F("public_title"),
                output_field=models.TextField(),
            ),
            models.Case(
                models.When(public_title="", then=models.F("description")),
                default=models.Value(""),
                output_field=models.TextField(),
            ),
            config="swedish",
        ),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    history = HistoricalRecords(excluded_fields=["search_internal", "search_public"])

    class Meta:
        ordering = ["-year", "diarium__prefix", "-number"]
        verbose_name = _("case (ärende)")
        verbose_name_plural = _("cases (ärenden)")
        constraints = [
            models.UniqueConstraint(
                fields=["diarium", "year", "number"], name="case_number_unique"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="case_number_positive"),
        ]
        indexes = [
            models.Index(fields=["registered_on"]),
            GinIndex(fields=["search_internal"], name="case_search_internal"),
            GinIndex(fields=["search_public"], name="case_search_public"),
            GinIndex(  # diarienummer typed in part: icontains compares upper case
                OpClass(Upper("diarienummer"), name="gin_trgm_ops"), name="case_diarienummer_trgm"
            ),
        ]
        permissions = [("manage_records", _("Keep the diarium and the arenas' records"))]

    def __str__(self) -> str:
        return f"{self.diarienummer} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("councils:case", kwargs={"pk": self.pk})

    @staticmethod
    def format_diarienummer(prefix: str, number: int, year: int) -> str:
        return f"{prefix}/{number}/{year}"

    @property
    def shown_public_title(self) -> str:
        return self.public_title or self.title


class Document(models.Model):
    """A handling registered on an ärende, with the fields OSL 5 kap. asks for."""

    class Kind(models.TextChoices):
        MEMO = "tjansteskrivelse", _("Official memo (tjänsteskrivelse)")
        REPORT = "rapport", _("Report")
        ANNEX = "bilaga", _("Annex (bilaga)")
        INCOMING_LETTER = "inkommande_skrivelse", _("Incoming letter")
        MINUTES_EXTRACT = "protokollsutdrag", _("Minutes extract (protokollsutdrag)")
        DECISION = "beslut", _("Decision")
        AGREEMENT = "overenskommelse", _("Agreement")
        OTHER = "ovrigt", _("Other")

    class Direction(models.TextChoices):
        INCOMING = "inkommande", _("Incoming")
        DRAWN_UP = "upprattad", _("Drawn up")
        OUTGOING = "utgaende", _("Outgoing")

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="documents", verbose_name=_("case")
    )
    sequence = models.PositiveIntegerField(_("document number"), editable=False)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    subject = models.CharField(
        _("subject"), max_length=300, help_text=_("A short note of what the document concerns.")
    )
    direction = models.CharField(_("direction"), max_length=12, choices=Direction.choices)
    document_date = models.DateField(_("date received or drawn up"))
    counterpart = models.CharField(_("sender or recipient"), max_length=300, blank=True)
    file = models.FileField(_("file"), upload_to="documents/%Y/", blank=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    confidential = models.BooleanField(_("confidential"), default=False)
    secrecy_provision = models.CharField(
        _("secrecy provision"), max_length=200, blank=True, help_text=_("E.g. OSL 21 kap. 7 §")
    )
    secrecy_date = models.DateField(_("date of secrecy marking"), null=True, blank=True)
    secrecy_authority = models.CharField(_("marked by (authority)"), max_length=200, blank=True)
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    text = models.TextField(
        _("text"), blank=True, editable=False, help_text=_("The file's text, for search.")
    )
    search = models.GeneratedField(
        expression=SearchVector("subject", "counterpart", "text", config="swedish"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    history = HistoricalRecords(excluded_fields=["registered_at", "text", "search"])

    class Meta:
        ordering = ["case", "sequence"]
        verbose_name = _("document (handling)")
        verbose_name_plural = _("documents (handlingar)")
        indexes = [GinIndex(fields=["search"], name="document_search")]
        constraints = [
            models.UniqueConstraint(fields=["case", "sequence"], name="document_sequence_unique"),
            models.CheckConstraint(
                condition=Q(confidential=False)
                | (
                    ~Q(secrecy_provision="")
                    & Q(secrecy_date__isnull=False)
                    & ~Q(secrecy_authority="")
                ),
                name="document_confidential_marked",
                violation_error_message=_(
                    "A confidential document needs its secrecy marking: provision, date and "
                    "authority."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("councils:document", kwargs={"pk": self.pk})

    def clean(self) -> None:
        if self.confidential:
            missing = {
                field: _("A confidential document needs its secrecy marking.")
                for field in ("secrecy_provision", "secrecy_authority")
                if not getattr(self, field).strip()
            }
            if self.secrecy_date is None:
                missing["secrecy_date"] = _("A confidential document needs its secrecy marking.")
            if missing:
                raise ValidationError(missing)

    @property
    def reference(self) -> str:
        """The document's own number within its case, e.g. ``RUN/29/2021-3``."""
        return f"{self.case.diarienummer}-{self.sequence}"


class Meeting(models.Model):
    """A sammanträde of a body."""

    class Status(models.TextChoices):
        PLANNED = "planerat", _("Planned")
        CALLED = "kallat", _("Called (kallelse sent)")
        HELD = "genomfort", _("Held")
        APPROVED = "justerat", _("Minutes approved (justerat)")
        POSTED = "anslaget", _("Posted (anslaget)")
        CANCELLED = "installt", _("Cancelled")

    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("arena")
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    remote_link = models.URLField(
        _("link for participation at a distance"), blank=True, max_length=500
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    kallelse_sent_at = models.DateTimeField(_("kallelse sent"), null=True, blank=True)
    kallelse_delivered_at = models.DateTimeField(
        _("kallelse mailed"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the worker mailed the kallelse last sent; a sweep mails a late one."),
    )
    invitees = models.TextField(
        _("other invitees"),
        blank=True,
        help_text=_(
            "E-mail addresses of others called to the meeting (presenters, guests), one a "
            "line. They get the public part of the agenda."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=models.F("starts_at")),
                name="meeting_ends_after_start",
                violation_error_message=_("A meeting cannot end before it starts."),
            ),
        ]
        indexes = [
            models.Index(fields=["body", "starts_at"]),
            # Search finds meetings by place (and by their arena's name): samverkan/search.py
            GinIndex(SearchVector("place", config="swedish"), name="meeting_place_search"),
        ]

    def __str__(self) -> str:
        return f"{self.body} {self.starts_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("councils:meeting", kwargs={"pk": self.pk})

    @property
    def notice_deadline(self) -> datetime.date:
        """The last day the kallelse may go out under the body's notice period."""
        from django.utils import timezone

        start = timezone.localtime(self.starts_at).date()
        return start - datetime.timedelta(days=self.body.notice_days)

    @property
    def invitee_addresses(self) -> list[str]:
        return [line.strip() for line in self.invitees.splitlines() if line.strip()]

    def kallelse_is_late(self, sent: datetime.datetime | None = None) -> bool:
        from django.utils import timezone

        moment = sent or self.kallelse_sent_at or timezone.now()
        return timezone.localtime(moment).date() > self.notice_deadline

    @property
    def agenda_is_published(self) -> bool:
        """The public part of the agenda is public once the kallelse has gone out."""
        return self.status != self.Status.PLANNED


class AgendaItem(models.Model):
    """One point of a meeting's föredragningslista."""

    class Kind(models.TextChoices):
        OPENING = "inledning", _("Opening item")
        CASE = "arende", _("Case")
        CLOSING = "avslutning", _("Closing item")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("meeting")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.CASE)
    title = models.CharField(_("item title"), max_length=300, blank=True)
    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("case"),
    )
    public = models.BooleanField(_("public item"), default=True)
    presenter = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="presentations",
        verbose_name=_("presenter (föredragande)"),
    )
    proposal = models.TextField(_("proposed decision (förslag till beslut)"), blank=True)
    documents = models.ManyToManyField(
        Document, blank=True, related_name="agenda_items", verbose_name=_("decision basis")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "position"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "position"],
                name="agenda_position_unique",
                deferrable=models.Deferrable.DEFERRED,
            ),
            models.CheckConstraint(
                condition=~Q(kind="arende") | Q(case__isnull=False),
                name="agenda_case_item_has_case",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title or self.case}"


class AgendaNote(models.Model):
    """A member's private note on an agenda item: seen by its writer only, and not a
    record (no history, not in the diarium)."""

    item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="notes", verbose_name=_("agenda item")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="agenda_notes",
        verbose_name=_("user"),
    )
    text = models.TextField(_("note"), blank=True, max_length=10000)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("private note")
        verbose_name_plural = _("private notes")
        constraints = [
            models.UniqueConstraint(fields=["item", "user"], name="agenda_note_one_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.item}"


class Protocol(models.Model):
    """The minutes of a meeting: drafted by the secretariat, justerat by the chair and
    the justerare, then locked."""

    class Status(models.TextChoices):
        DRAFT = "utkast", _("Draft")
        FOR_APPROVAL = "justering", _("Sent for justering")
        APPROVED = "justerat", _("Justerat")

    meeting = models.OneToOneField(
        Meeting, on_delete=models.PROTECT, related_name="protocol", verbose_name=_("meeting")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    chair = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="chaired_protocols",
        verbose_name=_("chair (ordförande)"),
    )
    secretary = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="kept_protocols",
        verbose_name=_("secretary (sekreterare)"),
    )
    adjusters = models.ManyToManyField(
        Person, blank=True, related_name="adjusted_protocols", verbose_name=_("justerare")
    )
    justering_time_place = models.CharField(
        _("time and place of justering"), max_length=300, blank=True
    )
    kept_at = models.CharField(
        _("where the protocol is kept"), max_length=300, default="Regionens kansli, Östersund"
    )
    approved_on = models.DateField(_("justerat on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("protocol")
        verbose_name_plural = _("protocols")

    def __str__(self) -> str:
        return f"{self.meeting}"

    def get_absolute_url(self) -> str:
        return reverse("councils:protocol", kwargs={"pk": self.meeting_id})

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def justering_deadline(self) -> datetime.date:
        """Justering is due no later than 14 days after the meeting (KL 5:69)."""
        from django.utils import timezone

        return timezone.localtime(self.meeting.starts_at).date() + datetime.timedelta(days=14)


class AttendanceQuerySet(models.QuerySet["Attendance"]):
    def in_role_order(self) -> AttendanceQuerySet:
        """Members first, then substitutes, the secretary, observers and others."""
        order = ["ledamot", "ersattare", "sekreterare", "tjansteperson", "ahorare", "ovrig"]
        rank = models.Case(
            *[models.When(role=role, then=index) for index, role in enumerate(order)],
            output_field=models.IntegerField(),
        )
        return self.annotate(role_rank=rank).order_by("role_rank", "person__last_name")


class Attendance(models.Model):
    """Who took part in a meeting, how, and in which role."""

    class Role(models.TextChoices):
        MEMBER = "ledamot", _("Member (ledamot)")
        SUBSTITUTE = "ersattare", _("Substitute (ersättare)")
        OBSERVER = "ahorare", _("Observer (åhörare)")
        SECRETARY = "sekreterare", _("Secretary (sekreterare)")
        OFFICIAL = "tjansteperson", _("Official or presenter")
        OTHER = "ovrig", _("Other present")

    class Presence(models.TextChoices):
        ON_SITE = "plats", _("Present on site")
        REMOTE = "distans", _("Present at a distance")
        ABSENT = "franvarande", _("Absent")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("meeting")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="attendance", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=15, choices=Role.choices)
    presence = models.CharField(
        _("presence"), max_length=12, choices=Presence.choices, default=Presence.ON_SITE
    )
    serving_for = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_at",
        verbose_name=_("serves for"),
        help_text=_("For a substitute who serves (tjänstgör) for an absent member."),
    )
    represents = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("represents"),
    )

    objects = AttendanceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "role", "person__last_name"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="attendance_once"),
            models.CheckConstraint(
                condition=Q(serving_for__isnull=True) | Q(role="ersattare"),
                name="attendance_only_substitutes_serve",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"

    @property
    def takes_part(self) -> bool:
        """Beslutande: present members, and substitutes who serve."""
        if self.presence == self.Presence.ABSENT:
            return False
        return self.role == self.Role.MEMBER or (
            self.role == self.Role.SUBSTITUTE and self.serving_for_id is not None
        )


class ParagraphSequence(models.Model):
    """The last § number of a body in a calendar year (see ``services.paragraph_create``)."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["body", "year"], name="paragraph_sequence_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.body_id} {self.year}: {self.last_number}"


class Paragraph(models.Model):
    """One § of a protocol: numbered per body and calendar year without gaps. Once
    justerat (``approved_at`` set) the database refuses any change to it."""

    class DecisionKind(models.TextChoices):
        DECISION = "beslut", _("Decision")
        RECOMMENDATION = "rekommendation", _("Recommendation")
        STATEMENT = "yttrande", _("Statement (yttrande)")
        NOTED = "information", _("Information noted")
        DEFERRED = "bordlagt", _("Deferred to the next meeting")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="paragraphs", verbose_name=_("meeting")
    )
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="paragraphs")
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("§ number"))
    agenda_item = models.OneToOneField(
        AgendaItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="paragraph",
        verbose_name=_("agenda item"),
    )
    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="paragraphs",
        verbose_name=_("case"),
    )
    title = models.CharField(_("paragraph title"), max_length=300)
    public = models.BooleanField(_("public paragraph"), default=True)
    summary = models.TextField(_("summary (sammanfattning)"), blank=True)
    basis = models.TextField(
        _("decision basis (beslutsunderlag)"), blank=True, help_text=_("One document a line.")
    )
    motions = models.TextField(_("motions (yrkanden)"), blank=True)
    voting_order = models.TextField(_("order of proposals (propositionsordning)"), blank=True)
    decision_kind = models.CharField(
        _("kind of decision"),
        max_length=15,
        choices=DecisionKind.choices,
        default=DecisionKind.DECISION,
    )
    decision = models.TextField(_("decision (beslut)"), blank=True)
    reservations = models.TextField(_("reservations"), blank=True)
    protocol_notes = models.TextField(_("protocol notes (protokollsanteckningar)"), blank=True)
    extract_to = models.TextField(
        _("extract to (utdrag till)"), blank=True, help_text=_("One recipient a line.")
    )
    conflicts = models.ManyToManyField(
        Person, blank=True, related_name="conflicts", verbose_name=_("jäv (left the item)")
    )
    approved_at = models.DateTimeField(_("justerat at"), null=True, blank=True)
    approved_immediately = models.BooleanField(_("omedelbart justerad"), default=False)
    search = models.GeneratedField(
        expression=SearchVector("title", "summary", "decision", config="swedish"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    history = HistoricalRecords(excluded_fields=["search"])

    class Meta:
        ordering = ["year", "number"]
        verbose_name = _("paragraph (§)")
        verbose_name_plural = _("paragraphs (§)")
        indexes = [GinIndex(fields=["search"], name="paragraph_search")]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "year", "number"], name="paragraph_number_unique"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="paragraph_number_positive"),
        ]

    def __str__(self) -> str:
        return f"§ {self.number} {self.title}"

    @property
    def label(self) -> str:
        return f"§ {self.number}"

    #: The texts of a § that reach the public once it is justerad (page, extract, list).
    PUBLISHED_TEXT_FIELDS = (
        "title",
        "summary",
        "basis",
        "motions",
        "voting_order",
        "decision",
        "reservations",
        "protocol_notes",
    )

    def confidential_echoes(self, *, confidential_subjects: Iterable[str]) -> list[str]:
        """The confidential texts a public § repeats: its ärende's internal title (where
        the public is shown another) and the subjects of the ärende's confidential
        documents. The secretariat is shown them before the § is justerad and public."""
        if not self.public:
            return []
        text = " ".join(getattr(self, field) for field in self.PUBLISHED_TEXT_FIELDS).casefold()
        sources = [s for s in confidential_subjects if s.strip()]
        if self.case is not None and self.case.public_title and self.case.title.strip():
            sources.insert(0, self.case.title)
        return [source for source in sources if source.strip().casefold() in text]


class Vote(models.Model):
    """How one member voted in an open vote on a §."""

    class Choice(models.TextChoices):
        YES = "ja", _("Yes")
        NO = "nej", _("No")
        ABSTAIN = "avstar", _("Abstains")

    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="votes")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="votes")
    choice = models.CharField(_("vote"), max_length=6, choices=Choice.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["paragraph", "person"], name="vote_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_choice_display()}"


class Approval(models.Model):
    """One signatory's justering of a protocol: approved, or sent back with a comment."""

    class Decision(models.TextChoices):
        PENDING = "vantar", _("Waiting")
        APPROVED = "justerat", _("Approved")
        COMMENTED = "kommentar", _("Sent back with a comment")

    protocol = models.ForeignKey(Protocol, on_delete=models.CASCADE, related_name="approvals")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="approvals")
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    comment = models.TextField(_("comment"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("justering")
        verbose_name_plural = _("justeringar")
        constraints = [
            models.UniqueConstraint(fields=["protocol", "person"], name="approval_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_decision_display()}"


class Notice(models.Model):
    """The anslag announcing a justerat protocol on the anslagstavla."""

    protocol = models.OneToOneField(
        Protocol, on_delete=models.PROTECT, related_name="notice", verbose_name=_("protocol")
    )
    posted_on = models.DateField(_("posted on"))
    removed_on = models.DateField(_("taken down on"))
    appeal_until = models.DateField(_("last day of appeal"))
    paragraph_range = models.CharField(_("paragraphs"), max_length=40)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-posted_on"]
        verbose_name = _("notice (anslag)")
        verbose_name_plural = _("notices (anslag)")

    def __str__(self) -> str:
        return f"{self.protocol} {self.posted_on}"


class RenderJob(models.Model):
    """A PDF owed by the worker: created in the transaction that needs it, sent to
    Celery on commit, done exactly once (the row, not the broker, records the debt)."""

    class Kind(models.TextChoices):
        PROTOCOL = "protokoll", _("Protocol")
        EXTRACT = "utdrag", _("Minutes extract (protokollsutdrag)")
        KALLELSE = "kallelse", _("Kallelse")
        PACKET = "handlingar", _("Meeting packet")
        REPORT = "verksamhetsberattelse", _("Verksamhetsberättelse")

    class Status(models.TextChoices):
        PENDING = "vantar", _("Waiting")
        DONE = "klar", _("Ready")
        FAILED = "misslyckad", _("Failed")

    kind = models.CharField(_("kind"), max_length=25, choices=Kind.choices)
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, null=True, blank=True, related_name="render_jobs"
    )
    report_version = models.ForeignKey(
        "followups.ReportVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="render_jobs",
    )
    paragraph = models.ForeignKey(
        Paragraph, on_delete=models.CASCADE, null=True, blank=True, related_name="render_jobs"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    internal = models.BooleanField(
        _("with closed items"),
        default=False,
        help_text=_("The full version for the arena; the public version leaves closed items out."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    file = models.FileField(_("file"), upload_to="pdf/%Y/", blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("PDF job")
        verbose_name_plural = _("PDF jobs")
        indexes = [models.Index(fields=["status", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="utdrag") | Q(paragraph__isnull=False),
                name="render_extract_has_paragraph",
            ),
            models.CheckConstraint(
                condition=(Q(kind="verksamhetsberattelse") & Q(report_version__isnull=False))
                | (~Q(kind="verksamhetsberattelse") & Q(meeting__isnull=False)),
                name="render_job_has_subject",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()} {self.meeting_id or self.report_version_id} ({self.status})"
        )

    def get_absolute_url(self) -> str:
        return reverse("councils:render-job", kwargs={"pk": self.pk})

    @property
    def file_name(self) -> str:
        if self.report_version is not None:
            return self.report_version.file_name
        assert self.meeting is not None
        day = self.meeting.starts_at.strftime("%Y-%m-%d")
        if self.kind == self.Kind.EXTRACT and self.paragraph is not None:
            return f"protokollsutdrag-{self.meeting.body.slug}-{day}-p{self.paragraph.number}.pdf"
        return f"{self.kind}-{self.meeting.body.slug}-{day}.pdf"


class ExtractDispatch(models.Model):
    """Expediering: a protokollsutdrag sent to one recipient named in Utdrag till."""

    paragraph = models.ForeignKey(
        Paragraph, on_delete=models.PROTECT, related_name="dispatches", verbose_name=_("§")
    )
    recipient = models.CharField(_("recipient"), max_length=300)
    email = models.EmailField(_("e-mail"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["paragraph", "recipient"]
        verbose_name = _("extract dispatch")
        verbose_name_plural = _("extract dispatches")
        constraints = [
            models.UniqueConstraint(
                fields=["paragraph", "recipient"], name="dispatch_once_per_recipient"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.paragraph} → {self.recipient}"


class CalendarToken(models.Model):
    """The secret in a member's private calendar address. Making a new one revokes the
    old: a calendar app that still has the old address gets nothing more."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_token",
        verbose_name=_("user"),
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar address")
        verbose_name_plural = _("calendar addresses")

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d})"


class Watch(models.Model):
    """A person's bevakning: an arena (new kallelser and justerade protokoll), an ärende
    (new documents and decisions) or a saved search (new hits). The worker mails what
    is new, once a day unless the person chose at once, as the person may see it."""

    class Kind(models.TextChoices):
        BODY = "arena", _("Arena")
        CASE = "arende", _("Case (ärende)")
        SEARCH = "sokning", _("Search")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="watches",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    body = models.ForeignKey(
        Body, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    query = models.CharField(_("search"), max_length=200, blank=True)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    immediate = models.BooleanField(
        _("mail at once"), default=False, help_text=_("Otherwise at most one mail a day.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    checked_until = models.DateTimeField(_("checked until"))
    last_sent_at = models.DateTimeField(_("last mail"), null=True, blank=True)
    seen = models.JSONField(_("hits already reported"), default=list, blank=True)
    failed_at = models.DateTimeField(_("last failed"), null=True, blank=True)
    failure = models.CharField(_("why it failed"), max_length=500, blank=True)

    class Meta:
        ordering = ["user", "kind", "pk"]
        verbose_name = _("watch (bevakning)")
        verbose_name_plural = _("watches (bevakningar)")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="arena") & Q(body__isnull=False) & Q(case__isnull=True))
                | (Q(kind="arende") & Q(case__isnull=False) & Q(body__isnull=True))
                | (Q(kind="sokning") & ~Q(query="") & Q(body__isnull=True) & Q(case__isnull=True)),
                name="watch_has_its_subject",
            ),
            models.UniqueConstraint(
                fields=["user", "body"], condition=Q(kind="arena"), name="watch_body_once"
            ),
            models.UniqueConstraint(
                fields=["user", "case"], condition=Q(kind="arende"), name="watch_case_once"
            ),
            models.UniqueConstraint(
                fields=["user", "query", "filters"],
                condition=Q(kind="sokning"),
                name="watch_search_once",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == self.Kind.BODY and self.body is not None:
            return self.body.name
        if self.kind == self.Kind.CASE and self.case is not None:
            return self.case.diarienummer
        return f"”{self.query}”"
