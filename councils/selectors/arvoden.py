"""Arvoden: who attended which meeting on an organisation's behalf, from the protocols.

Each appointing organisation pays the people it appointed for the meetings they
attended. A row is one person's attendance at one meeting, present on site or at a
distance, as ledamot or ersättare (tjänstgörande when serving for an absent member);
the payer is the organisation that appointed the person to the arena (their seat's
``appointed_by`` on the meeting day, else the organisation they represent). Rows of
justerade protocols are final; rows of a protocol still being written or justerad
are preliminary and listed apart.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from base.actors import Viewer
from base.roles import is_secretariat
from councils.models import (
    Attendance,
    Membership,
    Organisation,
    OrganisationRole,
    Protocol,
)
from councils.selectors.access import viewer_person, viewer_roles


@dataclass(frozen=True)
class ArvodeRow:
    """One attendance the report counts, as plain values: a year's report has thousands
    of rows, read as columns rather than as model instances, each meeting's times and
    address worked out once."""

    person_name: str
    meeting_id: int
    protocol_url: str
    body_name: str
    #: Local times.
    starts: datetime.datetime
    ends: datetime.datetime | None
    presence: str
    role: str
    serving_for_someone: bool

    @property
    def day(self) -> datetime.date:
        return self.starts.date()

    @property
    def minutes(self) -> int | None:
        if self.ends is None:
            return None
        return int((self.ends - self.starts).total_seconds() // 60)

    @property
    def presence_label(self) -> str:
        return str(Attendance.Presence(self.presence).label)

    @property
    def serving_as(self) -> str:
        if self.role == Attendance.Role.MEMBER:
            return str(_("ledamot"))
        if self.serving_for_someone:
            return str(_("tjänstgörande ersättare"))
        return str(_("ersättare, ej tjänstgörande"))


@dataclass(frozen=True)
class ArvodeReport:
    start: datetime.date
    end: datetime.date
    final: list[ArvodeRow]
    preliminary: list[ArvodeRow]

    def months(self) -> list[tuple[str, list[ArvodeRow]]]:
        """The final rows by month (``YYYY-MM``), in order: one sheet each."""
        months: dict[str, list[ArvodeRow]] = {}
        for row in self.final:
            months.setdefault(f"{row.day:%Y-%m}", []).append(row)
        return list(months.items())


def payroll_organisations_of(user: Viewer) -> list[Organisation]:
    """The organisations whose arvodesadministratör the user is (from the roles cached
    on the user: no query of its own)."""
    found = {
        role.organisation_id: role.organisation
        for role in viewer_roles(user)
        if role.kind == OrganisationRole.Kind.PAYROLL
        and role.organisation.kind != Organisation.Kind.PARTY
    }
    return sorted(found.values(), key=lambda organisation: organisation.name)


def reads_arvoden(user: Viewer, organisation: Organisation) -> bool:
    """May ``user`` read ``organisation``'s arvode report? (No query of its own: the
    secretariat by role, others by the roles cached on the user.)"""
    if is_secretariat(user):
        return organisation.kind != Organisation.Kind.PARTY
    return organisation in payroll_organisations_of(user)


#: What a row is read from (``_attended``'s columns).
COLUMNS = (
    "pk",
    "person_id",
    "person__first_name",
    "person__last_name",
    "meeting_id",
    "meeting__starts_at",
    "meeting__ends_at",
    "meeting__body_id",
    "meeting__body__name",
    "meeting__protocol__status",
    "role",
    "presence",
    "serving_for_id",
    "represents_id",
)


def _attended(start: datetime.date, end: datetime.date) -> QuerySet[Attendance]:
    """Attendance that counts for an arvode, at meetings from ``start`` to ``end``
    (local days) that have begun and whose protocol exists."""
    return (
        Attendance.objects.filter(
            meeting__starts_at__lte=timezone.now(),
            meeting__starts_at__date__gte=start,
            meeting__starts_at__date__lte=end,
            meeting__protocol__isnull=False,
            role__in=[Attendance.Role.MEMBER, Attendance.Role.SUBSTITUTE],
        )
        .exclude(presence=Attendance.Presence.ABSENT)
        .order_by("person__last_name", "person__first_name", "person_id", "meeting__starts_at")
    )


def _payers(rows: list[dict[str, Any]]) -> dict[int, int | None]:
    """Attendance id → the organisation that pays: the appointing organisation of the
    person's seat in the arena on the meeting day, else the one they represent."""
    seats = Membership.objects.filter(
        person_id__in={a["person_id"] for a in rows},
        body_id__in={a["meeting__body_id"] for a in rows},
        appointed_by__isnull=False,
    ).values_list("person_id", "body_id", "start", "end", "appointed_by_id")
    by_key: dict[tuple[int, int], list[tuple[datetime.date | None, datetime.date | None, int]]]
    by_key = {}
    for person_id, body_id, start, end, appointed_by in seats:
        by_key.setdefault((person_id, body_id), []).append((start, end, appointed_by))
    payers: dict[int, int | None] = {}
    for attendance in rows:
        day = timezone.localtime(attendance["meeting__starts_at"]).date()
        payer = attendance["represents_id"]
        for start, end, appointed_by in by_key.get(
            (attendance["person_id"], attendance["meeting__body_id"]), []
        ):
            if (start is None or start <= day) and (end is None or day <= end):
                payer = appointed_by
                break
        payers[attendance["pk"]] = payer
    return payers


def _report(rows: list[dict[str, Any]], start: datetime.date, end: datetime.date) -> ArvodeReport:
    final: list[ArvodeRow] = []
    preliminary: list[ArvodeRow] = []
    meetings: dict[int, tuple[str, datetime.datetime, datetime.datetime | None]] = {}
    for attendance in rows:
        meeting_id = attendance["meeting_id"]
        if meeting_id not in meetings:
            ends = attendance["meeting__ends_at"]
            meetings[meeting_id] = (
                reverse("councils:protocol", args=[meeting_id]),
                timezone.localtime(attendance["meeting__starts_at"]),
                timezone.localtime(ends) if ends else None,
            )
        url, starts, ends = meetings[meeting_id]
        row = ArvodeRow(
            person_name=f"{attendance['person__first_name']} {attendance['person__last_name']}",
            meeting_id=meeting_id,
            protocol_url=url,
            body_name=attendance["meeting__body__name"],
            starts=starts,
            ends=ends,
            presence=attendance["presence"],
            role=attendance["role"],
            serving_for_someone=attendance["serving_for_id"] is not None,
        )
        justerat = attendance["meeting__protocol__status"] == Protocol.Status.APPROVED
        (final if justerat else preliminary).append(row)
    return ArvodeReport(start=start, end=end, final=final, preliminary=preliminary)


def arvode_report(
    *, organisation: Organisation, start: datetime.date, end: datetime.date
) -> ArvodeReport:
    """The attendance ``organisation`` pays for, from ``start`` to ``end``."""
    rows = list(
        _attended(start, end)
        .filter(Q(represents=organisation) | Q(person__memberships__appointed_by=organisation))
        .distinct()
        .values(*COLUMNS)
    )
    payers = _payers(rows)
    return _report([a for a in rows if payers[a["pk"]] == organisation.pk], start, end)


def own_attendance_report(
    *, user: Viewer, start: datetime.date, end: datetime.date
) -> ArvodeReport:
    """The user's own attendance (every payer): "Mina uppdrag och sammanträden"."""
    person = viewer_person(user)
    if person is None:
        return ArvodeReport(start=start, end=end, final=[], preliminary=[])
    return _report(list(_attended(start, end).filter(person=person).values(*COLUMNS)), start, end)
