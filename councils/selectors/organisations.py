"""Reads of the arenas, people and organisations."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404

from base.actors import Viewer
from base.roles import is_secretariat
from councils.models import (
    Body,
    ExternalIdentity,
    Membership,
    Organisation,
    Person,
)


def bodies_overview() -> QuerySet[Body]:
    """All arenas with what their list and overview need, in a fixed number of queries."""
    return Body.objects.select_related("organisation", "parent").prefetch_related(
        "seat_allocations__organisation"
    )


def body_get(*, slug: str) -> Body:
    """Arenas are public."""
    return get_object_or_404(Body.objects.select_related("organisation", "parent"), slug=slug)


def body_memberships(*, body: Body, current_only: bool = True) -> QuerySet[Membership]:
    memberships = body.memberships.select_related(
        "person__organisation",
        "person__party",
        "represents",
        "appointed_by",
        "substitute_for__person",
    )
    if current_only:
        memberships = memberships.active()
    return memberships.in_role_order()


def people_for_user(user: Viewer) -> QuerySet[Person]:
    """People in their public roles are public; an anonymised person only to the
    secretariat."""
    people = Person.objects.select_related("organisation", "party")
    return people if is_secretariat(user) else people.filter(anonymised_at__isnull=True)


def person_get(*, pk: int, user: Viewer = None) -> Person:
    return get_object_or_404(people_for_user(user), pk=pk)


def person_memberships(*, person: Person) -> QuerySet[Membership]:
    return person.memberships.select_related(
        "body__organisation", "represents", "appointed_by", "substitute_for__person"
    ).order_by("end", "body__name")


def organisation_get(*, slug: str) -> Organisation:
    return get_object_or_404(Organisation, slug=slug)


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
