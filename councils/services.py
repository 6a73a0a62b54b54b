"""Writes for the councils app. Every function is keyword-only, takes the acting
user, validates with ``full_clean()`` and runs in one transaction; the actor is
what django-simple-history records as the change's author."""

from __future__ import annotations

import datetime
import io
import re
import uuid
from dataclasses import dataclass
from typing import IO, Any, TypeVar

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.mail import get_connection
from django.db import connection, models, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from councils import mails, renderers, selectors
from councils.models import (
    AgendaItem,
    AgendaNote,
    Approval,
    Attendance,
    Body,
    Case,
    Diarium,
    DiariumSequence,
    Document,
    ExtractDispatch,
    Meeting,
    Membership,
    Notice,
    Organisation,
    OrganisationRole,
    Paragraph,
    ParagraphSequence,
    Person,
    Protocol,
    RenderJob,
    Vote,
)
from councils.uploads import inspect_upload
from samverkan import queue, records

_M = TypeVar("_M", bound=models.Model)


def _save(instance: Any, *, actor: Any) -> None:
    records.save(instance, actor=actor)


def _sequence_next(
    model: type[models.Model], *, owner_column: str, owner_id: int, year: int, at_least: int = 0
) -> int:
    """Hand out the next number of a yearly sequence (diarium or §) for one owner.

    A single upsert takes the sequence row's lock, so concurrent callers queue behind
    each other: numbers are unique, and since the increment is part of the caller's
    transaction a rollback returns the number, leaving no gap. ``at_least`` lets an
    imported record keep its historic number and moves the sequence past it.
    """
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} ({owner_column}, year, last_number)
            VALUES (%s, %s, GREATEST(1, %s))
            ON CONFLICT ({owner_column}, year) DO UPDATE
            SET last_number = GREATEST({table}.last_number + 1, EXCLUDED.last_number)
            RETURNING last_number
            """,  # noqa: S608 - table and column come from the code, values are parameters
            [owner_id, year, at_least],
        )
        row = cursor.fetchone()
    assert row is not None
    return int(row[0])


def _allocate_number(*, diarium: Diarium, year: int, at_least: int = 0) -> int:
    """The next running number of ``diarium`` in ``year`` (see ``_sequence_next``)."""
    return _sequence_next(
        DiariumSequence,
        owner_column="diarium_id",
        owner_id=diarium.pk,
        year=year,
        at_least=at_least,
    )


@transaction.atomic
def case_register(
    *,
    actor: Any,
    diarium: Diarium,
    body: Body,
    title: str,
    public_title: str = "",
    description: str = "",
    registered_on: datetime.date | None = None,
    unit: str = "",
    handler: Person | None = None,
    status: str = Case.Status.OPEN,
    number: int | None = None,
) -> Case:
    """Register an ärende and give it the next diarienummer of its diarium and year.

    ``number`` is for importing historic cases that already carry a diarienummer.
    """
    if not diarium.active and number is None:
        raise ValidationError(
            {"diarium": _("This diarium is closed for new cases.")}, code="diarium_closed"
        )
    day = registered_on or timezone.localdate()
    if (
        number is not None
        and Case.objects.filter(diarium=diarium, year=day.year, number=number).exists()
    ):
        raise ValidationError(
            _("%(number)s is already registered.")
            % {"number": Case.format_diarienummer(diarium.prefix, number, day.year)},
            code="duplicate",
        )
    allocated = _allocate_number(diarium=diarium, year=day.year, at_least=number or 0)
    case = Case(
        diarium=diarium,
        year=day.year,
        number=number if number is not None else allocated,
        title=title,
        public_title=public_title,
        description=description,
        registered_on=day,
        unit=unit,
        handler=handler,
        body=body,
        status=status,
    )
    case.diarienummer = Case.format_diarienummer(diarium.prefix, case.number, case.year)
    _save(case, actor=actor)
    return case


CASE_EDITABLE_FIELDS = (
    "title",
    "public_title",
    "description",
    "status",
    "unit",
    "handler",
    "body",
)


def _locked_with_changes(instance: _M, *, allowed: tuple[str, ...], changes: dict[str, Any]) -> _M:
    """The row of ``instance``, locked for the transaction, with ``changes`` applied."""
    unknown = set(changes) - set(allowed)
    if unknown:
        raise TypeError(f"{type(instance).__name__} fields {sorted(unknown)} cannot be changed")
    locked = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    for field, value in changes.items():
        setattr(locked, field, value)
    return locked


@transaction.atomic
def case_update(*, actor: Any, case: Case, **changes: Any) -> Case:
    """Change an ärende's editable fields; its diarienummer never changes."""
    case = _locked_with_changes(case, allowed=CASE_EDITABLE_FIELDS, changes=changes)
    _save(case, actor=actor)
    return case


def _store_upload(upload: IO[bytes], *, extension: str) -> str:
    """Store the bytes under a generated name; the user's file name is never a path."""
    name = f"documents/{timezone.now():%Y}/{uuid.uuid4().hex}{extension}"
    return default_storage.save(name, File(upload))


@transaction.atomic
def document_register(
    *,
    actor: Any,
    case: Case,
    kind: str,
    subject: str,
    direction: str,
    document_date: datetime.date,
    counterpart: str = "",
    upload: IO[bytes] | None = None,
    upload_name: str = "",
    upload_size: int = 0,
    confidential: bool = False,
    secrecy_provision: str = "",
    secrecy_date: datetime.date | None = None,
    secrecy_authority: str = "",
) -> Document:
    """Register a handling on an ärende, with its file if there is one.

    The file is checked (type by content, size) before anything is stored; if the
    registration fails afterwards the stored file is removed again.
    """
    info = inspect_upload(upload, name=upload_name, size=upload_size) if upload else None
    locked_case = Case.objects.select_for_update().get(pk=case.pk)
    last = locked_case.documents.aggregate(last=Max("sequence"))["last"] or 0
    document = Document(
        case=locked_case,
        sequence=last + 1,
        kind=kind,
        subject=subject,
        direction=direction,
        document_date=document_date,
        counterpart=counterpart,
        confidential=confidential,
        secrecy_provision=secrecy_provision if confidential else "",
        secrecy_date=secrecy_date if confidential else None,
        secrecy_authority=secrecy_authority if confidential else "",
        registered_by=actor if getattr(actor, "pk", None) else None,
    )
    stored_name = ""
    if upload is not None and info is not None:
        stored_name = _store_upload(upload, extension=info.extension)
        document.file.name = stored_name
        document.file_name = upload_name[-255:]
        document.content_type = info.content_type
        document.size = info.size
        document.sha256 = info.sha256
    try:
        _save(document, actor=actor)
    except Exception:
        if stored_name:
            default_storage.delete(stored_name)
        raise
    if document.content_type == "application/pdf":
        queue.send_on_commit("councils.tasks.extract_document_text", document.pk)
    return document


#: Text kept per document for search; longer texts are cut (the file stays whole).
MAX_DOCUMENT_TEXT = 500_000


def document_text_extract(*, document_id: int) -> int:
    """Read the text of a PDF handling for search (run by the worker, and by
    ``manage.py extract_document_texts`` for older documents). A file that cannot be
    read leaves the text empty. Returns the number of characters kept."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    document = Document.objects.get(pk=document_id)
    if document.content_type != "application/pdf" or not document.file:
        return 0
    try:
        with document.file.open("rb") as handle:
            reader = PdfReader(io.BytesIO(handle.read()))
            text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except (PdfReadError, OSError, ValueError):
        text = ""
    text = text.replace("\x00", "")[:MAX_DOCUMENT_TEXT]
    Document.objects.filter(pk=document_id).update(text=text)  # derived: not a record change
    return len(text)


DOCUMENT_EDITABLE_FIELDS = (
    "kind",
    "subject",
    "direction",
    "document_date",
    "counterpart",
    "confidential",
    "secrecy_provision",
    "secrecy_date",
    "secrecy_authority",
)


@transaction.atomic
def document_update(*, actor: Any, document: Document, **changes: Any) -> Document:
    """Change a handling's registration fields (not its file, which is kept as filed)."""
    document = _locked_with_changes(document, allowed=DOCUMENT_EDITABLE_FIELDS, changes=changes)
    if not document.confidential:
        document.secrecy_provision = ""
        document.secrecy_date = None
        document.secrecy_authority = ""
    _save(document, actor=actor)
    return document


@transaction.atomic
def person_anonymise(*, actor: Any, person: Person) -> Person:
    """Stop naming someone who has left office on the portal's pages (data protection);
    contact details go too. The protocols keep the name: they are archived records."""
    if Membership.objects.active().filter(person=person).exists():
        raise ValidationError(_("The person still holds a seat or role: end it first."))
    person.anonymised_at = timezone.now()
    person.email = ""
    person.phone = ""
    _save(person, actor=actor)
    return person


@transaction.atomic
def organisation_role_grant(
    *, actor: Any, organisation: Organisation, person: Person, kind: str
) -> OrganisationRole:
    """Give ``person`` a role on ``organisation``'s behalf (a second grant of the same
    role keeps the first)."""
    existing = OrganisationRole.objects.filter(
        organisation=organisation, person=person, kind=kind
    ).first()
    if existing is not None:
        return existing
    role = OrganisationRole(organisation=organisation, person=person, kind=kind)
    _save(role, actor=actor)
    return role


@transaction.atomic
def organisation_role_revoke(*, actor: Any, role: OrganisationRole) -> None:
    role._history_user = actor  # type: ignore[attr-defined]
    role.delete()


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
    actor: Any,
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
def meeting_update(*, actor: Any, meeting: Meeting, **changes: Any) -> Meeting:
    meeting = _locked_with_changes(meeting, allowed=MEETING_EDITABLE_FIELDS, changes=changes)
    _save(meeting, actor=actor)
    return meeting


def _agenda(meeting: Meeting) -> list[AgendaItem]:
    """The meeting's items, locked, in order (the meeting row is locked first, so two
    editors of one agenda queue behind each other)."""
    Meeting.objects.select_for_update().get(pk=meeting.pk)
    return list(meeting.agenda_items.select_for_update().order_by("position"))


def _renumber(items: list[AgendaItem], *, actor: Any) -> None:
    """Give ``items`` positions 1..n in list order (the unique constraint is deferred)."""
    for position, item in enumerate(items, start=1):
        if item.position != position:
            item.position = position
            item._history_user = actor  # type: ignore[attr-defined]
            item.save(update_fields=["position"])


@transaction.atomic
def agenda_add_standard_items(*, actor: Any, meeting: Meeting) -> list[AgendaItem]:
    """Put the standard opening items first and the closing items last, once each."""
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
    actor: Any,
    meeting: Meeting,
    case: Case,
    public: bool = True,
    presenter: Person | None = None,
    proposal: str = "",
    title: str = "",
) -> AgendaItem:
    """Put an ärende on the agenda before the closing items, with all its documents
    as beslutsunderlag (the secretariat may remove some afterwards)."""
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
def agenda_move(*, actor: Any, item: AgendaItem, offset: int) -> None:
    """Move an item ``offset`` places (-1 up, +1 down) within the agenda."""
    items = _agenda(item.meeting)
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = max(0, min(len(items) - 1, index + offset))
    moved = items.pop(index)
    items.insert(target, moved)
    _renumber(items, actor=actor)


AGENDA_ITEM_EDITABLE_FIELDS = ("title", "public", "presenter", "proposal")


@transaction.atomic
def agenda_item_update(
    *, actor: Any, item: AgendaItem, documents: Any = None, **changes: Any
) -> AgendaItem:
    item = _locked_with_changes(item, allowed=AGENDA_ITEM_EDITABLE_FIELDS, changes=changes)
    _save(item, actor=actor)
    if documents is not None:
        item.documents.set(documents)
    return item


@transaction.atomic
def agenda_item_remove(*, actor: Any, item: AgendaItem) -> None:
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
def kallelse_send(*, actor: Any, meeting: Meeting) -> KallelseResult:
    """Send the kallelse: record when, publish the public agenda (status kallat) and
    hand the e-mails to the worker once the change is committed."""
    meeting = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("The meeting is cancelled."), code="cancelled")
    if not meeting.agenda_items.exists():
        raise ValidationError(_("The agenda is empty."), code="empty_agenda")
    meeting.kallelse_sent_at = timezone.now()
    if meeting.status == Meeting.Status.PLANNED:
        meeting.status = Meeting.Status.CALLED
    _save(meeting, actor=actor)
    recipients = selectors.kallelse_recipients(meeting)

    queue.send_on_commit("councils.tasks.send_kallelse", meeting.pk)
    return KallelseResult(
        meeting=meeting,
        recipients=len(recipients) + len(meeting.invitee_addresses),
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


def agenda_note_save(*, actor: Any, item: AgendaItem, text: str) -> AgendaNote | None:
    """Keep (or, when emptied, delete) the actor's private note on an item."""
    text = text.strip()
    if not text:
        AgendaNote.objects.filter(item=item, user=actor).delete()
        return None
    note, _created = AgendaNote.objects.update_or_create(
        item=item, user=actor, defaults={"text": text}
    )
    return note


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
def protocol_start(*, actor: Any, meeting: Meeting) -> Protocol:
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
    *, actor: Any, protocol: Protocol, adjusters: Any = None, **changes: Any
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
def attendance_update(*, actor: Any, attendance: Attendance, **changes: Any) -> Attendance:
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
def attendance_add(
    *, actor: Any, meeting: Meeting, person: Person, role: str, presence: str
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
    confidential document's subject stays in the diarium, behind its gate."""
    if item.case is None:
        return ""
    return "\n".join(d.subject for d in item.documents.all() if not d.confidential)


@transaction.atomic
def paragraphs_create_for_agenda(*, actor: Any, meeting: Meeting) -> list[Paragraph]:
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
    *, actor: Any, paragraph: Paragraph, conflicts: Any = None, **changes: Any
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
def votes_record(*, actor: Any, paragraph: Paragraph, votes: dict[Person, str]) -> None:
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
def paragraph_approve_immediately(*, actor: Any, paragraph: Paragraph) -> Paragraph:
    """Omedelbar justering: the meeting approves this § at once; it is locked now."""
    paragraph = Paragraph.objects.select_for_update().get(pk=paragraph.pk)
    if paragraph.approved_at is not None:
        return paragraph
    paragraph.approved_at = timezone.now()
    paragraph.approved_immediately = True
    _save(paragraph, actor=actor)
    return paragraph


@transaction.atomic
def protocol_send_for_justering(*, actor: Any, protocol: Protocol) -> Protocol:
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
    _save(protocol, actor=actor)
    meeting = protocol.meeting
    if meeting.status in (Meeting.Status.PLANNED, Meeting.Status.CALLED):
        meeting.status = Meeting.Status.HELD
        _save(meeting, actor=actor)

    queue.send_on_commit("councils.tasks.send_justering_requests", protocol.pk)
    return protocol


@transaction.atomic
def protocol_decide(
    *, actor: Any, protocol: Protocol, approve: bool, comment: str = ""
) -> Protocol:
    """A signatory approves the protocol or sends it back with a comment. When the
    last one approves, the protocol is justerat, locked and (where the body posts
    notices) announced on the anslagstavla."""
    protocol = (
        Protocol.objects.select_for_update().select_related("meeting__body").get(pk=protocol.pk)
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
    approval.decision = Approval.Decision.APPROVED if approve else Approval.Decision.COMMENTED
    approval.comment = comment.strip()
    approval.decided_at = timezone.now()
    _save(approval, actor=actor)
    if not approve:
        protocol.status = Protocol.Status.DRAFT
        _save(protocol, actor=actor)
        return protocol
    if protocol.approvals.exclude(decision=Approval.Decision.APPROVED).exists():
        return protocol
    return _protocol_finalise(protocol=protocol, actor=actor)


def _protocol_finalise(*, protocol: Protocol, actor: Any) -> Protocol:
    now = timezone.now()
    today = timezone.localdate()
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

    queue.send_on_commit("councils.tasks.dispatch_extracts", protocol.pk)
    return protocol


def justering_requests_deliver(*, protocol: Protocol) -> int:
    """E-mail each signatory still to decide a link to the protocol (run by the worker)."""
    return get_connection().send_messages(mails.justering_requests(protocol)) or 0


# --- PDFs --------------------------------------------------------------------------------


@transaction.atomic
def render_job_request(
    *,
    actor: Any,
    kind: str,
    meeting: Meeting | None = None,
    paragraph: Paragraph | None = None,
    report_version: Any = None,
    internal: bool = False,
) -> RenderJob:
    """Ask the worker for a PDF. A finished or waiting job for the same document is
    reused, so repeated clicks cost one rendering."""
    existing = (
        RenderJob.objects.filter(
            kind=kind,
            meeting=meeting,
            paragraph=paragraph,
            report_version=report_version,
            internal=internal,
        )
        .exclude(status=RenderJob.Status.FAILED)
        .order_by("-created_at")
        .first()
    )
    if existing is not None and not _render_job_stale(existing):
        return existing
    job = RenderJob(
        kind=kind,
        meeting=meeting,
        paragraph=paragraph,
        report_version=report_version,
        internal=internal,
        requested_by=actor if getattr(actor, "pk", None) else None,
    )
    job.full_clean()
    job.save()
    _render_job_enqueue(job)
    return job


def _render_job_stale(job: RenderJob) -> bool:
    """A finished PDF is stale when its document changed after it was made."""
    if job.status != RenderJob.Status.DONE or job.finished_at is None:
        return False
    return renderers.renderer(job.kind).is_stale(job)


def _render_job_enqueue(job: RenderJob) -> None:

    queue.send_on_commit("councils.tasks.render_pdf", job.pk)


def render_job_run(*, job_id: int) -> RenderJob:
    """Render a job's PDF (run by the worker), exactly once.

    The start is recorded and committed first; rendering holds no lock; the result is
    stored only while the row is locked and the job not yet done. A worker that dies
    mid-render leaves the job waiting (the redelivered message or the sweep renders it
    again), and two deliveries that race publish one file: the second finds it done.
    """
    with transaction.atomic():
        job = RenderJob.objects.select_for_update().get(pk=job_id)
        if job.status == RenderJob.Status.DONE:
            return job
        job.attempts += 1
        job.started_at = timezone.now()
        job.save(update_fields=["attempts", "started_at"])
    job = RenderJob.objects.select_related(
        "meeting__body__organisation", "paragraph", "report_version"
    ).get(pk=job_id)
    data = renderers.renderer(job.kind).render(job)
    with transaction.atomic():
        locked = RenderJob.objects.select_for_update().get(pk=job_id)
        if locked.status == RenderJob.Status.DONE:
            return locked
        locked.file.name = default_storage.save(
            f"pdf/{timezone.now():%Y}/{uuid.uuid4().hex}.pdf", File(io.BytesIO(data))
        )
        locked.status = RenderJob.Status.DONE
        locked.finished_at = timezone.now()
        locked.error = ""
        locked.save()
        return locked


def render_job_failed(*, job_id: int, error: str) -> None:
    RenderJob.objects.filter(pk=job_id).exclude(status=RenderJob.Status.DONE).update(
        status=RenderJob.Status.FAILED, error=error[:2000]
    )


def render_jobs_sweep(
    *,
    older_than: datetime.timedelta = datetime.timedelta(minutes=2),
    running_longer_than: datetime.timedelta = datetime.timedelta(minutes=10),
) -> int:
    """Re-send the jobs that were committed but never picked up (the broker was down,
    the message was lost) or whose worker died mid-render. Returns how many."""

    now = timezone.now()
    waiting = list(
        RenderJob.objects.filter(status=RenderJob.Status.PENDING, created_at__lte=now - older_than)
        .filter(Q(started_at__isnull=True) | Q(started_at__lte=now - running_longer_than))
        .values_list("pk", flat=True)[:100]
    )
    for job_id in waiting:
        queue.send("councils.tasks.render_pdf", job_id)
    return len(waiting)


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
