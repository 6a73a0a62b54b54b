"""The check before publication: personal data in a record's public text.

A record whose text reaches the public (an ärende's public title and description, a
handling, a §, a verksamhetsberättelse section) keeps a count of the personnummer,
samordningsnummer and private persons' contact details in that text, made on every
save (``base.personal_data`` finds them). A finding keeps the record from the
public until the secretariat masks it or confirms, with a reason kept in the record's
history, that it may be published (``services.personal_data_mask`` / ``_confirm``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from base import personal_data as detector
from councils.models.organisations import Organisation, Person

#: What the public reads in place of a title that holds unconfirmed personal data.
WITHHELD_TITLE = _("(title shown once checked for personal data)")


def officials() -> detector.Officials:
    """Whose contact details are an official's: the organisations' mail and web domains,
    and the addresses and numbers of the people the portal knows."""
    return detector.officials_from(
        Organisation.objects.values_list("official_email", "website"),
        list(Person.objects.filter(anonymised_at=None).values_list("email", "phone")),
    )


def _officials_once() -> Callable[[], detector.Officials]:
    """``officials`` looked up at the first call only: a check asks for them only when a
    text holds an address or a number, and then once for all its texts."""
    known: list[detector.Officials] = []

    def lookup() -> detector.Officials:
        if not known:
            known.append(officials())
        return known[0]

    return lookup


def held_back_index(name: str) -> models.Index:
    """A partial index of the records kept from the public until their personal data is
    masked or confirmed (a handful among hundreds of thousands): the secretariat's count
    on the start page reads it, not the table."""
    return models.Index(
        fields=["id"], condition=~Q(personal_data=0) & Q(personal_data_reason=""), name=name
    )


class PersonalDataChecked(models.Model):
    """A record whose public text is checked for personal data before publication."""

    personal_data = models.PositiveIntegerField(
        _("personal data found (a count, never the data)"),
        default=0,
        editable=False,
        help_text=_(
            "Personnummer, samordningsnummer and private persons' e-mail addresses and phone "
            "numbers in the text the public reads."
        ),
    )
    personal_data_reason = models.TextField(
        _("why it may be published"),
        blank=True,
        help_text=_("The secretariat's confirmation: without it the public does not see it."),
    )

    #: The fields whose text the public reads; contact details are checked in them.
    PERSONAL_DATA_FIELDS: tuple[str, ...] = ()
    #: Fields in which only identity numbers are looked for (a file's text, full of the
    #: officials' own signatures).
    PERSONAL_DATA_NUMBER_FIELDS: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.personal_data = len(self.personal_data_findings())
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "personal_data"}
        super().save(*args, **kwargs)

    def personal_data_fields(self) -> list[str]:
        """The fields whose text the public reads, where contact details are looked for
        too, and which masking changes."""
        return list(self.PERSONAL_DATA_FIELDS)

    def personal_data_findings(self) -> list[detector.Finding]:
        """What the check finds in the public text, text by text."""
        officials_once = _officials_once()
        findings = []
        for name in self.personal_data_fields():
            findings += detector.find(getattr(self, name), officials_once)
        for name in self.PERSONAL_DATA_NUMBER_FIELDS:
            findings += detector.find(getattr(self, name))
        return findings

    @property
    def publishable(self) -> bool:
        """May the public read it, as far as personal data goes?"""
        return self.personal_data == 0 or bool(self.personal_data_reason)

    @property
    def personal_data_maskable(self) -> bool:
        """May masking still change the text (a justerad § may not)?"""
        return True

    def personal_data_mask(self) -> None:
        """Mask what was found in the fields the public reads (not yet saved)."""
        officials_once = _officials_once()
        for name in self.personal_data_fields():
            setattr(self, name, detector.mask(getattr(self, name), officials_once))

    def review_url(self) -> str:
        """The page where the secretariat sees the findings and masks or confirms them."""
        return self.get_absolute_url()  # type: ignore[attr-defined]

    @classmethod
    def personal_data_clear_q(cls, prefix: str = "") -> Q:
        """No personal data found, or confirmed: in the database."""
        return Q(**{f"{prefix}personal_data": 0}) | ~Q(**{f"{prefix}personal_data_reason": ""})

    @classmethod
    def publishable_q(cls, prefix: str = "") -> Q:
        """``publishable`` in the database."""
        return cls.personal_data_clear_q(prefix)
