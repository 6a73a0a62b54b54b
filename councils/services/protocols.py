"""Writes of the protocol: attendance, §, votes, justering, anslag and expediering."""

from __future__ import annotations

import datetime
import io
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from base import queue
from base.actors import Actor
from councils import mails
from councils.models import (
    AgendaItem,
    Approval,
    Attendance,
    Body,
    Document,
    ExtractDispatch,
    Meeting,
    Membership,
    Notice,
    Organisation,
    Paragraph,
    ParagraphSequence,
    Person,
    Protocol,
    RenderJob,
    Vote,
)
from councils.services.common import _locked_with_changes, _save, _sequence_next
from councils.services.diarium import document_register
from councils.services.renderjobs import render_job_request, render_job_run

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
    protocol = Protocol(
        meeting=meeting,
        chair=_seat_holder(meeting, Membership.Role.CHAIR),
        secretary=_seat_holder(meeting, Membership.Role.SECRETARY),
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
    return paragraph


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
def protocol_send_for_justering(*, actor: Actor, protocol: Protocol) -> Protocol:
    """Ask the chair and the justerare to justera; each gets an e-mail."""
    protocol = Protocol.objects.select_for_update().get(pk=protocol.pk)
    _require_draft(protocol)
    signatories = [p for p in [protocol.chair, *protocol.adjusters.all()] if p is not None]
    problems = []
    if protocol.chair is None:
        problems.append(_("Choose the chair who justerar the protocol."))
    if not protocol.adjusters.exists():
        problems.append(_("Choose at least one justerare."))
    if not protocol.meeting.paragraphs.exists():
        problems.append(_("The protocol has no §."))
    unchecked = _with_unchecked_personal_data(protocol.meeting.paragraphs.all())
    if unchecked:
        problems.append(unchecked)
    if problems:
        raise ValidationError(problems, code="incomplete")
    protocol.approvals.exclude(person__in=signatories).delete()
    for person in signatories:
        approval = Approval.objects.filter(protocol=protocol, person=person).first() or Approval(
            protocol=protocol, person=person
        )
        approval.decision = Approval.Decision.PENDING
        approval.comment = ""
        approval.decided_at = None
        _save(approval, actor=actor)
    protocol.status = Protocol.Status.FOR_APPROVAL
    protocol.sent_for_justering_at = timezone.now()
    # The copy to justera: the PDF every signatory reads and approves by its checksum.
    protocol.reading_copy = render_job_request(
        actor=actor, kind=RenderJob.Kind.PROTOCOL, meeting=protocol.meeting, internal=True
    )
    _save(protocol, actor=actor)
    meeting = protocol.meeting
    if meeting.status in (Meeting.Status.PLANNED, Meeting.Status.CALLED):
        meeting.status = Meeting.Status.HELD
        _save(meeting, actor=actor)

    queue.send_on_commit("councils.tasks.send_justering_requests", protocol.pk)
    return protocol


@transaction.atomic
def protocol_decide(
    *,
    actor: Actor,
    protocol: Protocol,
    approve: bool,
    comment: str = "",
    read_sha256: str = "",
    authentication: str = Approval.Authentication.PASSWORD,
    authentication_detail: str = "",
    at: datetime.datetime | None = None,
) -> Protocol:
    """A signatory approves the protocol or sends it back with a comment. An approval
    names the checksum of the copy the signatory read (``read_sha256``), and is refused
    when that is not the protocol's current copy to justera. When the last one
    approves, the protocol is justerat, locked, announced on the anslagstavla (where
    the body posts notices), and its final PDFs are rendered and sealed.

    ``at`` is when the signatory decided, for a justering recorded after the fact (the
    demo's history of earlier years); the pages never pass it, so a decision made in
    the portal is dated by the clock."""
    protocol = (
        Protocol.objects.select_for_update(of=("self",))
        .select_related("meeting__body", "reading_copy")
        .get(pk=protocol.pk)
    )
    if protocol.status != Protocol.Status.FOR_APPROVAL:
        raise ValidationError(_("The protocol is not waiting for justering."), code="state")
    approval = Approval.objects.filter(protocol=protocol, person__user=actor).first()
    if approval is None:
        raise ValidationError(_("You are not asked to justera this protocol."), code="not_asked")
    if not approve and not comment.strip():
        raise ValidationError(
            {"comment": _("Say what should be changed.")}, code="comment_required"
        )
    if approve:
        _require_read_copy(protocol, read_sha256)
        approval.read_sha256 = read_sha256
    approval.authentication = authentication
    approval.authentication_detail = authentication_detail[:300]
    approval.decision = Approval.Decision.APPROVED if approve else Approval.Decision.COMMENTED
    approval.comment = comment.strip()
    decided_at = at or timezone.now()
    approval.decided_at = decided_at
    _save(approval, actor=actor)
    if not approve:
        protocol.status = Protocol.Status.DRAFT
        _save(protocol, actor=actor)
        return protocol
    if protocol.approvals.exclude(decision=Approval.Decision.APPROVED).exists():
        return protocol
    return _protocol_finalise(protocol=protocol, actor=actor, now=decided_at)


def _require_read_copy(protocol: Protocol, read_sha256: str) -> None:
    copy = protocol.reading_copy
    if copy is None or copy.status != RenderJob.Status.DONE or not copy.sha256:
        raise ValidationError(
            _("The copy to justera is still being prepared: open it when it is ready."),
            code="copy_pending",
        )
    if read_sha256 != copy.sha256:
        raise ValidationError(
            _(
                "The protocol has changed since you read it. Read the current copy to "
                "justera and decide again."
            ),
            code="changed_since_read",
        )


def _protocol_finalise(*, protocol: Protocol, actor: Actor, now: datetime.datetime) -> Protocol:
    today = timezone.localdate(now)
    paragraphs = list(protocol.meeting.paragraphs.select_for_update().order_by("number"))
    for paragraph in paragraphs:
        if paragraph.approved_at is None:
            paragraph.approved_at = now
            _save(paragraph, actor=actor)
    meeting = protocol.meeting
    body = meeting.body
    if body.procedure == Body.Procedure.FORMAL or body.posts_notices:
        first, last = paragraphs[0].number, paragraphs[-1].number
        notice = Notice(
            protocol=protocol,
            posted_on=today,
            removed_on=today + datetime.timedelta(days=NOTICE_DAYS_UP),
            appeal_until=today + datetime.timedelta(days=APPEAL_DAYS),
            paragraph_range=f"§ {first}" if first == last else f"§ {first}–{last}",
        )
        _save(notice, actor=actor)
        meeting.status = Meeting.Status.POSTED
    else:
        meeting.status = Meeting.Status.APPROVED
    _save(meeting, actor=actor)
    protocol.status = Protocol.Status.APPROVED
    protocol.approved_on = today
    _save(protocol, actor=actor)  # the last write: from here the database locks it

    for internal in (False, True):  # the final protocol, sealed by the worker
        render_job_request(
            actor=actor, kind=RenderJob.Kind.PROTOCOL, meeting=meeting, internal=internal
        )
    queue.send_on_commit("councils.tasks.dispatch_extracts", protocol.pk)
    return protocol


def justering_requests_deliver(*, protocol: Protocol) -> int:
    """E-mail each signatory still to decide a link to the protocol (run by the worker)."""
    return get_connection().send_messages(mails.justering_requests(protocol)) or 0


# --- Expediering ----------------------------------------------------------------------------

_EMAIL = re.compile(r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+")


def extract_recipient_address(line: str) -> str:
    """The e-mail address for one line of Utdrag till: an address in the line, an
    organisation's official mailbox, or a person's address; '' when unknown."""
    found = _EMAIL.search(line)
    if found:
        return found.group(0)
    name = line.strip().rstrip(".,")
    organisation = Organisation.objects.filter(
        Q(name__iexact=name) | Q(short_name__iexact=name)
    ).first()
    if organisation is not None:
        return organisation.official_email
    for person in Person.objects.exclude(email="").filter(last_name__iexact=name.split()[-1]):
        if person.full_name.lower() == name.lower():
            return person.email
    return ""


def _extract_secrecy(paragraph: Paragraph) -> dict[str, Any]:
    """How an extract is filed: public for a public §; the extract of a closed § is
    marked confidential (the secrecy is tried when someone asks for it)."""
    if paragraph.public:
        return {"confidential": False}
    return {
        "confidential": True,
        "secrecy_provision": _("Closed item: secrecy is tried on request (OSL)"),
        "secrecy_date": timezone.localdate(),
        "secrecy_authority": paragraph.body.organisation.name,
    }


def extracts_dispatch(*, protocol: Protocol) -> int:
    """After justering: for every § with Utdrag till, render the extract, register it
    in the diarium on the case as an outgoing protokollsutdrag, and e-mail it to each
    recipient with an address; record each dispatch once (run by the worker).
    Returns how many e-mails went out."""
    sent = 0
    paragraphs = protocol.meeting.paragraphs.exclude(extract_to="").select_related(
        "case", "body__organisation"
    )
    for paragraph in paragraphs:
        lines = [line.strip() for line in paragraph.extract_to.splitlines() if line.strip()]
        pending = [
            line
            for line in lines
            if not ExtractDispatch.objects.filter(
                paragraph=paragraph, recipient=line, sent_at__isnull=False
            ).exists()
        ]
        if not pending:
            continue
        job = render_job_request(
            actor=None, kind=RenderJob.Kind.EXTRACT, meeting=protocol.meeting, paragraph=paragraph
        )
        job = render_job_run(job_id=job.pk)
        data = job.file.read()
        job.file.close()
        subject = f"Protokollsutdrag {paragraph.label} {protocol.meeting.body.name}"[:300]
        if (
            paragraph.case is not None
            and not paragraph.case.documents.filter(
                kind=Document.Kind.MINUTES_EXTRACT, subject=subject
            ).exists()
        ):
            document_register(
                actor=None,
                case=paragraph.case,
                kind=Document.Kind.MINUTES_EXTRACT,
                subject=subject,
                direction=Document.Direction.OUTGOING,
                document_date=protocol.approved_on or timezone.localdate(),
                counterpart=", ".join(lines)[:300],
                upload=io.BytesIO(data),
                upload_name=job.file_name,
                upload_size=len(data),
                **_extract_secrecy(paragraph),
            )
        for line in pending:
            dispatch, _created = ExtractDispatch.objects.get_or_create(
                paragraph=paragraph, recipient=line[:300]
            )
            address = extract_recipient_address(line)
            dispatch.email = address
            if address:
                mails.extract(paragraph, address=address, file_name=job.file_name, data=data).send()
                dispatch.sent_at = timezone.now()
                sent += 1
            dispatch.save()
    return sent
