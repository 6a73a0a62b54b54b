"""Diarienummer: format, running numbers per diarium and year, no duplicates or gaps
under concurrency."""

from __future__ import annotations

import datetime
import threading
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from councils import services
from councils.models import Case, Diarium
from tests.factories import BodyFactory, DiariumFactory, make_case

pytestmark = pytest.mark.django_db


def test_diarienummer_is_prefix_number_year() -> None:
    case = make_case(diarium=DiariumFactory(prefix="RUN"), registered_on=datetime.date(2021, 3, 1))
    assert case.diarienummer == "RUN/1/2021"
    assert (case.number, case.year) == (1, 2021)


def test_next_number_follows_an_imported_case() -> None:
    """RUN/30/2021 comes after the historic RUN/29/2021."""
    diarium = DiariumFactory(prefix="RUN")
    make_case(diarium=diarium, number=29, registered_on=datetime.date(2021, 6, 2))
    case = make_case(diarium=diarium, registered_on=datetime.date(2021, 6, 3))
    assert case.diarienummer == "RUN/30/2021"


def test_running_number_restarts_each_year_per_prefix() -> None:
    run, rs = DiariumFactory(prefix="RUN"), DiariumFactory(prefix="RS")
    first = make_case(diarium=run, registered_on=datetime.date(2021, 12, 31))
    second = make_case(diarium=run, registered_on=datetime.date(2021, 12, 31))
    other = make_case(diarium=rs, registered_on=datetime.date(2021, 12, 31))
    new_year = make_case(diarium=run, registered_on=datetime.date(2022, 1, 1))
    assert [first.diarienummer, second.diarienummer, other.diarienummer] == [
        "RUN/1/2021",
        "RUN/2/2021",
        "RS/1/2021",
    ]
    assert new_year.diarienummer == "RUN/1/2022"


def test_importing_a_taken_number_is_refused() -> None:
    diarium = DiariumFactory(prefix="RS")
    make_case(diarium=diarium, number=668, registered_on=datetime.date(2021, 9, 6))
    with pytest.raises(ValidationError):
        make_case(diarium=diarium, number=668, registered_on=datetime.date(2021, 10, 1))


def test_closed_diarium_takes_no_new_cases() -> None:
    diarium = DiariumFactory(prefix="LS", active=False)
    with pytest.raises(ValidationError):
        make_case(diarium=diarium)


def test_a_failed_registration_leaves_no_gap() -> None:
    diarium = DiariumFactory(prefix="RUN")
    with pytest.raises(ValidationError):
        make_case(diarium=diarium, title="")  # title is required: full_clean refuses
    assert make_case(diarium=diarium).number == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_get_distinct_gapless_numbers() -> None:
    """Eight registrations at the same moment, each in its own transaction and
    connection, get 1..8 with no duplicate and no gap."""
    diarium = Diarium.objects.create(prefix="RUN", name="RUN")
    body = BodyFactory()
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []

    def register() -> None:
        try:
            barrier.wait(timeout=10)
            services.case_register(
                actor=None,
                diarium=diarium,
                body=body,
                title="Samtidig registrering",
                registered_on=datetime.date(2021, 5, 5),
            )
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=register) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    numbers = sorted(Case.objects.filter(diarium=diarium).values_list("number", flat=True))
    assert numbers == list(range(1, 9))


def test_register_case_in_the_browser(client: Any) -> None:
    from tests.factories import UserFactory

    diarium = DiariumFactory(prefix="RUN")
    make_case(diarium=diarium, number=29, registered_on=datetime.date(2021, 6, 2))
    body = BodyFactory()
    client.force_login(UserFactory(secretariat=True))
    response = client.post(
        "/diarium/nytt/",
        {
            "diarium": diarium.pk,
            "body": body.pk,
            "title": "Ny uppföljning",
            "public_title": "",
            "registered_on": "2021-06-10",
        },
        follow=True,
    )
    assert response.status_code == 200
    case = Case.objects.get(title="Ny uppföljning")
    assert case.diarienummer == "RUN/30/2021"
    assert "RUN/30/2021" in response.content.decode()


def test_bad_case_input_shows_a_swedish_error_and_saves_nothing(client: Any) -> None:
    from tests.factories import UserFactory

    client.force_login(UserFactory(secretariat=True))
    response = client.post("/diarium/nytt/", {"title": "", "registered_on": "not-a-date"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Detta fält måste fyllas i." in page
    assert "Fyll i ett giltigt datum." in page
    assert Case.objects.count() == 0
