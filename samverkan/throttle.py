"""A fixed-window limit per client and purpose, kept in the cache (shared by all web
workers when the cache is, per process otherwise): for public pages that do real work
per request, such as checking an uploaded PDF's seal."""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client as the web server saw it (a proxy in front sets REMOTE_ADDR through
    its own configuration, not through a header anyone could send)."""
    return str(request.META.get("REMOTE_ADDR", "") or "unknown")


def allow(request: HttpRequest, scope: str, *, limit: int, seconds: int) -> bool:
    """Count one use of ``scope`` by this client; False once ``limit`` uses fall in the
    current window of ``seconds``."""
    key = f"throttle:{scope}:{client_address(request)}"
    if cache.add(key, 1, timeout=seconds):
        return True
    try:
        used = cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.add(key, 1, timeout=seconds)
        return True
    return used <= limit
