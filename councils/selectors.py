"""Reads for the councils app, and the gates: the only paths from an id in a URL to
an object. A gate answers 404 for a missing and a forbidden object alike, so a URL
reveals nothing about what exists.

Who sees what:
- ärenden are public (the diarium is public), but the public sees a case's public
  title where one is set;
- a document that is not confidential is public;
- a confidential document, and a case's internal title, are seen by secretariat
  staff and by the members (not the observers) of the arena that handles the case.
"""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Case as CaseWhen
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, When
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from councils.models import (
    AgendaItem,
    AgendaNote,
    Approval,
    Attendance,
    Body,
    Case,
    Document,
    Meeting,
    Membership,
    Notice,
    Organisation,
    Paragraph,
    Person,
    Protocol,
    RenderJob,
    Vote,
)
from samverkan.roles import is_secretariat


def viewer_person(user: Any) -> Person | None:
    """The person record of a logged-in user, or None (cached on the user object)."""
    if user is None or not user.is_authenticated:
        return None
    if not hasattr(user, "_samverkan_person"):
        user._samverkan_person = Person.objects.filter(user=user).first()
    return user._samverkan_person


def viewer_body_ids(user: Any) -> frozenset[int]:
    """The arenas in which the user holds an active seat that entitles them to read
    internal documents. Cached on the user object for the request."""
    if user is None or not user.is_authenticated:
        return frozenset()
    if not hasattr(user, "_samverkan_body_ids"):
        user._samverkan_body_ids = frozenset(
            Membership.objects.active()
            .entitled()
            .filter(person__user=user)
            .values_list("body_id", flat=True)
        )
    return user._samverkan_body_ids


def _internal_case_q(user: Any, prefix: str = "") -> Q:
    """Cases whose internal matter the user may see (not for secretariat: they see all)."""
    return Q(**{f"{prefix}body_id__in": viewer_body_ids(user)})


# --- Cases ------------------------------------------------------------------------------


def cases_for_user(user: Any) -> QuerySet[Case]:
    """Every case, annotated with ``shown_title``: the internal title for those who may
    see it, otherwise the public title where one is set."""
    cases = Case.objects.select_related("diarium", "body")
    if is_secretariat(user):
        return cases.annotate(shown_title=F("title"))
    return cases.annotate(
        shown_title=CaseWhen(
            When(Q(public_title="") | _internal_case_q(user), then=F("title")),
            default=F("public_title"),
        )
    )


def case_get_for_user(*, user: Any, pk: int) -> Case:
    """The gate for ärenden."""
    return get_object_or_404(cases_for_user(user).select_related("handler"), pk=pk)


def case_shows_internal(*, user: Any, case: Case) -> bool:
    return is_secretariat(user) or case.body_id in viewer_body_ids(user)


def cases_search(
    *,
    user: Any,
    query: str = "",
    diarium: str = "",
    year: int | None = None,
    body: Body | None = None,
) -> QuerySet[Case]:
    """The diarium list: filters apply to what the user may see, never to hidden titles."""
    cases = cases_for_user(user)
    if diarium:
        cases = cases.filter(diarium__prefix=diarium)
    if year:
        cases = cases.filter(year=year)
    if body is not None:
        cases = cases.filter(body=body)
    query = query.strip()
    if query:
        cases = cases.filter(Q(diarienummer__icontains=query) | Q(shown_title__icontains=query))
    return cases.order_by("-registered_on", "-year", "-number")


# --- Documents --------------------------------------------------------------------------


def documents_for_user(user: Any) -> QuerySet[Document]:
    """The documents the user may see: public ones; confidential ones of cases handled
    in the user's arenas, or put before one of the user's arenas as beslutsunderlag."""
    documents = Document.objects.select_related("case__diarium")
    if is_secretariat(user):
        return documents
    body_ids = viewer_body_ids(user)
    before_my_arena = Exists(
        AgendaItem.documents.through.objects.filter(
            document_id=OuterRef("pk"), agendaitem__meeting__body_id__in=body_ids
        )
    )
    return documents.filter(
        Q(confidential=False) | _internal_case_q(user, "case__") | Q(before_my_arena)
    )


def document_get_for_user(*, user: Any, pk: int) -> Document:
    """The gate for documents and their files."""
    return get_object_or_404(documents_for_user(user).select_related("registered_by"), pk=pk)


# --- Arenas and people --------------------------------------------------------------------


def bodies_overview() -> QuerySet[Body]:
    """All arenas with what their list and overview need, in a fixed number of queries."""
    return Body.objects.select_related("organisation", "parent").prefetch_related(
        "seat_allocations__organisation"
    )


def body_get(*, slug: str) -> Body:
    """Arenas are public."""
    return get_object_or_404(Body.objects.select_related("organisation", "parent"), slug=slug)


def body_memberships(*, body: Body, current_only: bool = True) -> QuerySet[Membership]:
    memberships = body.memberships.select_related(
        "person__organisation",
        "person__party",
        "represents",
        "appointed_by",
        "substitute_for__person",
    )
    if current_only:
        memberships = memberships.active()
    return memberships.in_role_order()


def people_for_user(user: Any) -> QuerySet[Person]:
    """People in their public roles are public; an anonymised person only to the
    secretariat."""
    people = Person.objects.select_related("organisation", "party")
    return people if is_secretariat(user) else people.filter(anonymised_at__isnull=True)


def person_get(*, pk: int, user: Any = None) -> Person:
    return get_object_or_404(people_for_user(user), pk=pk)


def person_memberships(*, person: Person) -> QuerySet[Membership]:
    return person.memberships.select_related(
        "body__organisation", "represents", "appointed_by", "substitute_for__person"
    ).order_by("end", "body__name")


def organisation_get(*, slug: str) -> Organisation:
    return get_object_or_404(Organisation, slug=slug)


# --- Meetings ---------------------------------------------------------------------------


def sees_closed_items(*, user: Any, body: Body) -> bool:
    """Secretariat staff and the arena's members (not its observers) see closed items."""
    return is_secretariat(user) or body.pk in viewer_body_ids(user)


def meeting_get_for_user(*, user: Any, pk: int) -> Meeting:
    """Meetings (time, place, status) are public; their agenda is not always."""
    return get_object_or_404(
        Meeting.objects.select_related("body__organisation", "protocol"), pk=pk
    )


def kallelse_recipients(meeting: Meeting) -> list[Membership]:
    """Everyone with a current seat or role in the arena on the meeting day: ledamöter,
    ersättare, åhörare and the secretary; one membership per person, with an address."""
    day = timezone.localtime(meeting.starts_at).date()
    chosen: dict[int, Membership] = {}
    for membership in (
        Membership.objects.active(on=day)
        .filter(body=meeting.body)
        .exclude(person__email="")
        .select_related("person")
        .in_role_order()
    ):
        chosen.setdefault(membership.person_id, membership)
    return list(chosen.values())


def agenda_items_for_user(user: Any) -> QuerySet[AgendaItem]:
    """Every agenda item the user may see, across meetings (the rule of
    ``agenda_for_user``): all for the secretariat and the arena's members; public items
    of agendas whose kallelse has gone out for everyone else."""
    items = AgendaItem.objects.all()
    if is_secretariat(user):
        return items
    published = Q(public=True) & ~Q(meeting__status=Meeting.Status.PLANNED)
    return items.filter(published | Q(meeting__body_id__in=viewer_body_ids(user)))


def agenda_for_user(*, user: Any, meeting: Meeting) -> list[AgendaItem]:
    """The items the user may see, each with ``shown_title`` and the documents the user
    may see. The public sees the public items once the kallelse has gone out."""
    closed_too = sees_closed_items(user=user, body=meeting.body)
    if not closed_too and not meeting.agenda_is_published:
        return []
    items = meeting.agenda_items.select_related("case__diarium", "presenter").prefetch_related(
        Prefetch("documents", queryset=documents_for_user(user).order_by("sequence"))
    )
    if closed_too and user.is_authenticated:
        items = items.prefetch_related(
            Prefetch("notes", queryset=AgendaNote.objects.filter(user=user), to_attr="my_notes")
        )
    if not closed_too:
        items = items.filter(public=True)
    if closed_too:
        internal = Q(pk__isnull=False)
    else:
        internal = Q(case__public_title="") | _internal_case_q(user, "case__")
    return list(
        items.annotate(
            shown_title=CaseWhen(
                When(~Q(title=""), then=F("title")),
                When(internal, then=F("case__title")),
                default=F("case__public_title"),
            )
        ).order_by("position")
    )


def meetings_around(*, body: Body, limit: int = 8) -> tuple[list[Meeting], list[Meeting]]:
    """The next ``limit`` and the last ``limit`` meetings of ``body``, in one query."""

    now = timezone.now()
    coming = body.meetings.filter(starts_at__gte=now).order_by("starts_at")[:limit]
    held = body.meetings.filter(starts_at__lt=now).order_by("-starts_at")[:limit]
    meetings = list(coming.union(held, all=True))
    return (
        sorted((m for m in meetings if m.starts_at >= now), key=lambda m: m.starts_at),
        sorted((m for m in meetings if m.starts_at < now), key=lambda m: m.starts_at, reverse=True),
    )


def meetings_upcoming_for(user: Any) -> QuerySet[Meeting]:
    """'Mina sammanträden': the coming meetings of the user's arenas."""

    return (
        Meeting.objects.filter(body_id__in=viewer_body_ids(user), starts_at__gte=timezone.now())
        .exclude(status=Meeting.Status.CANCELLED)
        .select_related("body")
        .order_by("starts_at")
    )


def agenda_item_get_for_member(*, user: Any, pk: int) -> AgendaItem:
    """The gate for members' private notes: items of the arenas the user sits in."""
    item = get_object_or_404(AgendaItem.objects.select_related("meeting__body"), pk=pk)
    require(user.is_authenticated and sees_closed_items(user=user, body=item.meeting.body))
    return item


def agenda_item_get_for_secretariat(*, user: Any, pk: int) -> AgendaItem:
    require(is_secretariat(user))
    return get_object_or_404(AgendaItem.objects.select_related("meeting__body", "case"), pk=pk)


def require(condition: bool) -> None:
    """Answer 404 unless ``condition``: used where a view's own rule forbids access."""
    if not condition:
        raise Http404


# --- Protocols ---------------------------------------------------------------------------


def protocol_is_signatory(*, user: Any, protocol: Protocol) -> bool:
    person = viewer_person(user)
    if person is None:
        return False
    return protocol.chair_id == person.pk or protocol.adjusters.filter(pk=person.pk).exists()


def protocol_get_for_user(*, user: Any, meeting_pk: int) -> Protocol:
    """The gate for protocols: a justerat protocol is an allmän handling; a draft is
    seen by the secretariat and by those asked to justera it."""
    protocol = get_object_or_404(
        Protocol.objects.select_related("meeting__body", "chair", "secretary"),
        meeting_id=meeting_pk,
    )
    require(
        protocol.is_approved
        or is_secretariat(user)
        or protocol_is_signatory(user=user, protocol=protocol)
    )
    return protocol


def paragraphs_for_user(*, user: Any, protocol: Protocol) -> QuerySet[Paragraph]:
    """The § of a protocol the user may read: closed ones to the arena's members,
    the signatories and the secretariat only."""
    paragraphs = protocol.meeting.paragraphs.select_related("case").prefetch_related(
        "conflicts", Prefetch("votes", queryset=Vote.objects.select_related("person"))
    )
    if is_secretariat(user):  # to warn of § texts that repeat confidential ones
        paragraphs = paragraphs.annotate(
            confidential_subjects=ArraySubquery(
                Document.objects.filter(case_id=OuterRef("case_id"), confidential=True).values(
                    "subject"
                )
            )
        )
    elif not (
        sees_closed_items(user=user, body=protocol.meeting.body)
        or protocol_is_signatory(user=user, protocol=protocol)
    ):
        paragraphs = paragraphs.filter(public=True)
    return paragraphs.order_by("number")


def paragraph_get_for_secretariat(*, user: Any, pk: int) -> Paragraph:
    require(is_secretariat(user))
    return get_object_or_404(Paragraph.objects.select_related("meeting__body"), pk=pk)


def protocols_to_justera(user: Any) -> QuerySet[Protocol]:
    """Protocols waiting for this user's justering."""
    return Protocol.objects.filter(
        status=Protocol.Status.FOR_APPROVAL,
        approvals__person__user=user,
        approvals__decision=Approval.Decision.PENDING,
    ).select_related("meeting__body")


def notices_current() -> QuerySet[Notice]:

    today = timezone.localdate()
    return Notice.objects.filter(posted_on__lte=today, removed_on__gt=today).select_related(
        "protocol__meeting__body"
    )


def notices_archive() -> QuerySet[Notice]:

    return Notice.objects.filter(removed_on__lte=timezone.localdate()).select_related(
        "protocol__meeting__body"
    )[:50]


def deferred_cases_for(*, meeting: Meeting) -> QuerySet[Case]:
    """Ärenden the arena deferred ('tas upp igen vid nästkommande sammanträde') at an
    earlier meeting and has not put on an agenda since: candidates for this one."""
    later_item = AgendaItem.objects.filter(
        case_id=OuterRef("case_id"),
        meeting__body_id=meeting.body_id,
        meeting__starts_at__gt=OuterRef("meeting__starts_at"),
    )
    deferrals = (
        Paragraph.objects.filter(
            body_id=meeting.body_id,
            decision_kind=Paragraph.DecisionKind.DEFERRED,
            meeting__starts_at__lt=meeting.starts_at,
            case__isnull=False,
        )
        .annotate(taken_up=Exists(later_item))
        .filter(taken_up=False)
    )
    return Case.objects.filter(pk__in=deferrals.values("case_id")).select_related("diarium")


# --- PDFs --------------------------------------------------------------------------------


def paragraphs_visible_to(user: Any) -> QuerySet[Paragraph]:
    """Every § the user may read on its own (search, feeds, one § pages): justerade §
    of public items; closed ones to the arena's members; all to the secretariat."""
    paragraphs = Paragraph.objects.select_related("meeting__body", "case")
    if is_secretariat(user):
        return paragraphs
    return paragraphs.filter(approved_at__isnull=False).filter(
        Q(public=True) | Q(meeting__body_id__in=viewer_body_ids(user))
    )


def decisions_search(
    *, user: Any, query: str = "", body: Body | None = None, year: int | None = None
) -> QuerySet[Paragraph]:
    """The decisions (§) list and its CSV: what the user may read, newest first."""
    paragraphs = paragraphs_visible_to(user).select_related("case__diarium")
    if body is not None:
        paragraphs = paragraphs.filter(body=body)
    if year:
        paragraphs = paragraphs.filter(year=year)
    query = query.strip()
    if query:
        paragraphs = paragraphs.filter(
            Q(title__icontains=query) | Q(case__diarienummer__icontains=query)
        )
    return paragraphs.order_by("-meeting__starts_at", "-number")


def attendance_for_user(
    *, user: Any, body: Body | None = None, year: int | None = None
) -> QuerySet[Attendance]:
    """Attendance as the protocols record it: of justerade protocols for everyone, of
    all meetings for the secretariat."""
    rows = Attendance.objects.select_related("meeting__body", "person", "represents", "serving_for")
    if not is_secretariat(user):
        rows = rows.filter(meeting__protocol__status=Protocol.Status.APPROVED)
    if body is not None:
        rows = rows.filter(meeting__body=body)
    if year:
        rows = rows.filter(meeting__starts_at__year=year)
    return rows.order_by("-meeting__starts_at", "meeting__body__name", "role", "person__last_name")


def paragraph_get_for_user(*, user: Any, pk: int) -> Paragraph:
    """The gate for one §: justerad § of public items are public; closed ones and
    drafts go to the arena's members, the signatories and the secretariat."""
    return get_object_or_404(paragraphs_visible_to(user), pk=pk)


def render_job_get_for_user(*, user: Any, pk: int) -> RenderJob:
    """The gate for PDFs: the same rules as the document each one renders."""
    job = get_object_or_404(
        RenderJob.objects.select_related("meeting__body", "paragraph", "report_version"), pk=pk
    )
    if is_secretariat(user):
        return job
    if job.kind == RenderJob.Kind.REPORT:
        # A verksamhetsberättelse is public once fastställd, and internal until then.
        require(job.report_version is not None and job.report_version.is_adopted)
        return job
    meeting = job.meeting
    assert meeting is not None
    require(not job.internal or sees_closed_items(user=user, body=meeting.body))
    if job.kind == RenderJob.Kind.KALLELSE:
        require(meeting.agenda_is_published or sees_closed_items(user=user, body=meeting.body))
    elif job.kind == RenderJob.Kind.PACKET:
        require(sees_closed_items(user=user, body=meeting.body))
    elif job.kind == RenderJob.Kind.PROTOCOL:
        protocol_get_for_user(user=user, meeting_pk=meeting.pk)
    else:
        require(job.paragraph is not None)
        assert job.paragraph is not None
        paragraph_get_for_user(user=user, pk=job.paragraph.pk)
    return job
