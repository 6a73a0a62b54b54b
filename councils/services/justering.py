"""Justering and what follows it: sending the protocol for justering, each signatory's
decision on the exact copy they read, the final protocol (sealed, posted on the
anslagstavla), and the expediering of protokollsutdrag."""

from __future__ import annotations

import datetime
import io
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from base import queue
from base.actors import Actor
from councils import mails, signals
from councils.models import (
    Approval,
    Body,
    Document,
    ExtractDispatch,
    Meeting,
    Notice,
    Organisation,
    Paragraph,
    Person,
    Protocol,
    RenderJob,
)
from councils.services.common import _save
from councils.services.diarium import document_register
from councils.services.protocols import (
    APPEAL_DAYS,
    NOTICE_DAYS_UP,
    _require_draft,
    _with_unchecked_personal_data,
)
from councils.services.renderjobs import render_job_request, render_job_run


@transaction.atomic
def protocol_send_for_justering(*, actor: Actor, protocol: Protocol) -> Protocol:
    """Ask the chair and the justerare to justera; each gets an e-mail."""
    protocol = Protocol.objects.select_for_update().get(pk=protocol.pk)
    _require_draft(protocol)
    signatories = [p for p in [protocol.chair, *protocol.adjusters.all()] if p is not None]
    problems = []
    if not protocol.meeting.has_begun:
        problems.append(protocol.meeting.not_begun_message())
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
    if approve and not protocol.meeting.has_begun:  # sent before this guard existed
        raise ValidationError(protocol.meeting.not_begun_message(), code="not_held")
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
    justerade = [paragraph for paragraph in paragraphs if paragraph.approved_at is None]
    for paragraph in justerade:
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
    # The decisions ready when people come for them: each public §'s extract, sealed,
    # made now on the priority queue (a click finds it made).
    for paragraph in paragraphs:
        if paragraph.public:
            render_job_request(
                actor=actor, kind=RenderJob.Kind.EXTRACT, meeting=meeting, paragraph=paragraph
            )
    queue.send_on_commit("councils.tasks.dispatch_extracts", protocol.pk)
    signals.paragraphs_justerade.send(sender=Paragraph, paragraphs=justerade, actor=actor)
    return protocol


def justering_requests_deliver(*, protocol: Protocol) -> int:
    """E-mail each signatory still to decide a link to the protocol (run by the worker)."""
    return get_connection().send_messages(mails.justering_requests(protocol)) or 0


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
