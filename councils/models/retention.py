"""Retention: the rules (gallring) of the dokumenthanteringsplan and the decisions that
destroy records: the diarium's own, as every handling names its rule. The archive room
(the ``archive`` app) keeps them and delivers to the e-archive."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from councils.models.diarium import Diarium, Document


class RetentionRule(models.Model):
    """One line of the body's dokumenthanteringsplan: what happens to a kind of handling
    of a diarium. An empty diarium or kind means every one; the most specific rule
    applies. A handling no rule covers is kept (bevaras), as the archive law presumes."""

    class Action(models.TextChoices):
        KEEP = "bevaras", _("Keep (bevaras)")
        DESTROY = "gallras", _("Destroy after a period (gallras)")

    diarium = models.ForeignKey(
        Diarium,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="retention_rules",
        verbose_name=_("diarium"),
        help_text=_("Empty: every diarium."),
    )
    document_kind = models.CharField(
        _("kind of document"),
        max_length=30,
        choices=Document.Kind.choices,
        blank=True,
        help_text=_("Empty: every kind."),
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    years = models.PositiveSmallIntegerField(
        _("years"),
        null=True,
        blank=True,
        help_text=_("Destroyed this many years after the end of the year the ärende closed."),
    )
    basis = models.CharField(
        _("basis"),
        max_length=200,
        help_text=_("Where the rule comes from, e.g. “Dokumenthanteringsplan 2024, 3.2”."),
    )

    class Meta:
        ordering = ["diarium__prefix", "document_kind"]
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")
        constraints = [
            models.UniqueConstraint(
                fields=["diarium", "document_kind"],
                nulls_distinct=False,
                name="retention_rule_unique",
                violation_error_message=_("There is already a rule for this diarium and kind."),
            ),
            models.CheckConstraint(
                condition=Q(action="bevaras", years__isnull=True)
                | Q(action="gallras", years__isnull=False),
                name="retention_rule_years",
                violation_error_message=_(
                    "A rule that destroys needs its years; a rule that keeps has none."
                ),
            ),
        ]

    def __str__(self) -> str:
        scope = " · ".join(
            str(part)
            for part in (
                self.diarium.prefix if self.diarium else _("every diarium"),
                self.get_document_kind_display() if self.document_kind else _("every kind"),
            )
        )
        return f"{scope}: {self.description}"

    @property
    def description(self) -> str:
        if self.action == self.Action.KEEP:
            return str(_("keep"))
        return str(_("destroy after %(years)s years") % {"years": self.years})

    @property
    def specificity(self) -> int:
        return (2 if self.diarium_id else 0) + (1 if self.document_kind else 0)

    @classmethod
    def applying(cls, *, diarium_id: int, kind: str) -> RetentionRule | None:
        """The most specific rule for a handling of ``kind`` in the diarium."""
        rules = cls.objects.filter(
            Q(diarium_id=diarium_id) | Q(diarium__isnull=True),
            Q(document_kind=kind) | Q(document_kind=""),
        )
        return max(rules, key=lambda rule: rule.specificity, default=None)

    def clean(self) -> None:
        if self.action == self.Action.DESTROY and not self.years:
            raise ValidationError({"years": _("A rule that destroys needs its years.")})
        if self.action == self.Action.KEEP:
            self.years = None

    def due_on(self, closed_on: datetime.date | None) -> datetime.date | None:
        """The first day a handling of an ärende closed on ``closed_on`` may be destroyed:
        the period runs from the end of that year."""
        if self.action != self.Action.DESTROY or closed_on is None or self.years is None:
            return None
        return datetime.date(closed_on.year + self.years + 1, 1, 1)


class DisposalDecision(models.Model):
    """A gallringsbeslut: which handlingar were destroyed, when, on what decision. The
    handlingar stay in the diarium as the trace; their files are gone."""

    decided_on = models.DateField(_("decided on"))
    reference = models.CharField(
        _("decision reference"),
        max_length=200,
        help_text=_("The decision's diarienummer or § (e.g. “RUN/12/2026” or “§ 14/2026”)."),
    )
    note = models.TextField(_("note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at"]
        verbose_name = _("disposal decision (gallringsbeslut)")
        verbose_name_plural = _("disposal decisions (gallringsbeslut)")

    def __str__(self) -> str:
        return f"{self.reference} ({self.decided_on:%Y-%m-%d})"
