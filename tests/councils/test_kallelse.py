"""The kallelse: one action e-mails every member, substitute and observer with the
agenda their role may see and a calendar file, publishes the public agenda, and
records when it went out; late kallelser are warned about."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from councils import services
from councils.models import Body, Meeting, Membership
from tests.conftest import client_for
from tests.factories import MembershipFactory, PersonFactory, make_case
from tests.world import INTERNAL, PUBLIC, meeting_with_case

pytestmark = pytest.mark.django_db


def _meeting(world: dict[str, Any], days: int = 20) -> Meeting:
    start = timezone.now() + datetime.timedelta(days=days)
    (meeting,) = services.meeting_plan(
        actor=None, body=world["body_a"], starts=[start], place="Regionens hus, Östersund"
    )
    services.agenda_add_case(actor=None, meeting=meeting, case=world["case"], public=True)
    closed = make_case(body=world["body_a"], title="Stängt ärende om personal")
    services.agenda_add_case(actor=None, meeting=meeting, case=closed, public=False)
    return meeting


def _send(world: dict[str, Any], meeting: Meeting, capture: Any) -> Any:
    with capture(execute=True):
        return client_for(world["secretariat"]).post(
            f"/sammantraden/{meeting.pk}/kallelse/", follow=True
        )


def test_kallelse_reaches_every_member_with_agenda_and_ics(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    meeting = _meeting(world)
    response = _send(world, meeting, django_capture_on_commit_callbacks)
    assert "Kallelsen skickas till 3 mottagare." in response.content.decode()
    assert len(mail.outbox) == 3  # member, substitute and observer of arena A
    by_address = {message.to[0]: message for message in mail.outbox}
    member = by_address[world["member_a"].person.email]
    observer = by_address[world["observer_a"].person.email]
    assert member.subject.startswith("Kallelse: Regionens samverkansråd")
    assert world["case"].diarienummer in member.body
    assert "Stängt ärende om personal" in member.body
    assert "Stängt ärende om personal" not in observer.body  # åhörare: public items only
    assert f"/sammantraden/{meeting.pk}/" in member.body
    (name, content, mimetype) = member.attachments[0]
    assert name == "sammantrade.ics"
    assert "BEGIN:VEVENT" in content
    assert f"UID:meeting-{meeting.pk}@" in content
    assert mimetype.startswith("text/calendar")
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CALLED
    assert meeting.kallelse_sent_at is not None
    assert meeting.history.first().history_user == world["secretariat"]


def test_kallelse_publishes_the_public_agenda(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    meeting = _meeting(world)
    assert (
        world["case"].diarienummer
        not in client_for(None).get(f"/sammantraden/{meeting.pk}/").content.decode()
    )
    _send(world, meeting, django_capture_on_commit_callbacks)
    page = client_for(None).get(f"/sammantraden/{meeting.pk}/").content.decode()
    assert world["case"].diarienummer in page
    assert "Stängt ärende" not in page


def test_late_kallelse_is_warned_for_a_formal_body(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    body = world["body_a"]
    body.procedure = Body.Procedure.FORMAL
    body.notice_days = 5
    body.save()
    meeting = _meeting(world, days=2)
    page = _send(world, meeting, django_capture_on_commit_callbacks).content.decode()
    assert "Kallelsen är sen" in page
    assert len(mail.outbox) == 3  # sent all the same


def test_empty_agenda_is_refused_with_a_message(world: dict[str, Any]) -> None:
    start = timezone.now() + datetime.timedelta(days=20)
    (meeting,) = services.meeting_plan(actor=None, body=world["body_a"], starts=[start])
    response = client_for(world["secretariat"]).post(
        f"/sammantraden/{meeting.pk}/kallelse/", follow=True
    )
    assert "Föredragningslistan är tom." in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.kallelse_sent_at is None
    assert mail.outbox == []


def test_former_members_get_no_kallelse(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    former = PersonFactory(email="former@example.org")
    MembershipFactory(
        person=former,
        body=world["body_a"],
        role=Membership.Role.MEMBER,
        start=datetime.date(2010, 1, 1),
        end=datetime.date(2014, 12, 31),
    )
    _send(world, _meeting(world), django_capture_on_commit_callbacks)
    assert "former@example.org" not in {m.to[0] for m in mail.outbox}


def test_only_secretariat_sends(world: dict[str, Any]) -> None:
    meeting = _meeting(world)
    assert (
        client_for(world["member_a"]).post(f"/sammantraden/{meeting.pk}/kallelse/").status_code
        == 403
    )
    meeting.refresh_from_db()
    assert meeting.kallelse_sent_at is None


def test_calendar_file_for_anyone(world: dict[str, Any]) -> None:
    meeting = _meeting(world)
    response = client_for(None).get(f"/sammantraden/{meeting.pk}/kalender.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n")
    assert "LOCATION:Regionens hus\\, Östersund" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_other_invitees_get_the_public_agenda(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    meeting = _meeting(world)
    client = client_for(world["secretariat"])
    start = timezone.localtime(meeting.starts_at).strftime("%Y-%m-%dT%H:%M")
    bad = client.post(
        f"/sammantraden/{meeting.pk}/andra/",
        {"starts_at": start, "status": "planerat", "invitees": "inte en adress"},
    )
    assert "Det här är inte e-postadresser: inte en adress" in bad.content.decode()
    response = client.post(
        f"/sammantraden/{meeting.pk}/andra/",
        {"starts_at": start, "status": "planerat", "invitees": "gast@lansstyrelsen.example.org"},
    )
    assert response.status_code == 302
    page = _send(world, meeting, django_capture_on_commit_callbacks).content.decode()
    assert "Kallelsen skickas till 4 mottagare." in page
    guest = next(m for m in mail.outbox if m.to == ["gast@lansstyrelsen.example.org"])
    assert world["case"].diarienummer in guest.body
    assert "Stängt ärende om personal" not in guest.body


# --- 2 and 11. The kallelse mail (the probe of issue 13) -----------------------------------


def test_each_kallelse_mail_carries_only_what_its_recipient_may_see(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    meeting = meeting_with_case(world, invitees="gast@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.kallelse_send(actor=None, meeting=meeting)
    by_address = {message.to[0]: message.body for message in mail.outbox}
    member = by_address[world["member_a"].person.email]
    observer = by_address[world["observer_a"].person.email]
    invitee = by_address["gast@example.org"]
    assert INTERNAL in member
    for body in (observer, invitee):
        assert INTERNAL not in body
        assert f"{world['case'].diarienummer} {PUBLIC}" in body


def test_invitees_get_the_kallelse_when_no_member_has_an_address(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    from councils.models import Person

    Person.objects.update(email="")
    meeting = meeting_with_case(world, invitees="gast@example.org\nannan@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.kallelse_send(actor=None, meeting=meeting)
    assert sorted(m.to[0] for m in mail.outbox) == ["annan@example.org", "gast@example.org"]
    assert all(m.subject.startswith("Kallelse: Regionens samverkansråd") for m in mail.outbox)
    meeting.refresh_from_db()
    assert meeting.kallelse_delivered_at is not None  # not retried by the sweep
