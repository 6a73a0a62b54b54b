"""Meetings: the yearly plan, the agenda and who sees which items."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from base import pagecache
from councils import services
from councils.models import AgendaItem, Meeting
from tests.conftest import client_for
from tests.factories import BodyFactory, make_case, make_document

pytestmark = pytest.mark.django_db


def _meeting(world: dict[str, Any], **fields: Any) -> Meeting:
    start = timezone.now() + datetime.timedelta(days=10)
    (meeting,) = services.meeting_plan(actor=None, body=world["body_a"], starts=[start])
    if fields:
        meeting = services.meeting_update(actor=None, meeting=meeting, **fields)
    return meeting


def _titles(meeting: Meeting) -> list[str]:
    return [
        item.title or item.case.diarienummer
        for item in meeting.agenda_items.select_related("case").order_by("position")
    ]


def test_secretariat_plans_a_year_of_meetings(world: dict[str, Any]) -> None:
    lines = "\n".join(f"2027-{month:02d}-16 13:00" for month in (2, 3, 4, 5, 6, 9, 10, 11))
    response = client_for(world["secretariat"]).post(
        f"/arenor/{world['body_a'].slug}/sammantraden/planera/",
        {"starts": lines, "duration": "180", "place": "Regionens hus", "remote_link": ""},
        follow=True,
    )
    assert "8 sammanträden planerades:" in response.content.decode()  # each one linked
    meetings = list(Meeting.objects.filter(body=world["body_a"]))
    assert len(meetings) == 8
    first = timezone.localtime(meetings[0].starts_at)
    assert (first.month, first.hour) == (2, 13)
    assert meetings[0].ends_at - meetings[0].starts_at == datetime.timedelta(hours=3)


def test_bad_plan_lines_are_named_and_nothing_is_saved(world: dict[str, Any]) -> None:
    response = client_for(world["secretariat"]).post(
        f"/arenor/{world['body_a'].slug}/sammantraden/planera/",
        {"starts": "2027-02-16 13:00\n16 februari", "duration": "180"},
    )
    assert response.status_code == 200
    assert "inte datum med klockslag" in response.content.decode()
    assert "16 februari" in response.content.decode()
    assert not Meeting.objects.exists()


def test_agenda_standard_items_wrap_the_cases(world: dict[str, Any]) -> None:
    meeting = _meeting(world)
    client = client_for(world["secretariat"])
    response = client.post(
        f"/sammantraden/{meeting.pk}/dagordning/arende/",
        {"case": world["case"].pk, "public": "on", "proposal": "Rådet noterar informationen."},
    )
    assert response.status_code == 302
    client.post(f"/sammantraden/{meeting.pk}/dagordning/standardpunkter/")
    client.post(f"/sammantraden/{meeting.pk}/dagordning/standardpunkter/")  # only once
    assert _titles(meeting) == [
        "Mötet öppnas",
        "Val av justerare samt tid och plats för justering",
        "Fastställande av dagordning",
        "Föregående protokoll",
        world["case"].diarienummer,
        "Övriga frågor",
        "Mötet avslutas",
    ]
    item = AgendaItem.objects.get(case=world["case"])
    assert set(item.documents.all()) == {world["public_doc"], world["secret_doc"]}


def test_a_new_case_goes_before_the_closing_items(world: dict[str, Any]) -> None:
    meeting = _meeting(world)
    services.agenda_add_standard_items(actor=None, meeting=meeting)
    services.agenda_add_case(actor=None, meeting=meeting, case=world["case"])
    other = make_case(body=world["body_a"], title="Länstransportplan")
    services.agenda_add_case(actor=None, meeting=meeting, case=other)
    assert _titles(meeting)[4:] == [
        world["case"].diarienummer,
        other.diarienummer,
        "Övriga frågor",
        "Mötet avslutas",
    ]
    assert [i.position for i in meeting.agenda_items.order_by("position")] == list(range(1, 9))


def test_move_and_remove_keep_positions_gapless(world: dict[str, Any]) -> None:
    meeting = _meeting(world)
    first = services.agenda_add_case(actor=None, meeting=meeting, case=world["case"])
    second = services.agenda_add_case(
        actor=None, meeting=meeting, case=make_case(body=world["body_a"], title="Folkhälsa")
    )
    client = client_for(world["secretariat"])
    response = client.post(f"/dagordningspunkter/{second.pk}/upp/", headers={"HX-Request": "true"})
    assert response.content.decode().lstrip().startswith('<section id="agenda"')
    assert _titles(meeting) == [second.case.diarienummer, first.case.diarienummer]
    client.post(f"/dagordningspunkter/{second.pk}/ta-bort/")
    assert [(i.pk, i.position) for i in meeting.agenda_items.all()] == [(first.pk, 1)]
    assert second.history.first().history_type == "-"


def test_public_sees_public_items_once_called(world: dict[str, Any]) -> None:
    meeting = _meeting(world)
    services.agenda_add_case(actor=None, meeting=meeting, case=world["case"], public=True)
    closed_case = make_case(body=world["body_a"], title="Personalärende", public_title="Ärende")
    services.agenda_add_case(actor=None, meeting=meeting, case=closed_case, public=False)
    public = client_for(None)
    page = public.get(f"/sammantraden/{meeting.pk}/").content.decode()
    assert "publiceras när kallelsen" in page
    assert world["case"].diarienummer not in page
    services.meeting_update(actor=None, meeting=meeting, status=Meeting.Status.CALLED)
    page = public.get(f"/sammantraden/{meeting.pk}/").content.decode()
    assert world["case"].diarienummer in page
    assert "Samverkansfråga" in page  # the public title
    assert closed_case.diarienummer not in page
    assert "Hemlig bilaga" not in page
    member_page = client_for(world["member_a"]).get(f"/sammantraden/{meeting.pk}/").content.decode()
    assert closed_case.diarienummer in member_page
    assert "Personalärende" in member_page
    assert "Hemlig bilaga med personuppgifter" in member_page


def test_confidential_basis_from_another_arena_reaches_only_this_arenas_members(
    world: dict[str, Any],
) -> None:
    """A confidential document of arena B's case, put before arena A, is readable by
    A's members; B's own members still read it; outsiders never."""
    case_b = make_case(body=world["body_b"], title="Styrelsens ärende")
    secret_b = make_document(case=case_b, subject="Styrelsens hemliga underlag", confidential=True)
    meeting = _meeting(world)
    services.agenda_add_case(actor=None, meeting=meeting, case=case_b, public=False)
    url = f"/handlingar/{secret_b.pk}/"
    assert client_for(world["member_a"]).get(url).status_code == 200
    assert client_for(world["member_b"]).get(url).status_code == 200
    assert client_for(world["observer_a"]).get(url).status_code == 404
    assert client_for(world["outsider"]).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 404


def test_agenda_editing_is_for_secretariat_only(world: dict[str, Any]) -> None:
    meeting = _meeting(world)
    item = services.agenda_add_case(actor=None, meeting=meeting, case=world["case"])
    for url in [
        f"/sammantraden/{meeting.pk}/dagordning/standardpunkter/",
        f"/dagordningspunkter/{item.pk}/upp/",
        f"/dagordningspunkter/{item.pk}/ta-bort/",
    ]:
        assert client_for(None).post(url).status_code == 302  # to the login page
        assert client_for(world["member_a"]).post(url).status_code == 403
    assert meeting.agenda_items.count() == 1


def test_my_meetings_lists_the_coming_meetings_of_my_arenas(world: dict[str, Any]) -> None:
    mine = _meeting(world)
    (other,) = services.meeting_plan(
        actor=None, body=BodyFactory(), starts=[timezone.now() + datetime.timedelta(days=3)]
    )
    page = client_for(world["member_a"]).get("/mina-sammantraden/").content.decode()
    assert f"/sammantraden/{mine.pk}/" in page
    assert f"/sammantraden/{other.pk}/" not in page
    assert client_for(None).get("/mina-sammantraden/").status_code == 302


def test_meeting_page_queries_do_not_grow_with_the_agenda(
    world: dict[str, Any], settings: Any
) -> None:
    """Rendered for the member (the class cache off): at most 10 queries, whatever the
    agenda. Kept for the member's permission class: rendering it costs three more (who
    they are, their facts for the meeting, their private notes for the slots), serving
    it three (the session, the user, the notes: the rest is kept for the generation),
    whatever the agenda."""
    meeting = _meeting(world, status=Meeting.Status.CALLED)
    client = client_for(world["member_a"])

    def count(expected_cache: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"/sammantraden/{meeting.pk}/")
            assert response.status_code == 200
        assert response.headers.get("X-Cache", "") == expected_cache
        return len(captured)

    def counts() -> tuple[int, int, int]:
        settings.SAMVERKAN_CLASS_CACHE = False
        rendered = count("")
        settings.SAMVERKAN_CLASS_CACHE = True
        pagecache.bump()
        return rendered, count("class-miss"), count("class-hit")

    services.agenda_add_case(actor=None, meeting=meeting, case=world["case"])
    small = counts()
    for index in range(10):
        case = make_case(body=world["body_a"], title=f"Ärende {index}")
        make_document(case=case, subject=f"Underlag {index}")
        services.agenda_add_case(actor=None, meeting=meeting, case=case, public=index % 2 == 0)
    assert counts() == small
    rendered, missed, hit = small
    assert rendered <= 10
    assert (missed, hit) == (rendered + 3, 3)


def test_private_notes_are_seen_by_their_writer_only(world: dict[str, Any]) -> None:
    meeting = _meeting(world, status=Meeting.Status.CALLED)
    item = services.agenda_add_case(actor=None, meeting=meeting, case=world["case"])
    member = client_for(world["member_a"])
    response = member.post(
        f"/dagordningspunkter/{item.pk}/anteckning/",
        {"text": "Fråga om kostnaden för Berg"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert 'id="note-' in response.content.decode()
    assert (
        "Fråga om kostnaden för Berg" in member.get(f"/sammantraden/{meeting.pk}/").content.decode()
    )
    for other in ("substitute_a", "secretariat"):
        page = client_for(world[other]).get(f"/sammantraden/{meeting.pk}/").content.decode()
        assert "Fråga om kostnaden för Berg" not in page
    assert (
        "Min privata anteckning"
        not in client_for(None).get(f"/sammantraden/{meeting.pk}/").content.decode()
    )
    # Members of other arenas and the public cannot write on this agenda.
    assert (
        client_for(world["member_b"])
        .post(f"/dagordningspunkter/{item.pk}/anteckning/", {"text": "x"})
        .status_code
        == 404
    )
    assert (
        client_for(None)
        .post(f"/dagordningspunkter/{item.pk}/anteckning/", {"text": "x"})
        .status_code
        == 302
    )
    # Emptying the note deletes it.
    member.post(f"/dagordningspunkter/{item.pk}/anteckning/", {"text": "  "})
    assert not item.notes.exists()


def test_an_item_with_a_paragraph_is_not_removed(world: dict[str, Any]) -> None:
    meeting = _meeting(world)
    item = services.agenda_add_case(actor=None, meeting=meeting, case=world["case"])
    services.kallelse_send(actor=None, meeting=meeting)  # a protocol follows the kallelse
    services.paragraphs_create_for_agenda(actor=None, meeting=meeting)
    response = client_for(world["secretariat"]).post(
        f"/dagordningspunkter/{item.pk}/ta-bort/", follow=True
    )
    assert response.status_code == 200
    assert "har en § i protokollet" in response.content.decode()
    assert meeting.agenda_items.filter(pk=item.pk).exists()
