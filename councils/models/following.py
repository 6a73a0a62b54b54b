"""Following the arenas from outside: private calendar addresses and bevakningar."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from councils.models.diarium import Case
from councils.models.organisations import Body


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


class Reminder(models.Model):
    """One reminder of one occasion to one address: a protocol waiting for its
    justerare, a kallelse due and not sent, an uppdrag due or overdue, a kommun that has
    not answered before its dialogue. The row is recorded before the mail goes, and its
    uniqueness is what keeps a reminder from being sent twice, whatever restarts."""

    class Kind(models.TextChoices):
        JUSTERING = "justering", _("Protocol to justera")
        KALLELSE = "kallelse", _("Kallelse to send")
        UPPDRAG = "uppdrag", _("Uppdrag to report back")
        DIALOGUE = "dialog", _("Follow-up questions to answer")
        RECOMMENDATION = "rekommendation", _("Decision on a recommendation")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField(_("record"))
    stage = models.CharField(_("occasion"), max_length=20)
    email = models.EmailField(_("e-mail"))
    person = models.ForeignKey(
        "councils.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reminders",
        verbose_name=_("person"),
    )
    subject = models.CharField(_("subject"), max_length=300)
    path = models.CharField(_("page"), max_length=300)
    due_on = models.DateField(_("due on"))
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    failure = models.CharField(_("why it failed"), max_length=500, blank=True)

    class Meta:
        ordering = ["-due_on", "-pk"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "stage", "email"], name="reminder_once"
            )
        ]
        indexes = [models.Index(fields=["sent_at"], name="reminder_unsent")]

    def __str__(self) -> str:
        return f"{self.subject} → {self.email}"
