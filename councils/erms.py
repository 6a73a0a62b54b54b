"""FGS Ärendehantering / E-ARK CITS ERMS (v2.1.2): the diarium's ärenden and handlingar
as ``erms.xml``, the descriptive metadata of an archival delivery (issue 20).

Each ärende is an ``aggregation`` of type caseFile (its diarienummer, titles, status,
dates, handläggare); each handling a ``record`` with its direction, counterpart, date,
file and checksum, and, when confidential, the restriction with its OSL provision. The
delivery is for the e-archive: it holds the internal title and confidential records,
marked as such, and is never offered to anyone but the secretariat.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone
from lxml import etree

from councils.models import Case, Document

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


def _el(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{NS}}}{tag}", {k: v for k, v in attrs.items() if v})
    if text is not None:
        element.text = text
    return element


def _day(value: datetime.date) -> str:
    return f"{value:%Y-%m-%d}T00:00:00"


def _moment(value: datetime.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M:%S")


def _control(root: etree._Element, cases: list[Case], now: datetime.datetime) -> None:
    control = _el(root, "control")
    _el(control, "identification", f"{SYSTEM}-{now:%Y%m%d%H%M%S}", identificationType="delivery")
    schema = _el(control, "classificationSchema")
    description = _el(schema, "textualDescriptionOfClassificationSchema")
    for diarium in sorted({c.diarium for c in cases}, key=lambda d: d.prefix):
        _el(description, "p", f"{diarium.prefix}: {diarium.name}")
    dates = _el(control, "dates")
    _el(dates, "date", _moment(now), dateType="created")
    maintenance = _el(control, "maintenanceInformation")
    _el(maintenance, "maintenanceStatus", value="new")
    agency = _el(maintenance, "maintenanceAgency")
    _el(agency, "agencyName", settings.SAMVERKAN_OWNER)
    history = _el(maintenance, "maintenanceHistory")
    event = _el(history, "maintenanceEvent")
    _el(event, "eventType", value="created")
    _el(event, "eventDateTime", _moment(now))
    made_by = _el(event, "agent", agentType="creator")
    _el(made_by, "name", SYSTEM)
    system = _el(control, "systemInformation")
    agents = _el(system, "agents")
    creator = _el(agents, "agent", agentType="creator")  # the system, of the arkivbildare
    _el(creator, "name", SYSTEM)
    _el(creator, "organisation", settings.SAMVERKAN_OWNER)


def _record(parent: etree._Element, document: Document) -> None:
    record = _el(parent, "record", systemIdentifier=f"document-{document.pk}")
    _el(record, "objectId", document.reference)
    _el(record, "identification", document.reference, identificationType="diarienummer")
    _el(record, "title", document.subject)
    if document.confidential:
        restriction = _el(record, "restriction", restrictionType="confidential")
        _el(restriction, "explanatoryText", document.secrecy_authority)
        _el(restriction, "regulation", document.secrecy_provision)
        if document.secrecy_date:
            restriction_dates = _el(restriction, "dates")
            _el(
                restriction_dates,
                "date",
                _day(document.secrecy_date),
                dateType="confidentiality_assessed",
            )
    _el(record, "direction", directionDefinition=DIRECTION[document.direction])
    if document.counterpart:
        agents = _el(record, "agents")
        role = "sender" if document.direction == Document.Direction.INCOMING else "receiver"
        counterpart = _el(agents, "agent", agentType=role)
        _el(counterpart, "name", document.counterpart)
    dates = _el(record, "dates")
    kind = "received" if document.direction == Document.Direction.INCOMING else "created"
    _el(dates, "date", _day(document.document_date), dateType=kind)
    _el(
        dates, "date", _moment(document.registered_at), dateType="captured"
    )  # registered in the diarium


def erms_document(cases: Iterable[Case], *, now: datetime.datetime | None = None) -> bytes:
    """The ERMS XML of ``cases`` (with their diarium, handler and documents)."""
    now = now or timezone.now()
    cases = list(cases)
    root = etree.Element(f"{{{NS}}}erms", nsmap={None: NS})
    _control(root, cases, now)
    aggregations = _el(root, "aggregations")
    for case in cases:
        aggregation = _el(
            aggregations,
            "aggregation",
            systemIdentifier=f"case-{case.pk}",
            aggregationType="caseFile",
        )
        _el(aggregation, "objectId", case.diarienummer)
        _el(aggregation, "identification", case.diarienummer, identificationType="diarienummer")
        _el(aggregation, "classification", classificationCode=case.diarium.prefix)
        _el(aggregation, "title", case.title)
        if case.public_title:
            _el(aggregation, "otherTitle", case.public_title, titleType="public")
        _el(aggregation, "status", value=STATUS[case.status])
        if case.handler is not None:
            agents = _el(aggregation, "agents")
            handler = _el(agents, "agent", agentType="responsible_person")
            _el(handler, "name", case.handler.full_name)
        if case.description:
            _el(aggregation, "description", case.description)
        dates = _el(aggregation, "dates")
        _el(dates, "date", _day(case.registered_on), dateType="created")
        for document in case.documents.all():
            _record(aggregation, document)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
