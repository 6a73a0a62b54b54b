"""OParl 1.1: the System, its Bodies and their objects, each serialised as the
standard describes, through the gates the pages use."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

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
from samverkan.api.base import (
    FIRST_TERM,
    OPARL,
    _deleted,
    _filtered,
    _moment,
    _page,
    _stamped,
    _stamps,
    _url,
    _web,
    api_view,
)


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
