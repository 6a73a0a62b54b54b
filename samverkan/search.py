"""One search box across ärenden, §, documents (their PDF text too), meetings,
agreements, follow-ups and people, in Swedish.

Every kind starts from the same permission gate its pages use (``cases_for_user``,
``documents_for_user``, ``paragraphs_visible_to``, ``meetings_for_user``,
``agreements_for_user``, ``followups_for_user``, ``people_for_user``), so a record the user may not
see cannot appear in a hit, a snippet or a count. Text matches use the stored
``tsvector`` columns (GIN-indexed, kept by the database as generated columns, Swedish
stemming: "samverkansavtalet" finds "samverkansavtal"); diarienummer match as typed in
part ("RUN/29", trigram index); names match misspelt (trigram word similarity).
``ts_headline`` runs only for the rows shown on the page, in one query per kind.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramWordSimilarity,
)
from django.db import connection
from django.db.models import Case as CaseWhen
from django.db.models import F, FloatField, Lookup, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Concat, Greatest
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from agreements.selectors import agreements_for_user
from base.actors import Viewer
from base.roles import is_secretariat
from councils.models import Body
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
    word in any of its forms without a definite or plural ending."""
    typed = SearchQuery(text, config="swedish", search_type="websearch")
    terms = []
    for word in WORD.findall(text.lower())[:12]:
        forms = {word} | {
            word[: -len(ending)]
            for ending in ENDINGS
            if word.endswith(ending) and len(word) - len(ending) >= 4
        }
        terms.append("(" + " | ".join(sorted(forms)) + ")")
    if not terms:
        return typed
    return typed | SearchQuery(" & ".join(terms), config="swedish", search_type="raw")


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


def _ranked(queryset: QuerySet[Any], field_name: str, query: SearchQuery) -> QuerySet[Any]:
    """Matches by the stored vector's GIN index (``@@``), ranked."""
    return queryset.filter(**{field_name: query}).annotate(rank=SearchRank(F(field_name), query))


def _cases(user: Viewer, text: str, query: SearchQuery, f: Filters) -> QuerySet[Any]:
    cases = cases_for_user(user)
    number = Q(diarienummer__icontains=text)
    if is_secretariat(user):
        vector: Any = F("search_internal")
        matches = Q(search_internal=query) | number
    else:  # the internal text only where the user sees the internal matter
        internal = viewer_body_ids(user)
        vector = CaseWhen(
            When(body_id__in=internal, then=F("search_internal")),
            default=F("search_public"),
        )
        matches = Q(search_public=query) | Q(body_id__in=internal, search_internal=query)
        matches |= number
    cases = cases.filter(matches).annotate(
        rank=Greatest(
            SearchRank(vector, query),
            CaseWhen(
                When(diarienummer__istartswith=text, then=Value(1.0)),
                When(number, then=Value(0.8)),
                default=Value(0.0),
                output_field=FloatField(),
            ),
        )
    )
    if f.body:
        cases = cases.filter(body_id=f.body)
    if f.year:
        cases = cases.filter(year=f.year)
    if f.organisation:
        cases = cases.filter(body__organisation_id=f.organisation)
    return cases


def _paragraphs(user: Viewer, query: SearchQuery, f: Filters) -> QuerySet[Any]:
    paragraphs = _ranked(paragraphs_visible_to(user), "search", query)
    if f.body:
        paragraphs = paragraphs.filter(body_id=f.body)
    if f.year:
        paragraphs = paragraphs.filter(year=f.year)
    if f.organisation:
        paragraphs = paragraphs.filter(body__organisation_id=f.organisation)
    return paragraphs


def _documents(user: Viewer, query: SearchQuery, f: Filters) -> QuerySet[Any]:
    documents = _ranked(documents_for_user(user), "search", query)
    if f.body:
        documents = documents.filter(case__body_id=f.body)
    if f.year:
        documents = documents.filter(document_date__year=f.year)
    if f.organisation:
        documents = documents.filter(case__body__organisation_id=f.organisation)
    return documents


class AnyOf(Lookup):
    """``field = ANY(ARRAY(subquery))``. PostgreSQL runs ``field IN (subquery)`` as a
    filter on every row, so an OR with it reads the whole table (the meetings of a
    search: 47 ms at full scale); an array computed once is looked up in the field's
    index, and the OR stays two index scans (2.6 ms)."""

    lookup_name = "any_of"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY(ARRAY{rhs})", [*lhs_params, *rhs_params]


def _meetings(user: Viewer, query: SearchQuery, f: Filters) -> QuerySet[Any]:
    """Meetings (time, place, status) are public: found by their place (an indexed
    vector) or their arena's name (the arenas matched first: they are few)."""
    bodies = (
        Body.objects.annotate(vector=SearchVector("name", "short_name", config="swedish"))
        .filter(vector=query)
        .values("pk")
    )
    place = SearchVector("place", config="swedish")
    vector = SearchVector("body__name", "body__short_name", "place", config="swedish")
    meetings = (
        meetings_for_user(user)
        .select_related("body")
        .annotate(place_vector=place)
        .filter(Q(AnyOf(F("body_id"), bodies)) | Q(place_vector=query))
        .annotate(rank=SearchRank(vector, query))
    )
    if f.body:
        meetings = meetings.filter(body_id=f.body)
    if f.year:
        meetings = meetings.filter(starts_at__year=f.year)
    if f.organisation:
        meetings = meetings.filter(body__organisation_id=f.organisation)
    return meetings


def _agreements(user: Viewer, query: SearchQuery, f: Filters) -> QuerySet[Any]:
    agreements = _ranked(agreements_for_user(user).select_related("case"), "search", query)
    if f.body:
        agreements = agreements.filter(responsible_body_id=f.body)
    if f.year:
        agreements = agreements.filter(valid_from__year__lte=f.year, valid_until__year__gte=f.year)
    if f.organisation:
        agreements = agreements.filter(parties=f.organisation)
    return agreements


def _followups(user: Viewer, query: SearchQuery, f: Filters) -> QuerySet[Any]:
    followups = _ranked(followups_for_user(user).select_related("case"), "search", query)
    if f.body:
        followups = followups.filter(body_id=f.body)
    if f.year:
        followups = followups.filter(year=f.year)
    if f.organisation:
        followups = followups.filter(agreement__parties=f.organisation)
    return followups


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


def search(*, user: Viewer, text: str, filters: Filters | None = None, page: int = 1) -> Results:
    """The hits for ``text`` that the user may see, best first, a page at a time, and
    how many there are of each kind."""
    text = " ".join(text.split())[:200]
    f = filters or Filters()
    if not text:
        return Results(query="", hits=[], counts={}, page=1, pages=1)
    query = _query(text)
    sets: dict[str, QuerySet[Any]] = {
        "arende": _cases(user, text, query, f),
        "paragraf": _paragraphs(user, query, f),
        "handling": _documents(user, query, f),
        "sammantrade": _meetings(user, query, f),
        "overenskommelse": _agreements(user, query, f),
        "uppfoljning": _followups(user, query, f),
    }
    if "/" not in text:  # a diarienummer is not a name
        sets["person"] = _people(user, text, f)
    if f.kind in sets:
        sets = {f.kind: sets[f.kind]}
    counts = _union(
        {kind: qs.order_by().values("pk")[: COUNT_CAP + 1] for kind, qs in sets.items()},
        "COUNT(*)",
    )
    counts = {kind: int(n) for kind, n in counts.items() if n}
    pages = max(1, -(-sum(counts.values()) // PER_PAGE))
    page = min(max(page, 1), pages)
    # Merge by rank: the best ``page * PER_PAGE`` of each kind are enough for the page.
    wanted = page * PER_PAGE
    best: dict[str, QuerySet[Any]] = {}
    for kind, queryset in sets.items():
        if counts.get(kind):
            if counts[kind] > COUNT_CAP:  # a word in most records: the newest first
                queryset = queryset.annotate(common=Value(COMMON_RANK, FloatField()))
                best[kind] = queryset.order_by("-pk").values_list("pk", "common")[:wanted]
            else:
                best[kind] = queryset.order_by("-rank", "-pk").values_list("pk", "rank")[:wanted]
    ranked = [(float(rank), kind, pk) for kind, pk, rank in _union_rows(best)]
    ranked.sort(key=lambda row: (-row[0], row[1], -row[2]))
    shown = ranked[(page - 1) * PER_PAGE : wanted]
    hits = _hits(user, text, query, sets, shown)
    return Results(query=text, hits=hits, counts=counts, page=page, pages=pages)


def _branches(querysets: dict[str, QuerySet[Any]]) -> tuple[list[str], list[Any]]:
    """Each kind's query as SQL, named by its kind: the branches of a ``UNION ALL``
    (each still the kind's own queryset, its permission gate included)."""
    parts: list[str] = []
    params: list[Any] = []
    for kind, queryset in querysets.items():
        sql, branch_params = queryset.query.sql_with_params()
        parts.append(f"SELECT %s AS kind, hits.* FROM ({sql}) AS hits")  # noqa: S608 - SQL Django compiled, values as parameters
        params += [kind, *branch_params]
    return parts, params


def _union(querysets: dict[str, QuerySet[Any]], aggregate: str) -> dict[str, Any]:
    """``aggregate`` over each kind's rows, all kinds in one query."""
    if not querysets:
        return {}
    parts, params = _branches(querysets)
    grouped = [
        f"SELECT kind, {aggregate} FROM ({part}) AS b GROUP BY kind"  # noqa: S608 - as above
        for part in parts
    ]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(grouped), params)
        return dict(cursor.fetchall())


def _union_rows(querysets: dict[str, QuerySet[Any]]) -> list[tuple[str, int, float]]:
    """Each kind's (pk, rank) rows, its own order and limit kept, in one query."""
    if not querysets:
        return []
    parts, params = _branches(querysets)
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(f"({part})" for part in parts), params)
        # (kind, pk, rank), and any column PostgreSQL's DISTINCT made Django add
        return [(row[0], row[1], row[2]) for row in cursor.fetchall()]


def _hits(
    user: Viewer,
    text: str,
    query: SearchQuery,
    sets: dict[str, QuerySet[Any]],
    shown: list[tuple[float, str, int]],
) -> list[Hit]:
    """Build the page's hits: one query per kind, with ts_headline for these rows only."""
    by_kind: dict[str, list[int]] = {}
    for _rank, kind, pk in shown:
        by_kind.setdefault(kind, []).append(pk)
    built: dict[tuple[str, int], Hit] = {}
    for kind, pks in by_kind.items():
        rows = sets[kind].filter(pk__in=pks)
        for row in _with_headline(kind, rows, query, user):
            built[(kind, row.pk)] = _hit(kind, row)
    return [built[(kind, pk)] for _rank, kind, pk in shown if (kind, pk) in built]


def _with_headline(kind: str, rows: QuerySet[Any], query: SearchQuery, user: Viewer) -> Any:
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
        return rows.annotate(snippet=headline(text))
    if kind == "paragraf":
        return rows.annotate(snippet=headline(_join("summary", "decision")))
    if kind == "handling":
        return rows.annotate(snippet=headline(F("text")))  # the subject is the hit's title
    if kind in ("overenskommelse", "uppfoljning"):
        return rows.annotate(snippet=headline("summary"))
    return rows


def _hit(kind: str, row: Any) -> Hit:
    snippet = _snippet(getattr(row, "snippet", ""))
    rank = float(row.rank)
    if kind == "arende":
        return Hit(
            kind,
            f"{row.diarienummer} {row.shown_title}",
            row.get_absolute_url(),
            rank,
            row.registered_on,
            row.body.name,
            snippet,
        )
    if kind == "paragraf":
        return Hit(
            kind,
            f"§ {row.number} {row.title}",
            f"/sammantraden/{row.meeting_id}/protokoll/#p-{row.pk}",
            rank,
            row.meeting.starts_at.date(),
            row.meeting.body.name,
            snippet,
        )
    if kind == "handling":
        return Hit(
            kind,
            f"{row.reference} {row.subject}",
            row.get_absolute_url(),
            rank,
            row.document_date,
            row.case.diarienummer,
            snippet,
        )
    if kind == "sammantrade":
        return Hit(
            kind,
            f"{row.body.name} {row.starts_at:%Y-%m-%d}",
            row.get_absolute_url(),
            rank,
            row.starts_at.date(),
            row.place,
        )
    if kind == "overenskommelse":
        return Hit(kind, row.title, row.get_absolute_url(), rank, row.valid_from, str(row), snippet)
    if kind == "uppfoljning":
        return Hit(kind, str(row), row.get_absolute_url(), rank, None, "", snippet)
    return Hit(
        kind,
        row.full_name,
        row.get_absolute_url(),
        rank,
        None,
        ", ".join(p for p in (row.title, row.organisation.name if row.organisation else "") if p),
    )


def watch_hits(user: Viewer, text: str, filters: dict[str, Any]) -> list[Hit]:
    """The hits of a saved search, as its owner may see them (for bevakningar)."""
    chosen = Filters(**{k: v for k, v in filters.items() if k in Filters.__annotations__})
    return search(user=user, text=text, filters=chosen).hits
