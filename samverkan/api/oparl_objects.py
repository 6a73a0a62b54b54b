"""OParl 1.1's objects: each portal record serialised as the standard describes it
(Body, Organization, Person, Membership, Location, Meeting with its files, AgendaItem,
Paper, File). The lists and addresses that serve them are in ``samverkan.api.oparl``."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case as CaseWhen
from django.db.models import Count, F, OuterRef, QuerySet, Subquery, When
from django.db.models.functions import Coalesce
from django.http import HttpRequest
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
    Paragraph,
    Person,
    RenderJob,
)
from samverkan.api.base import (
    FIRST_TERM,
    OPARL,
    _absolute,
    _deleted,
    _moment,
    _page,
    _stamped,
    _stamps,
    _url,
    _web,
    omits_internal,
)

log = logging.getLogger(__name__)


def _present(data: dict[str, Any]) -> dict[str, Any]:
    """OParl leaves an absent property out (the schemas allow no ``null``)."""
    return {key: value for key, value in data.items() if value is not None and value != ""}


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
        # A mandate period is derived from the calendar: it dates from its body's record.
        **_stamps(organisation),
    }


def _body(request: HttpRequest, org: Organisation) -> dict[str, Any]:
    return _present(
        {
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
            "agendaItem": _url(request, "body-agendaitems", org.pk),
            "consultation": _url(request, "body-consultations", org.pk),
            "file": _url(request, "body-files", org.pk),
            "membership": _url(request, "body-memberships", org.pk),
            "locationList": _url(request, "body-locations", org.pk),
            # Kept under omit_internal: the official schema requires it, and the terms
            # cost no query (they follow the calendar).
            "legislativeTerm": _terms(request, org),
            "legislativeTermList": _url(request, "body-legislativeterms", org.pk),
            "web": _web(request, org),
            **_stamps(org),
        }
    )


def _organization(request: HttpRequest, body: Body) -> dict[str, Any]:
    return _present(
        {
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
    )


def _person(request: HttpRequest, person: Person) -> dict[str, Any]:
    data = {
        "id": _url(request, "person", person.pk),
        "type": OPARL + "Person",
        "name": person.full_name,
        "familyName": person.last_name,
        "givenName": person.first_name,
        "title": [person.title] if person.title else [],
        "web": _web(request, person),
        **_stamps(person),
    }
    if not omits_internal(request):
        data["membership"] = [_membership(request, m) for m in person.memberships.all()]
    return data


def _membership(request: HttpRequest, m: Membership) -> dict[str, Any]:
    return _present(
        {
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
    )


def _location(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    """A meeting's place (the portal keeps places as the meetings' text)."""
    return {
        "id": _url(request, "location", meeting.pk),
        "type": OPARL + "Location",
        "description": meeting.place or meeting.remote_link or "–",
        "meetings": [_url(request, "meeting", meeting.pk)],
        **_stamps(meeting),
    }


def _agenda_item(request: HttpRequest, item: AgendaItem) -> dict[str, Any]:
    """An agenda item (from ``_items``) with what was decided on it once its § is
    justerad: the kind of decision as ``result``, the decision as ``resolutionText``."""
    kind = item.decided_kind  # type: ignore[attr-defined]
    return _present(
        {
            "id": _url(request, "agendaitem", item.pk),
            "type": OPARL + "AgendaItem",
            "meeting": _url(request, "meeting", item.meeting_id),
            "number": str(item.position),
            "order": item.order_in_meeting,  # type: ignore[attr-defined]
            "name": item.shown_title,  # type: ignore[attr-defined]
            "public": item.public,
            "consultation": _url(request, "consultation", item.pk) if item.case_id else None,
            "result": str(Paragraph.DecisionKind(kind).label) if kind else None,
            "resolutionText": item.decided_text,  # type: ignore[attr-defined]
            # The organisations' own decisions on a recommendation (docs/oparl.md).
            "se:recommendation": _url(request, "recommendation", recommendation)
            if (recommendation := item.recommendation_id)  # type: ignore[attr-defined]
            else None,
            **_stamps(item),
        }
    )


def _items(request: HttpRequest, items: QuerySet[AgendaItem]) -> QuerySet[AgendaItem]:
    """Agenda items as OParl gives them: with what was decided on each as the user may
    read it (``selectors.with_decisions``), ``modified`` at the latest when its § was
    justerad (the decision appears then), and each one's ``order``: its place, from 0,
    among the items of its meeting the user sees (its index in ``Meeting.agendaItem``;
    ``_agendas`` numbers a whole agenda as it lists it, without this count)."""
    return _decided(request, items).annotate(
        order_in_meeting=Coalesce(Subquery(_before(request)), 0)
    )


def _before(request: HttpRequest) -> QuerySet[Any]:
    """How many items of the outer item's meeting the user sees before it."""
    return (
        selectors.agenda_items_for_user(request.user)
        .filter(meeting_id=OuterRef("meeting_id"), position__lt=OuterRef("position"))
        .order_by()
        .values("meeting_id")
        .annotate(count=Count("pk"))
        .values("count")
    )


def _decided(request: HttpRequest, items: QuerySet[AgendaItem]) -> QuerySet[AgendaItem]:
    """``with_decisions``, and the recommendation a justerad § made (issue 32): its
    ``recommendation_id`` under the same rule as the decision (one more LEFT JOIN)."""
    decided = selectors.with_decisions(items, user=request.user).annotate(
        recommendation_id=CaseWhen(
            When(
                selectors.justerad_paragraph_q(request.user, "paragraph__"),
                then=F("paragraph__recommendation__id"),
            )
        )
    )
    return _stamped(decided, also=F("decided_at"))


@dataclass
class _MeetingFiles:
    """The meetings' published PDFs, fetched for a page of meetings at once (two
    queries): the protocol (``resultsProtocol``) and the kallelse (``invitation``)."""

    protocols: dict[int, RenderJob] = field(default_factory=dict)
    invitations: dict[int, RenderJob] = field(default_factory=dict)

    def fetch(self, meeting_ids: list[int]) -> _MeetingFiles:
        self.protocols.update(selectors.final_protocol_pdfs(meeting_ids))
        self.invitations.update(selectors.sent_kallelse_pdfs(meeting_ids))
        return self


def _meeting(
    request: HttpRequest,
    meeting: Meeting,
    items: list[AgendaItem] | None = None,
    files: _MeetingFiles | None = None,
) -> dict[str, Any]:
    """A meeting with its agenda as the user may see it, its kallelse as sent and its
    justerat protocol (``items`` and ``files`` fetched for a whole page of meetings at
    once; one meeting fetches its own)."""
    data: dict[str, Any] = {
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
    if not omits_internal(request):
        if items is None:
            items = _agendas(request, [meeting.pk])
        data["agendaItem"] = [_agenda_item(request, item) for item in items]
    if files is None:
        files = _MeetingFiles().fetch([meeting.pk])
    if meeting.pk in files.invitations:
        data["invitation"] = _invitation_file(request, files.invitations[meeting.pk])
    if meeting.pk in files.protocols:
        data["resultsProtocol"] = _protocol_file(request, files.protocols[meeting.pk])
    return _present(data)


def _stored_size(job: RenderJob) -> int | None:
    """The PDF's size, or None when its file is gone from storage (the meeting is then
    listed without it, never an error for the whole list)."""
    try:
        return int(job.file.size)
    except OSError:
        log.error("the stored PDF of render job %s is missing", job.pk)
        return None


def _meeting_file(
    request: HttpRequest, job: RenderJob, *, route: str, title: str, date: Any, web: str
) -> dict[str, Any] | None:
    """A PDF the portal made of a meeting as an OParl File, at an address of the
    meeting's own (``route``) that keeps pointing at its latest rendering."""
    meeting = job.meeting
    assert meeting is not None
    size = _stored_size(job)
    if size is None:
        return None
    held_on = timezone.localtime(meeting.starts_at)
    return _present(
        {
            "id": _url(request, route, meeting.pk),
            "type": OPARL + "File",
            "name": f"{title} {meeting.body.name} {held_on:%Y-%m-%d}",
            "fileName": job.file_name,
            "mimeType": "application/pdf",
            "size": size,
            "date": _moment(date),
            "meeting": [_url(request, "meeting", meeting.pk)],
            "accessUrl": _absolute(request, reverse("councils:render-job-view", args=[job.pk])),
            "downloadUrl": _absolute(
                request, reverse("councils:render-job-download", args=[job.pk])
            ),
            "web": _absolute(request, web),
            "created": _moment(job.created_at),
            "modified": _moment(job.finished_at),
        }
    )


def _protocol_file(request: HttpRequest, job: RenderJob) -> dict[str, Any] | None:
    """A justerat protocol's published PDF (the public version, sealed): the meeting's
    ``resultsProtocol``, dated by its justering."""
    meeting = job.meeting
    assert meeting is not None
    return _meeting_file(
        request,
        job,
        route="meeting-protocol",
        title="Protokoll",
        date=meeting.protocol.approved_on,
        web=reverse("councils:protocol", args=[meeting.pk]),
    )


def _invitation_file(request: HttpRequest, job: RenderJob) -> dict[str, Any] | None:
    """The kallelse as last sent (the public version; a formal arena's sealed): the
    meeting's ``invitation``, dated by its sending."""
    meeting = job.meeting
    assert meeting is not None
    assert meeting.kallelse_sent_at is not None
    return _meeting_file(
        request,
        job,
        route="meeting-invitation",
        title="Kallelse",
        date=timezone.localtime(meeting.kallelse_sent_at).date(),
        web=meeting.get_absolute_url(),
    )


def _agendas(request: HttpRequest, meeting_ids: list[int]) -> list[AgendaItem]:
    """The agendas of these meetings as the user sees them, in agenda order (one
    query), each item's ``order`` its place in its meeting's list."""
    items = (
        selectors.agenda_items_with_titles(user=request.user, meeting_ids=meeting_ids)
        # What an item says is its own columns and the annotations: not its meeting,
        # arena and ärende as objects (a page of 50 meetings carries ~1 400 items).
        .select_related(None)
        .only("pk", "meeting_id", "case_id", "position", "public")
    )
    listed = list(_decided(request, items))
    place: dict[int, int] = {}
    for item in listed:
        item.order_in_meeting = place.get(item.meeting_id, 0)  # type: ignore[attr-defined]
        place[item.meeting_id] = item.order_in_meeting + 1  # type: ignore[attr-defined]
    return listed


def _meeting_page(request: HttpRequest, rows: QuerySet[Meeting]) -> dict[str, Any]:
    items: dict[int, list[AgendaItem]] = {}
    files = _MeetingFiles()

    def fetch(meetings: list[Meeting]) -> None:
        if not omits_internal(request):
            for item in _agendas(request, [m.pk for m in meetings]):
                items.setdefault(item.meeting_id, []).append(item)
        files.fetch([m.pk for m in meetings])

    return _page(
        request,
        rows,
        lambda m: _meeting(request, m, items.get(m.pk, []), files),
        before=fetch,
        deleted=_deleted(request, Meeting, "meeting", "Meeting"),
    )


def _paper(request: HttpRequest, case: Any, documents: list[Document]) -> dict[str, Any]:
    return _present(
        {
            "id": _url(request, "paper", case.pk),
            "type": OPARL + "Paper",
            "body": _url(request, "body", case.body.organisation_id),
            "name": case.shown_title,
            "reference": case.diarienummer,
            "date": _moment(case.registered_on),
            "paperType": "Ärende",
            "auxiliaryFile": None
            if omits_internal(request)
            else [_file(request, d) for d in documents],
            "underDirectionOf": [_url(request, "organization", case.body_id)],
            "consultation": [_consultation(request, item) for item in case.agenda_items.all()],
            "web": _web(request, case),
            **_stamps(case),
        }
    )


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
    download = reverse("councils:document-download", kwargs={"pk": document.pk})
    data |= {
        "fileName": document.file_name,
        "mimeType": document.content_type,
        "size": document.size,
        "accessUrl": request.build_absolute_uri(
            reverse("councils:document-view", kwargs={"pk": document.pk})
        ),
        "downloadUrl": request.build_absolute_uri(download),
    }
    return _present(data)


def _consultation(request: HttpRequest, item: AgendaItem) -> dict[str, Any]:
    """One step of an ärende's way through the arenas: its place on an agenda (the
    agenda item's row, with its meeting's arena)."""
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
        **_stamps(item),
    }
