"""The demo's agreements, from the seeds: the two kommunal agreements LS/1345/2014 →
RUN/34/2018 with their areas, and the regional agreement RS/668/2021 with Länsstyrelsen
(its purposes, its first and added priorities, its perspectives). Run by
``samverkan.demo`` after the councils' part; the follow-up (``samverkan.demo.followups``)
builds on the agreements it returns. Idempotent."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from agreements import services as agreement_services
from agreements.models import Agreement, Area, Extension, Perspective, Purpose
from base.actors import Actor
from councils.models import Body, Case, Organisation
from samverkan.demo.councils.history import TOPICS as HISTORY_TOPICS

RUN34_AREAS = [
    "EU och övergripande regional utveckling",
    "Social välfärd och folkhälsa",
    "Samhällsbyggnad och klimat",
    "Arbetsmarknad och utbildning",
    "Kurs och konferens",
]
RS668_PURPOSES = [
    "Etablera en kontinuerlig mötesstruktur på ledningsnivå såväl som på tjänstepersonsnivå",
    "Skapa en gemensam kunskapsbas kring länets utvecklingsbehov med utgångspunkt i "
    "länets regionala utvecklingsstrategi och andra strategiska styrdokument",
    "Öka kunskapen om och förståelsen för varandras uppdrag och verksamheter",
    "Synliggöra egna initiativ och bjuda in varandra till samarbete där så är motiverat",
    "Säkerställa att de regionala uppdragen från staten till Länsstyrelsen och Regionen "
    "hanteras transparent och gemensamt där det behövs",
    "Synliggöra vilka processer och samarbeten som bedrivs med länets kommuner som "
    "deltagare/partner",
]
RS668_FIRST_AREAS = [
    "Landsbygdsutveckling/Regional utveckling (färdplan RUS)",
    "Livsmedelsstrategin och handlingsplan",
    "Skogsprogram och handlingsplan",
    "Klimat-, miljö- och energifrågor",
]
RS668_ADDED_AREAS = [
    ("Återstart Covid-19", ""),
    (
        "Folkhälsa",
        "Särskilt ANDTS och Mäns våld mot kvinnor/Våld i nära relationer. Tillagt efter "
        "avstämning med presidierna för HSN och RUN (v. 6).",
    ),
]
RS668_PERSPECTIVES = ["Digitalisering/bredband", "Ekonomiska stöd", "Samiska frågor"]


def _at(year: int, month: int, day: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, 10, 0))  # noqa: DTZ001


def _agreement(actor: Actor, case: Case, parties: list[Organisation], **fields: Any) -> Agreement:
    existing = Agreement.objects.filter(case=case).first()
    if existing is not None:
        return existing
    return agreement_services.agreement_save(actor=actor, case=case, parties=parties, **fields)


def _case(diarienummer: str) -> Case:
    prefix, number, year = diarienummer.split("/")
    return Case.objects.get(diarium__prefix=prefix, number=int(number), year=int(year))


def load_agreements_demo(actor: Actor | None) -> dict[str, Agreement]:
    """The demo's agreements by diarienummer."""
    orgs = {o.label: o for o in Organisation.objects.all()}
    region, lansstyrelsen = orgs["Regionen"], orgs["Länsstyrelsen"]
    kommuner = [o for o in orgs.values() if o.kind == Organisation.Kind.KOMMUN]
    bodies = {b.short_name: b for b in Body.objects.all()}
    run, rs, rf = bodies["RUN"], bodies["RS"], bodies["RF"]
    ls1345 = _agreement(
        actor,
        _case("LS/1345/2014"),
        [region, *kommuner],
        kind=Agreement.Kind.KOMMUNAL,
        title="Samverkansavtal mellan Region Jämtland Härjedalen och länets kommuner",
        short_name="Samverkansavtalet 2015–2018",
        valid_from=datetime.date(2015, 1, 1),
        valid_until=datetime.date(2018, 12, 31),
        adopted_by=bodies.get("LF"),
        adopted_on=datetime.date(2014, 12, 1),  # illustrative day
        responsible_body=run,
    )
    run34 = _agreement(
        actor,
        _case("RUN/34/2018"),
        [region, *kommuner],
        kind=Agreement.Kind.KOMMUNAL,
        title="Överenskommelse om samverkan mellan Region Jämtland Härjedalen och länets "
        "kommuner om regional samverkan 2019–2021",
        short_name="Samverkansavtalet 2019–2021",
        summary="Region Jämtland Härjedalen ska samverka och ge stöd till länets kommuner i "
        "regional utveckling, och årligen redovisa i en verksamhetsberättelse hur "
        "överenskommelsen fullföljts, så att kommunerna kan se och bedöma i vilken "
        "utsträckning den uppfylls.",
        valid_from=datetime.date(2019, 1, 1),
        valid_until=datetime.date(2021, 12, 31),
        adopted_by=rf,
        adopted_on=datetime.date(2018, 6, 20),  # "juni 2018"; the day is illustrative
        adopted_paragraph="§ 92",
        responsible_body=run,
        replaces=ls1345,
    )
    if not run34.areas.exists():
        for position, name in enumerate(RUN34_AREAS, start=1):
            agreement_services.record_save(
                actor=actor, instance=Area(agreement=run34, position=position, name=name)
            )
    if not run34.extensions.exists():
        agreement_services.record_save(
            actor=actor,
            instance=Extension(agreement=run34),
            extended_until=datetime.date(2022, 12, 31),
            decided_on=datetime.date(2020, 12, 15),  # "december 2020"; the day is illustrative
            decision="Överenskommelsen förlängs till och med december 2022. En genomlysning "
            "av överenskommelsen görs under första halvåret 2021.",
        )
    areas = list(run34.areas.all())
    follow_up_case = _case("RUN/60/2019")
    for area in areas:
        area.cases.add(follow_up_case, _case("RUN/34/2018"))
        # The history's ärenden (samverkan.demo.councils.history), by the area each belongs to.
        titles = [f"{t.title} (illustrativt)" for t in HISTORY_TOPICS if t.area == area.name]
        area.cases.add(*Case.objects.filter(title__in=titles))

    rs482 = _agreement(
        actor,
        _case("RS/482/2018"),
        [region, lansstyrelsen],
        kind=Agreement.Kind.LANSSTYRELSE,
        title="Samverkansavtal mellan Länsstyrelsen Jämtlands län och Region Jämtland Härjedalen",
        short_name="Handslaget 2018",
        valid_from=datetime.date(2018, 2, 20),
        valid_until=datetime.date(2022, 3, 31),  # illustrative: until its successor
        adopted_by=rs,
        adopted_on=datetime.date(2018, 2, 20),  # "februari 2018"; the day is illustrative
        responsible_body=rs,
    )
    rs668 = Agreement.objects.filter(case=_case("RS/668/2021")).first()
    if rs668 is None:
        drafted: dict[str, Any] = {"_history_date": _at(2022, 1, 24)}
        rs668 = agreement_services.agreement_save(
            actor=actor,
            case=_case("RS/668/2021"),
            parties=[region, lansstyrelsen],
            kind=Agreement.Kind.LANSSTYRELSE,
            title="Överenskommelse om samverkan mellan Länsstyrelsen Jämtlands län och "
            "Region Jämtland Härjedalen",
            short_name="Handslaget 2022–2024",
            summary='Ett "handslag" på övergripande nivå, med en årsplan för samverkan med '
            "bland annat två möten på högsta nivå i februari och december.",
            valid_from=datetime.date(2022, 4, 1),
            valid_until=datetime.date(2024, 12, 31),
            responsible_body=rs,
            replaces=rs482,
            **drafted,
        )
        for position, text in enumerate(RS668_PURPOSES, start=1):
            agreement_services.record_save(
                actor=actor,
                instance=Purpose(agreement=rs668, position=position, text=text),
                **drafted,
            )
        for position, name in enumerate(RS668_FIRST_AREAS, start=1):
            agreement_services.record_save(
                actor=actor,
                instance=Area(
                    agreement=rs668,
                    kind=Area.Kind.PRIORITY,
                    position=position,
                    name=name,
                    goals_from=2022,
                    goals_until=2024,
                ),
                **drafted,
            )
        for position, name in enumerate(RS668_PERSPECTIVES, start=1):
            agreement_services.record_save(
                actor=actor,
                instance=Perspective(agreement=rs668, position=position, name=name),
                **drafted,
            )
        for position, (name, goals) in enumerate(RS668_ADDED_AREAS, start=5):
            agreement_services.record_save(
                actor=actor,
                instance=Area(
                    agreement=rs668,
                    kind=Area.Kind.PRIORITY,
                    position=position,
                    name=name,
                    goals=goals,
                    goals_from=2022,
                    goals_until=2024,
                ),
                _history_date=_at(2022, 2, 11),
            )
        agreement_services.annual_plan_create_standard(
            actor=actor, agreement=rs668, year=2022, owner=region
        )
    return {"LS/1345/2014": ls1345, "RUN/34/2018": run34, "RS/668/2021": rs668}
