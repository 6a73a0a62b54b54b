"""Calendars and feeds: public ones carry only what the public sees; the private
calendar is reached by a secret, revocable address; changes and cancellations
reach the calendar apps."""

from __future__ import annotations

import datetime
import re
from typing import Any

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from councils import services
from councils.models import Meeting
from tests.conftest import client_for
from tests.factories import make_case
from tests.world import meeting_with_case

pytestmark = pytest.mark.django_db


def _meeting(world: dict[str, Any], *, days: int = 10) -> Meeting:
    (meeting,) = services.meeting_plan(
        actor=None,
        body=world["body_a"],
        starts=[timezone.now() + datetime.timedelta(days=days)],
        place="Regionens hus",
    )
    services.agenda_add_case(actor=None, meeting=meeting, case=world["case"], public=False)
    services.agenda_add_case(
        actor=None, meeting=meeting, case=make_case(body=world["body_a"], title="Öppen fråga")
    )
    return meeting


def test_public_calendars_follow_changes_and_cancellations(world: dict[str, Any]) -> None:
    meeting = _meeting(world)
    client = client_for(None)
    url = f"/arenor/{world['body_a'].slug}/kalender.ics"
    first = client.get(url).content.decode()
    assert f"UID:meeting-{meeting.pk}@" in first
    assert "STATUS:CONFIRMED" in first
    sequence = int(re.search(r"SEQUENCE:(\d+)", first).group(1))
    services.meeting_update(actor=None, meeting=meeting, status=Meeting.Status.CANCELLED)
    second = client.get(url).content.decode()
    assert "STATUS:CANCELLED" in second
    assert int(re.search(r"SEQUENCE:(\d+)", second).group(1)) > sequence
    everything = client.get("/kalender/alla.ics")
    assert everything["Content-Type"].startswith("text/calendar")
    assert f"UID:meeting-{meeting.pk}@" in everything.content.decode()
    # Public calendars carry no agenda: closed items stay closed.
    assert "Intern titel" not in first


def test_the_private_calendar_is_secret_revocable_and_personal(world: dict[str, Any]) -> None:
    meeting = _meeting(world)
    member = client_for(world["member_a"])
    assert member.post("/mina-sammantraden/kalender/").status_code == 302
    page = member.get("/mina-sammantraden/").content.decode()
    url = re.search(r'value="http://testserver(/kalender/privat/[^"]+\.ics)"', page).group(1)
    feed = client_for(None).get(url).content.decode()
    assert f"UID:meeting-{meeting.pk}@" in feed
    assert "Intern titel om enskild" in feed.replace("\r\n ", "")  # the closed item, unfolded
    assert "Öppen fråga" in feed.replace("\r\n ", "")

    member.post("/mina-sammantraden/kalender/")  # a new address: the old one is dead
    assert client_for(None).get(url).status_code == 404
    assert client_for(None).get("/kalender/privat/gissning.ics").status_code == 404

    other = client_for(world["member_b"])
    other.post("/mina-sammantraden/kalender/")
    page = other.get("/mina-sammantraden/").content.decode()
    url_b = re.search(r'value="http://testserver(/kalender/privat/[^"]+\.ics)"', page).group(1)
    assert f"meeting-{meeting.pk}@" not in client_for(None).get(url_b).content.decode()
    assert client_for(None).post("/mina-sammantraden/kalender/").status_code == 302  # to log in


def test_feeds_announce_kallelser_protocols_and_public_documents(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    meeting = _meeting(world)
    client = client_for(None)
    assert "<item>" not in client.get("/flode/kallelser.rss").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.kallelse_send(actor=None, meeting=meeting)
    for url in ("/flode/kallelser.rss", f"/arenor/{world['body_a'].slug}/kallelser.rss"):
        assert world["body_a"].name in client.get(url).content.decode()
    atom = client.get("/flode/kallelser.atom")
    assert atom["Content-Type"].startswith("application/atom+xml")

    documents = client.get(f"/diarium/{world['case'].pk}/handlingar.rss").content.decode()
    assert "Offentlig tjänsteskrivelse" in documents
    assert "Hemlig bilaga" not in documents
    assert "Intern titel" not in documents  # the public title describes the case
    assert "Samverkansfråga" in documents
    page = client.get(f"/arenor/{world['body_a'].slug}/").content.decode()
    assert f"/arenor/{world['body_a'].slug}/kalender.ics" in page
    assert f"/arenor/{world['body_a'].slug}/protokoll.rss" in page


def test_calendar_queries_do_not_grow_with_meetings(world: dict[str, Any]) -> None:
    client = client_for(None)
    _meeting(world, days=5)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/kalender/alla.ics").status_code == 200
        return len(captured)

    before = queries()
    for days in range(6, 16):
        _meeting(world, days=days)
    assert queries() == before


# --- 10. iCalendar (the probe of issue 13) -------------------------------------------------


def test_a_carriage_return_in_a_place_does_not_add_a_calendar_property(
    world: dict[str, Any],
) -> None:
    meeting = meeting_with_case(world)
    Meeting.objects.filter(pk=meeting.pk).update(
        place="Östersund\rATTENDEE:mailto:evil@example.org\nX-INJECTED:1"
    )
    text = client_for(None).get(f"/arenor/{world['body_a'].slug}/kalender.ics").content.decode()
    lines = text.split("\r\n")
    assert not any(line.startswith(("ATTENDEE", "X-INJECTED")) for line in lines)
    assert "\r" not in text.replace("\r\n", "")
    (event,) = icalendar.Calendar.from_ical(text).walk("VEVENT")
    assert str(event["LOCATION"]) == "Östersund ATTENDEE:mailto:evil@example.org\nX-INJECTED:1"
    assert "ATTENDEE" not in event
