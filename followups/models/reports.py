"""The annual verksamhetsberättelse: its sections and its frozen versions."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agreements.models import Agreement
from councils.models import (
    PersonalDataChecked,
    RenderJob,
)
from followups.models.plans import YEAR_VALIDATORS


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


class ReportRendering(models.Model):
    """Which version of a verksamhetsberättelse a PDF job renders: the link is the
    follow-up's own, so councils' render jobs name no model of an app above them."""

    job = models.OneToOneField(
        RenderJob,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="report_rendering",
        verbose_name=_("PDF job"),
    )
    version = models.ForeignKey(
        ReportVersion,
        on_delete=models.PROTECT,
        related_name="renderings",
        verbose_name=_("version"),
    )

    class Meta:
        verbose_name = _("PDF of a verksamhetsberättelse")
        verbose_name_plural = _("PDFs of verksamhetsberättelser")

    def __str__(self) -> str:
        return f"{self.version} – {self.job}"
