"""Rekommendationer and each organisation's own decision on them.

A samverkansråd cannot bind its members: it recommends, and each kommun and the region
decides for itself in its own fullmäktige, styrelse or nämnd. An agreement, too, binds a
party only once the party has adopted it. A ``Recommendation`` is the request for those
decisions, made from a justerad § of the kind rekommendation or from an adopted
agreement, never from a draft; an ``OrganisationDecision`` is one addressed
organisation's part: what it is asked to do, when it was sent and received, and what it
decided, where and when. Rows are corrected, never deleted; every change is in the
history. Writes go through ``recommendations.services``.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agreements.models import Agreement
from base.reversing import reverse_id
from councils.models import Body, Document, Organisation, Paragraph


class Recommendation(models.Model):
    """A request for the addressed organisations' own decisions."""

    paragraph = models.OneToOneField(
        Paragraph,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recommendation",
        verbose_name=_("§"),
    )
    agreement = models.OneToOneField(
        Agreement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recommendation",
        verbose_name=_("agreement"),
    )
    body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        related_name="recommendations",
        verbose_name=_("issued by"),
    )
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("what is recommended"), blank=True)
    issued_on = models.DateField(_("issued on"))
    answer_by = models.DateField(
        _("answer by"), help_text=_("The date by which each organisation is asked to answer.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        constraints = [
            models.CheckConstraint(
                condition=Q(paragraph__isnull=True) ^ Q(agreement__isnull=True),
                name="recommendation_one_source",
            ),
            models.CheckConstraint(
                condition=Q(answer_by__gte=models.F("issued_on")),
                name="recommendation_answer_after_issue",
            ),
        ]
        indexes = [models.Index(fields=["answer_by"], name="recommendation_answer_by")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse_id("recommendations:detail", self.pk)

    def clean(self) -> None:
        if self.answer_by and self.issued_on and self.answer_by < self.issued_on:
            raise ValidationError(
                {"answer_by": _("The answer date cannot be before the recommendation.")}
            )

    @property
    def source_label(self) -> str:
        """Where it was decided: "Regionens samverkansråd 2021-03-12 § 14" or the
        agreement's diarienummer."""
        if self.paragraph_id is not None:
            assert self.paragraph is not None
            return f"{self.body.name} {self.issued_on:%Y-%m-%d} {self.paragraph.label}"
        assert self.agreement is not None
        return f"{self.body.name} {self.issued_on:%Y-%m-%d}"


#: A reference to another body's §: "§ 45", "KF § 45", "§ 45–46", "45". The range may be
#: written with any dash (hyphen, en or em dash, minus, non-breaking hyphen).
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2212"
PARAGRAPH_REFERENCE = re.compile(
    rf"^\s*(?:(?P<prefix>[A-ZÅÄÖa-zåäö]{{1,8}})\s+)?§?\s*(?P<first>\d{{1,5}})"
    rf"(?:\s*[{_DASHES}]\s*(?P<last>\d{{1,5}}))?\s*$"
)


def normalise_paragraph_reference(text: str) -> str:
    """ "ks §45" → "KS § 45", "§ 45 - 46" → "§ 45–46"; '' for ''; ValueError for what does
    not read as a § reference (a date, a word, a range that runs backwards, § 0)."""
    if not text.strip():
        return ""
    found = PARAGRAPH_REFERENCE.match(text)
    if found is None:
        raise ValueError(text)
    first = int(found["first"])
    last = int(found["last"]) if found["last"] else None
    if first < 1 or (last is not None and last <= first):
        raise ValueError(text)
    number = f"§ {first}" if last is None else f"§ {first}–{last}"
    prefix = found["prefix"]
    return f"{prefix.upper()} {number}" if prefix else number


class OrganisationDecision(models.Model):
    """One addressed organisation's part in a recommendation: asked, sent, received,
    decided."""

    class Action(models.TextChoices):
        ADOPT = "anta", _("Adopt (anta)")
        OPINION = "yttra", _("Give an opinion (yttra sig)")
        INFORM = "informera", _("Take note (informera)")

    class Outcome(models.TextChoices):
        ADOPTED = "antagen", _("Adopted")
        ADOPTED_CHANGED = "antagen-andrad", _("Adopted with changes")
        DECLINED = "avslagen", _("Declined")
        ABSTAINED = "avstar", _("Abstains")
        NOT_RELEVANT = "ej-aktuell", _("Not relevant")

    class DecidingBody(models.TextChoices):
        ASSEMBLY = "fullmaktige", _("Fullmäktige")
        BOARD = "styrelse", _("Kommunstyrelse or regionstyrelse")
        COMMITTEE = "namnd", _("Nämnd")
        OTHER = "annan", _("Other")

    #: The outcomes that count as adopted.
    ADOPTING = (Outcome.ADOPTED, Outcome.ADOPTED_CHANGED)

    recommendation = models.ForeignKey(
        Recommendation,
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name=_("recommendation"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="recommendation_decisions",
        verbose_name=_("organisation"),
    )
    action = models.CharField(
        _("asked to"), max_length=10, choices=Action.choices, default=Action.ADOPT
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True, editable=False)
    sent_to = models.EmailField(_("sent to"), blank=True, editable=False)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    their_diarienummer = models.CharField(_("their diarienummer"), max_length=60, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    deciding_body = models.CharField(
        _("decided by"), max_length=12, choices=DecidingBody.choices, blank=True
    )
    deciding_body_name = models.CharField(
        _("name of the body"),
        max_length=200,
        blank=True,
        help_text=_("E.g. “Kommunfullmäktige” or “Socialnämnden”."),
    )
    their_paragraph = models.CharField(
        _("their §"), max_length=40, blank=True, help_text=_("E.g. “§ 45” or “KF § 45”.")
    )
    outcome = models.CharField(_("outcome"), max_length=15, choices=Outcome.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    comment_internal = models.BooleanField(
        _("the comment is internal"),
        default=False,
        help_text=_("An internal comment is shown only to the secretariat and the organisation."),
    )
    extract = models.ForeignKey(
        Document,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("their protocol extract"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation__kind", "organisation__name"]
        verbose_name = _("organisation's decision")
        verbose_name_plural = _("organisations' decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "organisation"], name="decision_once_per_organisation"
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(decided_on__isnull=False),
                name="decision_outcome_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "outcome"], name="decision_organisation_outcome")
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.recommendation}"

    def get_absolute_url(self) -> str:
        return reverse_id("recommendations:detail", self.recommendation_id) + f"#org-{self.pk}"

    @property
    def is_decided(self) -> bool:
        return bool(self.outcome)

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        today = timezone.localdate()
        issued = self.recommendation.issued_on if self.recommendation_id else None
        for name in ("received_on", "decided_on"):
            day: datetime.date | None = getattr(self, name)
            if day is None:
                continue
            if issued is not None and day < issued:
                errors[name] = _("The date is before the recommendation (%(date)s).") % {
                    "date": f"{issued:%Y-%m-%d}"
                }
            elif day > today:
                errors[name] = _("The date is in the future.")
        if self.outcome and self.decided_on is None:
            errors.setdefault("decided_on", _("Say when the decision was taken."))
        if self.decided_on and not self.outcome:
            errors.setdefault("outcome", _("Say what was decided."))
        if self.outcome and not self.deciding_body:
            errors.setdefault("deciding_body", _("Say which body decided."))
        if self.their_paragraph:
            try:
                self.their_paragraph = normalise_paragraph_reference(self.their_paragraph)
            except ValueError:
                errors["their_paragraph"] = _("Write the § as “§ 45”, “KF § 45” or “§ 45–46”.")
        if errors:
            raise ValidationError(errors)
