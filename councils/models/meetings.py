"""Meetings, their agenda items and the members' private notes on them."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from base.reversing import reverse_id
from councils.models.diarium import Case, Document
from councils.models.organisations import Body, Person
from councils.models.publication import WITHHELD_TITLE, PersonalDataChecked, held_back_index


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
            # Search finds meetings by place (and by their arena's name): search/queries.py
            GinIndex(SearchVector("place", config="swedish"), name="meeting_place_search"),
        ]

    def __str__(self) -> str:
        return f"{self.body} {self.starts_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse_id("councils:meeting", self.pk)

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
    def has_begun(self) -> bool:
        """Whether the meeting has begun: only then can it have a protocol to justera,
        decisions, or attendance that counts for an arvode."""
        from django.utils import timezone

        return self.starts_at <= timezone.now()

    def not_begun_message(self) -> str:
        """What to say to a step that needs the meeting held."""
        from django.utils import timezone
        from django.utils.translation import gettext

        return gettext("The meeting begins %(when)s: this can be done once it has been held.") % {
            "when": timezone.localtime(self.starts_at).strftime("%Y-%m-%d %H:%M")
        }

    @property
    def agenda_is_published(self) -> bool:
        """The public part of the agenda is public once the kallelse has gone out."""
        return self.status != self.Status.PLANNED


class AgendaItem(PersonalDataChecked):
    """One point of a meeting's föredragningslista. Its own title and its proposed
    decision reach the public (the meeting page, the kallelse, OParl): they are checked
    for personal data like every public text."""

    PERSONAL_DATA_FIELDS = ("title", "proposal")

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
        indexes = [held_back_index("agendaitem_held_back")]
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

    def title_for(self, *, internal: bool) -> str:
        """The item's title for a reader: its own, else its ärende's internal title for
        those who read the meeting's closed items (``internal``), else the title the
        public sees; for the public, a title with unconfirmed personal data (the item's,
        or its ärende's) is withheld. (The pages compute the same in SQL:
        ``selectors.agenda_for_user``.)"""
        if internal:
            return self.title or (self.case.title if self.case else "")
        if self.title:
            return self.title if self.publishable else str(WITHHELD_TITLE)
        if self.case is None:
            return ""
        return self.case.shown_public_title if self.case.publishable else str(WITHHELD_TITLE)

    def proposal_for(self, *, internal: bool) -> str:
        """The proposed decision for a reader: withheld from the public while it holds
        unconfirmed personal data."""
        return self.proposal if internal or self.publishable else ""

    def review_url(self) -> str:
        return reverse_id("councils:agenda-item-edit", self.pk)


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
