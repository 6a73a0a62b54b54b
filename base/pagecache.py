"""The anonymous full-page cache: what the public reads, kept in the cache shared by
all web workers (Redis in production, files under ``.data/cache`` in ``make run``).

A page enters the cache only when nothing about it is personal: a GET or HEAD from a
visitor with no session and no pending messages (so never a logged-in person), a 200
answer that sets no cookie, used no CSRF token and did not mark itself private. Such a
page shows only what the public may see (the permission gates run as for any
anonymous visitor), so nothing confidential can enter.

Keys: the page's full address (scheme and host included: the API and the feeds answer
with absolute addresses), the language, whether htmx asked for a fragment, and the
*generation*: one counter that every committed write to the portal's records moves
(``bump``; every statement that writes to a record's table is seen, whatever made it:
``_watch_writes`` wraps every database connection), so the next request after a
justering, a new public document or a sent kallelse renders anew; nothing is ever
served stale by a write. What changes with the calendar alone (an anslag taken down at
midnight, a meeting that starts) is bounded by the entries' lifetime, which never
reaches past midnight.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import re
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from base.pages import is_htmx

GENERATION_KEY = "pagecache:generation"
#: The apps whose records the pages show, and who may see them (``auth``: groups and
#: their permissions, which make a user the secretariat).
APPS = ("councils", "agreements", "recommendations", "followups", "samverkan", "auth")
#: Cookies that make a visitor someone in particular: never served from or into the cache.
PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")


def _cache() -> Any:
    return caches[settings.SAMVERKAN_PAGE_CACHE]


def _fresh_generation() -> int:
    """A generation no earlier one reached: the clock in milliseconds (a counter only
    ever moves by one a write, so it never catches up with the clock)."""
    return int(timezone.now().timestamp() * 1000)


def generation() -> int:
    """The current generation. Made on first use, and made anew if the cache lost it
    (a full cache culls entries): never an old value, under which old pages may still
    be kept."""
    cache = _cache()
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, _fresh_generation(), timeout=None)
        value = cache.get(GENERATION_KEY, 0)
    return int(value)


def bump() -> None:
    """Move the generation: every cached page is out of date from now on."""
    if not settings.SAMVERKAN_PAGE_CACHE:
        return
    cache = _cache()
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not there (culled or never made)
        cache.set(GENERATION_KEY, _fresh_generation(), timeout=None)


def remember(name: str, compute: Callable[[], Any]) -> Any:
    """``compute()``, kept for this generation (shared by every worker): for what only a
    write to the records can change, such as who a user is for the gates."""
    if not settings.SAMVERKAN_PAGE_CACHE:
        return compute()
    cache = _cache()
    key = f"remember:{generation()}:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, keep_seconds())
    return value


def _bump_on_commit() -> None:
    bump()


def _record_written() -> None:
    """A record changed: out of date now (what this transaction's own later reads
    see), and again when it commits (what another worker read meanwhile, before the
    commit, and put in the cache under the new generation): once per transaction."""
    bump()
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        hook is _bump_on_commit for _ids, hook, _robust in connection.run_on_commit
    ):
        return
    transaction.on_commit(_bump_on_commit)


#: A statement that writes, and the table it writes to.
_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE)\s+"?(\w+)"?', re.I)


@functools.cache
def record_tables() -> frozenset[str]:
    """The tables of the records the public pages show: every model of the portal's
    apps and their many-to-many tables, their history rows aside (they come with a
    change of the record itself), and the API keys' (every keyed request notes its
    use; a key is shown on its owner's own page only, which is never kept)."""
    return frozenset(
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in APPS
        and not (model._meta.model_name or "").startswith("historical")
        and model._meta.label != "samverkan.ApiToken"
    )


def _watch_writes(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
) -> Any:
    """Every statement on every connection passes here: one that writes to a record's
    table moves the generation, whichever way it was made (a model's save or delete, a
    queryset's ``update`` or ``delete``, ``bulk_create``, ``bulk_update``, raw SQL)."""
    result = execute(sql, params, many, context)
    if sql[:1] not in ("S", "s"):  # SELECT, SAVEPOINT: the common case, at once
        written = _WRITE.match(sql)
        if written is not None and written.group(1) in record_tables():
            _record_written()
    return result


def _connection_created(sender: Any, connection: Any, **kwargs: Any) -> None:
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_writes)


def connect_signals() -> None:
    """Watch the writes of every database connection, those open now and those to come."""
    from django.db import connections
    from django.db.backends.signals import connection_created

    connection_created.connect(_connection_created, dispatch_uid="pagecache-writes")
    for connection in connections.all(initialized_only=True):
        _connection_created(None, connection)


def _seconds_to_midnight() -> int:
    now = timezone.localtime()
    midnight = datetime.datetime.combine(
        now.date() + datetime.timedelta(days=1), datetime.time(), tzinfo=now.tzinfo
    )
    return max(1, int((midnight - now).total_seconds()))


def keep_seconds() -> int:
    """How long a kept page or fact may live: the setting's seconds, never past midnight
    (a date on the page may turn then)."""
    return min(settings.SAMVERKAN_PAGE_CACHE_SECONDS, _seconds_to_midnight())


def _cacheable_request(request: HttpRequest) -> bool:
    """A GET or HEAD from nobody in particular: no session, no pending messages, no
    API key (``Authorization``)."""
    return (
        request.method in ("GET", "HEAD")
        and "Authorization" not in request.headers
        and not any(name in request.COOKIES for name in PERSONAL_COOKIES)
    )


def _key(request: HttpRequest, generation_now: int) -> str:
    fragment = "1" if is_htmx(request) else "0"
    language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    # The scheme and host too: the API's answers and the feeds hold absolute addresses.
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    path = hashlib.sha256(address.encode()).hexdigest()
    return f"pagecache:{generation_now}:{language}:{fragment}:{path}"


def _cacheable_response(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or (
        getattr(request, "session", None)
        and (request.session.accessed and not request.session.is_empty())
    ):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    control = response.headers.get("Cache-Control", "")
    return "private" not in control and "no-store" not in control


class PublicPageCacheMiddleware:
    """Serve an anonymous visitor's page from the cache, or render it and keep it.
    ``X-Cache: hit`` or ``miss`` says which (a logged-in person gets neither)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            not settings.SAMVERKAN_PAGE_CACHE
            or request.path_info.startswith(settings.SAMVERKAN_PAGE_CACHE_SKIP)
            or not _cacheable_request(request)
        ):
            return self.get_response(request)
        cache = _cache()
        key = _key(request, generation())
        cached = cache.get(key)
        if cached is not None:
            response = HttpResponse(cached["content"], status=200)
            for name, value in cached["headers"]:
                response.headers[name] = value
            response.headers["X-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if _cacheable_response(request, response):
            headers = [
                (name, value)
                for name, value in response.headers.items()
                if name.lower() not in ("set-cookie", "x-cache")
            ]
            cache.set(key, {"content": response.content, "headers": headers}, keep_seconds())
            response.headers["X-Cache"] = "miss"
        return response


def public_post(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A POST the public may make from a cached page (asking for a PDF): the page
    carries a form token only for a logged-in person, who is checked as everywhere;
    the public's POST has no session another site could ride on, and takes none."""
    protected = csrf_protect(view)

    @csrf_exempt
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            return protected(request, *args, **kwargs)
        return view(request, *args, **kwargs)

    return wrapper
