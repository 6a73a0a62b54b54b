"""Writes of the protocol: attendance, §, votes, justering, anslag and expediering."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from base.actors import Actor
from councils import signals
from councils.models import (
    AgendaItem,
    Attendance,
    Body,
    Meeting,
    Membership,
    Paragraph,
    ParagraphSequence,
    Person,
    Protocol,
    Vote,
)
from councils.selectors.access import viewer_person
from councils.services.common import _locked_with_changes, _save, _sequence_next

# --- Protocol, §, justering, anslag ---------------------------------------------------------

NOTICE_DAYS_UP = 22  # the anslag stays up through day 21 and comes down on day 22
APPEAL_DAYS = 21  # laglighetsprövning: three weeks from the day of posting


def _require_draft(protocol: Protocol) -> None:
    if protocol.status != Protocol.Status.DRAFT:
        raise ValidationError(
            _("The protocol is sent for justering or justerat and cannot be changed."),
            code="locked",
        )


def _seat_holder(meeting: Meeting, role: str) -> Person | None:
    day = timezone.localtime(meeting.starts_at).date()
    membership = (
        Membership.objects.active(on=day)
        .filter(body=meeting.body, role=role)
        .select_related("person")
        .first()
    )
    return membership.person if membership else None


@transaction.atomic
def protocol_start(*, actor: Actor, meeting: Meeting) -> Protocol:
    """The meeting's protocol, created on first use with the chair, the secretary and
    an attendance list of the arena's members and substitutes."""
    meeting = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
    existing = Protocol.objects.filter(meeting=meeting).first()
    if existing is not None:
        return existing
    if meeting.kallelse_sent_at is None and not meeting.has_begun:
        raise ValidationError(
            _(
                "Send the kallelse first: the protocol can be begun once the kallelse has "
                "gone out or the meeting has begun."
            ),
            code="not_called",
        )
    protocol = Protocol(
        meeting=meeting,
        chair=_seat_holder(meeting, Membership.Role.CHAIR),
        # The arena's secretary; where it names none, the secretariat member who writes.
        secretary=_seat_holder(meeting, Membership.Role.SECRETARY) or viewer_person(actor),
    )
    _save(protocol, actor=actor)
    day = timezone.localtime(meeting.starts_at).date()
    roles = {
        **dict.fromkeys(Membership.Role.seated(), Attendance.Role.MEMBER),
        Membership.Role.SUBSTITUTE.value: Attendance.Role.SUBSTITUTE,
        Membership.Role.SECRETARY.value: Attendance.Role.SECRETARY,
    }
    seen: set[int] = set()
    for membership in Membership.objects.active(on=day).filter(body=meeting.body).in_role_order():
        if membership.role not in roles or membership.person_id in seen:
            continue
        seen.add(membership.person_id)
        attendance = Attendance(
            meeting=meeting,
            person_id=membership.person_id,
            role=roles[membership.role],
            represents_id=membership.represents_id,
            presence=Attendance.Presence.ON_SITE
            if membership.role != Membership.Role.SUBSTITUTE
            else Attendance.Presence.ABSENT,
        )
        _save(attendance, actor=actor)
    return protocol


@transaction.atomic
def protocol_update(
    *, actor: Actor, protocol: Protocol, adjusters: Any = None, **changes: Any
) -> Protocol:
    protocol = _locked_with_changes(
        protocol,
        allowed=("chair", "secretary", "justering_time_place", "kept_at"),
        changes=changes,
    )
    _require_draft(protocol)
    _save(protocol, actor=actor)
    if adjusters is not None:
        protocol.adjusters.set(adjusters)
    return protocol


@transaction.atomic
def attendance_update(*, actor: Actor, attendance: Attendance, **changes: Any) -> Attendance:
    """Record how a person took part: on site, at a distance or absent, and for a
    substitute whom they serve for."""
    protocol = Protocol.objects.select_for_update().get(meeting_id=attendance.meeting_id)
    _require_draft(protocol)
    attendance = _locked_with_changes(
        attendance, allowed=("presence", "serving_for", "role"), changes=changes
    )
    if attendance.role != Attendance.Role.SUBSTITUTE:
        attendance.serving_for = None
    _save(attendance, actor=actor)
    return attendance


@transaction.atomic
def attendance_record(
    *,
    actor: Actor,
    meeting: Meeting,
    changes: list[tuple[Attendance, dict[str, Any]]],
    added: dict[str, Any] | None = None,
) -> None:
    """One save of the attendance page as one change: each row's changes and the person
    added, all or nothing (an error in one row leaves every row as it was)."""
    for attendance, fields in changes:
        attendance_update(actor=actor, attendance=attendance, **fields)
    if added is not None:
        attendance_add(actor=actor, meeting=meeting, **added)


@transaction.atomic
def attendance_add(
    *, actor: Actor, meeting: Meeting, person: Person, role: str, presence: str
) -> Attendance:
    """Add someone else present: an official, a presenter, an observer."""
    protocol = Protocol.objects.select_for_update().get(meeting=meeting)
    _require_draft(protocol)
    attendance = Attendance(meeting=meeting, person=person, role=role, presence=presence)
    _save(attendance, actor=actor)
    return attendance


def _allocate_paragraph_number(*, body: Body, year: int) -> int:
    """The next § of ``body`` in ``year`` (see ``_sequence_next``)."""
    return _sequence_next(ParagraphSequence, owner_column="body_id", owner_id=body.pk, year=year)


def paragraph_default_title(item: AgendaItem) -> str:
    """A new §'s title: the item's own title, else the ärende's *public* title and its
    diarienummer. A § can become public (the anslag, the extract, the decision list),
    so it never starts from the internal title."""
    if item.title or item.case is None:
        return item.title
    return f"{item.case.shown_public_title} ({item.case.diarienummer})"


def paragraph_default_basis(item: AgendaItem) -> str:
    """A new §'s beslutsunderlag: the subjects of the item's *public* documents; a
    confidential document's subject, or one with an unconfirmed personnummer, stays in
    the diarium, behind its gate."""
    if item.case is None:
        return ""
    return "\n".join(d.subject for d in item.documents.all() if d.public)


@transaction.atomic
def paragraphs_create_for_agenda(*, actor: Actor, meeting: Meeting) -> list[Paragraph]:
    """Give every agenda item without a § the next § numbers, in agenda order."""
    protocol = protocol_start(actor=actor, meeting=meeting)
    protocol = Protocol.objects.select_for_update().get(pk=protocol.pk)
    _require_draft(protocol)
    year = timezone.localtime(meeting.starts_at).year
    created = []
    items = meeting.agenda_items.filter(paragraph__isnull=True).select_related("case")
    for item in items.prefetch_related("documents"):
        paragraph = Paragraph(
            meeting=meeting,
            body=meeting.body,
            year=year,
            number=_allocate_paragraph_number(body=meeting.body, year=year),
            agenda_item=item,
            case=item.case,
            title=paragraph_default_title(item)[:300],
            public=item.public,
            basis=paragraph_default_basis(item),
            decision=item.proposal,
        )
        _save(paragraph, actor=actor)
        created.append(paragraph)
    return created


PARAGRAPH_EDITABLE_FIELDS = (
    "title",
    "public",
    "summary",
    "basis",
    "motions",
    "voting_order",
    "decision_kind",
    "decision",
    "reservations",
    "protocol_notes",
    "extract_to",
)


@transaction.atomic
def paragraph_update(
    *, actor: Actor, paragraph: Paragraph, conflicts: Any = None, **changes: Any
) -> Paragraph:
    protocol = Protocol.objects.select_for_update().get(meeting_id=paragraph.meeting_id)
    _require_draft(protocol)
    paragraph = _locked_with_changes(paragraph, allowed=PARAGRAPH_EDITABLE_FIELDS, changes=changes)
    if paragraph.approved_at is not None:
        raise ValidationError(_("This § is justerad and cannot be changed."), code="locked")
    _save(paragraph, actor=actor)
    if conflicts is not None:
        paragraph.conflicts.set(conflicts)
    return paragraph


@transaction.atomic
def paragraph_record(
    *, actor: Actor, paragraph: Paragraph, votes: dict[Person, str], **changes: Any
) -> Paragraph:
    """One save of the § form as one change: its texts, jäv and the open vote, all or
    nothing."""
    paragraph = paragraph_update(actor=actor, paragraph=paragraph, **changes)
    votes_record(actor=actor, paragraph=paragraph, votes=votes)
    return paragraph


@transaction.atomic
def votes_record(*, actor: Actor, paragraph: Paragraph, votes: dict[Person, str]) -> None:
    """Record an open vote: how each member who took part voted."""
    protocol = Protocol.objects.select_for_update().get(meeting_id=paragraph.meeting_id)
    _require_draft(protocol)
    if paragraph.approved_at is not None:
        raise ValidationError(_("This § is justerad and cannot be changed."), code="locked")
    for person, choice in votes.items():
        if not choice:
            Vote.objects.filter(paragraph=paragraph, person=person).delete()
            continue
        vote = Vote.objects.filter(paragraph=paragraph, person=person).first() or Vote(
            paragraph=paragraph, person=person
        )
        vote.choice = choice
        _save(vote, actor=actor)


def _with_unchecked_personal_data(paragraphs: QuerySet[Paragraph]) -> str:
    """What stops § from being justerade (and so published): personal data in their
    public text that the secretariat has neither masked nor confirmed."""
    labels = [p.label for p in paragraphs.exclude(Paragraph.publishable_q()).order_by("number")]
    if not labels:
        return ""
    return _(
        "Personal data (a personnummer, or a private person's e-mail address or phone "
        "number) in %(paragraphs)s: mask it or confirm that it may be published."
    ) % {"paragraphs": ", ".join(labels)}


@transaction.atomic
def paragraph_approve_immediately(*, actor: Actor, paragraph: Paragraph) -> Paragraph:
    """Omedelbar justering: the meeting approves this § at once; it is locked now."""
    paragraph = Paragraph.objects.select_for_update().get(pk=paragraph.pk)
    if paragraph.approved_at is not None:
        return paragraph
    unchecked = _with_unchecked_personal_data(Paragraph.objects.filter(pk=paragraph.pk))
    if unchecked:
        raise ValidationError(unchecked, code="personal_data")
    paragraph.approved_at = timezone.now()
    paragraph.approved_immediately = True
    _save(paragraph, actor=actor)
    signals.paragraphs_justerade.send(sender=Paragraph, paragraphs=[paragraph], actor=actor)
    return paragraph


# --- Expediering ----------------------------------------------------------------------------
