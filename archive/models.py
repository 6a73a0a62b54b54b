"""Deliveries to the e-archive and who downloaded them. The tables keep their names from
when this lived in councils (``councils_archiveexport``, ``councils_archivedownload``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from base.jobs import Job
from base.reversing import reverse_id
from councils.models import Body, Case, Diarium


class ArchiveExport(Job):
    """A delivery to the e-archive the worker builds: one ärende, a diarium's ärenden
    closed in a year, or an arena's protocols of a year, as an E-ARK SIP (ZIP)."""

    class Scope(models.TextChoices):
        CASE = "arende", _("One ärende")
        DIARIUM = "diarium", _("A diarium's ärenden closed in a year")
        BODY = "arena", _("An arena's protocols of a year")

    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices)
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="archive_exports"
    )
    diarium = models.ForeignKey(
        Diarium, on_delete=models.CASCADE, null=True, blank=True, related_name="archive_exports"
    )
    body = models.ForeignKey(
        Body, on_delete=models.CASCADE, null=True, blank=True, related_name="archive_exports"
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    progress = models.PositiveIntegerField(_("files written"), default=0)
    total = models.PositiveIntegerField(_("files in all"), default=0)
    file = models.FileField(_("file"), upload_to="archive/%Y/", blank=True)
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    records = models.PositiveIntegerField(_("records"), default=0)
    files = models.PositiveIntegerField(_("files"), default=0)
    #: Files that are not in an archival format: [{"path": ..., "format": ...}, ...].
    not_archival = models.JSONField(_("files not in an archival format"), default=list, blank=True)

    class Meta:
        db_table = "councils_archiveexport"
        ordering = ["-created_at"]
        verbose_name = _("archive delivery")
        verbose_name_plural = _("archive deliveries")
        constraints = [
            models.CheckConstraint(
                condition=Q(scope="arende", case__isnull=False)
                | Q(scope="diarium", diarium__isnull=False, year__isnull=False)
                | Q(scope="arena", body__isnull=False, year__isnull=False),
                name="archive_export_scope",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_scope_display()}: {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse_id("archive:export", self.pk)

    @property
    def subject(self) -> str:
        if self.case is not None:
            return self.case.diarienummer
        if self.diarium is not None:
            return f"{self.diarium.prefix} {self.year}"
        return f"{self.body.name if self.body else ''} {self.year}"

    @property
    def file_name(self) -> str:
        slug = self.subject.replace("/", "-").replace(" ", "-")
        return f"sip-{slug}-{self.pk}.zip"


class ArchiveDownload(models.Model):
    """Who downloaded a delivery, when: it holds confidential records."""

    export = models.ForeignKey(ArchiveExport, on_delete=models.CASCADE, related_name="downloads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("downloaded at"), auto_now_add=True)
    address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        db_table = "councils_archivedownload"
        ordering = ["-at"]
        verbose_name = _("archive delivery download")
        verbose_name_plural = _("archive delivery downloads")

    def __str__(self) -> str:
        return f"{self.export} – {self.user} {self.at:%Y-%m-%d %H:%M}"
