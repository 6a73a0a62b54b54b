"""Where a ``next`` parameter may send a person: only to this site."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def next_url(request: HttpRequest, value: str | None, *, default: str) -> str:
    """``value`` when it is a URL of this site (path or same host, the request's scheme
    or https), else ``default`` (a URL or a URL name). Every view that honours a
    ``next`` goes through here, so none is an open redirect."""
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return resolve_url(default)
