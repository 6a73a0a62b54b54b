"""Render jobs: the record that a PDF is owed, and its file once rendered."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from base.jobs import Job
from base.reversing import reverse_id
from councils.models.meetings import Meeting
from councils.models.protocols import Paragraph


class RenderJob(Job):
    """A PDF owed by the worker: created in the transaction that needs it, sent to
    Celery on commit, done exactly once (the row, not the broker, records the debt)."""

    class Kind(models.TextChoices):
        PROTOCOL = "protokoll", _("Protocol")
        EXTRACT = "utdrag", _("Minutes extract (protokollsutdrag)")
        KALLELSE = "kallelse", _("Kallelse")
        PACKET = "handlingar", _("Meeting packet")
        REPORT = "verksamhetsberattelse", _("Verksamhetsberättelse")

    kind = models.CharField(_("kind"), max_length=25, choices=Kind.choices)
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, null=True, blank=True, related_name="render_jobs"
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
    file = models.FileField(_("file"), upload_to="pdf/%Y/", blank=True)
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64, blank=True, db_index=True)
    sealed_at = models.DateTimeField(_("sealed"), null=True, blank=True)
    seal_certificate = models.CharField(_("seal certificate"), max_length=500, blank=True)
    seal_digest = models.CharField(
        _("digest the seal signs"), max_length=128, blank=True, db_index=True
    )
    supersedes = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("replaces"),
        help_text=_("A sealed PDF is never rendered again: a correction is a new version."),
    )

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
            # A meeting's PDF names its meeting; another app's kind (the
            # verksamhetsberättelse) names its subject on its own side.
            models.CheckConstraint(
                condition=Q(kind="verksamhetsberattelse") | Q(meeting__isnull=False),
                name="render_job_meeting_kinds_have_meeting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.meeting_id or self.pk} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse_id("councils:render-job", self.pk)

    @property
    def is_sealed(self) -> bool:
        return self.sealed_at is not None

    @property
    def file_name(self) -> str:
        """A meeting's PDF's file name (``renderers.file_name`` asks the renderer of
        another app's kind)."""
        assert self.meeting is not None
        day = self.meeting.starts_at.strftime("%Y-%m-%d")
        if self.kind == self.Kind.EXTRACT and self.paragraph is not None:
            return f"protokollsutdrag-{self.meeting.body.slug}-{day}-p{self.paragraph.number}.pdf"
        return f"{self.kind}-{self.meeting.body.slug}-{day}.pdf"
