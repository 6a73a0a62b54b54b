"""Who the viewer is: their person record, their organisation roles and the arenas
whose internal matter they read (cached on the user for the request), and ``require``
for the gates."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from base import pagecache
from base.actors import Viewer, cached_on
from base.classcache import class_of
from base.roles import is_secretariat
from councils.models import (
    Membership,
    OrganisationRole,
    Person,
)


def viewer_person(user: Viewer) -> Person | None:
    """The person record of a logged-in user, or None (cached on the user object)."""
    if user is None or not user.is_authenticated:
        return None
    return cached_on(user, "person", lambda: Person.objects.filter(user_id=user.pk).first())


def viewer_roles(user: Viewer) -> list[OrganisationRole]:
    """The tasks the secretariat gave the user's person on organisations' behalf
    (bedömningsansvarig, beslutsansvarig, arvodesadministratör), with their
    organisations: one query, cached on the user for every question of the request."""
    person = viewer_person(user)
    if person is None:
        return []
    return cached_on(
        user,
        "organisation_roles",
        lambda: list(
            OrganisationRole.objects.filter(person=person)
            .select_related("organisation")
            .order_by("pk")
        ),
    )


def viewer_body_ids(user: Viewer) -> frozenset[int]:
    """The arenas in which the user holds an active seat that entitles them to read
    internal documents. Cached on the user object for the request."""
    if user is None or not user.is_authenticated:
        return frozenset()
    return cached_on(
        user,
        "body_ids",
        lambda: frozenset(
            Membership.objects.active()
            .entitled()
            .filter(person__user_id=user.pk)
            .values_list("body_id", flat=True)
        ),
    )


def permission_class(user: Viewer) -> str:
    """Every fact about the user that the gates read (``base.classcache``): the
    secretariat or not, an admin or not, the arenas whose internal matter they read, the
    tasks they hold for organisations. Two users with the same facts are let through
    the same gates. Kept for the generation (``base.pagecache.remember``)."""
    if user is None or not user.is_authenticated:
        return "public"

    def facts() -> str:
        return class_of(
            "secretariat" if is_secretariat(user) else "-",
            "staff" if user.is_staff else "-",
            sorted(viewer_body_ids(user)),
            sorted(f"{role.kind}:{role.organisation_id}" for role in viewer_roles(user)),
        )

    # Each fact is a record (the user, their groups' permissions, seats, tasks): kept
    # for the generation that every write to one of them ends.
    return cached_on(
        user, "permission_class", lambda: pagecache.remember(f"class:{user.pk}", facts)
    )


def _internal_case_q(user: Viewer, prefix: str = "") -> Q:
    """Cases whose internal matter the user may see (not for secretariat: they see all)."""
    return Q(**{f"{prefix}body_id__in": viewer_body_ids(user)})


def require(condition: bool) -> None:
    """Answer 404 unless ``condition``: used where a view's own rule forbids access."""
    if not condition:
        raise Http404
