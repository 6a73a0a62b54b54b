"""The words of a search in Swedish: as typed (websearch syntax), or each word in any
of its forms without a definite or plural ending (the Swedish snowball stemmer keeps
"samverkansavtalet" as it is)."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.postgres.search import SearchQuery
from django.db.models import F, TextField, Value
from django.db.models.functions import Concat

#: Definite and plural endings the Swedish snowball stemmer keeps ("samverkansavtalet"
#: stays itself), tried off each query word so that it also finds the bare form.
ENDINGS = ("erna", "arna", "orna", "ena", "et", "en", "na", "n", "t", "s")
WORD = re.compile(r"[^\W_]+")


def query(text: str) -> SearchQuery:
    """The user's words as typed (websearch syntax: "quotes", or, -not), or else every
    word in any of its forms without a definite or plural ending (in SQL:
    ``search.queries._tsquery``)."""
    typed = SearchQuery(text, config="swedish", search_type="websearch")
    words = terms(text)
    if not words:
        return typed
    return typed | SearchQuery(words, config="swedish", search_type="raw")


def join(*names: str) -> Concat:
    """The fields ``names`` as one text, a space between each."""
    parts: list[Any] = []
    for name in names:
        parts += [F(name), Value(" ")]
    return Concat(*parts[:-1], output_field=TextField())


def terms(text: str) -> str:
    """Every word of ``text`` in any of its forms, as a raw tsquery ("" if none)."""
    parts = []
    for word in WORD.findall(text.lower())[:12]:
        forms = {word} | {
            word[: -len(ending)]
            for ending in ENDINGS
            if word.endswith(ending) and len(word) - len(ending) >= 4
        }
        parts.append("(" + " | ".join(sorted(forms)) + ")")
    return " & ".join(parts)
