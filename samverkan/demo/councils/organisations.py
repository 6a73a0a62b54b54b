"""The demo's organisations, arenas, seats, people and memberships, from the seeds."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

from django.utils.text import slugify

from councils.models import (
    Body,
    Membership,
    Organisation,
    OrganisationRole,
)
from samverkan.demo.councils.records import (
    KOMMUNER,
    SAMVERKANSRAD_SUBJECTS,
    _body,
    _member,
    _org,
    _person,
    _seats,
)


def _load_organisations(demo: SimpleNamespace) -> None:
    """Organisations."""
    demo.region = _org(
        "Region Jämtland Härjedalen",
        Organisation.Kind.REGION,
        "Regionen",
        official_email="region@example.org",
        website="https://www.regionjh.se",
    )
    landsting = _org("Jämtlands läns landsting", Organisation.Kind.REGION, "Landstinget")
    demo.landsting_body = _body(
        "Landstingsfullmäktige",
        short_name="LF",
        kind=Body.Kind.ASSEMBLY,
        organisation=landsting,
        can_decide=True,
        ended=datetime.date(2014, 12, 31),
        purpose="Jämtlands läns landstings fullmäktige, till 2014.",
    )
    demo.kommuner = {
        short: _org(
            name,
            Organisation.Kind.KOMMUN,
            short,
            official_email=f"kommun.{slugify(short)}@example.org",
        )
        for name, short in KOMMUNER
    }
    demo.lansstyrelsen = _org(
        "Länsstyrelsen Jämtlands län",
        Organisation.Kind.LANSSTYRELSE,
        "Länsstyrelsen",
        official_email="lansstyrelsen@example.org",
    )
    demo.kommunerna = _org("Länets kommuner i samverkan", Organisation.Kind.EXTERNAL, "Kommunerna")
    _org("Arbetsförmedlingen", Organisation.Kind.EXTERNAL)


def _load_bodies(demo: SimpleNamespace) -> None:
    """Bodies."""
    rf = _body(
        "Regionfullmäktige",
        short_name="RF",
        kind=Body.Kind.ASSEMBLY,
        organisation=demo.region,
        can_decide=True,
        notice_days=7,
        purpose="Regionens högsta beslutande organ.",
    )
    demo.rs = _body(
        "Regionstyrelsen",
        short_name="RS",
        kind=Body.Kind.BOARD,
        organisation=demo.region,
        parent=rf,
        can_decide=True,
        purpose="Leder och samordnar regionens verksamhet och följer upp nämnderna.",
        mandate="Ska delta i regionens samverkansråd i frågor inom styrelsens verksamhetsområde.",
    )
    demo.run = _body(
        "Regionala utvecklingsnämnden",
        short_name="RUN",
        kind=Body.Kind.COMMITTEE,
        organisation=demo.region,
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
        organisation=demo.region,
        parent=demo.run,
        can_decide=True,
        mandate="Ansvarar för att samverkansrådet kan yttra sig över ärenden som ska "
        "beslutas av regionala utvecklingsnämnden eller regionfullmäktige.",
    )
    _body(
        "Regionala utvecklingsnämndens presidium",
        short_name="RUN presidium",
        kind=Body.Kind.PRESIDIUM,
        organisation=demo.region,
        parent=demo.run,
    )
    demo.hsn = _body(
        "Hälso- och sjukvårdsnämnden",
        short_name="HSN",
        kind=Body.Kind.COMMITTEE,
        organisation=demo.region,
        parent=rf,
        can_decide=True,
        established=datetime.date(2019, 1, 1),
        purpose="Ansvarar för hälso- och sjukvården från 2019.",
    )
    _body(
        "Hälso- och sjukvårdsnämndens presidium",
        short_name="HSN presidium",
        kind=Body.Kind.PRESIDIUM,
        organisation=demo.region,
        parent=demo.hsn,
    )
    demo.gn = _body(
        "Gemensam nämnd för samverkan inom drift och service, utveckling samt specialistfunktioner",
        short_name="Gemensam nämnd",
        kind=Body.Kind.JOINT_COMMITTEE,
        organisation=demo.region,
        parent=rf,
        can_decide=True,
        established=datetime.date(2016, 12, 1),
        purpose="Gemensam nämnd för IT-drift och stöd, inrättad mellan regionen och Åre "
        "kommun 1 december 2016 och utökad med övriga kommuner under 2018.",
    )
    demo.rad = _body(
        "Regionens samverkansråd",
        short_name="Samverkansrådet",
        kind=Body.Kind.COUNCIL,
        organisation=demo.region,
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
    demo.pk_rad = _body(
        "Primärkommunala samverkansrådet",
        short_name="Primärkommunala rådet",
        kind=Body.Kind.COUNCIL,
        organisation=demo.kommunerna,
        procedure=Body.Procedure.ADVISORY,
        meetings_per_year=8,
        meeting_rhythm="Samma förmiddag som regionens samverkansråd.",
        purpose="Kommunernas eget råd. Dess frågor tas med till eftermiddagens samverkansråd.",
    )
    demo.beredning = _body(
        "Beredningsgrupp Länsstyrelsen–Regionen",
        short_name="Beredningsgruppen",
        kind=Body.Kind.PREPARATORY_GROUP,
        organisation=demo.region,
        procedure=Body.Procedure.ADVISORY,
        purpose="Bereder underlag inom de prioriterade områdena inför mötena på högsta nivå.",
    )
    demo.topp = _body(
        "Möte på högsta nivå Länsstyrelsen–Regionen",
        short_name="Toppmötet",
        kind=Body.Kind.MEETING_FORUM,
        organisation=demo.region,
        procedure=Body.Procedure.ADVISORY,
        meetings_per_year=2,
        meeting_rhythm="I februari och december.",
        purpose="Landshövdingen, regionråd och regiondirektör följer samverkansöverenskommelsen.",
    )
    demo.networks = [
        _body(
            f"Politiskt nätverk för {topic}",
            short_name=f"Nätverk {topic}",
            kind=Body.Kind.NETWORK,
            organisation=demo.region,
            procedure=Body.Procedure.ADVISORY,
            purpose=f"Politiskt nätverk mellan regionen och kommunerna för {topic}.",
        )
        for topic in ("kultur", "folkhälsa", "skola", "social välfärd och vård")
    ]


def _load_seats(demo: SimpleNamespace) -> None:
    """Seats."""
    _seats(
        demo.rad,
        demo.region,
        3,
        note="Ordförande i RUN (ordförande i rådet), ordförande i RS och "
        "andre vice ordförande i RUN.",
    )
    for org in demo.kommuner.values():
        _seats(demo.rad, org, 1, 1, note="Kommunstyrelsens ordförande.")
        _seats(demo.pk_rad, org, 1)
        _seats(demo.gn, org, 1, 1)
        for network in demo.networks:
            _seats(network, org, 1)
    _seats(demo.gn, demo.region, 1, 1)
    for network in demo.networks:
        _seats(network, demo.region, 1)
    _seats(demo.beredning, demo.region, 3)
    _seats(demo.beredning, demo.lansstyrelsen, 3)
    _seats(demo.topp, demo.region, 2, note="Regionråd och regiondirektör.")
    _seats(demo.topp, demo.lansstyrelsen, 1, note="Landshövdingen.")


def _load_people_and_memberships(demo: SimpleNamespace) -> None:
    """People and memberships."""
    start = datetime.date(2015, 1, 1)  # illustrative: the seeds name no terms of office
    end = datetime.date(2026, 12, 31)
    demo.chair_run = _person(
        "Ordförande",
        "RUN",
        title="Ordförande, regionala utvecklingsnämnden",
        organisation=demo.region,
    )
    demo.chair_rs = _person(
        "Ordförande", "RS", title="Ordförande, regionstyrelsen", organisation=demo.region
    )
    vice_run = _person(
        "Andre vice ordförande",
        "RUN",
        title="Andre vice ordförande, regionala utvecklingsnämnden",
        organisation=demo.region,
    )
    _member(
        demo.chair_run,
        demo.rad,
        Membership.Role.CHAIR,
        represents=demo.region,
        appointed_by=demo.region,
        start=start,
        end=end,
    )
    _member(
        demo.chair_run,
        demo.run,
        Membership.Role.CHAIR,
        represents=demo.region,
        appointed_by=demo.region,
        start=start,
        end=end,
    )
    _member(
        demo.chair_rs,
        demo.rad,
        Membership.Role.MEMBER,
        represents=demo.region,
        appointed_by=demo.region,
        start=start,
        end=end,
    )
    _member(
        demo.chair_rs,
        demo.rs,
        Membership.Role.CHAIR,
        represents=demo.region,
        appointed_by=demo.region,
        start=start,
        end=end,
    )
    _member(
        vice_run,
        demo.rad,
        Membership.Role.MEMBER,
        represents=demo.region,
        appointed_by=demo.region,
        start=start,
        end=end,
    )
    _member(
        vice_run,
        demo.run,
        Membership.Role.SECOND_VICE_CHAIR,
        represents=demo.region,
        appointed_by=demo.region,
        start=start,
        end=end,
    )
    for name, short in KOMMUNER:
        org = demo.kommuner[short]
        kso = _person(
            "Ledamot", name, title=f"Kommunstyrelsens ordförande, {name}", organisation=org
        )
        role = Membership.Role.VICE_CHAIR if short == "Östersund" else Membership.Role.MEMBER
        seat = _member(kso, demo.rad, role, represents=org, appointed_by=org, start=start, end=end)
        _member(
            _person("Ersättare", name, title=f"Kommunalråd, {name}", organisation=org),
            demo.rad,
            Membership.Role.SUBSTITUTE,
            represents=org,
            appointed_by=org,
            substitute_for=seat,
            start=start,
            end=end,
        )
        _member(
            kso,
            demo.pk_rad,
            Membership.Role.MEMBER,
            represents=org,
            appointed_by=org,
            start=start,
            end=end,
        )
        _member(
            kso,
            demo.gn,
            Membership.Role.MEMBER,
            represents=org,
            appointed_by=org,
            start=start,
            end=end,
        )
        for network in demo.networks:
            _member(
                kso,
                network,
                Membership.Role.MEMBER,
                represents=org,
                appointed_by=org,
                start=start,
                end=end,
            )

    demo.officials = {
        "bystrom": _person(
            "Anders",
            "Byström",
            title="Förvaltningschef regional utveckling",
            organisation=demo.region,
            unit="Regional utveckling",
            email="anders.bystrom@example.org",
        ),
        "nirjens": _person(
            "Elin",
            "Nirjens",
            title="Handläggare",
            organisation=demo.region,
            unit="Välfärd och klimat",
            phone="063-000 00 01",
        ),
        "gregorsson": _person(
            "Marina",
            "Gregorsson",
            title="Handläggare",
            organisation=demo.region,
            unit="Välfärd, klimat och kompetens",
            phone="063-000 00 02",
        ),
        "ahren": _person(
            "Christian",
            "Åhrén",
            title="Handläggare",
            organisation=demo.region,
            unit="Sekretariatet",
            phone="063-000 00 03",
        ),
        "svensson": _person("Hans", "Svensson", title="Regiondirektör", organisation=demo.region),
        "halvarsson": _person(
            "Anna",
            "Halvarsson",
            title="Områdeschef Hållbar tillväxt",
            organisation=demo.region,
            unit="Hållbar tillväxt",
        ),
        "ferm": _person("Mikael", "Ferm", title="Regionstabschef", organisation=demo.region),
    }
    _member(
        demo.officials["ahren"],
        demo.rad,
        Membership.Role.SECRETARY,
        represents=demo.region,
        start=start,
        end=end,
    )
    _member(
        demo.officials["bystrom"],
        demo.beredning,
        Membership.Role.MEMBER,
        represents=demo.region,
        appointed_by=demo.region,
        start=start,
        end=end,
    )
    demo.kommun_official = _person(
        "Tjänsteperson",
        "Krokoms kommun",
        title="Utvecklingsstrateg",
        organisation=demo.kommuner["Krokom"],
    )
    # Krokom's official assessment of the agreements is set by this official only.
    OrganisationRole.objects.get_or_create(
        person=demo.kommun_official,
        organisation=demo.kommuner["Krokom"],
        kind=OrganisationRole.Kind.ASSESSOR,
    )
    # ... and Krokom's arvoden are paid from the report this official reads.
    OrganisationRole.objects.get_or_create(
        person=demo.kommun_official,
        organisation=demo.kommuner["Krokom"],
        kind=OrganisationRole.Kind.PAYROLL,
    )
