"""A fixed-window limit per client and purpose, kept in the cache (shared by all web
workers when the cache is, per process otherwise): for public pages that do real work
per request, such as checking an uploaded PDF's seal."""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's address as login throttling sees it (django-axes, which trusts
    ``SAMVERKAN_PROXY_COUNT`` proxies in front and no header beyond them)."""
    from axes.helpers import get_client_ip_address

    return str(get_client_ip_address(request) or "unknown")


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
