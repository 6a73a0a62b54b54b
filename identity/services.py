"""Sign-in through an organisation's identity provider: the rules that decide which
account, if any, a provider's person becomes.

1. An identity linked before (provider + subject) is that account.
2. Otherwise a registered person of the provider's organisation, found by the e-mail
   address the provider vouches for (``email_verified``) or by the configured claim,
   is linked: once, recorded with how.
3. Otherwise no one, unless the secretariat turned on self-registration for that
   organisation: then an account and a person without roles or arena seats.

A deactivated account (or a person anonymised) is refused whatever the provider says;
roles and memberships are what the secretariat recorded, never what a provider sends.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from base.accounts import User
from councils.models import Organisation, Person
from identity.models import ExternalIdentity
from identity.providers import Provider, SignInError


@dataclass(frozen=True)
class SignedIn:
    user: User
    identity: ExternalIdentity
    two_factor: bool


def _claims_of(provider: Provider, claims: dict[str, object]) -> tuple[str, str, str, bool]:
    subject = provider.claim(claims, "subject")
    if not subject:
        raise SignInError("the provider sent no subject")
    email = provider.claim(claims, "email").strip().lower()
    name = provider.claim(claims, "name").strip()
    verified = claims.get("email_verified") in (True, "true", "True")
    return subject, email, name, verified


def _find_person(
    provider: Provider, organisation: Organisation, claims: dict[str, object]
) -> tuple[Person | None, str]:
    _subject, email, _name, verified = _claims_of(provider, claims)
    people = Person.objects.filter(organisation=organisation, anonymised_at__isnull=True)
    if provider.link_by == "email":
        if not email or not verified:
            return None, ""
        return people.filter(email__iexact=email).first(), "email"
    # "username": the claim (e.g. an employee id) is the username the secretariat gave
    # the person's account in the portal.
    value = provider.claim(claims, "username")
    if not value:
        return None, ""
    return people.filter(user__username__iexact=value).first(), "username"


@transaction.atomic
def sso_sign_in(*, provider: Provider, claims: dict[str, object], assurance: str) -> SignedIn:
    """The account ``claims`` (checked by the protocol) sign in to, or ``SignInError``."""
    subject, email, name, _verified = _claims_of(provider, claims)
    organisation = Organisation.objects.filter(slug=provider.organisation).first()
    if organisation is None:
        raise SignInError(f"the provider's organisation {provider.organisation!r} is unknown")
    identity = (
        ExternalIdentity.objects.select_for_update()
        .select_related("user")
        .filter(provider=provider.slug, subject=subject)
        .first()
    )
    if identity is None:
        person, linked_by = _find_person(provider, organisation, claims)
        if person is not None and person.user is not None:
            user = person.user
        elif person is not None:
            user = _new_user(email=email or person.email, name=person.full_name)
            person.user = user
            person.save(update_fields=["user"])
        elif organisation.self_registration:
            user = _new_user(email=email, name=name)
            first, _, last = name.partition(" ")
            Person.objects.create(
                first_name=first or email,
                last_name=last,
                organisation=organisation,
                email=email,
                user=user,
            )
            linked_by = "self_registration"
        else:
            raise SignInError("no registered person of the organisation matches")
        if ExternalIdentity.objects.filter(provider=provider.slug, user=user).exists():
            raise SignInError("the account is linked to another identity at this provider")
        identity = ExternalIdentity.objects.create(
            user=user, provider=provider.slug, subject=subject, linked_by=linked_by
        )
    user = identity.user
    person = Person.objects.filter(user=user).first()
    if not user.is_active or (person is not None and person.anonymised_at is not None):
        raise SignInError("the account is deactivated")
    if person is not None and person.organisation_id != organisation.pk:
        raise SignInError("the person belongs to another organisation")
    identity.last_login_at = timezone.now()
    identity.last_assurance = assurance[:200]
    identity.save(update_fields=["last_login_at", "last_assurance"])
    return SignedIn(
        user=user, identity=identity, two_factor=provider.counts_as_two_factor(assurance)
    )


def _new_user(*, email: str, name: str) -> User:
    base = slugify(email.split("@")[0] or name)[:100] or "sso"
    username = base
    number = 1
    while User.objects.filter(username=username).exists():
        number += 1
        username = f"{base}-{number}"
    first, _, last = name.partition(" ")
    user = User(username=username, email=email, first_name=first, last_name=last)
    user.set_unusable_password()
    user.save()
    return user


def sso_sessions_end(*, provider: str, subject: str) -> list[User]:
    """End every portal session of the account linked to ``subject`` at ``provider``
    (the provider logged the person out: a signed SAML logout request, an OpenID logout
    token). Returns the accounts whose sessions ended."""
    users = [
        found.user
        for found in ExternalIdentity.objects.filter(
            provider=provider, subject=subject
        ).select_related("user")
    ]
    for user in users:
        user.end_all_sessions()
    return users
