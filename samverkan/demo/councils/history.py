"""The demo's earlier years: the samverkansråd's meetings 2019–2021 (eight a year, as
its rules say) and the primärkommunala rådet's the same mornings 2020–2021, with
attendance, ärenden per area of the agreement, § with decisions, and justering.

Illustrative throughout: the seeds give the arenas, their rhythm and the subjects of
the agreement, not the meetings. The ärenden are named "(illustrativt)" in the
diarium, and everything is generated from fixed rules (no randomness), so every load
builds the same history. The two meetings of 2019 that take up the follow-up
RUN/60/2019 are from the seeds' account of that year.

A meeting of the history is justerat through the same services as a meeting in the
portal: the copy to justera is rendered, each signatory approves its checksum, and the
final protocol is sealed by the worker; the decisions are dated a week after the
meeting (``at``). Without the demo accounts nobody can justera, and the protocols
stay drafts.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.text import slugify

from councils import services
from councils.models import (
    Approval,
    Attendance,
    Body,
    Case,
    Meeting,
    Membership,
    Organisation,
    Paragraph,
    Person,
)
from samverkan.demo.councils.records import _aware, _case

SAMVERKANSRAD_YEARS = (2019, 2020, 2021)
PRIMARKOMMUNALA_YEARS = (2020, 2021)
#: The months the samverkansråd meets: eight a year, none in summer or January.
MONTHS = (2, 3, 4, 6, 9, 10, 11, 12)
#: From here the meetings were held at a distance (the pandemic), until autumn 2021.
REMOTE_FROM, REMOTE_UNTIL = datetime.date(2020, 4, 1), datetime.date(2021, 9, 1)
PLACE = "Regionens hus, Östersund"


@dataclass(frozen=True)
class Topic:
    """An ärende the samverkansråd takes up, the area of the agreement it belongs to,
    and how it ends when decided."""

    title: str
    area: str
    kind: str
    decision: str


TOPICS = [
    Topic(
        "Regional utvecklingsstrategi: remiss till kommunerna",
        "EU och övergripande regional utveckling",
        Paragraph.DecisionKind.STATEMENT,
        "Samverkansrådet lämnar yttrande över remissen enligt beredningens förslag.",
    ),
    Topic(
        "EU:s fonder 2021–2027: länets prioriteringar",
        "EU och övergripande regional utveckling",
        Paragraph.DecisionKind.STATEMENT,
        "Samverkansrådet tillstyrker prioriteringarna inför beslut i regionala utvecklingsnämnden.",
    ),
    Topic(
        "Länsgemensam folkhälsostrategi",
        "Social välfärd och folkhälsa",
        Paragraph.DecisionKind.RECOMMENDATION,
        "Samverkansrådet rekommenderar regionen och kommunerna att anta strategin.",
    ),
    Topic(
        "Våld i nära relationer: länsgemensam handlingsplan",
        "Social välfärd och folkhälsa",
        Paragraph.DecisionKind.RECOMMENDATION,
        "Samverkansrådet rekommenderar parterna att ställa sig bakom handlingsplanen.",
    ),
    Topic(
        "Länstransportplan: kommunernas inspel",
        "Samhällsbyggnad och klimat",
        Paragraph.DecisionKind.STATEMENT,
        "Samverkansrådet lämnar yttrande över planförslaget.",
    ),
    Topic(
        "Regional bredbandsstrategi",
        "Samhällsbyggnad och klimat",
        Paragraph.DecisionKind.DECISION,
        "Samverkansrådet ställer sig bakom uppföljningen av strategin.",
    ),
    Topic(
        "Kompetensförsörjning: länsgemensamt ESF-projekt",
        "Arbetsmarknad och utbildning",
        Paragraph.DecisionKind.RECOMMENDATION,
        "Samverkansrådet rekommenderar kommunerna att delta i projektet.",
    ),
    Topic(
        "Samverkan om vuxenutbildning i länet",
        "Arbetsmarknad och utbildning",
        Paragraph.DecisionKind.DECISION,
        "Samverkansrådet ger beredningsgruppen i uppdrag att ta fram en avsiktsförklaring.",
    ),
    Topic(
        "Kurs- och konferensprogram för förtroendevalda",
        "Kurs och konferens",
        Paragraph.DecisionKind.DECISION,
        "Samverkansrådet godkänner programmet.",
    ),
]
#: An agenda item of the history: the ärende, the proposal, the decision's kind and text.
Item = tuple[Case, str, str, str]
NEWS_TITLE = "Aktuellt från regionen och kommunerna"
NOTED = "Informationen noteras."
PKR_PROPOSAL = "Kommunerna enas om en gemensam hållning inför eftermiddagens samverkansråd."
PKR_DECISION = "Primärkommunala rådet ställer sig bakom förslaget till samverkansrådet."


def _meeting_day(year: int, month: int) -> datetime.date:
    """The second Friday of the month."""
    first = datetime.date(year, month, 1)
    return first + datetime.timedelta(days=(4 - first.weekday()) % 7 + 7)


def _presence(day: datetime.date, meeting_number: int, seat: int) -> str:
    """Who came, and how: about one seat in nine absent, at a distance during the
    pandemic, otherwise on site with an occasional remote participant."""
    if (meeting_number + 3 * seat) % 9 == 0:
        return Attendance.Presence.ABSENT
    if REMOTE_FROM <= day < REMOTE_UNTIL or (meeting_number + seat) % 5 == 0:
        return Attendance.Presence.REMOTE
    return Attendance.Presence.ON_SITE


def _signatory(person: Person) -> Person:
    """The person, with a user that can be asked to justera (no password: nobody logs
    in as them)."""
    if person.user_id is None:
        user = get_user_model()(
            username=slugify(f"{person.first_name} {person.last_name}")[:150],
            first_name=person.first_name,
            last_name=person.last_name,
        )
        user.set_unusable_password()
        user.save()
        person.user = user
        person.save(update_fields=["user"])
    return person


def _topic_cases(diarium_case: Case, year: int, body: Body) -> list[Case]:
    """The year's ärenden of the topics, registered in January (numbers 700 and up)."""
    return [
        _case(
            None,
            diarium_case.diarium,
            700 + index,
            year,
            body=body,
            title=f"{topic.title} (illustrativt)",
            registered_on=datetime.date(year, 1, 15),
        )
        for index, topic in enumerate(TOPICS)
    ]


def _hold(
    meeting: Meeting,
    items: list[Item],
    *,
    number: int,
    chair: Person,
    adjuster: Person,
    justera: bool,
) -> None:
    """Agenda, attendance, § and justering of one meeting of the history. ``items``
    are (ärende, proposal, decision kind, decision)."""
    services.agenda_add_standard_items(actor=None, meeting=meeting)
    for case, proposal, _kind, _decision in items:
        services.agenda_add_case(actor=None, meeting=meeting, case=case, proposal=proposal)
    protocol = services.protocol_start(actor=None, meeting=meeting)
    day = timezone.localtime(meeting.starts_at).date()
    members = meeting.attendance.filter(role=Attendance.Role.MEMBER)
    substitutes = {
        row.represents_id: row
        for row in meeting.attendance.filter(role=Attendance.Role.SUBSTITUTE).order_by("pk")
    }
    kommun_rows = members.filter(represents__kind=Organisation.Kind.KOMMUN).order_by(
        "represents__name"
    )
    for seat, row in enumerate(kommun_rows.select_related("represents")):
        presence = _presence(day, number, seat)
        if presence == Attendance.Presence.ON_SITE:
            continue
        services.attendance_update(actor=None, attendance=row, presence=presence)
        substitute = substitutes.get(row.represents_id)
        if presence == Attendance.Presence.ABSENT and substitute is not None:
            services.attendance_update(
                actor=None,
                attendance=substitute,
                presence=Attendance.Presence.REMOTE,
                serving_for=row.person,
            )
    decided = {case.pk: (kind, decision) for case, _proposal, kind, decision in items}
    for paragraph in services.paragraphs_create_for_agenda(actor=None, meeting=meeting):
        if paragraph.case_id in decided:
            kind, decision = decided[paragraph.case_id]
            services.paragraph_update(
                actor=None, paragraph=paragraph, decision_kind=kind, decision=decision
            )
    services.protocol_update(
        actor=None,
        protocol=protocol,
        chair=chair,
        adjusters=[adjuster],
        justering_time_place="Regionens kansli, Östersund",
    )
    services.meeting_update(actor=None, meeting=meeting, status=Meeting.Status.HELD)
    if not justera:
        return
    signatories = [_signatory(chair), _signatory(adjuster)]
    protocol = services.protocol_send_for_justering(actor=None, protocol=protocol)
    assert protocol.reading_copy is not None
    read = services.render_job_run(job_id=protocol.reading_copy.pk).sha256
    for offset, person in enumerate(signatories):
        services.protocol_decide(
            actor=person.user,
            protocol=protocol,
            approve=True,
            read_sha256=read,
            authentication=Approval.Authentication.PASSWORD_AND_CODE,
            at=meeting.starts_at + datetime.timedelta(days=7, hours=offset),
        )


def load_history(demo: SimpleNamespace) -> None:
    """The samverkansråd's and the primärkommunala rådet's earlier years (idempotent:
    a year that has meetings is left as it is)."""
    council, pkr = demo.rad, demo.pk_rad
    run60 = Case.objects.get(diarium__prefix="RUN", number=60, year=2019)
    # The kommunstyrelsernas ordförande take turns to justera; Östersund's, vice chair
    # of the samverkansråd, chairs the primärkommunala rådet.
    seats = council.memberships.filter(represents__kind=Organisation.Kind.KOMMUN)
    pkr_chair = seats.get(role=Membership.Role.VICE_CHAIR).person
    kommun_members = sorted(
        (m.person for m in seats.filter(role=Membership.Role.MEMBER).select_related("person")),
        key=lambda p: p.last_name,
    )
    number = 0
    for year in SAMVERKANSRAD_YEARS:
        if council.meetings.filter(starts_at__year=year).exists():
            continue
        cases = _topic_cases(run60, year, council)
        news = _case(
            None,
            run60.diarium,
            699,
            year,
            body=council,
            title=f"{NEWS_TITLE} {year} (illustrativt)",
            registered_on=datetime.date(year, 1, 15),
        )
        for index, month in enumerate(MONTHS):
            day = _meeting_day(year, month)
            number += 1
            # Each topic twice a year: as information first, decided the second time.
            first = (index * 2 + year) % len(TOPICS)
            second = (first + 1) % len(TOPICS)
            decides = index % 2 == 1
            items: list[Item] = [(news, NOTED, Paragraph.DecisionKind.NOTED, NOTED)]
            for position in (first, second):
                topic = TOPICS[position]
                kind, decision = (
                    (topic.kind, topic.decision)
                    if decides
                    else (Paragraph.DecisionKind.NOTED, NOTED)
                )
                items.append((cases[position], decision, kind, decision))
            if year == 2019 and month in (3, 6):  # the seeds' follow-up RUN/60/2019
                proposal = (
                    "Rådet informeras om den nya överenskommelsens områden."
                    if month == 3
                    else "Rådet informeras om uppföljningen av samverkansavtalet."
                )
                items.append((run60, proposal, Paragraph.DecisionKind.NOTED, NOTED))
            (meeting,) = services.meeting_plan(
                actor=None,
                body=council,
                starts=[_aware(year, month, day.day, 13, 0)],
                place=PLACE,
                duration=datetime.timedelta(hours=3),
            )
            adjuster = kommun_members[number % len(kommun_members)]
            _hold(
                meeting,
                items,
                number=number,
                chair=demo.chair_run,
                adjuster=adjuster,
                justera=demo.with_accounts,
            )
            if (
                year in PRIMARKOMMUNALA_YEARS
                and not pkr.meetings.filter(starts_at__date=day).exists()
            ):
                (morning,) = services.meeting_plan(
                    actor=None,
                    body=pkr,
                    starts=[_aware(year, month, day.day, 9, 0)],
                    place=PLACE,
                    duration=datetime.timedelta(hours=3),
                )
                kind, decision = (
                    (Paragraph.DecisionKind.DECISION, PKR_DECISION)
                    if decides
                    else (Paragraph.DecisionKind.NOTED, NOTED)
                )
                prepared: list[Item] = [
                    (case, PKR_PROPOSAL, kind, decision) for case, *_ in items[1:3]
                ]
                _hold(
                    morning,
                    prepared,
                    number=number + 4,
                    chair=pkr_chair,
                    adjuster=kommun_members[(number + 3) % len(kommun_members)],
                    justera=demo.with_accounts,
                )
