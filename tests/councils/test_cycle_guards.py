"""The meeting cycle refuses what cannot have happened (issue 31): no justering, no
arvode for a meeting that has not begun; no kallelse to no one or with an empty
agenda, reviewed before it goes; no protocol begun before the kallelse; the meeting
page shows the cycle with the next step as its primary action."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from councils import services
from councils.models import Membership, Protocol
from councils.selectors.arvoden import _attended
from tests.conftest import client_for
from tests.factories import MembershipFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def _meeting(world: dict[str, Any], *, days: int) -> Any:
    (meeting,) = services.meeting_plan(
        actor=None, body=world["body_a"], starts=[timezone.now() + datetime.timedelta(days=days)]
    )
    services.agenda_add_case(actor=None, meeting=meeting, case=world["case"], public=True)
    return meeting


def test_a_meeting_next_week_cannot_be_justerat_today(world: dict[str, Any]) -> None:
    chair = PersonFactory(user=UserFactory(username="chair"))
    MembershipFactory(person=chair, body=world["body_a"], role=Membership.Role.CHAIR)
    meeting = _meeting(world, days=7)
    services.kallelse_send(actor=None, meeting=meeting)
    services.paragraphs_create_for_agenda(actor=None, meeting=meeting)  # a draft may be begun
    protocol = Protocol.objects.get(meeting=meeting)
    services.protocol_update(actor=None, protocol=protocol, adjusters=[world["member_a"].person])
    with pytest.raises(ValidationError) as refused:
        services.protocol_send_for_justering(actor=None, protocol=protocol)
    when = timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M")
    assert any(when in text for text in refused.value.messages), refused.value.messages
    # Through the page: the same message, nothing changed.
    page = client_for(world["secretariat"]).post(
        f"/sammantraden/{meeting.pk}/protokoll/justering/", follow=True
    )
    protocol.refresh_from_db()
    assert protocol.status == Protocol.Status.DRAFT
    assert when in page.content.decode()
    # A protocol sent before the guard existed is not justerat either.
    Protocol.objects.filter(pk=protocol.pk).update(status=Protocol.Status.FOR_APPROVAL)
    with pytest.raises(ValidationError, match="hållits"):
        services.protocol_decide(actor=chair.user, protocol=protocol, approve=True)


def test_no_arvode_for_a_meeting_that_has_not_begun(world: dict[str, Any]) -> None:
    meeting = _meeting(world, days=3)
    services.kallelse_send(actor=None, meeting=meeting)
    services.protocol_start(actor=None, meeting=meeting)
    day = timezone.localdate()
    counted = _attended(day, day + datetime.timedelta(days=10)).filter(meeting=meeting)
    assert not counted.exists()
    meeting.starts_at = timezone.now() - datetime.timedelta(hours=1)
    meeting.save()
    assert (
        _attended(day - datetime.timedelta(days=1), day + datetime.timedelta(days=1))
        .filter(meeting=meeting)
        .exists()
    )


def test_the_kallelse_is_reviewed_and_refuses_no_one_and_an_empty_agenda(
    world: dict[str, Any],
) -> None:
    secretariat = client_for(world["secretariat"])
    meeting = _meeting(world, days=14)
    url = f"/sammantraden/{meeting.pk}/kallelse/"
    review = secretariat.get(url).content.decode()
    # Who gets it and what: the member and the ersättare the whole agenda, the åhörare
    # the public part.
    for key in ("member_a", "substitute_a", "observer_a"):
        assert world[key].person.email in review
    assert "Den öppna delen av dagordningen" in review
    assert "Skicka kallelsen till 3 mottagare" in review
    # After the members' terms have ended: no one would receive it.
    Membership.objects.filter(body=world["body_a"]).update(
        end=timezone.localdate() - datetime.timedelta(days=1)
    )
    review = secretariat.get(url).content.decode()
    assert "Skicka kallelsen till" not in review
    assert "Ingen har en plats i arenan" in review
    response = secretariat.post(url, follow=True)
    meeting.refresh_from_db()
    assert meeting.kallelse_sent_at is None
    assert "Ingen skulle få kallelsen" in response.content.decode()
    # An empty agenda: refused on review and on sending.
    (empty,) = services.meeting_plan(
        actor=None, body=world["body_b"], starts=[timezone.now() + datetime.timedelta(days=9)]
    )
    assert (
        "Föredragningslistan är tom."  # the words the sending refuses with
        in secretariat.get(f"/sammantraden/{empty.pk}/kallelse/").content.decode()
    )
    with pytest.raises(ValidationError):
        services.kallelse_send(actor=None, meeting=empty)
    assert client_for(world["member_a"]).get(url).status_code in (403, 404)


def test_no_protocol_before_the_kallelse_and_the_secretary_is_filled(
    world: dict[str, Any],
) -> None:
    secretariat = client_for(world["secretariat"])
    meeting = _meeting(world, days=5)
    response = secretariat.post(f"/sammantraden/{meeting.pk}/protokoll/paborja/", follow=True)
    assert response.redirect_chain[-1][0] == meeting.get_absolute_url()
    assert "Skicka kallelsen först" in response.content.decode()
    assert not Protocol.objects.filter(meeting=meeting).exists()
    services.kallelse_send(actor=None, meeting=meeting)
    writer = PersonFactory(user=world["secretariat"], first_name="Sekreterare")
    secretariat.post(f"/sammantraden/{meeting.pk}/protokoll/paborja/")
    assert Protocol.objects.get(meeting=meeting).secretary == writer


def test_the_meeting_page_shows_the_cycle_and_its_next_step(world: dict[str, Any]) -> None:
    secretariat = client_for(world["secretariat"])
    meeting = _meeting(world, days=10)
    page = secretariat.get(meeting.get_absolute_url()).content.decode()
    assert "Sammanträdets arbetsgång" in page
    assert 'aria-current="step"' in page
    assert f'href="/sammantraden/{meeting.pk}/kallelse/">Granska och skicka kallelsen' in page
    services.kallelse_send(actor=None, meeting=meeting)
    page = secretariat.get(meeting.get_absolute_url()).content.decode()
    assert f'action="/sammantraden/{meeting.pk}/protokoll/paborja/"' in page
    assert "Påbörja protokollet" in page
    # The public and the members do not see the secretariat's cycle.
    for user in (None, world["member_a"]):
        assert (
            "Sammanträdets arbetsgång"
            not in client_for(user).get(meeting.get_absolute_url()).content.decode()
        )
