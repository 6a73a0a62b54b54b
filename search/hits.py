"""The page's hits of a search, read through each kind's own gate (a title or a
snippet is only ever what the gate lets the user read), all kinds in one query, with
``ts_headline`` for the rows shown only; snippets are plain text."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.search import SearchHeadline, SearchQuery
from django.db import connection
from django.db.models import BigIntegerField, DateField, F, Q, QuerySet, TextField, Value, When
from django.db.models import Case as CaseWhen
from django.db.models.functions import Cast, Coalesce, Concat, TruncDate
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from agreements.selectors import agreements_for_user
from base.actors import Viewer
from base.reversing import reverse_id
from base.roles import is_secretariat
from councils.selectors import (
    cases_for_user,
    documents_for_user,
    meetings_for_user,
    paragraphs_visible_to,
    people_for_user,
    viewer_body_ids,
)
from followups.selectors import followups_for_user
from search.words import join, query

#: Sentinels ts_headline puts around a match; the text is escaped, then they become <mark>.
START, STOP = "\x02", "\x03"


@dataclass
class Hit:
    kind: str
    title: str
    url: str
    rank: float
    when: datetime.date | None = None
    context: str = ""
    snippet: SafeString = field(default_factory=lambda: mark_safe(""))


#: Markdown's marks (headings, emphasis, code, quotes, list bullets) and links: a
#: snippet is plain text, whatever the field it comes from is written in.
MARKUP = re.compile(r"(?m)^\s*(?:#{1,6}|>|[-*+])\s+|\*\*|__|`+")
LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def _snippet(text: str | None) -> SafeString:
    if not text:
        return mark_safe("")
    plain = " ".join(MARKUP.sub(" ", LINK.sub(r"\1", text)).split())
    marked = escape(plain).replace(START, "<mark>").replace(STOP, "</mark>")
    return mark_safe(marked)  # noqa: S308 - escaped above; only <mark> added


#: The columns every kind's hit rows give: two or three texts, a link's id, a date and
#: the snippet.
HIT_COLUMNS = ("hit_a", "hit_b", "hit_c", "hit_link", "hit_when", "hit_snippet")


def _text(value: Any) -> Any:
    return Cast(value, output_field=TextField())


def _hit_rows(kind: str, user: Viewer, query: SearchQuery, pks: list[int]) -> QuerySet[Any]:
    """The rows of ``pks`` the kind's gate lets the user read, as HIT_COLUMNS."""

    def headline(expression: Any) -> SearchHeadline:
        return SearchHeadline(
            expression,
            query,
            config="swedish",
            start_sel=START,
            stop_sel=STOP,
            max_fragments=2,
            max_words=18,
            min_words=6,
            fragment_delimiter=" … ",
        )

    empty = _text(Value(""))
    no_date = Cast(Value(None), output_field=DateField())
    columns: dict[str, Any]
    rows: QuerySet[Any]
    if kind == "arende":
        if is_secretariat(user):
            text: Any = F("description")  # the hit shows the title: not again
        else:
            text = CaseWhen(
                When(
                    Q(public_title="") | Q(body_id__in=viewer_body_ids(user)),
                    then=F("description"),
                ),
                default=Value(""),
                output_field=TextField(),
            )
        rows = cases_for_user(user)
        columns = {
            "hit_a": F("diarienummer"),
            "hit_b": F("shown_title"),
            "hit_c": Coalesce(F("body__name"), empty, output_field=TextField()),
            "hit_link": F("pk"),
            "hit_when": F("registered_on"),
            "hit_snippet": headline(text),
        }
    elif kind == "paragraf":
        rows = paragraphs_visible_to(user)
        columns = {
            "hit_a": _text(F("number")),
            "hit_b": F("title"),
            "hit_c": F("meeting__body__name"),
            "hit_link": F("meeting_id"),
            "hit_when": TruncDate("meeting__starts_at"),
            "hit_snippet": headline(join("summary", "decision")),
        }
    elif kind == "handling":
        rows = documents_for_user(user)
        columns = {
            "hit_a": Concat(
                F("case__diarienummer"), Value("-"), _text(F("sequence")), output_field=TextField()
            ),
            "hit_b": F("subject"),
            "hit_c": F("case__diarienummer"),
            "hit_link": F("pk"),
            "hit_when": F("document_date"),
            "hit_snippet": headline(F("text")),  # the subject is the hit's title
        }
    elif kind == "sammantrade":
        rows = meetings_for_user(user)
        columns = {
            "hit_a": F("body__name"),
            "hit_b": empty,
            "hit_c": F("place"),
            "hit_link": F("pk"),
            "hit_when": TruncDate("starts_at"),
            "hit_snippet": empty,
        }
    elif kind == "overenskommelse":
        rows = agreements_for_user(user)
        columns = {
            "hit_a": F("title"),
            "hit_b": F("short_name"),
            "hit_c": empty,
            "hit_link": F("pk"),
            "hit_when": F("valid_from"),
            "hit_snippet": headline("summary"),
        }
    elif kind == "uppfoljning":
        rows = followups_for_user(user)
        columns = {
            "hit_a": F("title"),
            "hit_b": _text(F("year")),
            "hit_c": empty,
            "hit_link": F("pk"),
            "hit_when": no_date,
            "hit_snippet": headline("summary"),
        }
    else:
        rows = people_for_user(user)
        columns = {
            "hit_a": Concat(F("first_name"), Value(" "), F("last_name"), output_field=TextField()),
            "hit_b": F("title"),
            "hit_c": Coalesce(F("organisation__name"), empty, output_field=TextField()),
            "hit_link": F("pk"),
            "hit_when": no_date,
            "hit_snippet": empty,
        }
    columns = {name: _typed(name, value) for name, value in columns.items()}
    return rows.filter(pk__in=pks).annotate(**columns).values_list("pk", *HIT_COLUMNS)


def _typed(name: str, value: Any) -> Any:
    """Each column one type in every kind's branch (the UNION's)."""
    if name == "hit_link":
        return Cast(value, output_field=BigIntegerField())
    if name == "hit_when":
        return Cast(value, output_field=DateField())
    return Cast(value, output_field=TextField())


def page_hits(user: Viewer, text: str, shown: list[tuple[float, str, int]]) -> list[Hit]:
    """The page's hits, each through its kind's gate, all kinds in one query, with
    ts_headline for these rows only."""
    by_kind: dict[str, list[int]] = {}
    ranks: dict[tuple[str, int], float] = {}
    for rank, kind, pk in shown:
        by_kind.setdefault(kind, []).append(pk)
        ranks[(kind, pk)] = rank
    if not by_kind:
        return []
    searched = query(text)
    parts: list[str] = []
    params: list[Any] = []
    for kind, pks in by_kind.items():
        sql, branch_params = _hit_rows(kind, user, searched, pks).query.sql_with_params()
        parts.append(f"SELECT %s AS kind, hits.* FROM ({sql}) AS hits")  # noqa: S608 - SQL Django compiled, values as parameters
        params += [kind, *branch_params]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        built = {
            (kind, pk): _hit(kind, pk, ranks[(kind, pk)], row)
            for kind, pk, *row in cursor.fetchall()
        }
    return [built[(kind, pk)] for _rank, kind, pk in shown if (kind, pk) in built]


def _hit(kind: str, pk: int, rank: float, row: list[Any]) -> Hit:
    a, b, c, link, when, snippet_text = row
    snippet = _snippet(snippet_text)
    if kind == "arende":
        return Hit(kind, f"{a} {b}", reverse_id("councils:case", pk), rank, when, c, snippet)
    if kind == "paragraf":
        url = f"{reverse_id('councils:protocol', link)}#p-{pk}"
        return Hit(kind, f"§ {a} {b}", url, rank, when, c, snippet)
    if kind == "handling":
        url = reverse_id("councils:document", pk)
        return Hit(kind, f"{a} {b}", url, rank, when, c, snippet)
    if kind == "sammantrade":
        url = reverse_id("councils:meeting", pk)
        return Hit(kind, f"{a} {when:%Y-%m-%d}", url, rank, when, c)
    if kind == "overenskommelse":
        url = reverse("agreements:detail", kwargs={"pk": pk})
        return Hit(kind, a, url, rank, when, b or a, snippet)
    if kind == "uppfoljning":
        url = reverse("followups:followup", kwargs={"pk": pk})
        return Hit(kind, f"{a} {b}", url, rank, None, "", snippet)
    url = reverse("councils:person", kwargs={"pk": pk})
    return Hit(kind, a, url, rank, None, ", ".join(p for p in (b, c) if p))
