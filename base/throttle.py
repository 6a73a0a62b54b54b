"""A fixed-window limit per client and purpose, counted in the cache shared by all web
workers: for public pages that do real work per request, such as checking an uploaded
PDF's seal.

The window is fixed by the clock (the key names it: ``…:<window number>``), so a count
can never push its own window's end further out, whatever the cache does with a key's
lifetime. The count is atomic: Redis counts with INCRBY (which keeps the key's
lifetime), the local-memory cache under its lock, and the file cache (``make run``, one
machine; its own ``incr`` is a read and a write that sets the lifetime anew) under a file
lock beside its files, the lifetime what is left of the window.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator

from django.core.cache import caches
from django.core.cache.backends.filebased import FileBasedCache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's address as login throttling sees it (django-axes, which trusts
    ``SAMVERKAN_PROXY_COUNT`` proxies in front and no header beyond them)."""
    from axes.helpers import get_client_ip_address

    return str(get_client_ip_address(request) or "unknown")


@contextlib.contextmanager
def _file_lock(store: FileBasedCache) -> Iterator[None]:
    folder = str(store._dir)  # type: ignore[attr-defined]
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "throttle.lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def count(key: str, *, seconds: int, now: float | None = None) -> int:
    """Count one more in the current fixed window of ``seconds`` for ``key``; the count
    so far, this one included."""
    now = time.time() if now is None else now
    window = int(now // seconds)
    windowed = f"throttle:{key}:{window}"
    store = caches["default"]
    if isinstance(store, FileBasedCache):
        # Its incr is a read and a write, and sets the lifetime anew: both under a lock,
        # the lifetime what is left of the window.
        with _file_lock(store):
            used = int(store.get(windowed, 0)) + 1
            store.set(windowed, used, timeout=max(1, int((window + 1) * seconds - now) + 1))
            return used
    store.add(windowed, 0, timeout=seconds + 1)
    try:
        return int(store.incr(windowed))  # Redis INCRBY; local memory under its lock
    except ValueError:  # culled between add and incr: this is the first again
        store.add(windowed, 1, timeout=seconds + 1)
        return 1


def allow(request: HttpRequest, scope: str, *, limit: int, seconds: int) -> bool:
    """Count one use of ``scope`` by this client; False once ``limit`` uses fall in the
    current window of ``seconds``."""
    return count(f"{scope}:{client_address(request)}", seconds=seconds) <= limit
