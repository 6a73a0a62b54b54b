"""How a person signs in, for the person page of councils (a panel, ``base.panels``):
shown to the secretariat and to the person."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.http import HttpRequest

from base.panels import Panel
from base.roles import is_secretariat
from councils.models import Person
from identity.models import ExternalIdentity


@dataclass(frozen=True)
class SignIn:
    """How a person's account signs in: a local password, the portal's own second step,
    and each identity provider it is linked to (with the last assurance level)."""

    active: bool
    password: bool
    two_factor: bool
    identities: list[ExternalIdentity]


def person_sign_in(*, person: Person) -> SignIn | None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from base.accounts import User

    if person.user_id is None:
        return None
    user = (
        User.objects.filter(pk=person.user_id)
        .annotate(totp=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)))
        .prefetch_related("external_identities")
        .first()
    )
    if user is None:
        return None
    return SignIn(
        active=user.is_active,
        password=user.has_usable_password(),
        two_factor=bool(getattr(user, "totp", False)),
        identities=list(user.external_identities.all()),
    )


def person_sign_in_panel(request: HttpRequest, *, person: Person) -> Panel | None:
    """The person page's "How the person signs in": for the secretariat and the person."""
    if not person.user_id or not (
        is_secretariat(request.user) or request.user.pk == person.user_id
    ):
        return None
    sign_in = person_sign_in(person=person)
    if sign_in is None:
        return None
    return Panel("identity/person_sign_in.html", {"sign_in": sign_in})
