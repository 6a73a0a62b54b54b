"""FGS Ärendehantering / E-ARK CITS ERMS (v2.1.2): the records of a delivery as
``erms.xml``, the descriptive metadata of an archival package (issue 20).

The records are first described as plain data (``Aggregation``, ``Record``,
``ArchiveFile``), built from the models here and by the other apps through
``register`` (the agreements add theirs); ``erms_document`` writes them. Each ärende
is an ``aggregation`` of type caseFile (diarienummer, titles, status, dates,
handläggare), each handling a ``record`` (direction, counterpart, dates, the file, its
retention rule as ``disposal``, and when confidential the restriction with its OSL
provision), each justerad § a record of the ärende it decided (part of its protocol,
with the justering and the seal of its extract). An arena's protocols of a year are an
aggregation per protocol. The delivery is for the e-archive: it holds the internal
title and confidential records, marked as such, and is never offered to anyone but
the secretariat.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from lxml import etree

from councils.models import Case, Document, Paragraph, Protocol, RenderJob, RetentionRule

NS = "https://DILCIS.eu/XML/ERMS"
SYSTEM = settings.SAMVERKAN_SITE_NAME

STATUS: dict[str, str] = {
    Case.Status.OPEN: "open",
    Case.Status.IN_PREPARATION: "in_progress",
    Case.Status.DECIDED: "in_progress",
    Case.Status.CLOSED: "closed",
}
DIRECTION: dict[str, str] = {
    Document.Direction.INCOMING: "incoming",
    Document.Direction.OUTGOING: "outgoing",
    Document.Direction.DRAWN_UP: "internal_memo_without_follow-up",
}


@dataclass
class ArchiveFile:
    """A file of the delivery: where it lies in the portal's storage and in the package."""

    path: str  # under the representation's data/ folder
    storage_name: str
    mimetype: str
    size: int
    sha256: str
    created: datetime.datetime


@dataclass
class Record:
    system_id: str
    object_id: str
    title: str
    record_type: str
    identification: str = ""
    identification_type: str = "diarienummer"
    description: str = ""
    direction: str = ""
    #: (agentType, name)
    agents: list[tuple[str, str]] = field(default_factory=list)
    #: (dateType, value)
    dates: list[tuple[str, datetime.date | datetime.datetime]] = field(default_factory=list)
    #: (relationType, the related record's objectId)
    relations: list[tuple[str, str]] = field(default_factory=list)
    #: (restrictionType, explanatory text, regulation, date assessed)
    restriction: tuple[str, str, str, datetime.date | None] | None = None
    retention: RetentionRule | None = None
    retention_due: datetime.date | None = None
    #: From when the retention period counts: the ärende's closing, else the registration.
    retention_start: datetime.date | datetime.datetime | None = None
    file: ArchiveFile | None = None
    sealed_at: datetime.datetime | None = None


@dataclass
class Aggregation:
    system_id: str
    object_id: str
    title: str
    aggregation_type: str = "caseFile"
    classification: str = ""
    other_title: str = ""
    status: str = ""
    handler: str = ""
    description: str = ""
    created: datetime.date | None = None
    closed: datetime.date | None = None
    records: list[Record] = field(default_factory=list)


#: Other apps' records of ärenden: ``contributor(cases) -> {case pk: [Record, ...]}``.
Contributor = Callable[[list[Case]], dict[int, list[Record]]]
_contributors: list[Contributor] = []


def register(contributor: Contributor) -> Contributor:
    if contributor not in _contributors:
        _contributors.append(contributor)
    return contributor


# --- From the models -----------------------------------------------------------------

#: Formats an e-archive takes as they are (Riksarkivet's and the E-ARK's lists agree on
#: these); a PDF only when it declares PDF/A. Anything else is listed in the delivery.
ARCHIVAL_TYPES = {
    "image/png",
    "image/jpeg",
    "image/tiff",
    "text/plain",
    "text/csv",
    "application/xml",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
}


def is_archival(mimetype: str, head: bytes) -> bool:
    """Is a file of ``mimetype`` whose first bytes (its XMP packet included for a PDF)
    are ``head`` in an archival format."""
    if mimetype == "application/pdf":
        return b"pdfaid:part" in head or b"pdfaid:part=" in head
    return mimetype in ARCHIVAL_TYPES


def protocol_identifier(protocol: Protocol) -> str:
    """The protocol's identifier: its arena and the meeting's local start (an arena may
    meet twice a day)."""
    meeting = protocol.meeting
    return f"{meeting.body.slug}-protokoll-{timezone.localtime(meeting.starts_at):%Y-%m-%d-%H%M}"


def paragraph_identifier(paragraph: Paragraph) -> str:
    return f"{paragraph.body.slug}-{paragraph.year}-§{paragraph.number}"


def document_record(document: Document, file: ArchiveFile | None) -> Record:
    record = Record(
        system_id=f"document-{document.pk}",
        object_id=document.reference,
        identification=document.reference,
        title=document.subject,
        record_type=document.kind,
        direction=DIRECTION[document.direction],
        file=file,
        retention=document.retention_rule,
        retention_start=document.case.closed_on or document.registered_at,
        retention_due=(
            document.retention_rule.due_on(document.case.closed_on)
            if document.retention_rule
            else None
        ),
    )
    if document.confidential:
        record.restriction = (
            "confidential",
            document.secrecy_authority,
            document.secrecy_provision,
            document.secrecy_date,
        )
    if document.counterpart:
        role = "sender" if document.direction == Document.Direction.INCOMING else "receiver"
        record.agents.append((role, document.counterpart))
    kind = "received" if document.direction == Document.Direction.INCOMING else "created"
    record.dates.append((kind, document.document_date))
    record.dates.append(("captured", document.registered_at))  # registered in the diarium
    if document.disposed_on is not None and document.disposal_decision is not None:
        record.dates.append(("destroyed", document.disposed_on))
        record.description = (
            f"Gallrad {document.disposed_on:%Y-%m-%d} enligt beslut "
            f"{document.disposal_decision.reference}."
        )
    return record


def paragraph_record(
    paragraph: Paragraph, extract: ArchiveFile | None, job: RenderJob | None
) -> Record:
    """A justerad § as a record: part of its protocol, with its decision and justering."""
    protocol = paragraph.meeting.protocol
    record = Record(
        system_id=f"paragraph-{paragraph.pk}",
        object_id=paragraph_identifier(paragraph),
        identification=f"§ {paragraph.number}/{paragraph.year}",
        identification_type="paragraph",
        title=paragraph.title,
        record_type="protokollsparagraf",
        description=paragraph.decision,
        relations=[("part_of", protocol_identifier(protocol))],
        file=extract,
        sealed_at=job.sealed_at if job is not None else None,
    )
    if not paragraph.public:
        record.restriction = ("other_type", "Sammanträdets slutna del", "", None)
    record.dates.append(("decision", paragraph.meeting.starts_at))
    if paragraph.approved_at is not None:
        record.dates.append(("main_signature", paragraph.approved_at))  # justerad
    return record


def protocol_record(protocol: Protocol, file: ArchiveFile | None, job: RenderJob | None) -> Record:
    meeting = protocol.meeting
    record = Record(
        system_id=f"protocol-{protocol.pk}",
        object_id=protocol_identifier(protocol),
        title=f"Protokoll {meeting.body.name} {meeting.starts_at:%Y-%m-%d}",
        record_type="protokoll",
        identification_type="protokoll",
        file=file,
        sealed_at=job.sealed_at if job is not None else None,
    )
    record.dates.append(("decision", meeting.starts_at))
    if protocol.approved_on is not None:
        record.dates.append(("main_signature", protocol.approved_on))
    return record


def case_aggregation(case: Case, records: list[Record]) -> Aggregation:
    return Aggregation(
        system_id=f"case-{case.pk}",
        object_id=case.diarienummer,
        classification=case.diarium.prefix,
        title=case.title,
        other_title=case.public_title,
        status=STATUS[case.status],
        handler=case.handler.full_name if case.handler is not None else "",
        description=case.description,
        created=case.registered_on,
        closed=case.closed_on,
        records=records,
    )


def contributed_records(cases: list[Case]) -> dict[int, list[Record]]:
    found: dict[int, list[Record]] = {}
    for contributor in _contributors:
        for case_pk, records in contributor(cases).items():
            found.setdefault(case_pk, []).extend(records)
    return found


# --- The XML -------------------------------------------------------------------------


def _el(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{NS}}}{tag}", {k: v for k, v in attrs.items() if v})
    if text is not None:
        element.text = text
    return element


def _when(value: datetime.date | datetime.datetime) -> str:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M:%S")
    return f"{value:%Y-%m-%d}T00:00:00"


def _control(root: etree._Element, classes: list[tuple[str, str]], now: datetime.datetime) -> None:
    control = _el(root, "control")
    _el(control, "identification", f"{SYSTEM}-{now:%Y%m%d%H%M%S}", identificationType="delivery")
    schema = _el(control, "classificationSchema")
    description = _el(schema, "textualDescriptionOfClassificationSchema")
    for code, name in classes:
        _el(description, "p", f"{code}: {name}")
    dates = _el(control, "dates")
    _el(dates, "date", _when(now), dateType="created")
    maintenance = _el(control, "maintenanceInformation")
    _el(maintenance, "maintenanceStatus", value="new")
    agency = _el(maintenance, "maintenanceAgency")
    _el(agency, "agencyName", settings.SAMVERKAN_OWNER)
    history = _el(maintenance, "maintenanceHistory")
    event = _el(history, "maintenanceEvent")
    _el(event, "eventType", value="created")
    _el(event, "eventDateTime", _when(now))
    made_by = _el(event, "agent", agentType="creator")
    _el(made_by, "name", SYSTEM)
    system = _el(control, "systemInformation")
    agents = _el(system, "agents")
    creator = _el(agents, "agent", agentType="creator")  # the system, of the arkivbildare
    _el(creator, "name", SYSTEM)
    _el(creator, "organisation", settings.SAMVERKAN_OWNER)


def _disposal(parent: etree._Element, record: Record) -> None:
    rule = record.retention
    destroyed = rule is not None and rule.action == RetentionRule.Action.DESTROY
    disposal = _el(parent, "disposal", disposable="true" if destroyed else "false")
    if rule is None:
        _el(disposal, "disposalAction", "bevaras")
        _el(disposal, "disposalDescription", "Ingen gallringsregel: bevaras.")
    else:
        _el(disposal, "disposalScheduleId", f"retention-rule-{rule.pk}")
        _el(disposal, "disposalAction", rule.action)
        if rule.years is not None:
            _el(disposal, "disposalPeriod", f"P{rule.years}Y")
        _el(disposal, "disposalMandate", rule.basis)
        _el(disposal, "disposalDescription", str(rule))
    dates = _el(disposal, "dates")
    if record.retention_start is not None:
        _el(dates, "disposalDate", _when(record.retention_start), dateType="retention_period_start")
    if record.retention_due is not None:
        _el(dates, "disposalDate", _when(record.retention_due), dateType="action_due")


def _record(parent: etree._Element, record: Record) -> None:
    element = _el(
        parent,
        "record",
        systemIdentifier=record.system_id,
        recordType=record.record_type,
        recordPhysicalOrDigital="digitial" if record.file else "does_not_apply",
    )
    _el(element, "objectId", record.object_id)
    if record.identification:
        _el(
            element,
            "identification",
            record.identification,
            identificationType=record.identification_type,
        )
    _el(element, "title", record.title)
    for relation_type, target in record.relations:
        _el(element, "relation", target, relationType=relation_type)
    if record.restriction is not None:
        kind, explanation, regulation, assessed = record.restriction
        restriction = _el(
            element,
            "restriction",
            restrictionType=kind,
            otherRestrictionType="closed_part_of_meeting" if kind == "other_type" else "",
        )
        _el(restriction, "explanatoryText", explanation)
        if regulation:
            _el(restriction, "regulation", regulation)
        if assessed is not None:
            restriction_dates = _el(restriction, "dates")
            _el(restriction_dates, "date", _when(assessed), dateType="confidentiality_assessed")
    if record.retention_start is not None:
        _disposal(element, record)
    if record.direction:
        _el(element, "direction", directionDefinition=record.direction)
    if record.agents:
        agents = _el(element, "agents")
        for agent_type, name in record.agents:
            agent = _el(agents, "agent", agentType=agent_type)
            _el(agent, "name", name)
    if record.description:
        _el(element, "description", record.description)
    if record.dates:
        dates = _el(element, "dates")
        for date_type, value in record.dates:
            _el(dates, "date", _when(value), dateType=date_type)
    if record.sealed_at is not None:
        signatures = _el(element, "eSignatures")
        _el(
            signatures,
            "eSignature",
            present="true",
            dateeSignatureIsVerified=_when(record.sealed_at),
        )
    if record.file is not None:
        information = _el(element, "additionalInformation")
        _el(
            information,
            "appendix",
            name=record.file.path.rsplit("/", 1)[-1],
            path=record.file.path,
            fileFormat=record.file.mimetype,
            description=f"SHA-256 {record.file.sha256}",
        ).set("disposable", "false")


def _aggregation(parent: etree._Element, aggregation: Aggregation) -> None:
    element = _el(
        parent,
        "aggregation",
        systemIdentifier=aggregation.system_id,
        aggregationType=aggregation.aggregation_type,
    )
    _el(element, "objectId", aggregation.object_id)
    if aggregation.aggregation_type == "caseFile":
        _el(element, "identification", aggregation.object_id, identificationType="diarienummer")
    if aggregation.classification:
        _el(element, "classification", classificationCode=aggregation.classification)
    _el(element, "title", aggregation.title)
    if aggregation.other_title:
        _el(element, "otherTitle", aggregation.other_title, titleType="public")
    if aggregation.status:
        _el(element, "status", value=aggregation.status)
    agents = _el(element, "agents")
    owner = _el(agents, "agent", agentType="owner")  # the arkivbildare
    _el(owner, "name", settings.SAMVERKAN_OWNER)
    if aggregation.handler:
        handler = _el(agents, "agent", agentType="responsible_person")
        _el(handler, "name", aggregation.handler)
    if aggregation.description:
        _el(element, "description", aggregation.description)
    if aggregation.created or aggregation.closed:
        dates = _el(element, "dates")
        if aggregation.created:
            _el(dates, "date", _when(aggregation.created), dateType="created")
        if aggregation.closed:
            _el(dates, "date", _when(aggregation.closed), dateType="closed")
    for record in aggregation.records:
        _record(element, record)


def erms_xml(
    aggregations: Iterable[Aggregation],
    *,
    classes: list[tuple[str, str]],
    now: datetime.datetime | None = None,
) -> bytes:
    """The ERMS XML of the ``aggregations``; ``classes`` the classification scheme (the
    diaria, or the arenas, as code and name)."""
    now = now or timezone.now()
    root = etree.Element(f"{{{NS}}}erms", nsmap={None: NS})
    _control(root, classes, now)
    container = _el(root, "aggregations")
    for aggregation in aggregations:
        _aggregation(container, aggregation)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def erms_document(cases: Iterable[Case], *, now: datetime.datetime | None = None) -> bytes:
    """The ERMS XML of ``cases`` with their handlingar' registrations (no files)."""
    cases = list(cases)
    contributed = contributed_records(cases)
    aggregations = [
        case_aggregation(
            case,
            [document_record(d, None) for d in case.documents.all()] + contributed.get(case.pk, []),
        )
        for case in cases
    ]
    classes = sorted({(c.diarium.prefix, c.diarium.name) for c in cases})
    return erms_xml(aggregations, classes=classes, now=now)
