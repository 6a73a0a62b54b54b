"""The councils app's models, one module per sub-domain (in the manner of Zulip's
``zerver/models/``): organisations (arenas, people, memberships), diarium (ärenden,
handlingar), meetings (agenda), protocols (§, justering, anslag, expediering), render
jobs, and following (calendar addresses, bevakningar). Code outside imports them from
here.

Writes go through ``councils.services``; reads that need a permission decision go
through ``councils.selectors``. The models hold row logic and invariants only.
"""

from councils.models.diarium import Case, Diarium, DiariumSequence, Document
from councils.models.following import CalendarToken, Reminder, Watch
from councils.models.meetings import AgendaItem, AgendaNote, Meeting
from councils.models.organisations import (
    Body,
    Membership,
    MembershipQuerySet,
    Organisation,
    OrganisationRole,
    Person,
    SeatAllocation,
)
from councils.models.protocols import (
    Approval,
    Attendance,
    AttendanceQuerySet,
    ExtractDispatch,
    Notice,
    Paragraph,
    ParagraphSequence,
    Protocol,
    Vote,
)
from councils.models.publication import PersonalDataChecked
from councils.models.renderjobs import RenderJob
from councils.models.retention import (
    DisposalDecision,
    RetentionRule,
)

__all__ = [
    "AgendaItem",
    "AgendaNote",
    "Approval",
    "Attendance",
    "AttendanceQuerySet",
    "Body",
    "CalendarToken",
    "Case",
    "Diarium",
    "DiariumSequence",
    "DisposalDecision",
    "Document",
    "ExtractDispatch",
    "Meeting",
    "Membership",
    "MembershipQuerySet",
    "Notice",
    "Organisation",
    "OrganisationRole",
    "Paragraph",
    "ParagraphSequence",
    "Person",
    "PersonalDataChecked",
    "Protocol",
    "Reminder",
    "RenderJob",
    "RetentionRule",
    "SeatAllocation",
    "Vote",
    "Watch",
]
