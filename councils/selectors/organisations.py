"""Reads of the arenas, people and organisations."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from base.actors import Viewer
from base.roles import is_secretariat
from councils.models import (
    Body,
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
