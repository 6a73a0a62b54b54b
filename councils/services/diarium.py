"""Writes of the diarium: registering and changing ärenden and handlingar, and
reading a handling's text for search and the personal-data check."""

from __future__ import annotations

import datetime
import logging
import uuid
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from base import bounded, queue
from base.actors import Actor
from councils import filetext
from councils.models import (
    Body,
    Case,
    Diarium,
    DiariumSequence,
    Document,
    Person,
    RetentionRule,
)
from councils.services.common import _locked_with_changes, _save, _sequence_next
from councils.uploads import inspect_upload

log = logging.getLogger(__name__)


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
    actor: Actor,
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
        closed_on=day if status == Case.Status.CLOSED else None,
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


@transaction.atomic
def case_update(*, actor: Actor, case: Case, **changes: Any) -> Case:
    """Change an ärende's editable fields; its diarienummer never changes."""
    case = _locked_with_changes(case, allowed=CASE_EDITABLE_FIELDS, changes=changes)
    if case.status != Case.Status.CLOSED:
        case.closed_on = None
    elif case.closed_on is None:
        case.closed_on = timezone.localdate()
    _save(case, actor=actor)
    return case


def _store_upload(upload: IO[bytes], *, extension: str) -> str:
    """Store the bytes under a generated name; the user's file name is never a path."""
    name = f"documents/{timezone.now():%Y}/{uuid.uuid4().hex}{extension}"
    return default_storage.save(name, File(upload))


@transaction.atomic
def document_register(
    *,
    actor: Actor,
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
        retention_rule=RetentionRule.applying(diarium_id=locked_case.diarium_id, kind=kind),
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
    if document.file:  # read and checked before the public sees it
        queue.send_on_commit("councils.tasks.extract_document_text", document.pk)
    return document


#: Text kept per document for search; longer texts are cut (the file stays whole).
MAX_DOCUMENT_TEXT = 500_000


def document_text_extract(*, document_id: int) -> int:
    """Read the text of a handling's file, whatever its format (``councils.filetext``),
    for search and for the personal-data check; run by the worker after every upload,
    and by ``manage.py extract_document_texts`` for files not yet read. The reading
    runs within the worker's bounds (``base.bounded``). Only then may the public
    see the file (``Document.text_checked``); a file that cannot be read within them,
    or not at all, stays from the public. Returns the number of characters kept."""
    document = Document.objects.get(pk=document_id)
    if not document.file:
        return 0
    state = Document.TextState.READ
    try:
        with document.file.open("rb") as handle:
            data = handle.read()
        text = bounded.run(
            filetext.read_text, data, document.content_type, bounds=bounded.Bounds.for_worker()
        )
    except bounded.LimitExceeded as limit:
        log.warning("document %s: its text was not read (%s)", document_id, limit)
        text, state = "", Document.TextState.UNREADABLE
    except Exception as error:  # a file no reader accepts: nobody knows what it holds
        log.warning("document %s: its text could not be read (%r)", document_id, error)
        text, state = "", Document.TextState.UNREADABLE
    text = text.replace("\x00", "")[:MAX_DOCUMENT_TEXT]
    document.text = text
    # Derived, not a record change; the personal data found in it hide the document
    # from the public until the secretariat confirms them (Document.publishable).
    Document.objects.filter(pk=document_id).update(
        text=text, text_state=state, personal_data=len(document.personal_data_findings())
    )
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
def document_update(*, actor: Actor, document: Document, **changes: Any) -> Document:
    """Change a handling's registration fields (not its file, which is kept as filed)."""
    document = _locked_with_changes(document, allowed=DOCUMENT_EDITABLE_FIELDS, changes=changes)
    if document.disposed_on is not None:
        raise ValidationError(_("The document has been destroyed (gallrad): it cannot change."))
    document.retention_rule = RetentionRule.applying(
        diarium_id=document.case.diarium_id, kind=document.kind
    )
    if not document.confidential:
        document.secrecy_provision = ""
        document.secrecy_date = None
        document.secrecy_authority = ""
    _save(document, actor=actor)
    return document
