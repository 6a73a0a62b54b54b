"""The protocol through the pages: the secretariat writes it, the signatories justera
it, the public reads it once justerat and sees the anslag; drafts stay hidden."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.utils import timezone

from councils import services
from councils.models import Approval, Attendance, Body, Membership, Paragraph, Protocol, Vote
from tests.conftest import client_for
from tests.factories import MembershipFactory, PersonFactory, UserFactory, make_case, read_copy

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(world: dict[str, Any]) -> dict[str, Any]:
    body = world["body_a"]
    body.procedure = Body.Procedure.FORMAL
    body.save()
    chair_user = UserFactory(username="chair")
    chair = PersonFactory(user=chair_user, first_name="Ordförande")
    MembershipFactory(person=chair, body=body, role=Membership.Role.CHAIR)
    (meeting,) = services.meeting_plan(
        actor=None, body=body, starts=[timezone.now() - datetime.timedelta(days=2)]
    )
    services.agenda_add_case(actor=None, meeting=meeting, case=world["case"], public=True)
    closed = make_case(body=body, title="Personalfråga")
    services.agenda_add_case(actor=None, meeting=meeting, case=closed, public=False)
    return {**world, "meeting": meeting, "chair": chair_user, "closed": closed}


def _start(held: dict[str, Any]) -> Any:
    return client_for(held["secretariat"]).post(
        f"/sammantraden/{held['meeting'].pk}/protokoll/paborja/", follow=True
    )


def test_secretariat_writes_and_sends_the_protocol(
    held: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    from django.core import mail

    secretariat = client_for(held["secretariat"])
    page = _start(held).content.decode()
    assert "§ 1" in page
    assert "§ 2" in page
    meeting = held["meeting"]
    protocol = Protocol.objects.get(meeting=meeting)
    member_person = held["member_a"].person
    # Attendance: the member is absent, the substitute serves for them.
    rows = {a.person_id: a for a in Attendance.objects.filter(meeting=meeting)}
    data = {}
    for _person_id, row in rows.items():
        data[f"a{row.pk}-presence"] = "plats"
        data[f"a{row.pk}-serving_for"] = ""
    data[f"a{rows[member_person.pk].pk}-presence"] = "franvarande"
    substitute = held["substitute_a"].person
    data[f"a{rows[substitute.pk].pk}-serving_for"] = str(member_person.pk)
    response = secretariat.post(f"/sammantraden/{meeting.pk}/protokoll/narvaro/", data)
    assert response.status_code == 302
    assert Attendance.objects.get(meeting=meeting, person=substitute).serving_for == member_person
    # A § with a decision and an open vote.
    paragraph = Paragraph.objects.get(meeting=meeting, case=held["case"])
    response = secretariat.post(
        f"/paragrafer/{paragraph.pk}/andra/",
        {
            "title": paragraph.title,
            "public": "on",
            "decision_kind": "rekommendation",
            "decision": "Rådet rekommenderar kommunerna att anta överenskommelsen.",
            f"vote-{substitute.pk}": "ja",
        },
    )
    assert response.status_code == 302
    assert Vote.objects.get(paragraph=paragraph, person=substitute).choice == "ja"
    # Chair and one justerare, then send.
    response = secretariat.post(
        f"/sammantraden/{meeting.pk}/protokoll/andra/",
        {
            "chair": held["chair"].person.pk,
            "adjusters": [substitute.pk],
            "justering_time_place": "Regionens kansli, fredag kl. 10",
            "kept_at": "Regionens kansli",
        },
    )
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        page = secretariat.post(f"/sammantraden/{meeting.pk}/protokoll/justering/", follow=True)
    assert "Protokollet skickades för justering." in page.content.decode()
    protocol.refresh_from_db()
    assert protocol.status == Protocol.Status.FOR_APPROVAL
    assert {m.to[0] for m in mail.outbox} >= {held["chair"].person.email}


def _send(held: dict[str, Any]) -> Protocol:
    _start(held)
    protocol = Protocol.objects.get(meeting=held["meeting"])
    services.protocol_update(actor=None, protocol=protocol, adjusters=[held["member_a"].person])
    return services.protocol_send_for_justering(actor=None, protocol=protocol)


def test_draft_is_hidden_from_the_public_and_other_members(held: dict[str, Any]) -> None:
    _send(held)
    url = f"/sammantraden/{held['meeting'].pk}/protokoll/"
    for user in (None, held["outsider"], held["member_b"], held["substitute_a"]):
        assert client_for(user).get(url).status_code == 404
    assert client_for(held["chair"]).get(url).status_code == 200
    assert client_for(held["member_a"]).get(url).status_code == 200  # a justerare


def test_signatories_justera_through_the_page_and_the_anslag_appears(held: dict[str, Any]) -> None:
    _send(held)
    url = f"/sammantraden/{held['meeting'].pk}/protokoll/"
    chair_page = client_for(held["chair"]).get("/mina-sammantraden/").content.decode()
    assert "Protokoll som du ska justera" in chair_page
    response = client_for(held["member_a"]).post(
        url + "beslut/", {"decision": "comment", "comment": ""}, follow=True
    )
    assert "Skriv vad som ska ändras." in response.content.decode()
    # Until the worker has made the copy to justera, there is nothing to approve.
    waiting = client_for(held["chair"]).get(url).content.decode()
    assert "Justeringsexemplaret förbereds" in waiting
    response = client_for(held["chair"]).post(
        url + "beslut/", {"decision": "approve", "confirmed": "on"}, follow=True
    )
    assert "Justeringsexemplaret förbereds fortfarande" in response.content.decode()
    read = read_copy(held["meeting"].protocol)
    for user in (held["chair"], held["member_a"]):
        page = client_for(user).get(url).content.decode()
        shown = re.search(r'name="read_sha256" value="([0-9a-f]{64})"', page)
        assert shown is not None
        assert shown.group(1) == read  # the copy the page offers
        assert "/fil/" in page  # and its download
        # At the top of the page, for the one who must justera: the confirmation step.
        assert page.index('id="justering"') < page.index('id="paragraphs-heading"')
        unconfirmed = client_for(user).post(
            url + "beslut/", {"decision": "approve", "read_sha256": shown.group(1)}, follow=True
        )
        assert "Kryssa i att du har läst justeringsexemplaret" in unconfirmed.content.decode()
        assert held["meeting"].protocol.approvals.get(person__user=user).decided_at is None
        response = client_for(user).post(
            url + "beslut/",
            {"decision": "approve", "read_sha256": shown.group(1), "confirmed": "on"},
            follow=True,
        )
        assert response.status_code == 200
    assert "Protokollet är justerat." in response.content.decode()
    approvals = held["meeting"].protocol.approvals.all()
    assert {a.read_sha256 for a in approvals} == {read}
    assert {a.authentication for a in approvals} == {Approval.Authentication.PASSWORD}
    public = client_for(None)
    page = public.get(url).content.decode()
    assert held["case"].diarienummer in page
    assert "Personalfråga" not in page  # a closed §
    board = public.get("/anslagstavla/").content.decode()
    assert "§ 1–2" in board
    today = timezone.localdate()
    assert (today + datetime.timedelta(days=21)).isoformat() in board


def test_only_secretariat_edits_and_nothing_after_justering(held: dict[str, Any]) -> None:
    _start(held)
    paragraph = Paragraph.objects.filter(meeting=held["meeting"]).first()
    url = f"/paragrafer/{paragraph.pk}/andra/"
    assert client_for(held["member_a"]).get(url).status_code == 403
    assert client_for(None).get(url).status_code == 302
    protocol = Protocol.objects.get(meeting=held["meeting"])
    services.protocol_update(actor=None, protocol=protocol, adjusters=[held["member_a"].person])
    services.protocol_send_for_justering(actor=None, protocol=protocol)
    response = client_for(held["secretariat"]).post(
        url, {"title": "Ändrad", "decision_kind": "beslut"}
    )
    assert response.status_code == 200
    assert "kan inte ändras" in response.content.decode()
    paragraph.refresh_from_db()
    assert paragraph.title != "Ändrad"


def test_justering_dispatches_the_extracts(
    held: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    from django.core import mail

    from councils.models import Document, ExtractDispatch
    from tests.factories import OrganisationFactory

    OrganisationFactory(name="Bergs kommun", slug="berg", official_email="kommun@berg.example.org")
    _start(held)
    paragraph = Paragraph.objects.get(meeting=held["meeting"], case=held["case"])
    services.paragraph_update(
        actor=None,
        paragraph=paragraph,
        extract_to="Bergs kommun\nregistrator@region.example.org\nEkonomidirektör",
    )
    protocol = Protocol.objects.get(meeting=held["meeting"])
    services.protocol_update(actor=None, protocol=protocol, adjusters=[held["member_a"].person])
    services.protocol_send_for_justering(actor=None, protocol=protocol)
    mail.outbox.clear()
    for user in (held["chair"], held["member_a"]):
        with django_capture_on_commit_callbacks(execute=True):
            services.protocol_decide(
                actor=user, protocol=protocol, approve=True, read_sha256=read_copy(protocol)
            )
    assert sorted(m.to[0] for m in mail.outbox) == [
        "kommun@berg.example.org",
        "registrator@region.example.org",
    ]
    (_name, content, mimetype) = mail.outbox[0].attachments[0]
    assert mimetype == "application/pdf"
    assert content.startswith(b"%PDF-")
    dispatches = {d.recipient: d for d in ExtractDispatch.objects.filter(paragraph=paragraph)}
    assert dispatches["Ekonomidirektör"].sent_at is None  # no address: shown for manual sending
    registered = Document.objects.get(case=held["case"], kind=Document.Kind.MINUTES_EXTRACT)
    assert registered.direction == Document.Direction.OUTGOING
    assert registered.content_type == "application/pdf"
    page = client_for(held["secretariat"]).get(f"/sammantraden/{held['meeting'].pk}/protokoll/")
    assert "skicka det manuellt" in page.content.decode()


def test_one_save_of_a_paragraph_is_one_change(held: dict[str, Any]) -> None:
    """The § form saves its texts and the vote together: when recording the vote fails,
    the new texts are not kept either."""
    from unittest import mock

    from django.core.exceptions import ValidationError

    _start(held)
    paragraph = Paragraph.objects.get(meeting=held["meeting"], case=held["case"])
    before = paragraph.decision
    voter = held["substitute_a"].person
    with mock.patch(
        "councils.services.protocols.votes_record",
        side_effect=ValidationError("the vote could not be recorded"),
    ):
        response = client_for(held["secretariat"]).post(
            f"/paragrafer/{paragraph.pk}/andra/",
            {
                "title": paragraph.title,
                "public": "on",
                "decision_kind": "beslut",
                "decision": "Ett nytt beslut som inte får sparas halvt.",
                f"vote-{voter.pk}": "ja",
            },
        )
    assert response.status_code == 200
    assert "the vote could not be recorded" in response.content.decode()
    paragraph.refresh_from_db()
    assert paragraph.decision == before


def test_one_save_of_the_attendance_is_one_change(held: dict[str, Any]) -> None:
    """Every row and the person added go in together: when adding fails, the rows'
    changes are not kept either."""
    from unittest import mock

    from django.core.exceptions import ValidationError

    _start(held)
    meeting = held["meeting"]
    rows = list(Attendance.objects.filter(meeting=meeting))
    data = {f"a{row.pk}-presence": "distans" for row in rows}
    data |= {f"a{row.pk}-serving_for": "" for row in rows}
    data |= {
        "add-person": str(PersonFactory().pk),
        "add-role": "tjansteperson",
        "add-presence": "plats",
    }
    with mock.patch(
        "councils.services.protocols.attendance_add",
        side_effect=ValidationError("the person could not be added"),
    ):
        response = client_for(held["secretariat"]).post(
            f"/sammantraden/{meeting.pk}/protokoll/narvaro/", data
        )
    assert response.status_code == 200
    assert set(Attendance.objects.filter(meeting=meeting).values_list("presence", flat=True)) == {
        row.presence for row in rows
    }
    assert "distans" not in {row.presence for row in rows}


def test_the_agenda_is_locked_with_the_protocol(held: dict[str, Any]) -> None:
    """Issue 17: once the protocol is sent for justering, the agenda's items and their
    order cannot change; the page says why, nothing moves."""
    protocol = _send(held)
    assert protocol.status == Protocol.Status.FOR_APPROVAL
    meeting = held["meeting"]
    before = list(meeting.agenda_items.order_by("position").values_list("pk", "position"))
    item = meeting.agenda_items.order_by("position").first()
    secretariat = client_for(held["secretariat"])
    response = secretariat.post(f"/dagordningspunkter/{item.pk}/ner/", follow=True)
    assert response.status_code == 200
    assert "dagordningen är låst" in response.content.decode()
    edit = secretariat.post(
        f"/dagordningspunkter/{item.pk}/andra/", {"title": "Ny rubrik", "public": "on"}
    )
    assert edit.status_code == 200
    assert list(meeting.agenda_items.order_by("position").values_list("pk", "position")) == before
    item.refresh_from_db()
    assert item.title != "Ny rubrik"
