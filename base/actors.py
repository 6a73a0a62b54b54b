"""Who acts and who reads, as types: every write takes the acting user (``Actor``:
``None`` for the system itself: the worker, the demo loader, a migration), every read
with a permission decision the user it is for (``Viewer``: the public is an anonymous
user or ``None``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeAlias, TypeVar, cast

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpRequest

    from base.accounts import User

Actor: TypeAlias = "User | None"
Viewer: TypeAlias = "User | AnonymousUser | None"

T = TypeVar("T")
_MISSING = object()


def cached_on(user: object, name: str, compute: Callable[[], T]) -> T:
    """A value about ``user`` computed once per user object, so once per request (the
    request's user lives as long as the request), and kept on it."""
    key = f"_samverkan_{name}"
    value = getattr(user, key, _MISSING)
    if value is _MISSING:
        value = compute()
        setattr(user, key, value)
    return cast(T, value)


def acting_user(request: HttpRequest) -> User:
    """The logged-in user a write of this request acts for. Views that write sit behind
    a login (``login_required``, ``secretariat_required``); an anonymous request that
    reaches one anyway is refused."""
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied

    user = request.user
    if isinstance(user, AnonymousUser):
        raise PermissionDenied
    return user


def requesting_user(request: HttpRequest) -> User | None:
    """The user behind a request that the public may make too (asking for a PDF): the
    logged-in user, or ``None`` for the public."""
    from django.contrib.auth.models import AnonymousUser

    user = request.user
    return None if isinstance(user, AnonymousUser) else user
