"""Agreement rules: validity, extension, chain, status by date; the version diff; the
årsplan; the pages and who may change them."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from agreements import selectors, services
from agreements.models import Activity, Agreement, Area, Extension
from tests.conftest import client_for
from tests.factories import OrganisationFactory, UserFactory, make_agreement, make_case

pytestmark = pytest.mark.django_db

D = datetime.date


def test_an_agreement_cannot_end_before_it_starts(pact: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as error:
        make_agreement(
            parties=[pact["region"]],
            valid_from=D(2020, 1, 1),
            valid_until=D(2019, 12, 31),
        )
    assert "valid_until" in error.value.error_dict


def test_status_follows_adoption_period_and_extension(pact: dict[str, Any]) -> None:
    agreement: Agreement = pact["agreement"]  # 2019-01-01 – 2021-12-31, adopted 2018
    assert agreement.status_on(D(2018, 12, 31)) == Agreement.Status.ADOPTED
    assert agreement.status_on(D(2019, 1, 1)) == Agreement.Status.IN_FORCE
    assert agreement.status_on(D(2021, 12, 31)) == Agreement.Status.IN_FORCE
    assert agreement.status_on(D(2022, 1, 1)) == Agreement.Status.ENDED

    services.record_save(
        actor=None,
        instance=Extension(agreement=agreement),
        extended_until=D(2022, 12, 31),
        decided_on=D(2020, 12, 15),
    )
    agreement = Agreement.objects.get(pk=agreement.pk)
    assert agreement.ends_on == D(2022, 12, 31)
    assert agreement.status_on(D(2022, 6, 1)) == Agreement.Status.EXTENDED
    assert agreement.status_on(D(2023, 1, 1)) == Agreement.Status.ENDED
    assert agreement.years == [2019, 2020, 2021, 2022]

    draft = make_agreement(parties=[pact["region"]], adopted_on=None, adopted_by=None)
    assert draft.status_on(D(2020, 1, 1)) == Agreement.Status.DRAFT


def test_an_extension_must_lengthen_and_precede_the_end(pact: dict[str, Any]) -> None:
    agreement = pact["agreement"]
    with pytest.raises(ValidationError) as shorter:
        services.record_save(
            actor=None,
            instance=Extension(agreement=agreement),
            extended_until=D(2021, 6, 30),
            decided_on=D(2020, 12, 15),
        )
    assert "extended_until" in shorter.value.error_dict
    with pytest.raises(ValidationError) as late:
        services.record_save(
            actor=None,
            instance=Extension(agreement=agreement),
            extended_until=D(2022, 12, 31),
            decided_on=D(2022, 2, 1),
        )
    assert "decided_on" in late.value.error_dict


def test_successive_agreements_form_a_chain_without_circles(pact: dict[str, Any]) -> None:
    older = make_agreement(
        parties=[pact["region"]],
        title="Samverkansavtal 2015–2018",
        valid_from=D(2015, 1, 1),
        valid_until=D(2018, 12, 31),
    )
    newer = services.agreement_save(actor=None, agreement=pact["agreement"], replaces=older)
    assert newer.chain() == [older, newer]
    assert older.successor == newer

    with pytest.raises(ValidationError) as backwards:
        services.agreement_save(actor=None, agreement=older, replaces=newer)
    assert "replaces" in backwards.value.error_dict
    with pytest.raises(ValidationError):
        services.agreement_save(actor=None, agreement=newer, replaces=newer)


def test_changes_to_a_draft_show_who_added_what_and_when(pact: dict[str, Any]) -> None:
    secretary = pact["secretariat"]
    draft = make_agreement(
        parties=[pact["region"]],
        adopted_on=None,
        adopted_by=None,
        areas=["Livsmedelsstrategin"],
        actor=secretary,
    )
    services.record_save(
        actor=secretary,
        instance=Area(agreement=draft, kind=Area.Kind.PRIORITY, position=5, name="Folkhälsa"),
    )
    changes = selectors.agreement_changes(agreement=draft, show_values=True)
    newest = changes[0]
    assert newest.subject == "Område: Folkhälsa" or newest.subject.endswith(": Folkhälsa")
    assert newest.who == secretary.get_full_name()
    assert {entry.subject.split(":")[-1].strip() for entry in changes} >= {
        "Folkhälsa",
        "Livsmedelsstrategin",
    }
    page = client_for(None).get(f"/overenskommelser/{draft.pk}/andringar/").content.decode()
    assert "Folkhälsa" in page
    assert secretary.get_full_name() in page


def test_the_standard_annual_plan_is_added_once(pact: dict[str, Any]) -> None:
    agreement = pact["agreement"]
    created = services.annual_plan_create_standard(
        actor=None, agreement=agreement, year=2020, owner=pact["region"]
    )
    # five areas × two meetings of material, two top-level meetings, the working
    # group and two manager exchanges
    assert len(created) == 5 * 2 + 2 + 1 + 2
    kinds = {a.kind for a in created}
    assert kinds == {
        Activity.Kind.MATERIAL,
        Activity.Kind.TOP_MEETING,
        Activity.Kind.WORKING_GROUP,
        Activity.Kind.EXCHANGE,
    }
    top = sorted(a.due_on.month for a in created if a.kind == Activity.Kind.TOP_MEETING)
    assert top == [2, 12]
    assert (
        services.annual_plan_create_standard(
            actor=None, agreement=agreement, year=2020, owner=pact["region"]
        )
        == []
    )


def test_an_activity_is_due_within_its_year(pact: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as error:
        services.record_save(
            actor=None,
            instance=Activity(agreement=pact["agreement"], year=2020),
            kind=Activity.Kind.OTHER,
            title="Utanför året",
            owner=pact["region"],
            due_on=D(2021, 1, 15),
        )
    assert "due_on" in error.value.error_dict


def test_the_public_reads_agreements_and_only_the_secretariat_changes_them(
    pact: dict[str, Any],
) -> None:
    agreement = pact["agreement"]
    page = client_for(None).get(agreement.get_absolute_url()).content.decode()
    assert agreement.title in page
    assert "Kurs och konferens" in page
    assert "/andra/" not in page
    for user in (None, pact["member_a"], pact["krokom"]):
        response = client_for(user).post(
            f"/overenskommelser/{agreement.pk}/omrade/ny/", {"name": "Nytt", "position": 6}
        )
        assert response.status_code in (302, 403)
        assert not agreement.areas.filter(name="Nytt").exists()


def test_the_secretariat_registers_an_agreement_in_the_browser(pact: dict[str, Any]) -> None:
    client = client_for(pact["secretariat"])
    case = make_case(title="Ny överenskommelse")
    lansstyrelsen = OrganisationFactory(name="Länsstyrelsen", slug="lst", kind="lansstyrelsen")
    data = {
        "kind": "lansstyrelse",
        "title": "Överenskommelse Länsstyrelsen–Regionen",
        "case": case.pk,
        "parties": [pact["region"].pk, lansstyrelsen.pk],
        "valid_from": "2022-04-01",
        "valid_until": "2022-03-01",
        "responsible_body": pact["body_b"].pk,
    }
    response = client.post("/overenskommelser/ny/", data)
    assert response.status_code == 200
    assert "Överenskommelsen kan inte upphöra innan den börjar." in response.content.decode()
    assert not Agreement.objects.filter(case=case).exists()

    data["valid_until"] = "2024-12-31"
    response = client.post("/overenskommelser/ny/", data)
    agreement = Agreement.objects.get(case=case)
    assert response.url == agreement.get_absolute_url()
    assert set(agreement.parties.all()) == {pact["region"], lansstyrelsen}
    assert agreement.status_on(D(2022, 1, 1)) == Agreement.Status.DRAFT

    response = client.post(
        f"/overenskommelser/{agreement.pk}/omrade/ny/",
        {"kind": "prioriterat", "name": "Folkhälsa", "position": 1, "goals_from": 2022},
    )
    assert response.status_code == 302
    assert agreement.areas.get().name == "Folkhälsa"


def test_the_secretariat_links_a_case_to_areas(pact: dict[str, Any]) -> None:
    case, area = pact["case"], pact["agreement"].areas.first()
    client = client_for(pact["secretariat"])
    response = client.post(f"/diarium/{case.pk}/omraden/", {"areas": [area.pk]})
    assert response.status_code == 302
    assert list(case.agreement_areas.all()) == [area]
    page = client.get(f"/diarium/{case.pk}/").content.decode()
    assert area.name in page
    assert client_for(UserFactory()).get(f"/diarium/{case.pk}/omraden/").status_code == 403
