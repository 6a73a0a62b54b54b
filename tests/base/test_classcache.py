"""The logged-in page cache (issue 34, ``base.classcache``): one copy per permission
class, with each person's own token, name and notes filled in; never for a person with
a message waiting; never a protocol's signatory's page."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from councils import services
from councils.models import AgendaNote, Approval, Membership, Person
from tests.conftest import client_for
from tests.factories import MembershipFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def _meeting(world: dict[str, Any], days: int = 7) -> Any:
    (meeting,) = services.meeting_plan(
        actor=None,
        body=world["body_a"],
        starts=[timezone.now() + datetime.timedelta(days=days)],
        place="Hus",
    )
    return meeting


def _second_member(world: dict[str, Any]) -> Any:
    user = UserFactory(username="member_a2", first_name="Greta", last_name="Andersson")
    MembershipFactory(
        person=PersonFactory(user=user), body=world["body_a"], role=Membership.Role.MEMBER
    )
    return user


def test_one_copy_per_class_each_with_its_own_name_token_and_note(world: dict[str, Any]) -> None:
    meeting = _meeting(world)
    item = services.agenda_add_case(actor=None, meeting=meeting, case=world["case"])
    other = _second_member(world)
    AgendaNote.objects.create(item=item, user=world["member_a"], text="Första ledamotens")
    first = client_for(world["member_a"])
    second = Client(enforce_csrf_checks=True)
    second.force_login(other)
    url = f"/sammantraden/{meeting.pk}/"
    assert first.get(url)["X-Cache"] == "class-miss"
    page = second.get(url)
    assert page["X-Cache"] == "class-hit"  # the copy the first member's request made
    text = page.content.decode()
    assert str(other) in text
    assert str(world["member_a"]) not in text
    assert "Första ledamotens" not in text
    # The token filled in is the second member's own: their note is saved with it.
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
    assert token is not None
    saved = second.post(
        f"/dagordningspunkter/{item.pk}/anteckning/",
        {"text": "Min egen", "csrfmiddlewaretoken": token.group(1)},
    )
    assert saved.status_code in (200, 302)
    assert AgendaNote.objects.get(item=item, user=other).text == "Min egen"
    # The note moved the generation, and its "saved" message waits: the next page is
    # made for the member alone; the one after it anew for the class, with the note.
    again = second.get(url)
    assert "X-Cache" not in again
    assert "Min egen" in again.content.decode()
    again = second.get(url)
    assert again["X-Cache"] == "class-miss"
    assert "Min egen" in again.content.decode()


def test_a_person_with_a_message_waiting_is_never_served_a_kept_page(
    world: dict[str, Any],
) -> None:
    url = f"/arenor/{world['body_a'].slug}/"
    other = client_for(_second_member(world))
    member = client_for(world["member_a"])
    assert member.get(url)["X-Cache"] == "class-miss"
    # Renewing the calendar address leaves a message for the next page.
    assert other.post("/mina-sammantraden/kalender/").status_code == 302
    page = other.get(url)
    assert "X-Cache" not in page  # neither served the class's copy nor kept
    assert "adress" in page.content.decode()
    assert member.get(url)["X-Cache"] == "class-miss"
    assert other.get(url)["X-Cache"] == "class-hit"  # the message read: the class's copy


def test_one_asked_to_approve_the_protocol_gets_their_own_meeting_page(
    world: dict[str, Any],
) -> None:
    meeting = _meeting(world, days=-1)  # held: its protocol may be begun
    services.agenda_add_case(actor=None, meeting=meeting, case=world["case"])
    protocol = services.protocol_start(actor=None, meeting=meeting)
    signatory = _second_member(world)
    Approval.objects.create(protocol=protocol, person=Person.objects.get(user=signatory))
    member = client_for(world["member_a"])
    mine = client_for(signatory)
    url = f"/sammantraden/{meeting.pk}/"
    assert member.get(url)["X-Cache"] == "class-miss"
    assert "X-Cache" not in mine.get(url)  # the same seats, but asked to approve
