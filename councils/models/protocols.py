"""The protocol: attendance, §, votes, justering, anslag and expediering."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from base.reversing import reverse_id
from councils.models.diarium import Case
from councils.models.meetings import AgendaItem, Meeting
from councils.models.organisations import Body, Organisation, Person
from councils.models.publication import PersonalDataChecked, held_back_index


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
    sent_for_justering_at = models.DateTimeField(
        _("sent for justering"), null=True, blank=True, editable=False
    )
    reading_copy = models.ForeignKey(
        "councils.RenderJob",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("copy to justera"),
        help_text=_("The PDF the signatories read: rendered when the protocol is sent."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("protocol")
        verbose_name_plural = _("protocols")

    def __str__(self) -> str:
        return f"{self.meeting}"

    def get_absolute_url(self) -> str:
        return reverse_id("councils:protocol", self.meeting_id)

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


class Paragraph(PersonalDataChecked):
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
        indexes = [
            GinIndex(fields=["search"], name="paragraph_search"),
            held_back_index("paragraph_held_back"),
        ]
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

    def personal_data_fields(self) -> list[str]:
        # A § the public does not read (a closed item) is not checked.
        return list(self.PUBLISHED_TEXT_FIELDS) if self.public else []

    @property
    def personal_data_maskable(self) -> bool:
        # Only a draft protocol's § changes.
        return self.approved_at is None and self.meeting.protocol.status == Protocol.Status.DRAFT

    def review_url(self) -> str:
        return reverse_id("councils:paragraph-edit", self.pk)

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
    """One signatory's justering of a protocol: approved, or sent back with a comment.
    An approval is evidence: it records the checksum of the exact PDF the signatory
    read (the protocol's copy to justera) and how the signatory was authenticated."""

    class Decision(models.TextChoices):
        PENDING = "vantar", _("Waiting")
        APPROVED = "justerat", _("Approved")
        COMMENTED = "kommentar", _("Sent back with a comment")

    class Authentication(models.TextChoices):
        PASSWORD = "losenord", _("password")
        PASSWORD_AND_CODE = "losenord-kod", _("password and two-step code")
        IDENTITY_PROVIDER = "idp", _("the identity provider")

    protocol = models.ForeignKey(Protocol, on_delete=models.CASCADE, related_name="approvals")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="approvals")
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    comment = models.TextField(_("comment"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    read_sha256 = models.CharField(
        _("checksum of the PDF read"), max_length=64, blank=True, editable=False
    )
    authentication = models.CharField(
        _("authenticated by"), max_length=15, choices=Authentication.choices, blank=True
    )
    authentication_detail = models.CharField(
        _("provider and assurance level"),
        max_length=300,
        blank=True,
        help_text=_("For a sign-in through an identity provider: which, and how (its acr)."),
    )

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
