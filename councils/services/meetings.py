"""Writes of meetings: planning, the agenda, the kallelse and the members' notes."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from base import queue
from base.actors import Actor
from councils import mails, selectors
from councils.models import (
    AgendaItem,
    AgendaNote,
    Body,
    Case,
    Meeting,
    Paragraph,
    Person,
    Protocol,
    RenderJob,
)
from councils.services.common import _locked_with_changes, _save
from councils.services.renderjobs import render_job_request

# --- Meetings and agendas -------------------------------------------------------------

#: The standard items every agenda opens and closes with (the protocol's own words).
OPENING_ITEMS = (
    "Mötet öppnas",
    "Val av justerare samt tid och plats för justering",
    "Fastställande av dagordning",
    "Föregående protokoll",
)
CLOSING_ITEMS = ("Övriga frågor", "Mötet avslutas")


@transaction.atomic
def meeting_plan(
    *,
    actor: Actor,
    body: Body,
    starts: list[datetime.datetime],
    place: str = "",
    remote_link: str = "",
    duration: datetime.timedelta | None = None,
) -> list[Meeting]:
    """Create one planned meeting of ``body`` per start time (a year's meeting plan)."""
    meetings = []
    for start in sorted(starts):
        meeting = Meeting(
            body=body,
            starts_at=start,
            ends_at=start + duration if duration else None,
            place=place,
            remote_link=remote_link,
        )
        _save(meeting, actor=actor)
        meetings.append(meeting)
    return meetings


MEETING_EDITABLE_FIELDS = ("starts_at", "ends_at", "place", "remote_link", "status", "invitees")


@transaction.atomic
def meeting_update(*, actor: Actor, meeting: Meeting, **changes: Any) -> Meeting:
    meeting = _locked_with_changes(meeting, allowed=MEETING_EDITABLE_FIELDS, changes=changes)
    _save(meeting, actor=actor)
    return meeting


def _require_agenda_open(meeting: Meeting) -> None:
    """The agenda is the protocol's frame: once the protocol is sent for justering or
    justerat, neither its items nor their order may change."""
    protocol = Protocol.objects.filter(meeting=meeting).only("status").first()
    if protocol is not None and protocol.status != Protocol.Status.DRAFT:
        raise ValidationError(
            _("The protocol is sent for justering or justerat: the agenda is locked."),
            code="agenda_locked",
        )


def _agenda(meeting: Meeting) -> list[AgendaItem]:
    """The meeting's items, locked, in order (the meeting row is locked first, so two
    editors of one agenda queue behind each other)."""
    Meeting.objects.select_for_update().get(pk=meeting.pk)
    return list(meeting.agenda_items.select_for_update().order_by("position"))


def _renumber(items: list[AgendaItem], *, actor: Actor) -> None:
    """Give ``items`` positions 1..n in list order (the unique constraint is deferred)."""
    for position, item in enumerate(items, start=1):
        if item.position != position:
            item.position = position
            item._history_user = actor  # type: ignore[attr-defined]
            item.save(update_fields=["position"])


@transaction.atomic
def agenda_add_standard_items(*, actor: Actor, meeting: Meeting) -> list[AgendaItem]:
    """Put the standard opening items first and the closing items last, once each."""
    _require_agenda_open(meeting)
    items = _agenda(meeting)
    present = {item.title for item in items if item.kind != AgendaItem.Kind.CASE}
    opening = [
        AgendaItem(meeting=meeting, kind=AgendaItem.Kind.OPENING, title=title, position=0)
        for title in OPENING_ITEMS
        if title not in present
    ]
    closing = [
        AgendaItem(meeting=meeting, kind=AgendaItem.Kind.CLOSING, title=title, position=0)
        for title in CLOSING_ITEMS
        if title not in present
    ]
    existing_opening = [i for i in items if i.kind == AgendaItem.Kind.OPENING]
    middle = [i for i in items if i.kind == AgendaItem.Kind.CASE]
    existing_closing = [i for i in items if i.kind == AgendaItem.Kind.CLOSING]
    ordered = opening + existing_opening + middle + existing_closing + closing
    base = len(items) + 1000  # new rows start clear of the positions in use
    for offset, item in enumerate(opening + closing):
        item.position = base + offset
        _save(item, actor=actor)
    _renumber(ordered, actor=actor)
    return ordered


@transaction.atomic
def agenda_add_case(
    *,
    actor: Actor,
    meeting: Meeting,
    case: Case,
    public: bool = True,
    presenter: Person | None = None,
    proposal: str = "",
    title: str = "",
) -> AgendaItem:
    """Put an ärende on the agenda before the closing items, with all its documents
    as beslutsunderlag (the secretariat may remove some afterwards)."""
    _require_agenda_open(meeting)
    items = _agenda(meeting)
    item = AgendaItem(
        meeting=meeting,
        kind=AgendaItem.Kind.CASE,
        case=case,
        title=title,
        public=public,
        presenter=presenter,
        proposal=proposal,
        position=len(items) + 1000,
    )
    _save(item, actor=actor)
    item.documents.set(case.documents.all())
    before = [i for i in items if i.kind != AgendaItem.Kind.CLOSING]
    after = [i for i in items if i.kind == AgendaItem.Kind.CLOSING]
    _renumber([*before, item, *after], actor=actor)
    item.refresh_from_db(fields=["position"])
    return item


@transaction.atomic
def agenda_move(*, actor: Actor, item: AgendaItem, offset: int) -> None:
    """Move an item ``offset`` places (-1 up, +1 down) within the agenda."""
    _require_agenda_open(item.meeting)
    items = _agenda(item.meeting)
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = max(0, min(len(items) - 1, index + offset))
    moved = items.pop(index)
    items.insert(target, moved)
    _renumber(items, actor=actor)


AGENDA_ITEM_EDITABLE_FIELDS = ("title", "public", "presenter", "proposal")


@transaction.atomic
def agenda_item_update(
    *, actor: Actor, item: AgendaItem, documents: Any = None, **changes: Any
) -> AgendaItem:
    _require_agenda_open(item.meeting)
    item = _locked_with_changes(item, allowed=AGENDA_ITEM_EDITABLE_FIELDS, changes=changes)
    _save(item, actor=actor)
    if documents is not None:
        item.documents.set(documents)
    return item


@transaction.atomic
def agenda_item_remove(*, actor: Actor, item: AgendaItem) -> None:
    """Take an item off the agenda, unless the protocol already has a § for it."""
    remaining = [i for i in _agenda(item.meeting) if i.pk != item.pk]
    if Paragraph.objects.filter(agenda_item=item).exists():
        raise ValidationError(
            _("The item has a § in the protocol and cannot be removed."), code="has_paragraph"
        )
    item._history_user = actor  # type: ignore[attr-defined]
    item.delete()
    _renumber(remaining, actor=actor)


# --- Kallelse ----------------------------------------------------------------------------


@dataclass(frozen=True)
class KallelseResult:
    meeting: Meeting
    recipients: int
    late: bool


@transaction.atomic
def kallelse_send(*, actor: Actor, meeting: Meeting) -> KallelseResult:
    """Send the kallelse: record when, publish the public agenda (status kallat) and
    hand the e-mails to the worker once the change is committed."""
    meeting = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
    reach = selectors.kallelse_reach(meeting)
    refusals = selectors.kallelse_refusals(meeting, reach)
    if refusals:
        raise ValidationError(refusals, code="refused")
    meeting.kallelse_sent_at = timezone.now()
    if meeting.status == Meeting.Status.PLANNED:
        meeting.status = Meeting.Status.CALLED
    _save(meeting, actor=actor)
    # The kallelse as sent, for everyone (a formal arena's under its seal): the worker
    # renders it, and it is the meeting's invitation in the open data.
    render_job_request(actor=actor, kind=RenderJob.Kind.KALLELSE, meeting=meeting)

    queue.send_on_commit("councils.tasks.send_kallelse", meeting.pk)
    return KallelseResult(
        meeting=meeting,
        recipients=len(reach) + len(meeting.invitee_addresses),
        late=meeting.kallelse_is_late(),
    )


@transaction.atomic
def kallelse_deliver(*, meeting: Meeting) -> int:
    """Write and send one kallelse e-mail per recipient (run by the worker). Each
    recipient sees the items their role entitles them to, and gets the .ics file.

    Exactly once per sending: the meeting row is locked and the delivery recorded in
    the same transaction as the mails go out; a second delivery of the same sending
    (a retried message, the sweep) finds it done. A failed send records nothing."""
    meeting = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
    if meeting.kallelse_sent_at is None or (
        meeting.kallelse_delivered_at is not None
        and meeting.kallelse_delivered_at >= meeting.kallelse_sent_at
    ):
        return 0
    sent = get_connection().send_messages(mails.kallelse(meeting)) or 0
    Meeting.objects.filter(pk=meeting.pk).update(kallelse_delivered_at=timezone.now())
    return sent


def kallelse_sweep(*, older_than: datetime.timedelta = datetime.timedelta(minutes=10)) -> int:
    """Send again the kallelser that were recorded but not mailed (the broker was away
    when they were sent). Returns how many."""

    now = timezone.now()
    late = Meeting.objects.filter(
        kallelse_sent_at__lte=now - older_than,
        kallelse_sent_at__gte=now - datetime.timedelta(days=2),
    ).filter(
        Q(kallelse_delivered_at__isnull=True)
        | Q(kallelse_delivered_at__lt=models.F("kallelse_sent_at"))
    )
    pks = list(late.values_list("pk", flat=True)[:100])
    for pk in pks:
        queue.send("councils.tasks.send_kallelse", pk)
    return len(pks)


def agenda_note_save(*, actor: Actor, item: AgendaItem, text: str) -> AgendaNote | None:
    """Keep (or, when emptied, delete) the actor's private note on an item."""
    text = text.strip()
    if not text:
        AgendaNote.objects.filter(item=item, user=actor).delete()
        return None
    note, _created = AgendaNote.objects.update_or_create(
        item=item, user=actor, defaults={"text": text}
    )
    return note
