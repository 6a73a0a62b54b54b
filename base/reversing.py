"""``reverse`` for the commonest addresses: one row's page (``name`` with one row id
or one slug) and an address without arguments (the menu's).

A page lists tens of rows, each with a few links and forms (the secretariat's 40-item
agenda: about 340 addresses), and Django resolves the pattern anew for each: a tenth
of a millisecond apiece, a third of the page's time. Here each pattern is reversed
once, with a stand-in id or slug, per URLconf, script prefix, language and app
instance, and the row's id or slug is put in its place: the same text ``reverse``
gives (the ``id`` and ``slug`` converters write the value as it is, and quoting leaves
a slug's characters alone), without the search. An address without arguments is the
same text every time for that key, so it is reversed once.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

#: Fits the ``id`` converter, and no address has it otherwise.
STAND_IN = 2_147_000_047
MAX_ID = 2_147_483_647
#: Fits the ``slug`` converter, and no address has it otherwise.
SLUG_STAND_IN = "x-stand-in-2147000047-x"
#: Django's ``slug`` converter, whole: a value of another form is left to ``reverse``.
_SLUG = re.compile(r"[-a-zA-Z0-9_]+\Z")

_patterns: dict[tuple[Any, ...], tuple[str, str]] = {}
_plain: dict[tuple[Any, ...], str] = {}


def _key(viewname: str, current_app: str | None) -> tuple[Any, ...]:
    return (
        viewname,
        current_app,
        get_urlconf() or settings.ROOT_URLCONF,
        get_script_prefix(),
        get_language(),
    )


def is_row_id(value: object) -> bool:
    return type(value) is int and 0 <= value <= MAX_ID


def reverse_id(viewname: str, pk: int, *, current_app: str | None = None) -> str:
    """``reverse(viewname, args=[pk])`` for a row id, the pattern resolved once."""
    if not is_row_id(pk):
        return reverse(viewname, args=[pk], current_app=current_app)
    key = _key(viewname, current_app)
    halves = _patterns.get(key)
    if halves is None:
        whole = reverse(viewname, args=[STAND_IN], current_app=current_app)
        parts = whole.split(str(STAND_IN))
        if len(parts) != 2:  # the stand-in twice, or transformed: reverse each time
            return reverse(viewname, args=[pk], current_app=current_app)
        halves = _patterns[key] = (parts[0], parts[1])
    return f"{halves[0]}{pk}{halves[1]}"


def reverse_slug(viewname: str, slug: str, *, current_app: str | None = None) -> str:
    """``reverse(viewname, args=[slug])`` for a pattern whose one parameter is a
    ``<slug:…>``, the pattern resolved once."""
    if not (type(slug) is str and _SLUG.match(slug)):
        return reverse(viewname, args=[slug], current_app=current_app)
    key = ("slug", *_key(viewname, current_app))
    halves = _patterns.get(key)
    if halves is None:
        whole = reverse(viewname, args=[SLUG_STAND_IN], current_app=current_app)
        parts = whole.split(SLUG_STAND_IN)
        if len(parts) != 2:
            return reverse(viewname, args=[slug], current_app=current_app)
        halves = _patterns[key] = (parts[0], parts[1])
    return f"{halves[0]}{slug}{halves[1]}"


def reverse_plain(viewname: str, *, current_app: str | None = None) -> str:
    """``reverse(viewname)``: an address without arguments, reversed once per key."""
    key = _key(viewname, current_app)
    url = _plain.get(key)
    if url is None:
        url = _plain[key] = reverse(viewname, current_app=current_app)
    return url
