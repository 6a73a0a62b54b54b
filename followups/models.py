"""Follow-up (uppföljning): annual focus, uppföljningsplan, follow-ups with their
dialogues, answers, findings and named priorities, the kommuner's assessments, uppdrag
given by a §, and the annual verksamhetsberättelse with its frozen versions.

Writes go through ``followups.services``; reads that need a permission decision go
through ``followups.selectors``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
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
    Meeting,
    Organisation,
    Paragraph,
    PersonalDataChecked,
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


class Report(models.Model):
    """The verksamhetsberättelse of one agreement and year: narrative sections the
    secretariat writes, and the versions compiled from them and the year's data."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="reports", verbose_name=_("agreement")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "agreement"]
        verbose_name = _("verksamhetsberättelse")
        verbose_name_plural = _("verksamhetsberättelser")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "year"], name="one_report_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.agreement} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("followups:report", kwargs={"pk": self.pk})

    def clean(self) -> None:
        if self.agreement_id and self.year and not self.agreement.covers_year(self.year):
            raise ValidationError({"year": _("The agreement was not in force that year.")})


class Section(PersonalDataChecked):
    """A narrative part of the verksamhetsberättelse, public once a version is fastställd."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="sections", verbose_name=_("report")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    heading = models.CharField(_("heading"), max_length=200)
    body = models.TextField(_("text"), help_text=_("Markdown: paragraphs, lists, emphasis, links."))

    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "position", "pk"]
        verbose_name = _("narrative section")
        verbose_name_plural = _("narrative sections")

    def __str__(self) -> str:
        return self.heading

    PERSONAL_DATA_FIELDS = ("heading", "body")

    @property
    def personal_data_maskable(self) -> bool:
        return not self.report.versions.filter(status=ReportVersion.Status.ADOPTED).exists()

    def review_url(self) -> str:
        url = reverse("followups:report", kwargs={"pk": self.report_id})
        return f"{url}#personal-data-section-{self.pk}"


class ReportVersion(models.Model):
    """One compiled version: the year's figures and the narrative as they were, frozen
    in ``snapshot``. A version never changes its content; fastställd is its last state,
    after which the database refuses any change (migration 0002's trigger)."""

    class Status(models.TextChoices):
        DRAFT = "utkast", _("Draft")
        ADOPTED = "faststalld", _("Adopted (fastställd)")

    report = models.ForeignKey(
        Report, on_delete=models.PROTECT, related_name="versions", verbose_name=_("report")
    )
    number = models.PositiveSmallIntegerField(_("version"))
    snapshot = models.JSONField(_("content"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    compiled_at = models.DateTimeField(_("compiled"), auto_now_add=True)
    compiled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("compiled by"),
    )
    adopted_at = models.DateTimeField(_("adopted"), null=True, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("adopted by"),
    )
    adopted_in = models.CharField(
        _("fastställd by (decision)"),
        max_length=300,
        blank=True,
        help_text=_("The body, date and § of the decision, e.g. RUN 2020-02-12 § 12."),
    )

    class Meta:
        ordering = ["report", "-number"]
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="version_number_once"),
            models.UniqueConstraint(
                fields=["report"],
                condition=Q(status="faststalld"),
                name="one_adopted_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("followups:version", kwargs={"pk": self.pk})

    @property
    def is_adopted(self) -> bool:
        return self.status == self.Status.ADOPTED

    @property
    def file_name(self) -> str:
        slug = self.report.agreement.case.diarienummer.replace("/", "-").lower()
        return f"verksamhetsberattelse-{self.report.year}-{slug}-v{self.number}.pdf"
