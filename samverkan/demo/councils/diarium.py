"""The demo's diaria, ärenden and handlingar, from the seeds."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

from councils.models import (
    Case,
    Diarium,
    Document,
)
from samverkan.demo.councils.records import _case, _document


def _load_diaria_cases_documents(demo: SimpleNamespace) -> None:
    """Diaria, cases, documents."""
    diaria = {
        "RS": Diarium.objects.get_or_create(
            prefix="RS", defaults={"name": "Regionstyrelsen", "body": demo.rs}
        )[0],
        "RUN": Diarium.objects.get_or_create(
            prefix="RUN", defaults={"name": "Regionala utvecklingsnämnden", "body": demo.run}
        )[0],
        "HSN": Diarium.objects.get_or_create(
            prefix="HSN", defaults={"name": "Hälso- och sjukvårdsnämnden", "body": demo.hsn}
        )[0],
        "LS": Diarium.objects.get_or_create(
            prefix="LS",
            defaults={
                "name": "Jämtlands läns landsting (till 2014)",
                "body": demo.landsting_body,
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
        body=demo.run,
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
        body=demo.run,
        title="Överenskommelse om samverkan mellan Region Jämtland Härjedalen och "
        "länets kommuner om regional samverkan 2019–2021",
        registered_on=datetime.date(2018, 2, 12),
        status=Case.Status.DECIDED,
        unit="Regional utveckling",
        handler=demo.officials["bystrom"],
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
        body=demo.rs,
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
    demo.rs2797 = _case(
        actor,
        diaria["RS"],
        2797,
        2017,
        body=demo.rad,
        title="Regionstyrelsens uppföljning av samverkan med kommunerna: Samverkansrådet",
        registered_on=datetime.date(2017, 12, 4),
        status=Case.Status.IN_PREPARATION,
        unit="Regional utveckling",
        handler=demo.officials["bystrom"],
        description="I regionstyrelsens verksamhetsplan ingår att följa upp de "
        "verksamheter som ingår i styrelsens ansvarsområden, bland "
        "annat regionens samverkan med länets kommuner.",
    )
    _document(
        demo.rs2797,
        actor,
        seed="rs-2797-2017-rapport-samverkansradet.txt",
        kind=Doc.Kind.REPORT,
        direction=Doc.Direction.DRAWN_UP,
        subject="Rapport Uppföljning av samverkan med kommunerna: Samverkansrådet",
        document_date=datetime.date(2018, 4, 10),
    )
    _document(
        demo.rs2797,
        actor,
        kind=Doc.Kind.MINUTES_EXTRACT,
        direction=Doc.Direction.INCOMING,
        subject="§187 Regionstyrelsen Regionstyrelsens uppföljning av samverkan med "
        "kommunerna: Samverkansrådet",
        document_date=datetime.date(2018, 5, 15),
        counterpart="Regionstyrelsen",
    )
    _document(
        demo.rs2797,
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
        body=demo.run,
        title="Uppföljning samverkan med kommunerna: Samverkansavtalet",
        registered_on=datetime.date(2019, 5, 1),
        status=Case.Status.DECIDED,
        unit="Välfärd, klimat och kompetens",
        handler=demo.officials["gregorsson"],
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
    demo.run29 = _case(
        actor,
        diaria["RUN"],
        29,
        2021,
        body=demo.run,
        title="Uppföljning av samverkan med kommunerna: Samverkansavtalet",
        registered_on=datetime.date(2021, 2, 1),
        status=Case.Status.DECIDED,
        unit="Välfärd och klimat",
        handler=demo.officials["nirjens"],
        description="Regionala utvecklingsnämnden fastställde den 17 november 2020, "
        "§ 161, en verksamhetsplan och uppföljningsplan för 2021. Enligt "
        "planen ska nämnden vid sitt sammanträde i juni följa upp "
        "samverkan inom ramen för samverkansavtalet.",
    )
    _document(
        demo.run29,
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
        body=demo.rs,
        title="Överenskommelse om samverkan mellan Länsstyrelsen Jämtlands län och "
        "Region Jämtland Härjedalen",
        registered_on=datetime.date(2021, 9, 6),
        status=Case.Status.IN_PREPARATION,
        unit="Sekretariatet",
        handler=demo.officials["ahren"],
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
