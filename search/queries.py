"""One search box across ärenden, §, documents (their PDF text too), meetings,
agreements, follow-ups and people, in Swedish.

Which records match, how many of each kind and which are best are answered by the
search table (``search.models.SearchEntry``: one row per record and audience, its
stored vector, the filters' columns and who may see it, one GIN index, partitioned by
kind): one query counts every kind, one ranks the page. The page's hits are then read
through each kind's own gate (``cases_for_user``, ``documents_for_user``,
``paragraphs_visible_to``, ``meetings_for_user``, ``agreements_for_user``,
``followups_for_user``, ``people_for_user``), all kinds in one query with
``ts_headline`` for those rows only: a title or a snippet is only ever what the gate
lets the user read. Swedish stemming ("samverkansavtalet" finds "samverkansavtal");
diarienummer match as typed in part ("RUN/29", trigram index); people are found
by name, misspelt too (trigram word similarity on their own table).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    TrigramWordSimilarity,
)
from django.db import connection
from django.db.models import BigIntegerField, DateField, F, Q, QuerySet, TextField, Value, When
from django.db.models import Case as CaseWhen
from django.db.models.functions import Cast, Coalesce, Concat, TruncDate
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

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

KINDS = {
    "arende": _("Cases (ärenden)"),
    "paragraf": _("Decisions (§)"),
    "handling": _("Documents"),
    "sammantrade": _("Meetings"),
    "overenskommelse": _("Agreements"),
    "uppfoljning": _("Follow-ups"),
    "person": _("People"),
}
PER_PAGE = 20
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


@dataclass
class Filters:
    body: int | None = None
    year: int | None = None
    kind: str = ""
    organisation: int | None = None


@dataclass
class Results:
    query: str
    hits: list[Hit]
    counts: dict[str, int]
    page: int
    pages: int

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def capped(self) -> bool:
        """Some kind has more hits than were counted (COUNT_CAP)."""
        return any(n > COUNT_CAP for n in self.counts.values())


#: Definite and plural endings the Swedish snowball stemmer keeps ("samverkansavtalet"
#: stays itself), tried off each query word so that it also finds the bare form.
ENDINGS = ("erna", "arna", "orna", "ena", "et", "en", "na", "n", "t", "s")
WORD = re.compile(r"[^\W_]+")


def _query(text: str) -> SearchQuery:
    """The user's words as typed (websearch syntax: "quotes", or, -not), or else every
    word in any of its forms without a definite or plural ending (``_tsquery`` in SQL)."""
    typed = SearchQuery(text, config="swedish", search_type="websearch")
    terms = _terms(text)
    if not terms:
        return typed
    return typed | SearchQuery(terms, config="swedish", search_type="raw")


def _join(*names: str) -> Concat:
    parts: list[Any] = []
    for name in names:
        parts += [F(name), Value(" ")]
    return Concat(*parts[:-1], output_field=TextField())


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


#: Counts stop here ("more than 1 000"): counting every match of a word that is in
#: most records costs more than the page. Such a word says little about relevance, so
#: a kind with more matches than this lists its newest first instead of ranking them
#: all (COMMON_RANK places them among the other kinds' hits).
COUNT_CAP = 1000
COMMON_RANK = 0.05
#: The kinds the search table holds (people are searched by name in their own table).
TABLE_KINDS = ("arende", "paragraf", "handling", "sammantrade", "overenskommelse", "uppfoljning")


@dataclass
class _Sql:
    """A piece of SQL and its parameters."""

    sql: str
    params: list[Any]

    def __add__(self, other: _Sql) -> _Sql:
        return _Sql(f"{self.sql} AND {other.sql}", [*self.params, *other.params])


def _tsquery(text: str) -> _Sql:
    """``_query`` in SQL: the words as typed (websearch syntax), or every word in any of
    its forms without a definite or plural ending."""
    terms = _terms(text)
    typed = _Sql("websearch_to_tsquery('swedish', %s)", [text])
    if not terms:
        return typed
    return _Sql(f"({typed.sql} || to_tsquery('swedish', %s))", [text, terms])


def _visible(user: Viewer) -> _Sql:
    """The rows of the search table the user may see (see ``search.models``)."""
    if is_secretariat(user):
        return _Sql("e.staff", [])
    mine = sorted(viewer_body_ids(user))
    if not mine:
        return _Sql("e.public", [])
    return _Sql(
        "((e.public AND NOT e.hidden_from && %s::bigint[]) OR e.readers && %s::bigint[])",
        [mine, mine],
    )


def _filtered(f: Filters) -> _Sql:
    parts, params = ["TRUE"], []
    if f.body:
        parts.append("e.body_id = %s")
        params.append(f.body)
    if f.year:
        parts.append("e.year_from <= %s AND e.year_until >= %s")
        params += [f.year, f.year]
    if f.organisation:
        parts.append("e.organisations @> ARRAY[%s]::bigint[]")
        params.append(f.organisation)
    return _Sql(" AND ".join(parts), params)


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _matching(kind: str, text: str, user: Viewer, f: Filters) -> tuple[_Sql, _Sql]:
    """A kind's visible, filtered matches in the search table (``FROM … WHERE``), and
    their rank: the vector's, and for an ärende 1 when its diarienummer starts with
    the text, 0.8 when it holds it."""
    query = _tsquery(text)
    match = _Sql(f"e.vector @@ {query.sql}", query.params)
    rank = _Sql(f"ts_rank(e.vector, {query.sql})", query.params)
    if kind == "arende":
        like = _like(text)
        match = _Sql(f"({match.sql} OR e.number ILIKE %s)", [*match.params, f"%{like}%"])
        rank = _Sql(
            f"GREATEST({rank.sql}, CASE WHEN e.number ILIKE %s THEN 1.0"
            " WHEN e.number ILIKE %s THEN 0.8 ELSE 0.0 END)",
            [*rank.params, f"{like}%", f"%{like}%"],
        )
    where = _Sql("e.kind = %s", [kind]) + match + _visible(user) + _filtered(f)
    return _Sql(f"FROM search_entry e WHERE {where.sql}", where.params), rank


def _people(user: Viewer, text: str, f: Filters) -> QuerySet[Any]:
    """People by name, forgiving misspellings, through their gate (names and roles are
    public; an anonymised person only for the secretariat)."""
    people = (
        people_for_user(user)
        .annotate(rank=TrigramWordSimilarity(text, _join("first_name", "last_name")))
        .filter(rank__gte=0.45)
    )
    if f.organisation:
        people = people.filter(organisation_id=f.organisation)
    if f.body:
        people = people.filter(memberships__body_id=f.body).distinct()
    return people


def _kinds(text: str, f: Filters) -> list[str]:
    kinds = list(TABLE_KINDS)
    if "/" not in text:  # a diarienummer is not a name
        kinds.append("person")
    return [f.kind] if f.kind in kinds else kinds


def search(*, user: Viewer, text: str, filters: Filters | None = None, page: int = 1) -> Results:
    """The hits for ``text`` that the user may see, best first, a page at a time, and
    how many there are of each kind: one query counts, one ranks, one reads the page."""
    text = " ".join(text.split())[:200]
    f = filters or Filters()
    if not text:
        return Results(query="", hits=[], counts={}, page=1, pages=1)
    kinds = _kinds(text, f)
    people = _people(user, text, f) if "person" in kinds else None
    counts = {kind: n for kind, n in _counts(user, text, f, kinds, people).items() if n}
    pages = max(1, -(-sum(counts.values()) // PER_PAGE))
    page = min(max(page, 1), pages)
    # Merge by rank: the best ``page * PER_PAGE`` of each kind are enough for the page.
    wanted = page * PER_PAGE
    ranked = _ranks(user, text, f, counts, wanted, people)
    ranked.sort(key=lambda row: (-row[0], row[1], -row[2]))
    shown = ranked[(page - 1) * PER_PAGE : wanted]
    hits = _hits(user, text, shown)
    return Results(query=text, hits=hits, counts=counts, page=page, pages=pages)


def _counts(
    user: Viewer, text: str, f: Filters, kinds: list[str], people: QuerySet[Any] | None
) -> dict[str, int]:
    """Each kind's matches, counted to COUNT_CAP and one more, in one query: each
    kind's branch reads its own part of the table's GIN index."""
    branches: list[_Sql] = []
    for kind in kinds:
        if kind == "person":
            assert people is not None
            sql, params = people.order_by().values("pk")[: COUNT_CAP + 1].query.sql_with_params()
            counted = f"SELECT 'person', count(*) FROM ({sql}) AS p"  # noqa: S608 - compiled by Django
            branches.append(_Sql(counted, list(params)))
            continue
        rows, _rank = _matching(kind, text, user, f)
        branches.append(
            _Sql(
                f"SELECT %s, count(*) FROM (SELECT 1 {rows.sql} LIMIT {COUNT_CAP + 1}) AS k",  # noqa: S608 - our SQL, values as parameters
                [kind, *rows.params],
            )
        )
    with connection.cursor() as cursor:
        cursor.execute(
            " UNION ALL ".join(b.sql for b in branches), [p for b in branches for p in b.params]
        )
        return {kind: int(n) for kind, n in cursor.fetchall()}


def _ranks(
    user: Viewer,
    text: str,
    f: Filters,
    counts: dict[str, int],
    wanted: int,
    people: QuerySet[Any] | None,
) -> list[tuple[float, str, int]]:
    """The best ``wanted`` (rank, kind, pk) of each kind found, in one query: by rank,
    or newest first where a kind has more matches than were counted."""
    branches: list[_Sql] = []
    for kind, n in counts.items():
        if kind == "person":
            assert people is not None
            best = people.order_by("-rank", "-pk").values_list("pk", "rank")[:wanted]
            sql, params = best.query.sql_with_params()
            branches.append(
                _Sql(f"(SELECT p.rank::float, 'person', p.pk FROM ({sql}) AS p)", list(params))  # noqa: S608 - as above
            )
            continue
        rows, rank = _matching(kind, text, user, f)
        if n > COUNT_CAP:  # a word in most records: the newest first
            select = _Sql(f"SELECT {COMMON_RANK}::float, %s, e.object_id", [kind])
            order = "e.object_id DESC"
        else:
            select = _Sql(
                f"SELECT ({rank.sql})::float AS rank, %s, e.object_id", [*rank.params, kind]
            )
            order = "rank DESC, e.object_id DESC"
        branches.append(
            _Sql(
                f"({select.sql} {rows.sql} ORDER BY {order} LIMIT {int(wanted)})",
                [*select.params, *rows.params],
            )
        )
    if not branches:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            " UNION ALL ".join(b.sql for b in branches), [p for b in branches for p in b.params]
        )
        return [(float(rank), kind, int(pk)) for rank, kind, pk in cursor.fetchall()]


def _terms(text: str) -> str:
    """Every word of ``text`` in any of its forms, as a raw tsquery ("" if none)."""
    terms = []
    for word in WORD.findall(text.lower())[:12]:
        forms = {word} | {
            word[: -len(ending)]
            for ending in ENDINGS
            if word.endswith(ending) and len(word) - len(ending) >= 4
        }
        terms.append("(" + " | ".join(sorted(forms)) + ")")
    return " & ".join(terms)


# --- The page's hits, through the gates ------------------------------------------------

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
            "hit_snippet": headline(_join("summary", "decision")),
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


def _hits(user: Viewer, text: str, shown: list[tuple[float, str, int]]) -> list[Hit]:
    """The page's hits, each through its kind's gate, all kinds in one query, with
    ts_headline for these rows only."""
    by_kind: dict[str, list[int]] = {}
    ranks: dict[tuple[str, int], float] = {}
    for rank, kind, pk in shown:
        by_kind.setdefault(kind, []).append(pk)
        ranks[(kind, pk)] = rank
    if not by_kind:
        return []
    query = _query(text)
    parts: list[str] = []
    params: list[Any] = []
    for kind, pks in by_kind.items():
        sql, branch_params = _hit_rows(kind, user, query, pks).query.sql_with_params()
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


def watch_hits(user: Viewer, text: str, filters: dict[str, Any]) -> list[Hit]:
    """The hits of a saved search, as its owner may see them (for bevakningar)."""
    chosen = Filters(**{k: v for k, v in filters.items() if k in Filters.__annotations__})
    return search(user=user, text=text, filters=chosen).hits
