"""Writes about people and the roles organisations give them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from base.actors import Actor
from councils.models import (
    Membership,
    Organisation,
    OrganisationRole,
    Person,
)
from councils.services.common import _save


@transaction.atomic
def person_anonymise(*, actor: Actor, person: Person) -> Person:
    """Stop naming someone who has left office on the portal's pages (data protection);
    contact details go too. The protocols keep the name: they are archived records."""
    if Membership.objects.active().filter(person=person).exists():
        raise ValidationError(_("The person still holds a seat or role: end it first."))
    person.anonymised_at = timezone.now()
    person.email = ""
    person.phone = ""
    _save(person, actor=actor)
    return person


@transaction.atomic
def organisation_role_grant(
    *, actor: Actor, organisation: Organisation, person: Person, kind: str
) -> OrganisationRole:
    """Give ``person`` a role on ``organisation``'s behalf (a second grant of the same
    role keeps the first)."""
    existing = OrganisationRole.objects.filter(
        organisation=organisation, person=person, kind=kind
    ).first()
    if existing is not None:
        return existing
    role = OrganisationRole(organisation=organisation, person=person, kind=kind)
    _save(role, actor=actor)
    return role


@transaction.atomic
def organisation_role_revoke(*, actor: Actor, role: OrganisationRole) -> None:
    role._history_user = actor  # type: ignore[attr-defined]
    role.delete()


@transaction.atomic
def organisation_registrator_set(
    *, actor: Actor, organisation: Organisation, official_email: str
) -> Organisation:
    """Where the organisation's extracts and requests for its decisions are sent."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    organisation.official_email = official_email
    _save(organisation, actor=actor)
    return organisation
