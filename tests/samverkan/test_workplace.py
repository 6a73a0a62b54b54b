"""The start page as a to-do list (issue 31): the secretariat lands on what is due, in
order; a member on the protocol waiting for their justering and their next meeting; a
kommun official on what waits for the kommun; everyone on the next meetings, the
latest justerade protocols with their decisions, and the anslag up now."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from councils import services
from councils.models import Paragraph
from tests.conftest import client_for
from tests.councils.test_accessible_pdfs import _justerat
from tests.councils.test_protocol_pages import _send, held  # noqa: F401 - the fixture
from tests.factories import make_agreement

pytestmark = pytest.mark.django_db


def _plan(body: Any, days: int, case: Any = None) -> Any:
    (meeting,) = services.meeting_plan(
        actor=None, body=body, starts=[timezone.now() + datetime.timedelta(days=days)]
    )
    if case is not None:
        services.agenda_add_case(actor=None, meeting=meeting, case=case, public=True)
    return meeting


def test_the_secretariat_lands_on_what_is_due(held: dict[str, Any]) -> None:  # noqa: F811
    coming = _plan(held["body_a"], 6, held["case"])
    held_meeting = held["meeting"]  # two days ago, no protocol yet
    page = client_for(held["secretariat"]).get("/").content.decode()
    due = page[page.index('id="due-heading"') :]
    send = (
        f"Skicka kallelsen: Regionens samverkansråd {timezone.localtime(coming.starts_at):%Y-%m-%d}"
    )
    begin = (
        f"Påbörja protokollet: Regionens samverkansråd "
        f"{timezone.localtime(held_meeting.starts_at):%Y-%m-%d}"
    )
    assert send in due
    assert begin in due
    assert f'href="/sammantraden/{coming.pk}/kallelse/"' in due
    # In the order they fall due: the protocol (due 14 days after the meeting) after the
    # kallelse (due before the meeting, by the notice period).
    assert due.index(send) < due.index(begin) or coming.notice_deadline > (
        timezone.localtime(held_meeting.starts_at).date() + datetime.timedelta(days=14)
    )
    # Sent for justering: the protocol leaves the list as "to write" and is outstanding.
    _send(held)
    due = client_for(held["secretariat"]).get("/").content.decode()
    assert "Justering väntar: Regionens samverkansråd" in due
    assert "2 av 2 justerare har inte justerat ännu" in due or "av 2" in due
    # The public and a member see no such list.
    for user in (None, held["member_a"]):
        assert 'id="due-heading"' not in client_for(user).get("/").content.decode()


def test_a_member_lands_on_their_justering_and_next_meeting(
    held: dict[str, Any],  # noqa: F811
) -> None:
    member = client_for(held["member_a"])
    _plan(held["body_a"], 4, held["case"])
    page = member.get("/").content.decode()
    assert "Ditt nästa sammanträde" in page
    assert "Väntar på din justering" not in page
    _send(held)  # member_a is a justerare
    page = member.get("/").content.decode()
    banner = page[page.index('id="justera-heading"') :]
    assert f'href="/sammantraden/{held["meeting"].pk}/protokoll/#justering"' in banner
    # Only the signatories are asked.
    assert "Väntar på din justering" not in client_for(held["member_b"]).get("/").content.decode()


def test_everyone_sees_coming_meetings_justerade_decisions_and_anslag(
    held: dict[str, Any],  # noqa: F811
) -> None:
    coming = _plan(held["body_a"], 8, held["case"])
    page = client_for(None).get("/").content.decode()
    assert "Kommande sammanträden" in page
    assert coming.get_absolute_url() in page
    assert "Inget protokoll är justerat ännu." in page
    _justerat(held)
    open_one = Paragraph.objects.get(meeting=held["meeting"], case=held["case"])
    closed_one = Paragraph.objects.get(meeting=held["meeting"], case=held["closed"])
    page = client_for(None).get("/").content.decode()
    latest = page[page.index('id="justerade-heading"') : page.index('id="notices-heading"')]
    assert f"§ {open_one.number} {open_one.title}" in latest
    assert closed_one.title not in page  # a closed § never reaches the public
    notices = page[page.index('id="notices-heading"') :]
    assert f'href="/sammantraden/{held["meeting"].pk}/protokoll/"' in notices
    member_page = client_for(held["member_a"]).get("/").content.decode()
    assert f"§ {closed_one.number} {closed_one.title}" in member_page  # the arena's member


def test_a_kommun_official_sees_what_waits_for_the_kommun(pact: dict[str, Any]) -> None:
    year = timezone.localdate().year
    current = make_agreement(
        parties=[pact["region"], *pact["kommuner"].values()],
        areas=["Folkhälsa", "Kompetensförsörjning"],
        title="Överenskommelse i kraft",
        valid_from=datetime.date(year - 1, 1, 1),
        valid_until=datetime.date(year + 2, 12, 31),
        responsible_body=pact["body_b"],
    )
    page = client_for(pact["krokom"]).get("/").content.decode()
    waits = page[page.index('id="kommun-heading"') :]
    assert f'href="/overenskommelser/{current.pk}/bedomning/{year}/"' in waits
    assert "2 av 2 områden är inte bedömda ännu" in waits
    assert 'id="kommun-heading"' not in client_for(pact["member_a"]).get("/").content.decode()


def test_the_public_start_page_costs_the_same_queries_with_more_records(
    held: dict[str, Any],  # noqa: F811
    django_assert_max_num_queries: Any,
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client_for(None).get("/?fresh=1").status_code == 200
        return len(captured)

    _justerat(held)
    few = count()
    for days in range(3, 9):
        _plan(held["body_a"], days, held["case"])
    assert count() == few


def test_the_small_things_a_first_day_noticed(world: dict[str, Any]) -> None:
    """A change's time in the history in local time to the minute (not UTC with
    microseconds); filter menus that say what empty means; the header's search box
    empty on every page; an icon for /favicon.ico."""
    meeting = _plan(world["body_a"], 3, world["case"])
    services.kallelse_send(actor=None, meeting=meeting)  # kallelse_sent_at in the history
    page = client_for(world["secretariat"]).get(meeting.get_absolute_url()).content.decode()
    history = page[page.index('class="history"') :]
    assert f"{timezone.localtime(meeting.kallelse_sent_at):%Y-%m-%d %H:%M}" in history
    assert "+00:00" not in history
    search = client_for(None).get("/sok/", {"q": "samverkan"}).content.decode()
    assert "Alla arenor" in search
    assert "Alla organisationer" in search
    assert "---------" not in search
    decisions = client_for(None).get("/beslut/", {"q": "kollektivtrafik"}).content.decode()
    assert 'id="site-search" name="q" type="search" placeholder="Sök">' in decisions
    icon = client_for(None).get("/favicon.ico")
    assert icon.status_code == 302
    assert icon["Location"].endswith(".svg")


def test_a_handling_leads_back_to_the_meeting_it_is_on(world: dict[str, Any]) -> None:
    meeting = _plan(world["body_a"], 3)
    item = services.agenda_add_case(actor=None, meeting=meeting, case=world["case"], public=True)
    services.agenda_item_update(actor=None, item=item, documents=[world["public_doc"]])
    services.kallelse_send(actor=None, meeting=meeting)
    page = client_for(None).get(world["public_doc"].get_absolute_url()).content.decode()
    assert f'href="{meeting.get_absolute_url()}#item-{item.pk}"' in page
    agenda = client_for(None).get(meeting.get_absolute_url()).content.decode()
    assert f'id="item-{item.pk}"' in agenda


def test_planning_takes_a_picked_date_and_links_to_what_was_made(world: dict[str, Any]) -> None:
    from councils.models import Meeting

    client = client_for(world["secretariat"])
    url = f"/arenor/{world['body_a'].slug}/sammantraden/planera/"
    form = client.get(url).content.decode()
    assert 'type="datetime-local"' in form
    response = client.post(
        url,
        {"first": "2031-03-04T13:00", "starts": "2031-04-08 13:00", "duration": 180},
        follow=True,
    )
    made = Meeting.objects.filter(body=world["body_a"], starts_at__year=2031).order_by("starts_at")
    assert len(made) == 2
    page = response.content.decode()
    for meeting in made:
        assert f'<a href="{meeting.get_absolute_url()}">' in page
    empty = client.post(url, {"duration": 180}).content.decode()
    assert "Ange datum och tid för minst ett sammanträde." in empty


def test_the_case_picker_puts_the_arenas_open_cases_first_and_searches(
    world: dict[str, Any],
) -> None:
    from tests.factories import make_case

    meeting = _plan(world["body_a"], 5)
    elsewhere = make_case(body=world["body_b"], title="Regionstyrelsens ärende")
    own = make_case(body=world["body_a"], title="Rådets eget ärende om kollektivtrafik")
    client = client_for(world["secretariat"])
    url = f"/sammantraden/{meeting.pk}/dagordning/arende/"
    page = client.get(url).content.decode()
    options = page[page.index('name="case"') :]
    assert options.index(own.diarienummer) < options.index(elsewhere.diarienummer)
    found = client.get(url, {"q": "kollektivtrafik"}).content.decode()
    options = found[found.index('name="case"') :]
    assert own.diarienummer in options
    assert elsewhere.diarienummer not in options
    assert "1 ärende att välja bland" in found
    # Chosen from the narrowed list, it goes on the agenda.
    response = client.post(f"{url}?q=kollektivtrafik", {"case": own.pk, "public": "on"})
    assert response.status_code == 302
    assert meeting.agenda_items.filter(case=own).exists()


def test_the_held_back_count_is_answered_from_partial_indexes(db: Any) -> None:
    """The secretariat's count of texts held back for personal data reads the partial
    indexes of the few such records, not the tables (at full scale the count took 98 ms
    of the start page's 143): the query as the start page writes it is one the indexes
    answer (shown with sequential scans off, as the tables here are small)."""
    from django.db import connection

    from councils import selectors as council_selectors
    from samverkan.workplace import _personal_data_held_back

    queries = [
        records.order_by().values_list("pk")
        for _model, records in council_selectors.personal_data_held_back()
    ]
    assert _personal_data_held_back() == 0
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plans = []
        for query in queries:
            sql, params = query.query.sql_with_params()
            cursor.execute(f"EXPLAIN {sql}", params)
            plans.append(" ".join(row[0] for row in cursor.fetchall()))
    for name in ("case", "document", "agendaitem", "paragraph"):
        assert any(f"{name}_held_back" in plan for plan in plans), plans
