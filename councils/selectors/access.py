"""Who the viewer is: their person record and the arenas whose internal matter they
read (cached on the user for the request), and ``require`` for the gates."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import Http404

from councils.models import (
    Membership,
    Person,
)


def viewer_person(user: Any) -> Person | None:
    """The person record of a logged-in user, or None (cached on the user object)."""
    if user is None or not user.is_authenticated:
        return None
    if not hasattr(user, "_samverkan_person"):
        user._samverkan_person = Person.objects.filter(user=user).first()
    return user._samverkan_person


def viewer_body_ids(user: Any) -> frozenset[int]:
    """The arenas in which the user holds an active seat that entitles them to read
    internal documents. Cached on the user object for the request."""
    if user is None or not user.is_authenticated:
        return frozenset()
    if not hasattr(user, "_samverkan_body_ids"):
        user._samverkan_body_ids = frozenset(
            Membership.objects.active()
            .entitled()
            .filter(person__user=user)
            .values_list("body_id", flat=True)
        )
    return user._samverkan_body_ids


def _internal_case_q(user: Any, prefix: str = "") -> Q:
    """Cases whose internal matter the user may see (not for secretariat: they see all)."""
    return Q(**{f"{prefix}body_id__in": viewer_body_ids(user)})


def require(condition: bool) -> None:
    """Answer 404 unless ``condition``: used where a view's own rule forbids access."""
    if not condition:
        raise Http404
