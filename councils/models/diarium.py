"""The diarium: its sequences, ärenden and handlingar."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from base import personal_data as detector
from base.reversing import reverse_id
from councils.models.organisations import Body, Person
from councils.models.publication import PersonalDataChecked, held_back_index


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


class Case(PersonalDataChecked):
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
    closed_on = models.DateField(
        _("closed on"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set when the ärende is closed; retention periods run from its year."),
    )
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
            held_back_index("case_held_back"),
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
        return reverse_id("councils:case", self.pk)

    @staticmethod
    def format_diarienummer(prefix: str, number: int, year: int) -> str:
        return f"{prefix}/{number}/{year}"

    @property
    def shown_public_title(self) -> str:
        return self.public_title or self.title

    def personal_data_fields(self) -> list[str]:
        # The public reads the public title where there is one, else title and description.
        return ["public_title"] if self.public_title else ["title", "description"]


class Document(PersonalDataChecked):
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

    class TextState(models.TextChoices):
        PENDING = "vantar", _("waiting to be read")
        READ = "last", _("read and checked")
        UNREADABLE = "olasbar", _("could not be read")

    text_state = models.CharField(
        _("the file's text"),
        max_length=8,
        choices=TextState.choices,
        default=TextState.PENDING,
        editable=False,
        help_text=_(
            "A file is public only once its text has been read and checked for personal data."
        ),
    )
    retention_rule = models.ForeignKey(
        "councils.RetentionRule",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="documents",
        verbose_name=_("retention rule"),
        help_text=_("The dokumenthanteringsplan's rule for it; none: kept."),
    )
    disposed_on = models.DateField(_("destroyed on"), null=True, blank=True, editable=False)
    disposal_decision = models.ForeignKey(
        "councils.DisposalDecision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="documents",
        verbose_name=_("disposal decision"),
    )
    search = models.GeneratedField(
        expression=SearchVector("subject", "counterpart", "text", config="swedish"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    history = HistoricalRecords(excluded_fields=["registered_at", "text", "text_state", "search"])

    class Meta:
        ordering = ["case", "sequence"]
        verbose_name = _("document (handling)")
        verbose_name_plural = _("documents (handlingar)")
        indexes = [
            GinIndex(fields=["search"], name="document_search"),
            held_back_index("document_held_back"),
        ]
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
        return reverse_id("councils:document", self.pk)

    PERSONAL_DATA_FIELDS = ("subject", "counterpart")
    PERSONAL_DATA_NUMBER_FIELDS = ("text",)

    @property
    def personal_data_maskable(self) -> bool:
        # The file's text is the file's: a number in it is not masked here.
        return not detector.find(self.text)

    @property
    def text_checked(self) -> bool:
        """No file, or a file whose text the worker has read and checked."""
        return not self.file or self.text_state == self.TextState.READ

    @property
    def publishable(self) -> bool:
        """As for every checked record, and a file only once its text has been read:
        until then nobody knows what personal data it holds."""
        return self.text_checked and super().publishable

    @classmethod
    def publishable_q(cls, prefix: str = "") -> Q:
        read = Q(**{f"{prefix}file": ""}) | Q(**{f"{prefix}text_state": cls.TextState.READ})
        return read & super().publishable_q(prefix)

    @property
    def public(self) -> bool:
        """Does the public read it: not confidential, its file's text read, no unconfirmed
        personal data (the rule ``selectors.documents_for_user`` applies in the
        database)."""
        return not self.confidential and self.publishable

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
