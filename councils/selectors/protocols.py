"""Reads of protocols, §, decisions, attendance and the anslagstavla, and their gates."""

from __future__ import annotations

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Case as CaseWhen
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from base.actors import Viewer
from base.roles import is_secretariat
from councils.models import (
    AgendaItem,
    Approval,
    Attendance,
    Body,
    Case,
    Document,
    Meeting,
    Notice,
    Paragraph,
    Protocol,
    Vote,
)
from councils.selectors.access import require, viewer_body_ids, viewer_person
from councils.selectors.meetings import sees_closed_items


def protocol_is_signatory(*, user: Viewer, protocol: Protocol) -> bool:
    person = viewer_person(user)
    if person is None:
        return False
    return protocol.chair_id == person.pk or protocol.adjusters.filter(pk=person.pk).exists()


def protocol_get_for_user(*, user: Viewer, meeting_pk: int) -> Protocol:
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


def paragraphs_for_user(*, user: Viewer, protocol: Protocol) -> QuerySet[Paragraph]:
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


def paragraph_get_for_secretariat(*, user: Viewer, pk: int) -> Paragraph:
    require(is_secretariat(user))
    return get_object_or_404(Paragraph.objects.select_related("meeting__body"), pk=pk)


def protocols_to_justera(user: Viewer) -> QuerySet[Protocol]:
    """Protocols waiting for this user's justering."""
    if user is None or not user.is_authenticated:
        return Protocol.objects.none()
    return Protocol.objects.filter(
        status=Protocol.Status.FOR_APPROVAL,
        approvals__person__user_id=user.pk,
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


# --- Decisions and attendance across protocols ---------------------------------------


def justerad_paragraph_q(user: Viewer, prefix: str = "") -> Q:
    """A justerad § the user may read (``prefix`` reaches it from another row): of a
    public item for everyone, a closed one for the arena's members and the secretariat.
    Never a draft, not even to the secretariat: what is decided is what is justerat."""
    justerad = Q(**{f"{prefix}approved_at__isnull": False})
    if is_secretariat(user):
        return justerad
    return justerad & (
        Q(**{f"{prefix}public": True})
        | Q(**{f"{prefix}meeting__body_id__in": viewer_body_ids(user)})
    )


def paragraphs_visible_to(user: Viewer) -> QuerySet[Paragraph]:
    """Every § the user may read on its own (search, feeds, one § pages): justerade §
    of public items; closed ones to the arena's members; all to the secretariat."""
    paragraphs = Paragraph.objects.select_related("meeting__body", "case")
    if is_secretariat(user):
        return paragraphs
    return paragraphs.filter(justerad_paragraph_q(user))


def with_decisions(items: QuerySet[AgendaItem], *, user: Viewer) -> QuerySet[AgendaItem]:
    """Each agenda item with what was decided on it, as the user may read it:
    ``decided_kind`` (the §'s kind of decision) and ``decided_text`` (its decision),
    ``decided_at`` (its justering); all None while the § is a draft, where there is no
    §, and for a § the user may not read (``justerad_paragraph_q``). In the same query."""
    shown = justerad_paragraph_q(user, "paragraph__")
    return items.annotate(
        decided_kind=CaseWhen(When(shown, then=F("paragraph__decision_kind"))),
        decided_text=CaseWhen(When(shown, then=F("paragraph__decision"))),
        decided_at=CaseWhen(When(shown, then=F("paragraph__approved_at"))),
    )


def decisions_search(
    *, user: Viewer, query: str = "", body: Body | None = None, year: int | None = None
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
    *, user: Viewer, body: Body | None = None, year: int | None = None
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


def paragraph_get_for_user(*, user: Viewer, pk: int) -> Paragraph:
    """The gate for one § on its own (the extract, search, feeds): the rule of
    ``paragraphs_visible_to``: a justerad § of a public item for everyone, a justerad
    closed one for the arena's members, drafts for the secretariat only (members and
    signatories read drafts on the protocol page, through ``paragraphs_for_user``)."""
    return get_object_or_404(paragraphs_visible_to(user), pk=pk)
