"""A samverkansråd whose justerad § recommends something to its eight kommuner and the
region (issue 32), on top of the ``pact`` world (Krokom's and Berg's officials)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from councils import services
from councils.models import Paragraph, Protocol, SeatAllocation
from recommendations.models import Recommendation
from tests.factories import MembershipFactory, PersonFactory, UserFactory, read_copy

RECOMMENDED = "Samverkansrådet rekommenderar kommunerna och regionen att anta strategin."


def justera(world: dict[str, Any], *, public: bool = True, kind: str = "rekommendation") -> Any:
    """A meeting of arena A two days ago whose one § (of ``kind``) is justerad."""
    import datetime

    body = world["body_a"]
    chair = world.get("chair_user") or UserFactory(username="chair")
    world["chair_user"] = chair
    if not body.memberships.filter(person__user=chair).exists():
        MembershipFactory(person=PersonFactory(user=chair), body=body, role="ordforande")
    (meeting,) = services.meeting_plan(
        actor=None, body=body, starts=[timezone.now() - datetime.timedelta(days=2)]
    )
    services.agenda_add_case(actor=None, meeting=meeting, case=world["case"], public=public)
    services.paragraphs_create_for_agenda(actor=None, meeting=meeting)
    paragraph = Paragraph.objects.get(meeting=meeting)
    services.paragraph_update(
        actor=None,
        paragraph=paragraph,
        title="Länsgemensam folkhälsostrategi",
        decision_kind=kind,
        decision=RECOMMENDED,
    )
    protocol = Protocol.objects.get(meeting=meeting)
    services.protocol_update(
        actor=None, protocol=protocol, chair=chair.person, adjusters=[world["member_a"].person]
    )
    protocol = services.protocol_send_for_justering(actor=None, protocol=protocol)
    checksum = read_copy(protocol)
    for user in (chair, world["member_a"]):
        services.protocol_decide(actor=user, protocol=protocol, approve=True, read_sha256=checksum)
    paragraph.refresh_from_db()
    return paragraph


@pytest.fixture
def recommending(pact: dict[str, Any]) -> dict[str, Any]:
    """Arena A seats the eight kommuner and the region; each kommun but Ragunda has a
    registrator address."""
    for organisation in [pact["region"], *pact["kommuner"].values()]:
        SeatAllocation.objects.create(body=pact["body_a"], organisation=organisation, seats=1)
        if organisation.short_name != "Ragunda":
            organisation.official_email = f"registrator@{organisation.slug}.example.org"
            organisation.save()
    return pact


@pytest.fixture
def recommendation(
    recommending: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> Recommendation:
    with django_capture_on_commit_callbacks(execute=True):
        paragraph = justera(recommending)
    return Recommendation.objects.get(paragraph=paragraph)
