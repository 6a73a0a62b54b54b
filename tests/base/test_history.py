"""Every change is kept with its author, and shown on the record's page: what
changed, by whom, when; the values before and after only to secretariat staff."""

from __future__ import annotations

from typing import Any

import pytest

from councils import services
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_case_history_records_the_actor(world: dict[str, Any]) -> None:
    actor = world["secretariat"]
    case = services.case_update(actor=actor, case=world["case"], status="beredning")
    latest = case.history.first()
    assert latest.history_user == actor
    assert latest.status == "beredning"
    assert case.history.count() == 2


def test_history_shows_values_to_secretariat_only(world: dict[str, Any]) -> None:
    actor = world["secretariat"]
    services.case_update(actor=actor, case=world["case"], status="beredning")
    url = f"/diarium/{world['case'].pk}/"
    staff_page = client_for(actor).get(url).content.decode()
    assert "Ändringshistorik" in staff_page
    assert "Under beredning" in staff_page
    assert "Öppet" in staff_page
    member_page = client_for(world["member_a"]).get(url).content.decode()
    assert "Ändrat:" in member_page
    assert "Status" in member_page
    assert "Öppet" not in member_page


def test_document_edit_through_the_page_is_recorded(world: dict[str, Any]) -> None:
    document = world["public_doc"]
    client = client_for(world["secretariat"])
    response = client.post(
        f"/handlingar/{document.pk}/andra/",
        {
            "kind": "rapport",
            "subject": "Omdöpt rapport",
            "direction": "upprattad",
            "document_date": "2021-06-03",
            "counterpart": "",
        },
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.subject == "Omdöpt rapport"
    assert document.history.first().history_user == world["secretariat"]
    page = client.get(f"/handlingar/{document.pk}/").content.decode()
    assert "Tjänsteskrivelse" in page
    assert "Omdöpt rapport" in page


def test_admin_changes_are_recorded_with_the_admin_user(world: dict[str, Any]) -> None:
    from tests.factories import UserFactory

    admin = UserFactory(is_staff=True, is_superuser=True)
    client = client_for(admin)
    body = world["body_a"]
    response = client.get(f"/admin/councils/body/{body.pk}/change/")
    assert response.status_code == 200
    body.refresh_from_db()
    before = body.history.count()

    data = {
        "name": body.name,
        "short_name": "Rådet",
        "slug": body.slug,
        "kind": body.kind,
        "organisation": body.organisation_id,
        "purpose": "Nytt syfte",
        "procedure": body.procedure,
        "notice_days": body.notice_days,
        "allows_remote": "on",
        "standing_subjects": "",
        "seat_allocations-TOTAL_FORMS": "0",
        "seat_allocations-INITIAL_FORMS": "0",
        "seat_allocations-MIN_NUM_FORMS": "0",
        "seat_allocations-MAX_NUM_FORMS": "1000",
    }
    response = client.post(f"/admin/councils/body/{body.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert body.history.count() == before + 1
    assert body.history.first().history_user == admin


def test_membership_changes_show_on_the_arena_page(world: dict[str, Any]) -> None:
    from councils.models import Membership

    membership = Membership.objects.get(body=world["body_a"], role=Membership.Role.MEMBER)
    membership.role = Membership.Role.VICE_CHAIR
    membership._history_user = world["secretariat"]
    membership.save()
    url = f"/arenor/{world['body_a'].slug}/ledamoter/andringar/"
    staff_page = client_for(world["secretariat"]).get(url).content.decode()
    assert "Ändringar bland ledamöterna" in staff_page
    assert f"{membership.person.full_name}</strong>: ändrad" in staff_page
    assert "Vice ordförande" in staff_page
    public_page = client_for(None).get(url).content.decode()
    assert f"{membership.person.full_name}</strong>: ändrad" in public_page
