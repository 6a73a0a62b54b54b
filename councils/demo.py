"""Demo data built from the public documents in ``councils/demo_seeds/``.

The organisations, arenas, seats, ärenden and documents are those the documents
name. The documents do not name the elected members, so seats are held by people
named after their seat ("Ledamot Bergs kommun"); officials carry the names the
documents give. Contact details are placeholders at example.org.

Loading is idempotent: running it again changes nothing that is already there.
"""

from __future__ import annotations

import datetime
import html
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from councils import services
from councils.models import (
    Body,
    Case,
    Diarium,
    Document,
    Meeting,
    Membership,
    Organisation,
    OrganisationRole,
    Paragraph,
    ParagraphSequence,
    Person,
    SeatAllocation,
)
from samverkan.roles import SECRETARIAT_GROUP

SEEDS = Path(__file__).resolve().parent / "demo_seeds"
DEMO_PASSWORD = "samverkan2026"  # noqa: S105 - documented demo password, refused in production

KOMMUNER = [
    ("Bergs kommun", "Berg"),
    ("Bräcke kommun", "Bräcke"),
    ("Härjedalens kommun", "Härjedalen"),
    ("Krokoms kommun", "Krokom"),
    ("Ragunda kommun", "Ragunda"),
    ("Strömsunds kommun", "Strömsund"),
    ("Åre kommun", "Åre"),
    ("Östersunds kommun", "Östersund"),
]

SAMVERKANSRAD_SUBJECTS = [
    "Regionalt utvecklingsprogram",
    "Länstransportplan",
    "Regionalt tillväxtprogram",
    "Kollektivtrafik",
    "Regional kulturpolitik",
    "Folkhälsa",
    "Gemensamma EU-frågor",
]


@dataclass(frozen=True)
class DemoAccount:
    role: str
    username: str
    password: str


DEMO_ACCOUNTS = [
    DemoAccount("Administratör", "admin", DEMO_PASSWORD),
    DemoAccount("Sekretariat", "sekretariat", DEMO_PASSWORD),
    DemoAccount("Ordförande, regionens samverkansråd (justerar)", "ordforande", DEMO_PASSWORD),
    DemoAccount("Ledamot, regionens samverkansråd", "ledamot", DEMO_PASSWORD),
    DemoAccount("Ersättare, regionens samverkansråd", "ersattare", DEMO_PASSWORD),
    DemoAccount("Ledamot, regionstyrelsen", "styrelseledamot", DEMO_PASSWORD),
    DemoAccount("Kommuntjänsteperson (Krokoms kommun)", "kommun", DEMO_PASSWORD),
]


def _org(name: str, kind: str, short: str = "", **extra: Any) -> Organisation:
    org, _ = Organisation.objects.get_or_create(
        slug=slugify(name), defaults={"name": name, "kind": kind, "short_name": short, **extra}
    )
    return org


def _body(name: str, **fields: Any) -> Body:
    slug = slugify(name.replace("–", " "))[:80].rstrip("-")
    body, _ = Body.objects.get_or_create(name=name, defaults={"slug": slug, **fields})
    return body


def _seats(body: Body, org: Organisation, seats: int, substitutes: int = 0, note: str = "") -> None:
    SeatAllocation.objects.get_or_create(
        body=body,
        organisation=org,
        defaults={"seats": seats, "substitutes": substitutes, "note": note},
    )


def _person(first: str, last: str, **fields: Any) -> Person:
    email = fields.pop("email", "") or f"{slugify(first + '.' + last)}@example.org"
    person, _ = Person.objects.get_or_create(
        first_name=first, last_name=last, defaults={"email": email, **fields}
    )
    return person


def _member(person: Person, body: Body, role: str, **fields: Any) -> Membership:
    membership, _ = Membership.objects.get_or_create(
        person=person, body=body, role=role, defaults=fields
    )
    return membership


def _seed_pdf(title: str, seed: str, text: str | None = None) -> bytes:
    """A PDF of a seed text (or of ``text``), so the demo documents are real (and
    tagged) files."""
    from councils.pdfs import html_to_pdf

    text = text if text is not None else (SEEDS / seed).read_text(encoding="utf-8")
    paragraphs = "".join(
        f"<p>{html.escape(block.strip())}</p>" for block in text.split("\n\n") if block.strip()
    )
    document = (
        f'<html lang="sv"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        "<style>body{font-family:'DejaVu Sans',sans-serif;font-size:10pt}"
        "p{white-space:pre-wrap}</style></head>"
        f"<body><h1>{html.escape(title)}</h1>{paragraphs}</body></html>"
    )
    return html_to_pdf(document)


def _document(
    case: Case, actor: Any, *, seed: str | None = None, text: str | None = None, **fields: Any
) -> None:
    if case.documents.filter(subject=fields["subject"]).exists():
        return
    upload: io.BytesIO | None = None
    name = ""
    if seed or text:
        upload = io.BytesIO(_seed_pdf(fields["subject"], seed or "", text))
        name = f"{slugify(fields['subject'])[:80]}.pdf"
    services.document_register(
        actor=actor,
        case=case,
        upload=upload,
        upload_name=name,
        upload_size=len(upload.getvalue()) if upload else 0,
        **fields,
    )


def _case(actor: Any, diarium: Diarium, number: int, year: int, **fields: Any) -> Case:
    existing = Case.objects.filter(diarium=diarium, number=number, year=year).first()
    if existing:
        return existing
    return services.case_register(actor=actor, diarium=diarium, number=number, **fields)


def _aware(year: int, month: int, day: int, hour: int, minute: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))  # noqa: DTZ001


def _demo_meetings(
    *,
    council: Body,
    deferred: Case,
    follow_up: Case,
    chair: Person,
    adjuster: Person,
    presenter: Person,
) -> None:
    """The samverkansråd's meeting of § 56 (the seed's own paragraph; the meeting date is
    illustrative), justerat when the demo accounts exist, and its next meeting, where
    the deferred case comes back."""
    if not council.meetings.filter(starts_at__year=2018).exists():
        (held,) = services.meeting_plan(
            actor=None,
            body=council,
            starts=[_aware(2018, 9, 14, 13, 0)],
            place="Regionens hus, Östersund",
            duration=datetime.timedelta(hours=3),
        )
        services.agenda_add_standard_items(actor=None, meeting=held)
        services.agenda_add_case(
            actor=None,
            meeting=held,
            case=deferred,
            presenter=presenter,
            proposal="Rådet diskuterar samverkansrådets roll i förhållande till övriga "
            "samverkansformer.",
        )
        # § 56 in the minutes: the year's earlier meetings used § 1 to 51.
        ParagraphSequence.objects.update_or_create(
            body=council, year=2018, defaults={"last_number": 51}
        )
        services.paragraphs_create_for_agenda(actor=None, meeting=held)
        seed = (SEEDS / "rs-2797-2017-samverkansradet-p56.txt").read_text(encoding="utf-8")
        summary = seed.split("### **Sammanfattning**", 1)[1].split("### **Beslut**", 1)[0]
        paragraph = Paragraph.objects.get(meeting=held, case=deferred)
        services.paragraph_update(
            actor=None,
            paragraph=paragraph,
            title="Regionstyrelsens uppföljning av samverkan med kommunerna: "
            "Samverkansrådet (RS/2797/2017)",
            summary=summary.strip(),
            decision_kind=Paragraph.DecisionKind.DEFERRED,
            decision="Ärendet tas upp igen vid regionens samverkansråds nästkommande sammanträde.",
            basis="§187 Regionstyrelsen Regionstyrelsens uppföljning av samverkan med "
            "kommunerna: Samverkansrådet\nRapport Uppföljning av samverkan med kommunerna: "
            "Samverkansrådet",
            extract_to="Regionstyrelsen\nLänets kommuner",
        )
        protocol = services.protocol_start(actor=None, meeting=held)
        services.protocol_update(
            actor=None,
            protocol=protocol,
            chair=chair,
            adjusters=[adjuster],
            justering_time_place="Regionens kansli, Östersund",
        )
        services.meeting_update(actor=None, meeting=held, status=Meeting.Status.HELD)
        signatories = [chair.user, adjuster.user]
        if all(signatories):
            services.protocol_send_for_justering(actor=None, protocol=protocol)
            for user in signatories:
                services.protocol_decide(actor=user, protocol=protocol, approve=True)

    if not council.meetings.filter(starts_at__gte=timezone.now()).exists():
        day = timezone.localdate() + datetime.timedelta(days=21)
        (coming,) = services.meeting_plan(
            actor=None,
            body=council,
            starts=[_aware(day.year, day.month, day.day, 13, 0)],
            place="Regionens hus, Östersund",
            remote_link="https://meet.example.org/samverkansradet",
            duration=datetime.timedelta(hours=3),
        )
        services.agenda_add_case(
            actor=None,
            meeting=coming,
            case=deferred,
            presenter=presenter,
            proposal="Rådet föreslår att en plan tas fram i början av varje år som pekar ut "
            "tre–fyra strategiska frågor för rådet.",
        )
        services.agenda_add_case(
            actor=None,
            meeting=coming,
            case=follow_up,
            proposal="Informationen noteras.",
        )
        # Illustrative: a closed item with a confidential document, for the members.
        staffing = _case(
            None,
            deferred.diarium,
            900,
            day.year,
            body=council,
            title="Förordnande av processledare för samverkansrådet",
            public_title="Personalärende",
            registered_on=timezone.localdate(),
        )
        _document(
            staffing,
            None,
            text="Sekretariatet föreslår att rådet förordnar en processledare för "
            "samverkansrådets arbete med de strategiska frågorna. Underlaget innehåller "
            "uppgifter om sökandenas personliga förhållanden.",
            kind=Document.Kind.MEMO,
            direction=Document.Direction.DRAWN_UP,
            subject="Tjänsteskrivelse om förordnande av processledare",
            document_date=timezone.localdate(),
            confidential=True,
            secrecy_provision="OSL 39 kap. 3 §",
            secrecy_date=timezone.localdate(),
            secrecy_authority="Regionstyrelsen",
        )
        services.agenda_add_case(
            actor=None,
            meeting=coming,
            case=staffing,
            public=False,
            proposal="Rådet förordnar processledare enligt sekretariatets förslag.",
        )
        services.agenda_add_standard_items(actor=None, meeting=coming)


@transaction.atomic
def load_demo(*, with_accounts: bool = False) -> dict[str, int]:
    """Build the demo data; with ``with_accounts``, also the demo log-ins."""
    if with_accounts and not settings.SAMVERKAN_ALLOW_DEMO_ACCOUNTS:
        raise RuntimeError("Demo accounts are not allowed with these settings (production).")

    # --- Organisations ------------------------------------------------------------------
    region = _org(
        "Region Jämtland Härjedalen",
        Organisation.Kind.REGION,
        "Regionen",
        official_email="region@example.org",
        website="https://www.regionjh.se",
    )
    landsting = _org("Jämtlands läns landsting", Organisation.Kind.REGION, "Landstinget")
    landsting_body = _body(
        "Landstingsfullmäktige",
        short_name="LF",
        kind=Body.Kind.ASSEMBLY,
        organisation=landsting,
        can_decide=True,
        ended=datetime.date(2014, 12, 31),
        purpose="Jämtlands läns landstings fullmäktige, till 2014.",
    )
    kommuner = {
        short: _org(
            name,
            Organisation.Kind.KOMMUN,
            short,
            official_email=f"kommun.{slugify(short)}@example.org",
        )
        for name, short in KOMMUNER
    }
    lansstyrelsen = _org(
        "Länsstyrelsen Jämtlands län",
        Organisation.Kind.LANSSTYRELSE,
        "Länsstyrelsen",
        official_email="lansstyrelsen@example.org",
    )
    kommunerna = _org("Länets kommuner i samverkan", Organisation.Kind.EXTERNAL, "Kommunerna")
    _org("Arbetsförmedlingen", Organisation.Kind.EXTERNAL)

    # --- Bodies ----------------------------------------------------------------------
    rf = _body(
        "Regionfullmäktige",
        short_name="RF",
        kind=Body.Kind.ASSEMBLY,
        organisation=region,
        can_decide=True,
        notice_days=7,
        purpose="Regionens högsta beslutande organ.",
    )
    rs = _body(
        "Regionstyrelsen",
        short_name="RS",
        kind=Body.Kind.BOARD,
        organisation=region,
        parent=rf,
        can_decide=True,
        purpose="Leder och samordnar regionens verksamhet och följer upp nämnderna.",
        mandate="Ska delta i regionens samverkansråd i frågor inom styrelsens verksamhetsområde.",
    )
    run = _body(
        "Regionala utvecklingsnämnden",
        short_name="RUN",
        kind=Body.Kind.COMMITTEE,
        organisation=region,
        parent=rf,
        can_decide=True,
        purpose="Ansvarar för regional utveckling och för överenskommelsen med "
        "länets kommuner om regional samverkan.",
        mandate="Ska delta i regionens samverkansråd i frågor inom nämndens verksamhetsområde.",
    )
    _body(
        "Regionala utvecklingsnämndens arbetsutskott",
        short_name="RUN au",
        kind=Body.Kind.WORKING_COMMITTEE,
        organisation=region,
        parent=run,
        can_decide=True,
        mandate="Ansvarar för att samverkansrådet kan yttra sig över ärenden som ska "
        "beslutas av regionala utvecklingsnämnden eller regionfullmäktige.",
    )
    _body(
        "Regionala utvecklingsnämndens presidium",
        short_name="RUN presidium",
        kind=Body.Kind.PRESIDIUM,
        organisation=region,
        parent=run,
    )
    hsn = _body(
        "Hälso- och sjukvårdsnämnden",
        short_name="HSN",
        kind=Body.Kind.COMMITTEE,
        organisation=region,
        parent=rf,
        can_decide=True,
        established=datetime.date(2019, 1, 1),
        purpose="Ansvarar för hälso- och sjukvården från 2019.",
    )
    _body(
        "Hälso- och sjukvårdsnämndens presidium",
        short_name="HSN presidium",
        kind=Body.Kind.PRESIDIUM,
        organisation=region,
        parent=hsn,
    )
    gn = _body(
        "Gemensam nämnd för samverkan inom drift och service, utveckling samt specialistfunktioner",
        short_name="Gemensam nämnd",
        kind=Body.Kind.JOINT_COMMITTEE,
        organisation=region,
        parent=rf,
        can_decide=True,
        established=datetime.date(2016, 12, 1),
        purpose="Gemensam nämnd för IT-drift och stöd, inrättad mellan regionen och Åre "
        "kommun 1 december 2016 och utökad med övriga kommuner under 2018.",
    )
    rad = _body(
        "Regionens samverkansråd",
        short_name="Samverkansrådet",
        kind=Body.Kind.COUNCIL,
        organisation=region,
        procedure=Body.Procedure.ADVISORY,
        can_recommend=True,
        can_state_opinion=True,
        meetings_per_year=8,
        established=datetime.date(2015, 2, 16),
        standing_subjects=SAMVERKANSRAD_SUBJECTS,
        purpose="Organ för information, samråd och samverkan mellan Region Jämtland "
        "Härjedalen och länets kommuner i frågor av gemensamt intresse: att samordna "
        "de regionala utvecklingsfrågorna med de kommunala frågor som har ett "
        "regionalt intresse, att initiera samverkan för att utveckla och effektivisera "
        "den regionala utvecklingsverksamheten, och att vara ett forum för omvärlds- "
        "och intressebevakning.",
        mandate="Kan inte fatta formella beslut som binder medlemmarna. Kan besluta om "
        "rekommendationer till regionen och kommunerna i ärenden där det krävs "
        "likalydande beslut från alla parter, och yttra sig i ärenden om "
        "medfinansiering av projekt och prioritering av EU:s fondmedel inför beslut i "
        "regionala utvecklingsnämnden eller regionfullmäktige. Partier i "
        "regionfullmäktige utan plats i rådet och ej tjänstgörande ersättare får "
        "närvara som åhörare (rådets beslut mars 2015).",
        rules="Reglemente fastställt av landstingsfullmäktige i april 2014, § 78.",
        posts_notices=True,
    )
    pk_rad = _body(
        "Primärkommunala samverkansrådet",
        short_name="Primärkommunala rådet",
        kind=Body.Kind.COUNCIL,
        organisation=kommunerna,
        procedure=Body.Procedure.ADVISORY,
        meetings_per_year=8,
        meeting_rhythm="Samma förmiddag som regionens samverkansråd.",
        purpose="Kommunernas eget råd. Dess frågor tas med till eftermiddagens samverkansråd.",
    )
    beredning = _body(
        "Beredningsgrupp Länsstyrelsen–Regionen",
        short_name="Beredningsgruppen",
        kind=Body.Kind.PREPARATORY_GROUP,
        organisation=region,
        procedure=Body.Procedure.ADVISORY,
        purpose="Bereder underlag inom de prioriterade områdena inför mötena på högsta nivå.",
    )
    topp = _body(
        "Möte på högsta nivå Länsstyrelsen–Regionen",
        short_name="Toppmötet",
        kind=Body.Kind.MEETING_FORUM,
        organisation=region,
        procedure=Body.Procedure.ADVISORY,
        meetings_per_year=2,
        meeting_rhythm="I februari och december.",
        purpose="Landshövdingen, regionråd och regiondirektör följer samverkansöverenskommelsen.",
    )
    networks = [
        _body(
            f"Politiskt nätverk för {topic}",
            short_name=f"Nätverk {topic}",
            kind=Body.Kind.NETWORK,
            organisation=region,
            procedure=Body.Procedure.ADVISORY,
            purpose=f"Politiskt nätverk mellan regionen och kommunerna för {topic}.",
        )
        for topic in ("kultur", "folkhälsa", "skola", "social välfärd och vård")
    ]

    # --- Seats -----------------------------------------------------------------------
    _seats(
        rad,
        region,
        3,
        note="Ordförande i RUN (ordförande i rådet), ordförande i RS och "
        "andre vice ordförande i RUN.",
    )
    for org in kommuner.values():
        _seats(rad, org, 1, 1, note="Kommunstyrelsens ordförande.")
        _seats(pk_rad, org, 1)
        _seats(gn, org, 1, 1)
        for network in networks:
            _seats(network, org, 1)
    _seats(gn, region, 1, 1)
    for network in networks:
        _seats(network, region, 1)
    _seats(beredning, region, 3)
    _seats(beredning, lansstyrelsen, 3)
    _seats(topp, region, 2, note="Regionråd och regiondirektör.")
    _seats(topp, lansstyrelsen, 1, note="Landshövdingen.")

    # --- People and memberships ------------------------------------------------------
    start = datetime.date(2015, 1, 1)  # illustrative: the seeds name no terms of office
    end = datetime.date(2026, 12, 31)
    chair_run = _person(
        "Ordförande", "RUN", title="Ordförande, regionala utvecklingsnämnden", organisation=region
    )
    chair_rs = _person("Ordförande", "RS", title="Ordförande, regionstyrelsen", organisation=region)
    vice_run = _person(
        "Andre vice ordförande",
        "RUN",
        title="Andre vice ordförande, regionala utvecklingsnämnden",
        organisation=region,
    )
    _member(
        chair_run,
        rad,
        Membership.Role.CHAIR,
        represents=region,
        appointed_by=region,
        start=start,
        end=end,
    )
    _member(
        chair_run,
        run,
        Membership.Role.CHAIR,
        represents=region,
        appointed_by=region,
        start=start,
        end=end,
    )
    _member(
        chair_rs,
        rad,
        Membership.Role.MEMBER,
        represents=region,
        appointed_by=region,
        start=start,
        end=end,
    )
    _member(
        chair_rs,
        rs,
        Membership.Role.CHAIR,
        represents=region,
        appointed_by=region,
        start=start,
        end=end,
    )
    _member(
        vice_run,
        rad,
        Membership.Role.MEMBER,
        represents=region,
        appointed_by=region,
        start=start,
        end=end,
    )
    _member(
        vice_run,
        run,
        Membership.Role.SECOND_VICE_CHAIR,
        represents=region,
        appointed_by=region,
        start=start,
        end=end,
    )
    for name, short in KOMMUNER:
        org = kommuner[short]
        kso = _person(
            "Ledamot", name, title=f"Kommunstyrelsens ordförande, {name}", organisation=org
        )
        role = Membership.Role.VICE_CHAIR if short == "Östersund" else Membership.Role.MEMBER
        seat = _member(kso, rad, role, represents=org, appointed_by=org, start=start, end=end)
        _member(
            _person("Ersättare", name, title=f"Kommunalråd, {name}", organisation=org),
            rad,
            Membership.Role.SUBSTITUTE,
            represents=org,
            appointed_by=org,
            substitute_for=seat,
            start=start,
            end=end,
        )
        _member(
            kso,
            pk_rad,
            Membership.Role.MEMBER,
            represents=org,
            appointed_by=org,
            start=start,
            end=end,
        )
        _member(
            kso, gn, Membership.Role.MEMBER, represents=org, appointed_by=org, start=start, end=end
        )
        for network in networks:
            _member(
                kso,
                network,
                Membership.Role.MEMBER,
                represents=org,
                appointed_by=org,
                start=start,
                end=end,
            )

    officials = {
        "bystrom": _person(
            "Anders",
            "Byström",
            title="Förvaltningschef regional utveckling",
            organisation=region,
            unit="Regional utveckling",
            email="anders.bystrom@example.org",
        ),
        "nirjens": _person(
            "Elin",
            "Nirjens",
            title="Handläggare",
            organisation=region,
            unit="Välfärd och klimat",
            phone="063-000 00 01",
        ),
        "gregorsson": _person(
            "Marina",
            "Gregorsson",
            title="Handläggare",
            organisation=region,
            unit="Välfärd, klimat och kompetens",
            phone="063-000 00 02",
        ),
        "ahren": _person(
            "Christian",
            "Åhrén",
            title="Handläggare",
            organisation=region,
            unit="Sekretariatet",
            phone="063-000 00 03",
        ),
        "svensson": _person("Hans", "Svensson", title="Regiondirektör", organisation=region),
        "halvarsson": _person(
            "Anna",
            "Halvarsson",
            title="Områdeschef Hållbar tillväxt",
            organisation=region,
            unit="Hållbar tillväxt",
        ),
        "ferm": _person("Mikael", "Ferm", title="Regionstabschef", organisation=region),
    }
    _member(
        officials["ahren"], rad, Membership.Role.SECRETARY, represents=region, start=start, end=end
    )
    _member(
        officials["bystrom"],
        beredning,
        Membership.Role.MEMBER,
        represents=region,
        appointed_by=region,
        start=start,
        end=end,
    )
    kommun_official = _person(
        "Tjänsteperson",
        "Krokoms kommun",
        title="Utvecklingsstrateg",
        organisation=kommuner["Krokom"],
    )
    # Krokom's official assessment of the agreements is set by this official only.
    OrganisationRole.objects.get_or_create(
        person=kommun_official,
        organisation=kommuner["Krokom"],
        kind=OrganisationRole.Kind.ASSESSOR,
    )

    # --- Diaria, cases, documents -------------------------------------------------------
    diaria = {
        "RS": Diarium.objects.get_or_create(
            prefix="RS", defaults={"name": "Regionstyrelsen", "body": rs}
        )[0],
        "RUN": Diarium.objects.get_or_create(
            prefix="RUN", defaults={"name": "Regionala utvecklingsnämnden", "body": run}
        )[0],
        "HSN": Diarium.objects.get_or_create(
            prefix="HSN", defaults={"name": "Hälso- och sjukvårdsnämnden", "body": hsn}
        )[0],
        "LS": Diarium.objects.get_or_create(
            prefix="LS",
            defaults={
                "name": "Jämtlands läns landsting (till 2014)",
                "body": landsting_body,
                "active": False,
            },
        )[0],
    }
    actor = None
    Doc = Document
    ls = _case(
        actor,
        diaria["LS"],
        1345,
        2014,
        body=run,
        title="Samverkansavtal mellan Region Jämtland Härjedalen och länets kommuner 2015–2018",
        registered_on=datetime.date(2014, 6, 2),
        status=Case.Status.CLOSED,
        unit="Regional utveckling",
    )
    _document(
        ls,
        actor,
        kind=Doc.Kind.AGREEMENT,
        direction=Doc.Direction.DRAWN_UP,
        subject="Samverkansavtal 2015-01-01–2018-12-31",
        document_date=datetime.date(2014, 12, 1),
        counterpart="Länets kommuner",
    )
    run34 = _case(
        actor,
        diaria["RUN"],
        34,
        2018,
        body=run,
        title="Överenskommelse om samverkan mellan Region Jämtland Härjedalen och "
        "länets kommuner om regional samverkan 2019–2021",
        registered_on=datetime.date(2018, 2, 12),
        status=Case.Status.DECIDED,
        unit="Regional utveckling",
        handler=officials["bystrom"],
    )
    _document(
        run34,
        actor,
        kind=Doc.Kind.AGREEMENT,
        direction=Doc.Direction.DRAWN_UP,
        subject="Överenskommelse om regional samverkan 2019–2021, fastställd av "
        "regionfullmäktige juni 2018 § 92",
        document_date=datetime.date(2018, 6, 20),
        counterpart="Länets kommuner",
    )
    rs482 = _case(
        actor,
        diaria["RS"],
        482,
        2018,
        body=rs,
        title="Samverkansavtal mellan Länsstyrelsen Jämtlands län och Region Jämtland Härjedalen",
        registered_on=datetime.date(2018, 2, 5),
        status=Case.Status.CLOSED,
    )
    _document(
        rs482,
        actor,
        kind=Doc.Kind.AGREEMENT,
        direction=Doc.Direction.DRAWN_UP,
        subject="Samverkansavtal Länsstyrelsen–Regionen, februari 2018",
        document_date=datetime.date(2018, 2, 20),
        counterpart="Länsstyrelsen Jämtlands län",
    )
    rs2797 = _case(
        actor,
        diaria["RS"],
        2797,
        2017,
        body=rad,
        title="Regionstyrelsens uppföljning av samverkan med kommunerna: Samverkansrådet",
        registered_on=datetime.date(2017, 12, 4),
        status=Case.Status.IN_PREPARATION,
        unit="Regional utveckling",
        handler=officials["bystrom"],
        description="I regionstyrelsens verksamhetsplan ingår att följa upp de "
        "verksamheter som ingår i styrelsens ansvarsområden, bland "
        "annat regionens samverkan med länets kommuner.",
    )
    _document(
        rs2797,
        actor,
        seed="rs-2797-2017-rapport-samverkansradet.txt",
        kind=Doc.Kind.REPORT,
        direction=Doc.Direction.DRAWN_UP,
        subject="Rapport Uppföljning av samverkan med kommunerna: Samverkansrådet",
        document_date=datetime.date(2018, 4, 10),
    )
    _document(
        rs2797,
        actor,
        kind=Doc.Kind.MINUTES_EXTRACT,
        direction=Doc.Direction.INCOMING,
        subject="§187 Regionstyrelsen Regionstyrelsens uppföljning av samverkan med "
        "kommunerna: Samverkansrådet",
        document_date=datetime.date(2018, 5, 15),
        counterpart="Regionstyrelsen",
    )
    _document(
        rs2797,
        actor,
        seed="rs-2797-2017-samverkansradet-p56.txt",
        kind=Doc.Kind.MINUTES_EXTRACT,
        direction=Doc.Direction.DRAWN_UP,
        subject="§56 Regionens samverkansråd: ärendet tas upp igen vid nästkommande sammanträde",
        document_date=datetime.date(2018, 9, 14),
    )
    run60 = _case(
        actor,
        diaria["RUN"],
        60,
        2019,
        body=run,
        title="Uppföljning samverkan med kommunerna: Samverkansavtalet",
        registered_on=datetime.date(2019, 5, 1),
        status=Case.Status.DECIDED,
        unit="Välfärd, klimat och kompetens",
        handler=officials["gregorsson"],
    )
    _document(
        run60,
        actor,
        seed="run-60-2019-uppfoljning.txt",
        kind=Doc.Kind.REPORT,
        direction=Doc.Direction.DRAWN_UP,
        subject="Uppföljning samverkan med kommunerna: Samverkansavtalet (verksamhets"
        "berättelse, 6 av 8 dialoger)",
        document_date=datetime.date(2019, 5, 1),
    )
    run29 = _case(
        actor,
        diaria["RUN"],
        29,
        2021,
        body=run,
        title="Uppföljning av samverkan med kommunerna: Samverkansavtalet",
        registered_on=datetime.date(2021, 2, 1),
        status=Case.Status.DECIDED,
        unit="Välfärd och klimat",
        handler=officials["nirjens"],
        description="Regionala utvecklingsnämnden fastställde den 17 november 2020, "
        "§ 161, en verksamhetsplan och uppföljningsplan för 2021. Enligt "
        "planen ska nämnden vid sitt sammanträde i juni följa upp "
        "samverkan inom ramen för samverkansavtalet.",
    )
    _document(
        run29,
        actor,
        seed="run-29-2021-tjansteskrivelse.txt",
        kind=Doc.Kind.MEMO,
        direction=Doc.Direction.DRAWN_UP,
        subject="Tjänsteskrivelse Uppföljning av samverkan med kommunerna: Samverkansavtalet",
        document_date=datetime.date(2021, 6, 2),
    )
    rs668 = _case(
        actor,
        diaria["RS"],
        668,
        2021,
        body=rs,
        title="Överenskommelse om samverkan mellan Länsstyrelsen Jämtlands län och "
        "Region Jämtland Härjedalen",
        registered_on=datetime.date(2021, 9, 6),
        status=Case.Status.IN_PREPARATION,
        unit="Sekretariatet",
        handler=officials["ahren"],
    )
    _document(
        rs668,
        actor,
        seed="rs-668-2021-tjansteskrivelse.txt",
        kind=Doc.Kind.MEMO,
        direction=Doc.Direction.DRAWN_UP,
        subject="Tjänsteskrivelse Överenskommelse om samverkan mellan Länsstyrelsen "
        "Jämtlands län och Region Jämtland Härjedalen",
        document_date=datetime.date(2022, 3, 3),
    )
    _document(
        rs668,
        actor,
        kind=Doc.Kind.ANNEX,
        direction=Doc.Direction.DRAWN_UP,
        subject="Regionintern enkät om samarbetet med Länsstyrelsen – svar med personuppgifter",
        document_date=datetime.date(2021, 11, 15),
        confidential=True,
        secrecy_provision="OSL 21 kap. 7 §",
        secrecy_date=datetime.date(2021, 11, 15),
        secrecy_authority="Regionstyrelsen",
    )

    # --- Accounts -----------------------------------------------------------------------
    secretariat, _ = Group.objects.get_or_create(name=SECRETARIAT_GROUP)
    secretariat.permissions.add(
        *Permission.objects.filter(content_type__app_label="councils").exclude(
            codename__startswith="delete_"
        )
    )
    if with_accounts:
        user_model = get_user_model()
        people = {
            "sekretariat": officials["ahren"],
            "ordforande": chair_run,
            "ledamot": Person.objects.get(first_name="Ledamot", last_name="Bergs kommun"),
            "ersattare": Person.objects.get(first_name="Ersättare", last_name="Bergs kommun"),
            "styrelseledamot": chair_rs,
            "kommun": kommun_official,
        }
        for account in DEMO_ACCOUNTS:
            user = user_model.objects.filter(username=account.username).first()
            if user is None:
                user = user_model(username=account.username)
                user.set_password(account.password)
            if account.username == "admin":
                user.is_staff = user.is_superuser = True
            if account.username == "sekretariat":
                user.is_staff = True
            person = people.get(account.username)
            if person is not None:
                user.first_name, user.last_name = person.first_name, person.last_name
                user.email = person.email
            user.save()
            if account.username == "sekretariat":
                user.groups.add(secretariat)
            if person is not None and person.user_id is None:
                person.user = user
                person.save()
    _demo_meetings(
        council=rad,
        deferred=rs2797,
        follow_up=run29,
        chair=chair_run,
        adjuster=Person.objects.get(first_name="Ledamot", last_name="Bergs kommun"),
        presenter=officials["bystrom"],
    )
    return demo_counts()


def demo_counts() -> dict[str, int]:
    """What the councils' part of the demo holds (counted once the whole demo is in)."""
    return {
        "meetings": Meeting.objects.count(),
        "organisations": Organisation.objects.count(),
        "bodies": Body.objects.count(),
        "people": Person.objects.count(),
        "memberships": Membership.objects.count(),
        "cases": Case.objects.count(),
        "documents": Document.objects.count(),
    }
