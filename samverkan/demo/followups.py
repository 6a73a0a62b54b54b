"""Demo data for agreements and follow-up, from the seeds ``001``–``004`` (copied to
``samverkan/demo/seeds/``): the two kommunal agreements LS/1345/2014 → RUN/34/2018 with
its five areas and its extension, the Länsstyrelsen agreements RS/482/2018 →
RS/668/2021 (a draft whose two added priority areas show in its change history), the
2019 follow-up RUN/60/2019 with its six held dialogues (Berg and Ragunda outstanding),
themes, analysis and priorities, the 2021 follow-up RUN/29/2021, RUN's uppföljningsplan
for 2021, uppdrag, and the verksamhetsberättelse 2019, compiled and fastställd.

What the seeds do not say is marked illustrative where it is made up: the days of
month of some decisions, which kommun named which priority, the assessments, and two
meetings of the samverkansråd (``samverkan.demo.councils.history``) that give the report
its figures.

Idempotent: a second run finds everything in place and changes nothing.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from agreements.models import Agreement
from base import records
from base.actors import Actor
from councils import services as council_services
from councils.models import Body, Case, Organisation
from followups import services
from followups.models import (
    Assessment,
    Assignment,
    Finding,
    FollowUp,
    PlanItem,
    Priority,
    Report,
    ReportVersion,
    StrategicQuestion,
    Theme,
)
from samverkan.demo.agreements import load_agreements_demo

QUESTIONS_2019 = [
    "Har Region Jämtland Härjedalen genomfört sitt uppdrag?",
    "Vilka prioriteringar anser ni vara de viktigaste för länet 2019 och framåt?",
]
#: The six kommuner with a held dialogue in the 2019 follow-up (days illustrative).
DIALOGUES_2019 = {
    "Bräcke": datetime.date(2019, 2, 12),
    "Härjedalen": datetime.date(2019, 2, 26),
    "Krokom": datetime.date(2019, 3, 5),
    "Strömsund": datetime.date(2019, 3, 19),
    "Åre": datetime.date(2019, 4, 2),
    "Östersund": datetime.date(2019, 4, 9),
}
ANSWER_2019 = (
    "Den kommunala samverkan enligt överenskommelsen fungerar bra och genomförs väl. "
    "Det finns saker som kan utvecklas i samverkansformerna, såväl för Region Jämtland "
    "Härjedalen som för den egna kommunen."
)
ANALYSIS_2019 = [
    (
        "Digitalt deltagande",
        "behöver göras möjligt vid alla samverkansarenor för kommunerna. Kompetenshöjande "
        "insatser för medarbetare inom Regional utveckling behöver göras för att skapa "
        "bra mötesformer för digitalt deltagande.",
    ),
    (
        "Prioriteringar",
        "bör inför varje verksamhetsår sättas gemensamt mellan kommunerna för det "
        "övergripande utvecklingsarbetet.",
    ),
    (
        "Framtagen information och statistik",
        "upplevs otillgänglig. Statistik och information från regional utveckling behöver "
        "tillgängliggöras och paketeras. En digital lösning behöver skapas.",
    ),
    (
        "Rollfördelningen",
        "i länet är viktig för att skapa en tydlig struktur. Vem som gör vad mellan "
        "Länsstyrelsen och Region Jämtland Härjedalen behöver tydliggöras i vissa frågor.",
    ),
    (
        "Agendor",
        "och dagordningar för de olika forumen behöver samordnas bättre, genom dialog, "
        "mandat till forumen och en tydlig ärendegång.",
    ),
    (
        "Introduktion",
        "av nya medarbetare i de regionala forumen behöver göras av Region Jämtland "
        "Härjedalen för att skapa goda förutsättningar för allas deltagande och insyn.",
    ),
    (
        "Dialog",
        "Kommunerna har behov av dialog i frågor som inte ligger inom ramen för denna "
        "överenskommelse. Detta lyfts vidare inom Region Jämtland Härjedalens regionledning.",
    ),
]
FINDINGS_2019 = {
    "Samverkansarenor": [
        "Flera upplever att det är många samverkansarenor och att det är svårt att få en "
        "överblick gällande syften, vilka ska delta och mandat. För mindre kommuner blir "
        "det samma person som representerar i flera arenor.",
        "Samordningsfunktionerna fungerar bra men regionen behöver stämma av så att rätt "
        "punkter kommer på dagordningen i de olika forumen.",
        "Digitala möten ska vara standard och möjliggöra att delta på distans, även i "
        "kompetensutveckling som anordnas av kurs och konferens.",
        "Den gemensamma nämnden ses som en möjlighet och behöver fortsätta utvecklas.",
        "Politiskt finns nätverk för kultur, folkhälsa, skola och sociala frågor. Bra om "
        "vi kan visa en bild på politiska arenor.",
    ],
    "Dialog": [
        "Ett liknande dialogforum efterfrågas i samverkan med regionens hälso- och sjukvård.",
        "Mer dialog efterfrågas gällande infrastruktur och trafikfrågor.",
        "Som kommunalråd saknas ett forum för gränsöverskridande processer och "
        "påverkansarbete, till exempel infrastruktursatsningar.",
        "Introducera nya förvaltningschefer och politiker i det regionala arbetet.",
    ],
    "Övergripande processer": [
        "Arbetet med de stora ESF-projekten är en förutsättning för flera kommuner att "
        "fokusera på verkstad och behov i kommunen.",
        "RUS-processen verkar vara bra; strukturanalysarbetet är också viktigt.",
        "Regionen behöver ha ett tydligare driv i vissa frågor.",
        "Omvärldsbevakning och analyser behöver utvecklas; vi behöver samla och "
        "strategiskt titta på vad vi ska samverka kring.",
    ],
}
#: The priorities of the 2019 report; which kommun named which is illustrative.
PRIORITIES_2019 = [
    ("Kompetensförsörjning och kompetenshöjning", ["Bräcke", "Härjedalen", "Krokom", "Åre"]),
    ("Befolkningsutveckling, etablering och tillväxt", ["Bräcke", "Strömsund", "Östersund"]),
    ("Digitalisering och bredband", ["Härjedalen", "Krokom", "Strömsund"]),
    ("Infrastruktur", ["Åre", "Östersund", "Krokom"]),
    ("Lobbying och lagstiftning, underlag till politiska beslut", ["Östersund"]),
    ("Samhällsplanering som gemensam planering", ["Åre", "Härjedalen"]),
    ("Fjärrundervisning", ["Strömsund", "Bräcke"]),
]
#: Illustrative assessments 2019 (1–4) per kommun for the five areas, in order.
ASSESSMENTS_2019 = {
    "Bräcke": [3, 3, 3, 3, 4],
    "Härjedalen": [3, 3, 2, 3, 3],
    "Krokom": [3, 4, 3, 3, 3],
    "Strömsund": [4, 3, 3, 2, 3],
    "Åre": [3, 3, 3, 3, 4],
    "Östersund": [3, 3, 3, 4, 3],
}

#: Illustrative assessments 2020, all eight kommuner (the 2021 dialogues were all held).
ASSESSMENTS_2020 = {
    "Berg": [3, 3, 2, 3, 3],
    "Bräcke": [3, 4, 3, 3, 3],
    "Härjedalen": [3, 3, 3, 3, 2],
    "Krokom": [4, 3, 3, 4, 3],
    "Ragunda": [2, 3, 3, 3, 3],
    "Strömsund": [3, 3, 4, 3, 3],
    "Åre": [3, 3, 3, 3, 4],
    "Östersund": [4, 3, 3, 4, 3],
}
#: The 2021 dialogues (spring 2021, the genomlysning; days illustrative).
DIALOGUES_2021 = {
    "Berg": datetime.date(2021, 2, 9),
    "Bräcke": datetime.date(2021, 2, 16),
    "Härjedalen": datetime.date(2021, 2, 23),
    "Krokom": datetime.date(2021, 3, 2),
    "Ragunda": datetime.date(2021, 3, 9),
    "Strömsund": datetime.date(2021, 3, 16),
    "Åre": datetime.date(2021, 3, 23),
    "Östersund": datetime.date(2021, 3, 30),
}
ANSWER_2021 = (
    "Samverkan har ställts om till digitala möten, vilket har gjort det lättare att delta "
    "för kommunerna långt från Östersund. Genomlysningen bör ta vara på det."
)
REPORT_2019 = [
    (
        "Inledning",
        "Sedan 1 januari 2015 regleras regionens samverkan med kommunerna i ett "
        "samverkansavtal. Förvaltningsområde regional utveckling ansvarar för att "
        "verkställa överenskommelsen, som täcker områdena *EU och övergripande "
        "regional utveckling*, *Social välfärd och folkhälsa*, *Samhällsbyggnad och "
        "klimat*, *Arbetsmarknad och utbildning* samt *Kurs och konferens*.",
    ),
    (
        "Måluppfyllelse",
        "Redovisningen bygger på de frågeställningar som diskuterats i dialogerna "
        "med respektive kommun. Sex dialoger är genomförda; dialog med Berg och "
        "Ragunda återstår.\n\n- Alla sex kommuner anser att samverkan fungerar "
        "bra.\n- Samverkansformerna kan utvecklas för både regionen och kommunerna.",
    ),
]
#: Illustrative: the seeds say only that the report for 2020 was upprättad and fastställd.
REPORT_2020 = [
    (
        "Inledning",
        "Verksamhetsåret 2020 präglades av pandemin. Från april hölls samverkansrådets och "
        "det primärkommunala rådets sammanträden på distans. Överenskommelsen förlängdes i "
        "december till och med 2022, och en genomlysning görs under första halvåret 2021.",
    ),
    (
        "Måluppfyllelse",
        "Samverkan inom de fem områdena har genomförts i stort sett enligt plan, med "
        "digitala möten i stället för fysiska.\n\n- Deltagandet i råden har ökat när "
        "mötena hållits på distans.\n- Kurs och konferens har ställt om till digitala "
        "utbildningar.",
    ),
]


def _adopted_report(
    actor: Actor, agreement: Agreement, year: int, sections: list[tuple[str, str]], decision: str
) -> None:
    """The year's verksamhetsberättelse, compiled, rendered and fastställd by RUN (the
    decisions' dates and § are illustrative)."""
    report = services.report_get_or_create(actor=actor, agreement=agreement, year=year)
    if report.versions.exists():
        return
    for heading, body in sections:
        services.section_save(actor=actor, report=report, heading=heading, body=body)
    version = services.report_compile(actor=actor, report=report)
    job = services.report_version_job(version)
    assert job is not None
    council_services.render_job_run(job_id=job.pk)
    services.report_adopt(
        actor=actor,
        version=version,
        adopted_in=f"Regionala utvecklingsnämnden {decision} (illustrativt)",
    )
    final = services.report_version_job(version)  # rendered after the decision
    assert final is not None
    council_services.render_job_run(job_id=final.pk)


def _case(diarienummer: str) -> Case:
    prefix, number, year = diarienummer.split("/")
    return Case.objects.get(diarium__prefix=prefix, number=int(number), year=int(year))


def load_followup_demo() -> dict[str, int]:
    user_model = get_user_model()
    actor = user_model.objects.filter(username="sekretariat").first()
    orgs = {o.label: o for o in Organisation.objects.all()}
    bodies = {b.short_name: b for b in Body.objects.all()}
    run, rs, council = bodies["RUN"], bodies["RS"], bodies["Samverkansrådet"]
    run34 = load_agreements_demo(actor)["RUN/34/2018"]
    areas = list(run34.areas.all())
    follow_up_case = _case("RUN/60/2019")

    # --- Follow-up plan, annual focus, uppdrag -----------------------------------------------
    if not PlanItem.objects.filter(body=run, year=2021).exists():
        services.record_save(
            actor=actor,
            instance=PlanItem(body=run, year=2021),
            month=6,
            subject="Uppföljning av samverkan med kommunerna inom ramen för samverkansavtalet",
            agreement=run34,
            decided_in="RUN 2020-11-17 § 161",
        )
    year = timezone.localdate().year
    if not StrategicQuestion.objects.filter(body=council, year=year).exists():
        for position, (title, case) in enumerate(
            (
                ("Samverkansrådets roll i förhållande till övriga arenor", "RS/2797/2017"),
                ("Digitalt deltagande i alla samverkansarenor", None),
                ("Kompetensförsörjning och kompetenshöjning", "RUN/60/2019"),
            ),
            start=1,
        ):
            services.strategic_question_save(
                actor=actor,
                body=council,
                year=year,
                position=position,
                title=title,
                cases=[_case(case)] if case else [],
            )
    if not Assignment.objects.exists():
        services.assignment_create(
            actor=actor,
            given_by=rs,
            given_in="RS 2018-05-15 § 187",
            given_on=datetime.date(2018, 5, 15),
            case=_case("RS/2797/2017"),
            title="Se över regionens samverkansråd: uppdrag, sammansättning och roll i "
            "förhållande till övriga samverkansformer",
            owner="Regiondirektören",
            due_on=datetime.date(2019, 6, 30),  # illustrative
            status=Assignment.Status.IN_PROGRESS,
        )
        services.assignment_create(
            actor=actor,
            given_by=run,
            given_in="Beslut december 2020",
            given_on=datetime.date(2020, 12, 15),
            case=_case("RUN/34/2018"),
            agreement=run34,
            title="Genomlysning av samverkansavtalet under första halvåret 2021",
            owner="Område Hållbar tillväxt",
            due_on=datetime.date(2021, 6, 30),
            status=Assignment.Status.REPORTED,
            outcome="Redovisad i RUN/29/2021, juni 2021.",
        )

    # --- Follow-ups ---------------------------------------------------------------------------
    followup = FollowUp.objects.filter(case=follow_up_case).first()
    if followup is None:
        followup = services.followup_create(
            actor=actor,
            agreement=run34,
            year=2019,
            title="Uppföljning samverkan med kommunerna: Samverkansavtalet",
            body=run,
            case=follow_up_case,
            questions=QUESTIONS_2019,
            summary="Redovisningen är en sammanställning av de genomförda dialogerna i "
            "respektive kommun. Alla sex kommuner uppger att den kommunala samverkan enligt "
            "överenskommelsen fungerar bra och genomförs väl.",
        )
        first, second = followup.questions.all()
        for dialogue in followup.dialogues.select_related("organisation"):
            held = DIALOGUES_2019.get(dialogue.organisation.label)
            named = [label for label, who in PRIORITIES_2019 if dialogue.organisation.label in who]
            services.dialogue_record(
                actor=actor,
                dialogue=dialogue,
                planned_on=held or datetime.date(2019, 5, 21),
                held_on=held,
                participants="Kommunstyrelsens ordförande, kommundirektör; från regionen "
                "Regional utveckling"
                if held
                else "",
                answers={first: ANSWER_2019, second: "\n".join(named)} if held else {},
            )
        for position, (heading, text) in enumerate(ANALYSIS_2019, start=1):
            services.record_save(
                actor=actor,
                instance=Finding(followup=followup, kind=Finding.Kind.ANALYSIS),
                heading=heading,
                text=text,
                position=position,
            )
        for theme_name, texts in FINDINGS_2019.items():
            theme, _ = Theme.objects.get_or_create(name=theme_name)
            for position, text in enumerate(texts, start=1):
                services.record_save(
                    actor=actor,
                    instance=Finding(followup=followup, theme=theme),
                    text=text,
                    position=position,
                )
        for position, (label, who) in enumerate(PRIORITIES_2019, start=1):
            services.priority_save(
                actor=actor,
                instance=Priority(followup=followup),
                label=label,
                position=position,
                named_by=[orgs[name] for name in who],
            )
        for label, scores in ASSESSMENTS_2019.items():
            for area, score in zip(areas, scores, strict=True):
                records.save(
                    Assessment(area=area, organisation=orgs[label], year=2019, score=score),
                    actor=actor,
                )
    if not FollowUp.objects.filter(case=_case("RUN/29/2021")).exists():
        followup_2021 = services.followup_create(
            actor=actor,
            agreement=run34,
            year=2021,
            title="Uppföljning av samverkan med kommunerna: Samverkansavtalet",
            body=run,
            case=_case("RUN/29/2021"),
            questions=["Hur har samverkansavtalet fungerat under pandemin?"],
            summary="Fokus i uppföljningsrapporten har varit att beskriva den genomlysning "
            "som gjorts av samverkansavtalet under våren 2021, samt kort hur pandemin "
            "fortsatt har påverkat verksamheterna. Verksamhetsberättelsen för 2020 är "
            "upprättad och fastställd.",
        )
        (question,) = followup_2021.questions.all()
        for dialogue in followup_2021.dialogues.select_related("organisation"):
            held = DIALOGUES_2021.get(dialogue.organisation.label)
            if held is None:  # a kommun not of the seeds (make bench's corpus): not held
                continue
            services.dialogue_record(
                actor=actor,
                dialogue=dialogue,
                planned_on=held,
                held_on=held,
                participants="Kommundirektör och utvecklingsstrateg; från regionen Hållbar "
                "tillväxt (digitalt)",
                answers={question: ANSWER_2021},
            )
    for label, scores in ASSESSMENTS_2020.items():
        for area, score in zip(areas, scores, strict=True):
            if not Assessment.objects.filter(area=area, organisation=orgs[label], year=2020):
                records.save(
                    Assessment(area=area, organisation=orgs[label], year=2020, score=score),
                    actor=actor,
                )

    # --- Verksamhetsberättelser 2019 and 2020 -------------------------------------------------
    _adopted_report(actor, run34, 2019, REPORT_2019, "2020-06-10 § 98")
    _adopted_report(actor, run34, 2020, REPORT_2020, "2021-04-20 § 52")
    return {
        "agreements": Agreement.objects.count(),
        "follow-ups": FollowUp.objects.count(),
        "published reports": ReportVersion.objects.filter(
            status=ReportVersion.Status.ADOPTED
        ).count(),
        "reports": Report.objects.count(),
    }
