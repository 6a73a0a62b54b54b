"""The logged-in page cache: what a *permission class* sees, not what a person sees.

Most of a logged-in page depends only on what the person may do (the secretariat; a
member of this arena; the kommun of this organisation), so two people of one class are
given the same page, but for what is theirs alone: the form token, their name in the
header, their private notes. A view opts in with ``class_cached(classify)``:
``classify(request, **kwargs)`` names the class of the person for this page (every
fact the page reads about who they are), or None when the page is theirs alone.

Rendered for the class, the page carries *slots* instead of what is personal: the form
token (``csrf_token`` in the context: every ``{% csrf_token %}`` and
``{{ csrf_token }}``), the name (``viewer_name``) and the marked parts
(``{% personal "name" arg %}…{% endpersonal %}``, each with a renderer registered by
``register``). Before it leaves, and each time it is served, the slots are filled for
the person asking; a slot never holds anything of the person whose request rendered it.

Keys: the generation of ``base.pagecache`` (every committed write to a record moves it,
so nothing is served stale by a write), the language, htmx or not, the address and the
class. A page is kept only when the view answered 200 with a TemplateResponse, set no
cookie and left no message; a person with a message waiting is never served from it.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.response import TemplateResponse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from base import pagecache
from base.pages import is_htmx

#: The slots: characters no form lets through (Django refuses NUL in every text field).
CSRF_SLOT = mark_safe("\x00csrf\x00")
NAME_SLOT = mark_safe("\x00name\x00")
_SLOT = re.compile(r"\x00slot:([a-z-]+):([^\x00]*)\x00")

Classify = Callable[..., str | None]
Renderer = Callable[[HttpRequest, list[str]], dict[str, str]]
_renderers: dict[str, Renderer] = {}


def register(name: str, renderer: Renderer) -> None:
    """``renderer(request, args)`` gives each ``{% personal name arg %}`` slot of a page
    its HTML for the person asking, all of the page's args at once."""
    _renderers[name] = renderer


def slot(name: str, arg: Any) -> SafeString:
    return mark_safe(f"\x00slot:{name}:{escape(str(arg))}\x00")  # noqa: S308 - escaped


def is_rendering_for_class(context: Any) -> bool:
    return bool(context.get("class_cache"))


def _has_messages(request: HttpRequest) -> bool:
    """A message waiting (read without marking it read)."""
    return len(messages.get_messages(request)) > 0


def cacheable(request: HttpRequest, *, by_key: bool = False) -> bool:
    """A GET or HEAD of a logged-in person with no message waiting (``by_key``: the API,
    whose ``Authorization`` key made the user)."""
    user = getattr(request, "user", None)
    return (
        bool(settings.SAMVERKAN_PAGE_CACHE)
        and settings.SAMVERKAN_CLASS_CACHE
        and request.method in ("GET", "HEAD")
        and user is not None
        and user.is_authenticated
        and (by_key or "Authorization" not in request.headers)
        and not _has_messages(request)
    )


def _key(request: HttpRequest, klass: str) -> str:
    fragment = "1" if is_htmx(request) else "0"
    language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    # The scheme and host too: the API's answers hold absolute addresses.
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    path = hashlib.sha256(address.encode()).hexdigest()
    who = hashlib.sha256(klass.encode()).hexdigest()[:32]
    return f"classcache:{pagecache.generation()}:{language}:{fragment}:{path}:{who}"


def _kept(content: bytes | str, headers: list[tuple[str, str]], how: str) -> HttpResponse:
    response = HttpResponse(content, status=200)
    for name, value in headers:
        response.headers[name] = value
    response.headers["X-Cache"] = how
    return response


def _headers(response: HttpResponse) -> list[tuple[str, str]]:
    return [
        (name, value)
        for name, value in response.headers.items()
        if name.lower() not in ("set-cookie", "x-cache", "content-length")
    ]


def kept_answer(
    request: HttpRequest, klass: str, answer: Callable[[], HttpResponse]
) -> HttpResponse:
    """An answer with nothing personal in it (the API's JSON) for the class ``klass``:
    from the class's copy, or ``answer()`` kept when it is a 200."""
    cache = pagecache._cache()
    key = _key(request, klass)
    cached = cache.get(key)
    if cached is not None:
        return _kept(cached["content"], cached["headers"], "class-hit")
    response = answer()
    if response.status_code == 200 and not response.streaming and not response.cookies:
        cache.set(
            key,
            {"content": response.content, "headers": _headers(response)},
            pagecache.keep_seconds(),
        )
        response.headers["X-Cache"] = "class-miss"
    return response


def fill(request: HttpRequest, content: str) -> str:
    """The page for the person asking: their token, their name, their parts."""
    content = content.replace(CSRF_SLOT, get_token(request))
    content = content.replace(NAME_SLOT, escape(str(request.user)))
    wanted: dict[str, list[str]] = {}
    for name, arg in _SLOT.findall(content):
        wanted.setdefault(name, []).append(arg)
    if not wanted:
        return content
    filled: dict[tuple[str, str], str] = {}
    for name, args in wanted.items():
        renderer = _renderers.get(name)  # a slot no renderer knows is left empty
        for arg, html in renderer(request, args).items() if renderer else ():
            filled[(name, arg)] = html
    return _SLOT.sub(lambda m: filled.get((m.group(1), m.group(2)), ""), content)


def class_cached(classify: Classify) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Serve the view's page from the class's copy, or render it for the class and keep
    it (see the module's text). ``X-Cache: class-hit`` or ``class-miss`` says which."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if not cacheable(request):
                return view(request, *args, **kwargs)
            klass = classify(request, *args, **kwargs)
            if klass is None:
                return view(request, *args, **kwargs)
            cache = pagecache._cache()
            key = _key(request, klass)
            cached = cache.get(key)
            if cached is not None:
                return _kept(fill(request, cached["content"]), cached["headers"], "class-hit")
            response = view(request, *args, **kwargs)
            if not isinstance(response, TemplateResponse) or response.status_code != 200:
                return response
            response.context_data = {
                **(response.context_data or {}),
                "csrf_token": CSRF_SLOT,
                "viewer_name": NAME_SLOT,
                "class_cache": True,
            }
            response.render()
            content = response.content.decode(response.charset)
            if not response.cookies and not _has_messages(request):
                cache.set(
                    key,
                    {"content": content, "headers": _headers(response)},
                    pagecache.keep_seconds(),
                )
                response.headers["X-Cache"] = "class-miss"
            response.content = fill(request, content)
            return response

        wrapper.class_cached = True  # type: ignore[attr-defined]
        return wrapper

    return decorator


def class_of(*facts: Any) -> str:
    """A class's name from the facts that make it: the same facts, the same name."""
    return "|".join(
        ",".join(sorted(str(x) for x in fact))
        if isinstance(fact, list | tuple | set | frozenset)
        else str(fact)
        for fact in facts
    )
