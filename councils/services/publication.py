"""The check before publication, the writes: the secretariat masks the personal data
found in a record's public text, or confirms with a reason that it may be published.
Either is a change of the record, kept in its history with the actor."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from base.actors import Actor
from councils.models import PersonalDataChecked
from councils.services.common import _save


def _locked(record: PersonalDataChecked) -> PersonalDataChecked:
    return type(record)._default_manager.select_for_update().get(pk=record.pk)


@transaction.atomic
def personal_data_confirm(
    *, actor: Actor, record: PersonalDataChecked, reason: str
) -> PersonalDataChecked:
    """Confirm that what was found may be published, and say why; the public then
    sees the record."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the personal data may be published."))
    record = _locked(record)
    record.personal_data_reason = reason
    _save(record, actor=actor)
    return record


@transaction.atomic
def personal_data_mask(*, actor: Actor, record: PersonalDataChecked) -> PersonalDataChecked:
    """Mask what was found in the record's public text: a number's last four digits,
    an address's local part, a phone number after its area code."""
    record = _locked(record)
    if not record.personal_data_maskable:
        raise ValidationError(_("This text can no longer be changed: confirm it instead."))
    record.personal_data_mask()
    _save(record, actor=actor)
    return record
