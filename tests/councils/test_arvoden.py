"""The arvode and attendance report (issue 19): per appointing organisation, from the
justerade protocols, as a page, CSV and XLSX; a person's own; who may read which."""

from __future__ import annotations

import datetime
import io
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from openpyxl import load_workbook

from councils.models import Attendance, Meeting, Membership, OrganisationRole, Protocol
from councils.selectors.arvoden import arvode_report
from tests.conftest import client_for
from tests.factories import (
    BodyFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Europe/Stockholm")


def _meeting(body: Any, day: int, status: str, month: int = 11) -> Meeting:
    meeting = Meeting.objects.create(
        body=body,
        starts_at=datetime.datetime(2026, month, day, 9, 0, tzinfo=TZ),
        ends_at=datetime.datetime(2026, month, day, 11, 30, tzinfo=TZ),
        place="Östersund",
    )
    Protocol.objects.create(meeting=meeting, status=Protocol.Status.DRAFT)
    meeting.final = status
    return meeting


@pytest.fixture
def pay(db: Any) -> dict[str, Any]:
    """Krokom appointed a member (on site), an ersättare (at a distance, serving for
    Krokom's absent second member) and Berg a member, in one arena; a justerat
    meeting in November, a draft one in November and a justerat one in December."""
    krokom = OrganisationFactory(name="Krokoms kommun", slug="krokom")
    berg = OrganisationFactory(name="Bergs kommun", slug="berg")
    body = BodyFactory(name="Primärkommunala rådet", slug="pkr")
    people = {}
    for key, org, role in (
        ("anna", krokom, Membership.Role.MEMBER),
        ("bo", krokom, Membership.Role.MEMBER),
        ("cecilia", krokom, Membership.Role.SUBSTITUTE),
        ("david", berg, Membership.Role.MEMBER),
    ):
        person = PersonFactory(first_name=key.capitalize(), last_name="Testsson", organisation=org)
        MembershipFactory(person=person, body=body, role=role, appointed_by=org, represents=org)
        people[key] = person
    november = _meeting(body, 13, Protocol.Status.APPROVED)
    draft = _meeting(body, 27, Protocol.Status.DRAFT)
    december = _meeting(body, 1, Protocol.Status.APPROVED, month=12)
    on_site, remote, absent = (
        Attendance.Presence.ON_SITE,
        Attendance.Presence.REMOTE,
        Attendance.Presence.ABSENT,
    )
    for meeting in (november, draft, december):
        member, substitute = Attendance.Role.MEMBER, Attendance.Role.SUBSTITUTE
        Attendance.objects.create(
            meeting=meeting, person=people["anna"], role=member, presence=on_site
        )
        Attendance.objects.create(
            meeting=meeting, person=people["bo"], role=member, presence=absent
        )
        Attendance.objects.create(
            meeting=meeting,
            person=people["cecilia"],
            role=substitute,
            presence=remote,
            serving_for=people["bo"],
        )
        Attendance.objects.create(
            meeting=meeting, person=people["david"], role=member, presence=on_site
        )
    for meeting in (november, draft, december):  # justerat after the attendance is kept
        Protocol.objects.filter(meeting=meeting).update(status=meeting.final)
    admin_person = PersonFactory(organisation=krokom, user=UserFactory(username="lon"))
    OrganisationRole.objects.create(
        person=admin_person, organisation=krokom, kind=OrganisationRole.Kind.PAYROLL
    )
    return {"krokom": krokom, "berg": berg, "admin": admin_person.user, **people}


NOVEMBER = {"start": "2026-11-01", "end": "2026-11-30"}


def test_the_report_agrees_with_the_protocols(pay: dict[str, Any]) -> None:
    report = arvode_report(
        organisation=pay["krokom"],
        start=datetime.date(2026, 11, 1),
        end=datetime.date(2026, 11, 30),
    )
    final = [
        (r.person_name.split()[0], r.day, r.minutes, r.presence, r.serving_as) for r in report.final
    ]
    assert final == [
        ("Anna", datetime.date(2026, 11, 13), 150, "plats", "ledamot"),
        ("Cecilia", datetime.date(2026, 11, 13), 150, "distans", "tjänstgörande ersättare"),
    ]  # Bo was absent; David is Berg's
    assert [(r.person_name.split()[0], r.day.day) for r in report.preliminary] == [
        ("Anna", 27),
        ("Cecilia", 27),
    ]
    # The same from the attendance records themselves.
    justerat = Attendance.objects.filter(
        meeting__protocol__status=Protocol.Status.APPROVED,
        meeting__starts_at__month=11,
        represents__isnull=True,
        person__memberships__appointed_by=pay["krokom"],
    ).exclude(presence=Attendance.Presence.ABSENT)
    assert len(report.final) == justerat.count()


def test_the_page_and_the_downloads(pay: dict[str, Any]) -> None:
    client = client_for(pay["admin"])
    page = client.get("/organisationer/krokom/arvoden/", NOVEMBER).content.decode()
    assert "Anna Testsson" in page
    assert "Cecilia Testsson" in page
    assert "David Testsson" not in page
    assert "tjänstgörande ersättare" in page
    assert "Preliminärt" in page  # the draft meeting, apart
    response = client.get("/organisationer/krokom/arvoden.csv", NOVEMBER)
    assert response["Cache-Control"] == "private, no-store"
    csv = response.getvalue().decode()
    assert csv.splitlines()[2].split(";")[:6] == [
        "Cecilia Testsson",
        "2026-11-13",
        "Primärkommunala rådet",
        "09:00",
        "11:30",
        "150",
    ]
    answer = client.get(
        "/organisationer/krokom/arvoden.xlsx", {"start": "2026-11-01", "end": "2026-12-31"}
    )
    assert answer["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(answer.content))
    assert workbook.sheetnames == ["2026-11", "2026-12"]
    sheet = workbook["2026-11"]
    assert sheet["A1"].value == "Namn"
    assert sheet["A1"].font.bold
    local = datetime.datetime(2026, 11, 13, 9, 0, tzinfo=TZ).replace(tzinfo=None)
    assert sheet["B2"].value == local.replace(hour=0)  # a real date cell
    assert sheet["D2"].value == local  # a real time, local
    assert sheet["F2"].value == 150  # a number
    assert sheet.max_row == 3


def test_who_may_read_which_report(pay: dict[str, Any]) -> None:
    url = "/organisationer/{}/arvoden/"
    admin = client_for(pay["admin"])
    assert admin.get(url.format("krokom")).status_code == 200
    assert admin.get(url.format("berg")).status_code == 404  # another kommun's
    assert client_for(UserFactory()).get(url.format("krokom")).status_code == 404
    assert Client().get(url.format("krokom")).status_code == 302  # to log in
    secretariat = client_for(UserFactory(secretariat=True))
    assert secretariat.get(url.format("berg"), NOVEMBER).status_code == 200
    assert "David Testsson" in secretariat.get(url.format("berg"), NOVEMBER).content.decode()


def test_a_person_sees_their_own_meetings(pay: dict[str, Any]) -> None:
    cecilia = pay["cecilia"]
    cecilia.user = UserFactory()
    cecilia.save()
    page = client_for(cecilia.user).get("/mina-sammantraden/narvaro/", NOVEMBER).content.decode()
    assert "Cecilia Testsson" in page
    assert "Anna Testsson" not in page
    start = client_for(cecilia.user).get("/").content.decode()
    assert 'href="/mina-sammantraden/narvaro/"' in start


def test_a_bad_period_is_a_clear_error(pay: dict[str, Any]) -> None:
    client = client_for(pay["admin"])
    wrong = client.get(
        "/organisationer/krokom/arvoden/", {"start": "2026-12-01", "end": "2026-11-01"}
    )
    assert wrong.status_code == 400
    assert "Perioden slutar innan den börjar." in wrong.content.decode()
    long = client.get(
        "/organisationer/krokom/arvoden.xlsx", {"start": "2020-01-01", "end": "2026-11-01"}
    )
    assert long.status_code == 400
    assert "högst ett år" in long.content.decode()
    assert client.get("/organisationer/krokom/arvoden.pdf").status_code == 404


def test_the_report_is_linked_for_those_who_may_read_it(pay: dict[str, Any]) -> None:
    admin = client_for(pay["admin"])
    assert 'href="/organisationer/krokom/arvoden/"' in admin.get("/").content.decode()
    assert (
        'href="/organisationer/krokom/arvoden/"'
        in admin.get("/organisationer/krokom/").content.decode()
    )
    public = Client().get("/organisationer/krokom/").content.decode()
    assert "arvoden/" not in public
    secretariat = client_for(UserFactory(secretariat=True))
    page = secretariat.get("/organisationer/krokom/").content.decode()
    assert 'href="/organisationer/krokom/arvoden/"' in page
    # The secretariat names the arvodesadministratör there.
    person = PersonFactory(organisation=pay["krokom"], user=UserFactory())
    secretariat.post(
        "/organisationer/krokom/bedomningsansvarig/",
        {"person": person.pk, "kind": "arvodesadministrator"},
    )
    assert client_for(person.user).get("/organisationer/krokom/arvoden/").status_code == 200


def test_the_page_costs_the_same_queries_whatever_the_rows(pay: dict[str, Any]) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(pay["admin"])
    period = {"start": "2026-11-01", "end": "2026-12-31"}

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/organisationer/krokom/arvoden/", period).status_code == 200
        return len(captured)

    queries()
    before = queries()
    body = Meeting.objects.get(starts_at__day=13).body
    for day in (2, 3, 4):
        meeting = _meeting(body, day, Protocol.Status.APPROVED, month=12)
        for key in ("anna", "cecilia"):
            Attendance.objects.create(
                meeting=meeting,
                person=pay[key],
                role=Attendance.Role.MEMBER if key == "anna" else Attendance.Role.SUBSTITUTE,
                presence=Attendance.Presence.ON_SITE,
            )
        Protocol.objects.filter(meeting=meeting).update(status=meeting.final)
    assert queries() == before
    # Session, user, the person, the organisation, the role check, the attendance
    # and the seats that say who pays.
    assert before == 7
