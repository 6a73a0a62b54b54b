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
lets the user read (``search.hits``). Swedish stemming (``search.words``:
"samverkansavtalet" finds "samverkansavtal"); diarienummer match as typed in part
("RUN/29", trigram index); people are found by name, misspelt too (trigram word
similarity on their own table).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from base.actors import Viewer
from base.roles import is_secretariat
from councils.selectors import people_for_user, viewer_body_ids
from search.hits import Hit, page_hits
from search.words import join, terms

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
    """``search.words.query`` in SQL: the words as typed (websearch syntax), or every word in any of
    its forms without a definite or plural ending."""
    words = terms(text)
    typed = _Sql("websearch_to_tsquery('swedish', %s)", [text])
    if not words:
        return typed
    return _Sql(f"({typed.sql} || to_tsquery('swedish', %s))", [text, words])


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
        .annotate(rank=TrigramWordSimilarity(text, join("first_name", "last_name")))
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
    hits = page_hits(user, text, shown)
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


def watch_hits(user: Viewer, text: str, filters: dict[str, Any]) -> list[Hit]:
    """The hits of a saved search, as its owner may see them (for bevakningar)."""
    chosen = Filters(**{k: v for k, v in filters.items() if k in Filters.__annotations__})
    return search(user=user, text=text, filters=chosen).hits
