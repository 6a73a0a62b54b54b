"""OParl 1.1: the System, its Bodies and their objects, each serialised as the
standard describes, through the gates the pages use."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db.models import F, Max, Min, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Greatest
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from councils import selectors
from councils.models import (
    AgendaItem,
    Body,
    Case,
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
    Concatenated,
    _deleted,
    _filtered,
    _moment,
    _page,
    _stamped,
    _url,
    api_view,
)
from samverkan.api.oparl_objects import (
    _agenda_item,
    _body,
    _consultation,
    _file,
    _invitation_file,
    _items,
    _location,
    _meeting,
    _meeting_page,
    _membership,
    _organization,
    _paper,
    _person,
    _present,
    _protocol_file,
    _term,
    _terms,
)


def _owners() -> QuerySet[Organisation]:
    return Organisation.objects.filter(bodies__isnull=False).distinct()


@api_view
def system(request: HttpRequest) -> dict[str, Any]:
    """The entry point. Vendor and product are URLs, as the schema asks: the portal's
    owner and the portal's open-data page; it dates from its oldest and latest body."""
    stamps = _stamped(_owners()).aggregate(first=Min("created"), last=Max("modified"))
    return _present(
        {
            "id": _url(request, "system"),
            "type": OPARL + "System",
            "oparlVersion": OPARL,
            "name": "Samverkansportalen",
            "body": _url(request, "bodies"),
            "website": request.build_absolute_uri("/"),
            "vendor": settings.SAMVERKAN_OWNER_WEBSITE,
            "product": request.build_absolute_uri(reverse("open-data")),
            "otherOparlVersions": [],
            "created": _moment(stamps["first"]),
            "modified": _moment(stamps["last"]),
        }
    )


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
        Prefetch("memberships", queryset=_stamped(Membership.objects.order_by("pk")))
    )


@api_view
def body_persons(request: HttpRequest, pk: int) -> dict[str, Any]:
    org = get_object_or_404(_owners(), pk=pk)
    reach = Q(memberships__body__organisation=org) | Q(organisation=org)
    if org.name == settings.SAMVERKAN_OWNER:  # the host also lists whom no body lists
        owners = _owners()
        reach |= Q(memberships__isnull=True) & ~Q(organisation__in=owners)
    rows = _people(request).filter(reach).distinct().order_by("pk")
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
    people = selectors.people_for_user(request.user)
    memberships = _stamped(Membership.objects.filter(person__in=people))
    return _membership(request, get_object_or_404(memberships, pk=pk))


def _last_change(model: type[Any], field: str) -> Subquery:
    """When a row of ``model`` whose ``field`` is the outer row was last added, changed
    or deleted (its history holds all three)."""
    rows = model.history.filter(**{field: OuterRef("pk")})
    return Subquery(rows.order_by("-history_date").values("history_date")[:1])


def _history_since(model: type[Any], field: str, since: datetime.datetime) -> QuerySet[Any]:
    """The ``field`` of the rows of ``model`` added, changed or deleted since ``since``."""
    return model.history.filter(history_date__gte=since).values(field)


def _justerad_since(since: datetime.datetime) -> QuerySet[Any]:
    """§ justerade since ``since``: found in their history (its date is indexed), as the
    saving that justerar a § writes the history row that holds its ``approved_at``."""
    return Paragraph.history.filter(history_date__gte=since, approved_at__gte=since)


def _meetings_changed_since(since: datetime.datetime) -> Q:
    """``modified_since`` for ``_meetings``' stamp, through the histories' dates."""
    return (
        Q(pk__in=_history_since(Meeting, "id", since))
        | Q(pk__in=_history_since(AgendaItem, "meeting_id", since))
        | Q(pk__in=_justerad_since(since).values("meeting_id"))
        | Q(pk__in=selectors.published_meeting_pdfs_made_since(since).values("meeting_id"))
    )


def _meetings() -> QuerySet[Meeting]:
    """Meetings, modified with what they embed (OParl's ``modified`` changes with every
    change of the object): an agenda item added, changed or removed, a § justerad (its
    decision appears on its item), the kallelse's or the protocol's PDF made
    (``invitation`` or ``resultsProtocol`` appears then)."""
    justerad = Paragraph.objects.filter(meeting=OuterRef("pk"), approved_at__isnull=False)
    return _stamped(
        Meeting.objects.select_related("body"),
        also=Greatest(
            selectors.final_protocol_made_at(),
            selectors.sent_kallelse_made_at(),
            _last_change(AgendaItem, "meeting_id"),
            Subquery(justerad.order_by("-approved_at").values("approved_at")[:1]),
        ),
    )


@api_view
def body_meetings(request: HttpRequest, pk: int) -> dict[str, Any]:
    org = get_object_or_404(_owners(), pk=pk)
    rows = _filtered(
        request,
        _meetings().filter(body__organisation=org).order_by("starts_at", "pk"),
        changed_since=_meetings_changed_since,
    )
    return _meeting_page(request, rows)


@api_view
def organization_meetings(request: HttpRequest, pk: int) -> dict[str, Any]:
    arena = get_object_or_404(Body, pk=pk)
    rows = _filtered(
        request,
        _meetings().filter(body=arena).order_by("starts_at", "pk"),
        changed_since=_meetings_changed_since,
    )
    return _meeting_page(request, rows)


@api_view
def meeting(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _meeting(request, get_object_or_404(_meetings(), pk=pk))


@api_view
def meeting_protocol(request: HttpRequest, pk: int) -> dict[str, Any]:
    """The meeting's ``resultsProtocol`` as its own object; 404 until the protocol is
    justerat and its final PDF made."""
    return _own_file(request, selectors.final_protocol_pdfs([pk]).get(pk), _protocol_file)


@api_view
def meeting_invitation(request: HttpRequest, pk: int) -> dict[str, Any]:
    """The meeting's ``invitation`` as its own object; 404 until the kallelse is sent
    and its PDF made."""
    return _own_file(request, selectors.sent_kallelse_pdfs([pk]).get(pk), _invitation_file)


def _own_file(
    request: HttpRequest,
    job: RenderJob | None,
    serialise: Callable[[HttpRequest, RenderJob], dict[str, Any] | None],
) -> dict[str, Any]:
    if job is None:
        raise Http404
    selectors.render_job_get_for_user(user=request.user, pk=job.pk)  # the PDFs' gate
    found = serialise(request, job)
    if found is None:
        raise Http404
    return found


@api_view
def location(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _location(request, get_object_or_404(_meetings(), pk=pk))


@api_view
def agendaitem(request: HttpRequest, pk: int) -> dict[str, Any]:
    items = selectors.agenda_items_with_titles(user=request.user, meeting_ids=None)
    return _agenda_item(request, get_object_or_404(_items(request, items), pk=pk))


@api_view
def consultation(request: HttpRequest, pk: int) -> dict[str, Any]:
    item = _stamped(
        selectors.agenda_items_for_user(request.user).select_related("meeting__body")
    ).filter(pk=pk, case__isnull=False)
    return _consultation(request, get_object_or_404(item))


def _papers(request: HttpRequest) -> QuerySet[Any]:
    """Ärenden as Papers, modified with what they embed: a file or a consultation (an
    agenda item) added, changed or removed."""
    embedded = Greatest(_last_change(Document, "case_id"), _last_change(AgendaItem, "case_id"))
    return _stamped(selectors.cases_for_user(request.user), also=embedded).prefetch_related(
        Prefetch(
            "agenda_items",
            queryset=_stamped(
                selectors.agenda_items_for_user(request.user).select_related("meeting__body")
            ).order_by("meeting__starts_at", "position"),
        )
    )


def _papers_changed_since(since: datetime.datetime) -> Q:
    """``modified_since`` for ``_papers``' stamp, through the histories' dates."""
    return (
        Q(pk__in=_history_since(Case, "id", since))
        | Q(pk__in=_history_since(Document, "case_id", since))
        | Q(pk__in=_history_since(AgendaItem, "case_id", since))
    )


def _paper_documents(request: HttpRequest, cases: list[Any]) -> dict[int, list[Document]]:
    documents: dict[int, list[Document]] = {case.pk: [] for case in cases}
    for document in _files(request).filter(case__in=cases):
        documents[document.case_id].append(document)
    return documents


@api_view
def body_papers(request: HttpRequest, pk: int) -> dict[str, Any]:
    org = get_object_or_404(_owners(), pk=pk)
    rows = _filtered(
        request,
        _papers(request).filter(body__organisation=org).order_by("pk"),
        changed_since=_papers_changed_since,
    )
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


def _files(request: HttpRequest) -> QuerySet[Document]:
    """Documents as OParl Files: those with a stored file (a File must have its
    ``accessUrl``), through the documents' gate."""
    return _stamped(selectors.documents_for_user(request.user).exclude(file=""))


@api_view
def file(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _file(request, get_object_or_404(_files(request), pk=pk))


@api_view
def body_legislativeterms(request: HttpRequest, pk: int) -> dict[str, Any]:
    org = get_object_or_404(_stamped(_owners()), pk=pk)
    # The terms date from their body's record: the filters apply to those dates.
    listed = _filtered(request, _stamped(_owners()).filter(pk=pk)).exists()
    terms = _terms(request, org) if listed else []
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
    org = get_object_or_404(_stamped(_owners()), pk=pk)
    if start < FIRST_TERM or (start - FIRST_TERM) % 4 or start > timezone.localdate().year:
        raise Http404
    return _term(request, org, start)


# --- OParl 1.1's lists of a body (4.1: agenda items, consultations, files, memberships,
# locations), each through the gate of its objects --------------------------------------


@api_view
def body_agendaitems(request: HttpRequest, pk: int) -> dict[str, Any]:
    org = get_object_or_404(_owners(), pk=pk)
    items = selectors.agenda_items_with_titles(user=request.user, meeting_ids=None)
    rows = _filtered(
        request,
        _items(request, items.filter(meeting__body__organisation=org)).order_by("pk"),
        changed_since=lambda since: (
            Q(pk__in=_history_since(AgendaItem, "id", since))
            | Q(pk__in=_justerad_since(since).values("agenda_item_id"))
        ),
    )
    return _page(request, rows, lambda item: _agenda_item(request, item))


@api_view
def body_consultations(request: HttpRequest, pk: int) -> dict[str, Any]:
    org = get_object_or_404(_owners(), pk=pk)
    items = selectors.agenda_items_for_user(request.user).select_related("meeting__body")
    rows = _filtered(
        request,
        _stamped(items.filter(meeting__body__organisation=org, case__isnull=False)).order_by("pk"),
    )
    return _page(request, rows, lambda item: _consultation(request, item))


@api_view
def body_files(request: HttpRequest, pk: int) -> dict[str, Any]:
    """Every file of the body (OParl: ZWINGEND): the diarium's documents with their
    files, then its meetings' published PDFs (the ``resultsProtocol`` and ``invitation``
    the meetings embed), each with the stamps it has there."""
    org = get_object_or_404(_owners(), pk=pk)
    documents = _files(request).filter(case__body__organisation=org).order_by("pk")
    meetings = selectors.meetings_for_user(request.user).filter(body__organisation=org)
    pdfs = (
        selectors.published_meeting_pdfs(meetings)
        .annotate(created=F("created_at"), modified=F("finished_at"))
        .order_by("pk")
    )
    rows = Concatenated(_filtered(request, documents), _filtered(request, pdfs))
    return _page(request, rows, lambda row: _any_file(request, row))


def _any_file(request: HttpRequest, row: Document | RenderJob) -> dict[str, Any] | None:
    if isinstance(row, Document):
        return _file(request, row)
    if row.kind == RenderJob.Kind.PROTOCOL:
        return _protocol_file(request, row)
    return _invitation_file(request, row)


@api_view
def body_memberships(request: HttpRequest, pk: int) -> dict[str, Any]:
    org = get_object_or_404(_owners(), pk=pk)
    people = selectors.people_for_user(request.user)
    rows = _filtered(
        request,
        _stamped(Membership.objects.filter(body__organisation=org, person__in=people)).order_by(
            "pk"
        ),
    )
    return _page(request, rows, lambda m: _membership(request, m))


@api_view
def body_locations(request: HttpRequest, pk: int) -> dict[str, Any]:
    org = get_object_or_404(_owners(), pk=pk)
    rows = _filtered(
        request,
        _meetings().filter(body__organisation=org).order_by("pk"),
        changed_since=_meetings_changed_since,
    )
    return _page(request, rows, lambda meeting: _location(request, meeting))
