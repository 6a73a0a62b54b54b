"""The read-only open-data API: OParl 1.1 for what OParl knows, and documented
endpoints of our own for agreements, follow-ups and assessments.

OParl mapping: an OParl *Body* is an organisation that has arenas (the region, …);
*Organization* is an arena (councils.Body); *Paper* an ärende; *Consultation* one
appearance of an ärende on an arena's agenda (the ärendegång); *File* a document;
*Location* a meeting's place; *LegislativeTerm* a four-year mandate period.

Without a key the API gives what the public sees; ``Authorization: Bearer <key>``
(a key made on "Mina API-nycklar") gives what the key's owner sees in the browser. The
same selectors decide both. Every error is JSON with a message.
"""

from __future__ import annotations

import datetime
import functools
import math
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model, OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404, HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.views.decorators.http import require_GET

from agreements.models import Agreement
from councils import selectors
from councils.models import (
    AgendaItem,
    Body,
    Document,
    Meeting,
    Membership,
    Organisation,
    Person,
)
from samverkan.models import ApiToken

OPARL = "https://schema.oparl.org/1.1/"
PER_PAGE, MAX_PER_PAGE = 50, 200
#: Mandate periods (mandatperioder) of four years; the first that the portal holds.
FIRST_TERM = 2015


class ApiError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message, "status": status}, status=status)


def api_view(view: Callable[..., Any]) -> Callable[..., JsonResponse]:
    """JSON in every case: the key (if any) decides the user; a missing object, a bad
    parameter or a bad key answer with a JSON error, never an HTML page."""

    @require_GET
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
        header = request.headers.get("Authorization", "")
        if header:
            scheme, _space, key = header.partition(" ")
            user = ApiToken.user_for(key.strip()) if scheme.lower() == "bearer" else None
            if user is None:
                return _error(401, "The API key is not valid or has been revoked.")
            request.user = user
        elif not request.user.is_authenticated:
            request.user = AnonymousUser()
        try:
            data = view(request, *args, **kwargs)
        except Http404:
            return _error(404, "No such object, or not one you may see.")
        except ApiError as error:
            return _error(error.status, error.message)
        response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
        response["Access-Control-Allow-Origin"] = "*"
        if request.headers.get("Authorization"):
            response["Cache-Control"] = "private, no-store"
        return response

    return wrapper


def _url(request: HttpRequest, name: str, *args: Any, query: dict[str, Any] | None = None) -> str:
    url = request.build_absolute_uri(reverse(f"api:{name}", args=args))
    return f"{url}?{urlencode(query)}" if query else url


def _web(request: HttpRequest, obj: Any) -> str:
    return request.build_absolute_uri(obj.get_absolute_url())


def _moment(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return value.isoformat()


# --- Created, modified, deleted: from the change history -----------------------------------


def _stamped(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Annotate ``created`` and ``modified`` from django-simple-history."""
    history = queryset.model.history.model
    rows = history.objects.filter(id=OuterRef("pk"))
    return queryset.annotate(
        created=Subquery(rows.order_by("history_date").values("history_date")[:1]),
        modified=Subquery(rows.order_by("-history_date").values("history_date")[:1]),
    )


def _moment_param(request: HttpRequest, name: str) -> datetime.datetime | None:
    raw = request.GET.get(name)
    if not raw:
        return None
    problem = ApiError(400, f"{name}: give a date or time as ISO 8601, e.g. 2026-01-31.")
    try:
        moment = parse_datetime(raw)
        if moment is None:
            day = parse_date(raw)
            if day is None:
                raise problem
            moment = datetime.datetime.combine(day, datetime.time())
        return timezone.make_aware(moment) if timezone.is_naive(moment) else moment
    except (ValueError, OverflowError) as error:  # e.g. year 0, month 13
        raise problem from error


def _filtered(request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
    for param, lookup in (
        ("created_since", "created__gte"),
        ("created_until", "created__lte"),
        ("modified_since", "modified__gte"),
        ("modified_until", "modified__lte"),
    ):
        moment = _moment_param(request, param)
        if moment is not None:
            queryset = queryset.filter(**{lookup: moment})
    return queryset


def _deleted(request: HttpRequest, model: type[Model], name: str, kind: str) -> list[dict]:
    """Objects deleted since ``modified_since``, marked as OParl asks."""
    since = _moment_param(request, "modified_since")
    if since is None:
        return []
    history = model.history.model  # type: ignore[attr-defined]
    return [
        {
            "id": _url(request, name, row.id),
            "type": OPARL + kind,
            "deleted": True,
            "modified": _moment(row.history_date),
        }
        for row in history.objects.filter(history_type="-", history_date__gte=since)
    ]


def _page(
    request: HttpRequest,
    queryset: QuerySet[Any],
    serialize: Callable[[Any], dict],
    *,
    deleted: list[dict] | None = None,
    before: Callable[[list[Any]], None] | None = None,
) -> dict[str, Any]:
    """OParl's list: data, pagination and links (filters kept in the links).
    ``before`` sees the page's rows first, to fetch what they share in one query."""
    try:
        page = max(int(request.GET.get("page", 1)), 1)
        limit = min(max(int(request.GET.get("limit", PER_PAGE)), 1), MAX_PER_PAGE)
    except ValueError as error:
        raise ApiError(400, "page and limit are whole numbers.") from error
    total = queryset.count()
    pages = max(math.ceil(total / limit), 1)
    page = min(page, pages)  # past the end: the last page, never an impossible offset
    rows = list(queryset[(page - 1) * limit : page * limit])
    if before is not None:
        before(rows)
    data = [serialize(row) for row in rows]
    if page == pages and deleted:
        data += deleted
    base = request.build_absolute_uri(request.path)
    params = {k: v for k, v in request.GET.items() if k != "page"}

    def link(number: int) -> str:
        return f"{base}?{urlencode({**params, 'page': number})}"

    links = {"first": link(1), "last": link(pages)}
    if page > 1:
        links["prev"] = link(page - 1)
    if page < pages:
        links["next"] = link(page + 1)
    return {
        "data": data,
        "pagination": {
            "totalElements": total,
            "elementsPerPage": limit,
            "currentPage": page,
            "totalPages": pages,
        },
        "links": links,
    }


# --- Serialisers ---------------------------------------------------------------------------------


def _stamps(obj: Any) -> dict[str, Any]:
    return {"created": _moment(obj.created), "modified": _moment(obj.modified)}


def _terms(request: HttpRequest, organisation: Organisation) -> list[dict]:
    this_year = timezone.localdate().year
    return [_term(request, organisation, start) for start in range(FIRST_TERM, this_year + 1, 4)]


def _term(request: HttpRequest, organisation: Organisation, start: int) -> dict[str, Any]:
    return {
        "id": _url(request, "legislativeterm", organisation.pk, start),
        "type": OPARL + "LegislativeTerm",
        "body": _url(request, "body", organisation.pk),
        "name": f"Mandatperiod {start}–{start + 3}",
        "startDate": f"{start}-01-01",
        "endDate": f"{start + 3}-12-31",
    }


def _body(request: HttpRequest, org: Organisation) -> dict[str, Any]:
    return {
        "id": _url(request, "body", org.pk),
        "type": OPARL + "Body",
        "system": _url(request, "system"),
        "name": org.name,
        "shortName": org.label,
        "website": org.website or None,
        "organization": _url(request, "body-organizations", org.pk),
        "person": _url(request, "body-persons", org.pk),
        "meeting": _url(request, "body-meetings", org.pk),
        "paper": _url(request, "body-papers", org.pk),
        "legislativeTerm": _terms(request, org),
        "legislativeTermList": _url(request, "body-legislativeterms", org.pk),
        "web": _web(request, org),
        **_stamps(org),
    }


def _organization(request: HttpRequest, body: Body) -> dict[str, Any]:
    return {
        "id": _url(request, "organization", body.pk),
        "type": OPARL + "Organization",
        "body": _url(request, "body", body.organisation_id),
        "name": body.name,
        "shortName": body.short_name or None,
        "organizationType": body.get_kind_display(),
        "classification": body.get_procedure_display(),
        "membership": [_url(request, "membership", m.pk) for m in body.memberships.all()],
        "meeting": _url(request, "organization-meetings", body.pk),
        "subOrganizationOf": _url(request, "organization", body.parent_id)
        if body.parent_id
        else None,
        "endDate": _moment(body.ended),
        "web": _web(request, body),
        **_stamps(body),
    }


def _person(request: HttpRequest, person: Person) -> dict[str, Any]:
    return {
        "id": _url(request, "person", person.pk),
        "type": OPARL + "Person",
        "name": person.full_name,
        "familyName": person.last_name,
        "givenName": person.first_name,
        "title": [person.title] if person.title else [],
        "membership": [_url(request, "membership", m.pk) for m in person.memberships.all()],
        "web": _web(request, person),
        **_stamps(person),
    }


def _membership(request: HttpRequest, m: Membership) -> dict[str, Any]:
    return {
        "id": _url(request, "membership", m.pk),
        "type": OPARL + "Membership",
        "person": _url(request, "person", m.person_id),
        "organization": _url(request, "organization", m.body_id),
        "role": m.get_role_display(),
        "votingRight": m.role in Membership.Role.seated(),
        "startDate": _moment(m.start),
        "endDate": _moment(m.end),
        **_stamps(m),
    }


def _location(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    return {
        "id": _url(request, "location", meeting.pk),
        "type": OPARL + "Location",
        "description": meeting.place or meeting.remote_link or "",
        "meeting": [_url(request, "meeting", meeting.pk)],
    }


def _agenda_item(request: HttpRequest, item: AgendaItem) -> dict[str, Any]:
    return {
        "id": _url(request, "agendaitem", item.pk),
        "type": OPARL + "AgendaItem",
        "meeting": _url(request, "meeting", item.meeting_id),
        "number": str(item.position),
        "order": item.position,
        "name": item.shown_title,  # type: ignore[attr-defined]
        "public": item.public,
        "consultation": _url(request, "consultation", item.pk) if item.case_id else None,
    }


def _meeting(request: HttpRequest, meeting: Meeting, *, agenda: bool) -> dict[str, Any]:
    data = {
        "id": _url(request, "meeting", meeting.pk),
        "type": OPARL + "Meeting",
        "name": f"{meeting.body.name} {timezone.localtime(meeting.starts_at):%Y-%m-%d}",
        "meetingState": meeting.get_status_display(),
        "cancelled": meeting.status == Meeting.Status.CANCELLED,
        "start": _moment(meeting.starts_at),
        "end": _moment(meeting.ends_at),
        "location": _location(request, meeting),
        "organization": [_url(request, "organization", meeting.body_id)],
        "web": _web(request, meeting),
        **_stamps(meeting),
    }
    if agenda:  # one meeting: its agenda as the user may see it
        items = selectors.agenda_for_user(user=request.user, meeting=meeting)
        data["agendaItem"] = [_agenda_item(request, item) for item in items]
    return data


def _paper(request: HttpRequest, case: Any, documents: list[Document]) -> dict[str, Any]:
    return {
        "id": _url(request, "paper", case.pk),
        "type": OPARL + "Paper",
        "body": _url(request, "body", case.body.organisation_id),
        "name": case.shown_title,
        "reference": case.diarienummer,
        "date": _moment(case.registered_on),
        "paperType": "Ärende",
        "auxiliaryFile": [_url(request, "file", d.pk) for d in documents],
        "underDirectionOf": [_url(request, "organization", case.body_id)],
        "consultation": [
            _url(request, "consultation", item.pk) for item in case.agenda_items.all()
        ],
        "web": _web(request, case),
        **_stamps(case),
    }


def _file(request: HttpRequest, document: Document) -> dict[str, Any]:
    data = {
        "id": _url(request, "file", document.pk),
        "type": OPARL + "File",
        "name": document.subject,
        "date": _moment(document.document_date),
        "paper": [_url(request, "paper", document.case_id)],
        "web": _web(request, document),
        **_stamps(document),
    }
    if document.file:
        download = request.build_absolute_uri(
            reverse("councils:document-download", kwargs={"pk": document.pk})
        )
        data |= {
            "fileName": document.file_name,
            "mimeType": document.content_type,
            "size": document.size,
            "accessUrl": download,
            "downloadUrl": download,
        }
    return data


# --- Views ---------------------------------------------------------------------------------------


def _owners() -> QuerySet[Organisation]:
    return Organisation.objects.filter(bodies__isnull=False).distinct()


@api_view
def system(request: HttpRequest) -> dict[str, Any]:
    return {
        "id": _url(request, "system"),
        "type": OPARL + "System",
        "oparlVersion": OPARL,
        "name": "Samverkansportalen",
        "body": _url(request, "bodies"),
        "website": request.build_absolute_uri("/"),
        "vendor": "Region Jämtland Härjedalen",
        "product": "Samverkansportalen",
        "otherOparlVersions": [],
    }


@api_view
def bodies(request: HttpRequest) -> dict[str, Any]:
    rows = _filtered(request, _stamped(_owners()).order_by("pk"))
    return _page(request, rows, lambda org: _body(request, org))


@api_view
def body(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _body(request, get_object_or_404(_stamped(_owners()), pk=pk))


def _arenas() -> QuerySet[Body]:
    return _stamped(Body.objects.all()).prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.only("pk", "body_id"))
    )


@api_view
def body_organizations(request: HttpRequest, pk: int) -> dict[str, Any]:
    org = get_object_or_404(_owners(), pk=pk)
    rows = _filtered(request, _arenas().filter(organisation=org).order_by("pk"))
    return _page(
        request,
        rows,
        lambda b: _organization(request, b),
        deleted=_deleted(request, Body, "organization", "Organization"),
    )


@api_view
def organization(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _organization(request, get_object_or_404(_arenas(), pk=pk))


def _people(request: HttpRequest) -> QuerySet[Person]:
    return _stamped(selectors.people_for_user(request.user)).prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.only("pk", "person_id"))
    )


@api_view
def body_persons(request: HttpRequest, pk: int) -> dict[str, Any]:
    org = get_object_or_404(_owners(), pk=pk)
    rows = _people(request).filter(memberships__body__organisation=org).distinct().order_by("pk")
    return _page(
        request,
        _filtered(request, rows),
        lambda p: _person(request, p),
        deleted=_deleted(request, Person, "person", "Person"),
    )


@api_view
def person(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _person(request, get_object_or_404(_people(request), pk=pk))


@api_view
def membership(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _membership(request, get_object_or_404(_stamped(Membership.objects.all()), pk=pk))


def _meetings() -> QuerySet[Meeting]:
    return _stamped(Meeting.objects.select_related("body"))


@api_view
def body_meetings(request: HttpRequest, pk: int) -> dict[str, Any]:
    org = get_object_or_404(_owners(), pk=pk)
    rows = _filtered(
        request, _meetings().filter(body__organisation=org).order_by("starts_at", "pk")
    )
    return _page(
        request,
        rows,
        lambda m: _meeting(request, m, agenda=False),
        deleted=_deleted(request, Meeting, "meeting", "Meeting"),
    )


@api_view
def organization_meetings(request: HttpRequest, pk: int) -> dict[str, Any]:
    arena = get_object_or_404(Body, pk=pk)
    rows = _filtered(request, _meetings().filter(body=arena).order_by("starts_at", "pk"))
    return _page(request, rows, lambda m: _meeting(request, m, agenda=False))


@api_view
def meeting(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _meeting(request, get_object_or_404(_meetings(), pk=pk), agenda=True)


@api_view
def location(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _location(request, get_object_or_404(Meeting, pk=pk))


def _visible_item(request: HttpRequest, pk: int) -> AgendaItem:
    return selectors.agenda_item_get_for_user(user=request.user, pk=pk)


@api_view
def agendaitem(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _agenda_item(request, _visible_item(request, pk))


@api_view
def consultation(request: HttpRequest, pk: int) -> dict[str, Any]:
    """One step of an ärende's way through the arenas: its place on an agenda."""
    item = _visible_item(request, pk)
    if item.case_id is None:
        raise Http404
    body = item.meeting.body
    return {
        "id": _url(request, "consultation", item.pk),
        "type": OPARL + "Consultation",
        "paper": _url(request, "paper", item.case_id),
        "agendaItem": _url(request, "agendaitem", item.pk),
        "meeting": _url(request, "meeting", item.meeting_id),
        "organization": [_url(request, "organization", body.pk)],
        "authoritative": body.can_decide,
        "role": "Beslut" if body.can_decide else "Beredning eller rekommendation",
    }


def _papers(request: HttpRequest) -> QuerySet[Any]:
    return _stamped(selectors.cases_for_user(request.user)).prefetch_related(
        Prefetch(
            "agenda_items",
            queryset=selectors.agenda_items_for_user(request.user).only("pk", "case_id"),
        )
    )


def _paper_documents(request: HttpRequest, cases: list[Any]) -> dict[int, list[Document]]:
    documents: dict[int, list[Document]] = {case.pk: [] for case in cases}
    for document in selectors.documents_for_user(request.user).filter(case__in=cases):
        documents[document.case_id].append(document)
    return documents


@api_view
def body_papers(request: HttpRequest, pk: int) -> dict[str, Any]:
    org = get_object_or_404(_owners(), pk=pk)
    rows = _filtered(request, _papers(request).filter(body__organisation=org).order_by("pk"))
    documents: dict[int, list[Document]] = {}
    return _page(
        request,
        rows,
        lambda case: _paper(request, case, documents[case.pk]),
        before=lambda cases: documents.update(_paper_documents(request, cases)),
    )


@api_view
def paper(request: HttpRequest, pk: int) -> dict[str, Any]:
    case = get_object_or_404(_papers(request).select_related("body"), pk=pk)
    return _paper(request, case, _paper_documents(request, [case])[case.pk])


@api_view
def file(request: HttpRequest, pk: int) -> dict[str, Any]:
    document = get_object_or_404(_stamped(selectors.documents_for_user(request.user)), pk=pk)
    return _file(request, document)


@api_view
def body_legislativeterms(request: HttpRequest, pk: int) -> dict[str, Any]:
    org = get_object_or_404(_owners(), pk=pk)
    terms = _terms(request, org)
    return {
        "data": terms,
        "pagination": {
            "totalElements": len(terms),
            "elementsPerPage": len(terms),
            "currentPage": 1,
            "totalPages": 1,
        },
        "links": {},
    }


@api_view
def legislativeterm(request: HttpRequest, pk: int, start: int) -> dict[str, Any]:
    org = get_object_or_404(_owners(), pk=pk)
    if start < FIRST_TERM or (start - FIRST_TERM) % 4 or start > timezone.localdate().year:
        raise Http404
    return _term(request, org, start)


# --- Our own endpoints: agreements, follow-ups, assessments -------------------------------------


def _agreement(request: HttpRequest, agreement: Agreement) -> dict[str, Any]:
    return {
        "id": _url(request, "agreement", agreement.pk),
        "title": agreement.title,
        "shortName": agreement.short_name,
        "kind": agreement.get_kind_display(),
        "reference": agreement.case.diarienummer,
        "paper": _url(request, "paper", agreement.case_id),
        "parties": [
            _url(request, "body", p.pk) if p.bodies.all() else p.name
            for p in agreement.parties.all()
        ],
        "validFrom": _moment(agreement.valid_from),
        "validUntil": _moment(agreement.valid_until),
        "endsOn": _moment(agreement.ends_on),
        "status": agreement.status,
        "responsibleOrganization": _url(request, "organization", agreement.responsible_body_id),
        "replaces": _url(request, "agreement", agreement.replaces_id)
        if agreement.replaces_id
        else None,
        "areas": [
            {"name": a.name, "kind": a.kind, "goals": a.goals} for a in agreement.areas.all()
        ],
        "web": _web(request, agreement),
    }


@api_view
def agreements(request: HttpRequest) -> dict[str, Any]:
    rows = (
        Agreement.objects.select_related("case")
        .prefetch_related("areas", "extensions", "parties__bodies")
        .order_by("pk")
    )
    return _page(request, rows, lambda a: _agreement(request, a))


@api_view
def agreement(request: HttpRequest, pk: int) -> dict[str, Any]:
    rows = Agreement.objects.select_related("case").prefetch_related(
        "areas", "extensions", "parties__bodies"
    )
    return _agreement(request, get_object_or_404(rows, pk=pk))


@api_view
def followups(request: HttpRequest) -> dict[str, Any]:
    from followups.selectors import dialogue_progress, followups_list

    def serialize(followup: Any) -> dict[str, Any]:
        progress = dialogue_progress(followup)
        return {
            "id": request.build_absolute_uri(followup.get_absolute_url()),
            "title": followup.title,
            "year": followup.year,
            "agreement": _url(request, "agreement", followup.agreement_id),
            "reference": followup.case.diarienummer if followup.case else None,
            "dialoguesHeld": progress.held,
            "dialoguesPlanned": progress.total,
            "remaining": progress.remaining,
        }

    return _page(request, followups_list().order_by("pk"), serialize)


@api_view
def assessments(request: HttpRequest, pk: int, year: int) -> dict[str, Any]:
    """The same rule as the page: per kommun for the region (and a kommun's own row),
    otherwise only the averages a fastställd verksamhetsberättelse published."""
    from followups import selectors as followup_selectors

    found = get_object_or_404(Agreement, pk=pk)
    if not followup_selectors.sees_live_assessments(request.user):
        version = (
            followup_selectors.published_versions(year=year).filter(report__agreement=found).first()
        )
        if version is None:
            raise Http404
        figure = version.snapshot["figures"]["assessment_averages"]
        return {
            "agreement": _url(request, "agreement", pk),
            "year": year,
            "published": True,
            "averages": [{"area": area, "average": avg} for area, avg in figure["rows"]],
        }
    grid = followup_selectors.assessment_grid(user=request.user, agreement=found, year=year)
    return {
        "agreement": _url(request, "agreement", pk),
        "year": year,
        "published": False,
        "averages": [
            {"area": area.name, "average": avg}
            for area, avg in zip(grid.areas, grid.averages, strict=True)
        ],
        "municipalities": [
            {
                "name": kommun.name,
                "scores": [
                    {"area": area.name, "score": cell.score if cell else None}
                    for area, cell in zip(grid.areas, cells, strict=True)
                ],
            }
            for kommun, cells in grid.rows
        ],
    }


@api_view
def not_found(request: HttpRequest, rest: str = "") -> dict[str, Any]:
    """Any other address under the API answers in JSON too."""
    raise Http404
