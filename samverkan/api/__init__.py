"""The read-only open-data API: OParl 1.1 for what OParl knows, and documented
endpoints of our own for decisions, agreements, recommendations, follow-ups and
assessments.

OParl mapping: an OParl *Body* is an organisation that has arenas (the region, …);
*Organization* is an arena (councils.Body); *Paper* an ärende; *Consultation* one
appearance of an ärende on an arena's agenda (the ärendegång); *File* a document;
*Location* a meeting's place; *LegislativeTerm* a four-year mandate period.

Without a key the API gives what the public sees; ``Authorization: Bearer <key>``
(a key made on "Mina API-nycklar") gives what the key's owner sees in the browser. The
same selectors decide both. Every error is JSON with a message. ``base`` holds what every
endpoint shares, ``oparl`` the standard's objects, ``own`` our own endpoints.
"""

from samverkan.api.base import (
    OPARL,
    api_view,
    not_found,
)
from samverkan.api.oparl import (
    agendaitem,
    bodies,
    body,
    body_agendaitems,
    body_consultations,
    body_files,
    body_legislativeterms,
    body_locations,
    body_meetings,
    body_memberships,
    body_organizations,
    body_papers,
    body_persons,
    consultation,
    file,
    legislativeterm,
    location,
    meeting,
    meeting_invitation,
    meeting_protocol,
    membership,
    organization,
    organization_meetings,
    paper,
    person,
    system,
)
from samverkan.api.own import (
    agreement,
    agreements,
    assessments,
    decision,
    decisions,
    followups,
)
from samverkan.api.recommendations import recommendation, recommendations

__all__ = [
    "OPARL",
    "agendaitem",
    "agreement",
    "agreements",
    "api_view",
    "assessments",
    "bodies",
    "body",
    "body_agendaitems",
    "body_consultations",
    "body_files",
    "body_legislativeterms",
    "body_locations",
    "body_meetings",
    "body_memberships",
    "body_organizations",
    "body_papers",
    "body_persons",
    "consultation",
    "decision",
    "decisions",
    "file",
    "followups",
    "legislativeterm",
    "location",
    "meeting",
    "meeting_invitation",
    "meeting_protocol",
    "membership",
    "not_found",
    "organization",
    "organization_meetings",
    "paper",
    "person",
    "recommendation",
    "recommendations",
    "system",
]
