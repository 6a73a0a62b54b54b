"""The search table against the gates: after every kind of write that changes who may
read a record (a confidential mark, personal data found and confirmed, a document put
before another arena, a justering, a closed item, a moved case, a deleted record), the
rows each viewer sees in the table are exactly the records the gate of that kind lets
them read, and each filter column holds what the kind's filter reads. The rules are
written twice (Python gates, SQL in ``search/migrations``); this holds them together."""

from __future__ import annotations

import datetime
import zoneinfo
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from agreements.selectors import agreements_for_user
from councils import services
from councils.models import AgendaItem, Case, Document, Paragraph
from councils.selectors import (
    cases_for_user,
    documents_for_user,
    meetings_for_user,
    paragraphs_visible_to,
)
from followups.selectors import followups_for_user
from search.models import SearchEntry
from search.queries import _visible
from tests.factories import BodyFactory, make_case, make_document

pytestmark = pytest.mark.django_db
STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")

VIEWERS = ("anonymous", "secretariat", "member_a", "substitute_a", "observer_a", "member_b")
GATES = {
    "arende": cases_for_user,
    "handling": documents_for_user,
    "paragraf": paragraphs_visible_to,
    "sammantrade": meetings_for_user,
    "overenskommelse": agreements_for_user,
    "uppfoljning": followups_for_user,
}


def _table(user: Any) -> dict[str, set[int]]:
    visible = _visible(user)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT kind, object_id FROM search_entry e WHERE {visible.sql}",  # noqa: S608 - our SQL
            visible.params,
        )
        rows = cursor.fetchall()
    seen: dict[str, set[int]] = {kind: set() for kind in GATES}
    for kind, pk in rows:
        assert pk not in seen[kind], f"{kind} {pk} twice for one viewer"
        seen[kind].add(pk)
    return seen


def _assert_same(world: dict[str, Any], when: str) -> None:
    for viewer in VIEWERS:
        user = None if viewer == "anonymous" else world[viewer]
        table = _table(user)
        for kind, gate in GATES.items():
            gated = set(gate(user).values_list("pk", flat=True))
            assert table[kind] == gated, (when, viewer, kind)


def test_the_table_shows_each_viewer_what_the_gates_let_them_read(
    world: dict[str, Any],
) -> None:
    from tests.factories import make_agreement

    _assert_same(world, "the world")
    body_a, body_b = world["body_a"], world["body_b"]
    secret = world["secret_doc"]
    # A confidential document of arena A put before arena B: B's members read it too.
    (meeting_b,) = services.meeting_plan(actor=None, body=body_b, starts=[timezone.now()])
    item = services.agenda_add_case(actor=None, meeting=meeting_b, case=world["case"])
    item.documents.add(secret)
    _assert_same(world, "before another arena")
    item.documents.remove(secret)
    _assert_same(world, "taken off that agenda")
    # Personal data found in a case's public text: only its arena sees it, and its
    # documents; confirmed by the secretariat, everyone again.
    Case.objects.filter(pk=world["case"].pk).update(personal_data=2)
    _assert_same(world, "personal data in the case")
    Case.objects.filter(pk=world["case"].pk).update(personal_data_reason="Offentlig uppgift")
    _assert_same(world, "personal data confirmed")
    # A document marked confidential by an update (no save, no signal).
    Document.objects.filter(pk=world["public_doc"].pk).update(
        confidential=True,
        secrecy_provision="21 kap. 1 § OSL",
        secrecy_authority="Regionen",
        secrecy_date=datetime.date(2026, 1, 1),
    )
    _assert_same(world, "marked confidential by update")
    # A document whose text is not yet read is not public.
    unread = make_document(case=world["case"], subject="Oläst")
    Document.objects.filter(pk=unread.pk).update(
        file="handlingar/olast.pdf", text_state=Document.TextState.PENDING
    )
    _assert_same(world, "a text not read")
    # § of a public and a closed item: drafts for the secretariat; justerade for all,
    # the closed one for A's members.
    (meeting_a,) = services.meeting_plan(actor=None, body=body_a, starts=[timezone.now()])
    services.agenda_add_case(actor=None, meeting=meeting_a, case=world["case"], public=True)
    closed_case = make_case(body=body_a, title="Stängd fråga")
    services.agenda_add_case(actor=None, meeting=meeting_a, case=closed_case, public=False)
    services.paragraphs_create_for_agenda(actor=None, meeting=meeting_a)
    _assert_same(world, "draft §")
    Paragraph.objects.filter(meeting=meeting_a).update(approved_at=timezone.now())
    _assert_same(world, "justerade §")
    # The case moves to arena B (and its meeting with it): its readers follow.
    Case.objects.filter(pk=world["case"].pk).update(body=body_b)
    _assert_same(world, "case moved")
    closed_item = AgendaItem.objects.get(meeting=meeting_a, case=closed_case)
    underlag = make_document(case=closed_case, subject="Underlag", confidential=True)
    closed_item.documents.add(underlag)
    _assert_same(world, "a confidential document on the closed item")
    (meeting_c,) = services.meeting_plan(actor=None, body=body_b, starts=[timezone.now()])
    AgendaItem.objects.filter(pk=closed_item.pk).update(meeting=meeting_c)
    _assert_same(world, "an item moved to another arena's meeting")
    type(meeting_a).objects.filter(pk=meeting_a.pk).update(body=body_b)
    _assert_same(world, "a meeting moved to another arena")
    # Agreements and follow-ups are public; deleting removes the rows.
    make_agreement(parties=[body_a.organisation], title="Överenskommelse om folkhälsa")
    _assert_same(world, "an agreement")
    gone = make_case(body=body_a, title="Registrerad i misstag")
    unread.delete()
    gone.delete()
    _assert_same(world, "deleted")
    assert not SearchEntry.objects.filter(kind="arende", object_id=gone.pk).exists()
    assert not SearchEntry.objects.filter(kind="handling", object_id=unread.pk).exists()


def test_the_filter_columns_follow_their_records(world: dict[str, Any]) -> None:
    """The arena, organisation and year each filter reads, kept when a record's arena
    is renamed, moves to another organisation, or a meeting is moved to another year."""
    from councils.models import Meeting

    body = world["body_a"]
    new_year = datetime.datetime(2025, 1, 1, 0, 30, tzinfo=STOCKHOLM)  # 2024 still in UTC
    (meeting,) = services.meeting_plan(actor=None, body=body, starts=[new_year])
    entry = SearchEntry.objects.get(kind="sammantrade", object_id=meeting.pk)
    assert (entry.body_id, entry.year_from, entry.organisations) == (
        body.pk,
        2025,  # in the portal's time zone, not UTC's
        [body.organisation_id],
    )
    other = BodyFactory(name="Primärkommunala rådet").organisation
    type(body).objects.filter(pk=body.pk).update(organisation=other, name="Länsrådet")
    entry = SearchEntry.objects.get(kind="sammantrade", object_id=meeting.pk)
    assert entry.organisations == [other.pk]
    assert "länsråd" in str(entry.vector)
    case_entry = SearchEntry.objects.get(kind="arende", object_id=world["case"].pk, audience="i")
    assert case_entry.organisations == [other.pk]
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=datetime.datetime(2026, 3, 1, 10, tzinfo=STOCKHOLM)
    )
    assert SearchEntry.objects.get(kind="sammantrade", object_id=meeting.pk).year_from == 2026
