"""The protocol: § numbered per body and calendar year without gaps, justering by the
chair and the justerare, the lock (in the service and in the database) and the anslag."""

from __future__ import annotations

import datetime
import threading
from typing import Any
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from councils import services
from councils.models import (
    Approval,
    Attendance,
    Body,
    Meeting,
    Membership,
    Notice,
    Paragraph,
    Protocol,
)
from tests.conftest import client_for, csv_text
from tests.factories import (
    BodyFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
    make_case,
    read_copy,
)
from tests.world import INTERNAL, PUBLIC, SECRET_SUBJECT, meeting_with_case

pytestmark = pytest.mark.django_db


def _meeting(body: Body, when: datetime.datetime, cases: int = 2) -> Meeting:
    (meeting,) = services.meeting_plan(actor=None, body=body, starts=[when])
    services.agenda_add_standard_items(actor=None, meeting=meeting)
    for index in range(cases):
        services.agenda_add_case(
            actor=None, meeting=meeting, case=make_case(body=body, title=f"Ärende {index}")
        )
    return meeting


def _aware(*args: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(*args))  # noqa: DTZ001


def test_paragraphs_run_through_the_year_and_restart_on_1_january() -> None:
    body = BodyFactory()
    february = _meeting(body, _aware(2017, 2, 16, 13), cases=1)  # 6 standard items + 1
    may = _meeting(body, _aware(2017, 5, 18, 13), cases=1)
    january = _meeting(body, _aware(2018, 1, 20, 13), cases=0)
    numbers = {
        meeting: [
            p.number for p in services.paragraphs_create_for_agenda(actor=None, meeting=meeting)
        ]
        for meeting in (february, may, january)
    }
    assert numbers[february] == list(range(1, 8))
    assert numbers[may] == list(range(8, 15))
    assert numbers[january] == list(range(1, 7))
    other_body = _meeting(BodyFactory(), _aware(2017, 5, 18, 13), cases=0)
    assert services.paragraphs_create_for_agenda(actor=None, meeting=other_body)[0].number == 1


def test_paragraphs_follow_the_agenda_and_carry_its_case() -> None:
    body = BodyFactory()
    meeting = _meeting(body, _aware(2017, 2, 16, 13), cases=1)
    paragraphs = services.paragraphs_create_for_agenda(actor=None, meeting=meeting)
    titles = [p.title for p in paragraphs]
    assert titles[0] == "Mötet öppnas"
    case_paragraph = paragraphs[4]
    assert case_paragraph.case is not None
    assert case_paragraph.case.diarienummer in case_paragraph.title
    # Running it again creates nothing new.
    assert services.paragraphs_create_for_agenda(actor=None, meeting=meeting) == []


@pytest.mark.django_db(transaction=True)
def test_concurrent_paragraphs_are_gapless() -> None:
    body = BodyFactory()
    meetings = [_meeting(body, _aware(2017, 3, day, 13), cases=0) for day in range(1, 5)]
    barrier = threading.Barrier(len(meetings))
    errors: list[BaseException] = []

    def create(meeting: Meeting) -> None:
        try:
            barrier.wait(timeout=10)
            services.paragraphs_create_for_agenda(actor=None, meeting=meeting)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(m,)) for m in meetings]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    numbers = sorted(Paragraph.objects.filter(body=body).values_list("number", flat=True))
    assert numbers == list(range(1, 6 * len(meetings) + 1))


@pytest.fixture
def ready(db: Any) -> dict[str, Any]:
    """A formal body's meeting with § and a protocol whose chair and one justerare
    have user accounts."""
    body = BodyFactory(procedure=Body.Procedure.FORMAL)
    chair_user, adjuster_user = UserFactory(), UserFactory()
    chair = PersonFactory(user=chair_user)
    adjuster = PersonFactory(user=adjuster_user)
    MembershipFactory(person=chair, body=body, role=Membership.Role.CHAIR)
    MembershipFactory(person=adjuster, body=body, role=Membership.Role.MEMBER)
    substitute = MembershipFactory(body=body, role=Membership.Role.SUBSTITUTE).person
    meeting = _meeting(body, timezone.now() - datetime.timedelta(days=1))
    services.paragraphs_create_for_agenda(actor=None, meeting=meeting)
    protocol = Protocol.objects.get(meeting=meeting)
    services.protocol_update(
        actor=None, protocol=protocol, adjusters=[adjuster], justering_time_place="Kansliet"
    )
    return {
        "body": body,
        "meeting": meeting,
        "protocol": protocol,
        "chair": chair_user,
        "adjuster": adjuster_user,
        "substitute": substitute,
        "chair_person": chair,
    }


def test_protocol_starts_with_chair_and_attendance(ready: dict[str, Any]) -> None:
    protocol = ready["protocol"]
    assert protocol.chair == ready["chair_person"]
    roles = dict(Attendance.objects.filter(meeting=ready["meeting"]).values_list("person", "role"))
    assert roles[ready["substitute"].pk] == Attendance.Role.SUBSTITUTE
    assert roles[ready["chair_person"].pk] == Attendance.Role.MEMBER


def test_justering_by_all_locks_and_posts_the_notice(
    ready: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:

    protocol = ready["protocol"]
    with django_capture_on_commit_callbacks(execute=True):
        services.protocol_send_for_justering(actor=None, protocol=protocol)
    assert len(mail.outbox) == 2
    services.protocol_decide(
        actor=ready["chair"], protocol=protocol, approve=True, read_sha256=read_copy(protocol)
    )
    protocol.refresh_from_db()
    assert protocol.status == Protocol.Status.FOR_APPROVAL  # one justerare still to approve
    services.protocol_decide(
        actor=ready["adjuster"], protocol=protocol, approve=True, read_sha256=read_copy(protocol)
    )
    protocol.refresh_from_db()
    today = timezone.localdate()
    assert protocol.status == Protocol.Status.APPROVED
    assert protocol.approved_on == today
    assert not Paragraph.objects.filter(meeting=ready["meeting"], approved_at__isnull=True).exists()
    notice = Notice.objects.get(protocol=protocol)
    assert notice.posted_on == today
    assert notice.appeal_until == today + datetime.timedelta(days=21)
    assert notice.removed_on == today + datetime.timedelta(days=22)
    assert notice.paragraph_range == "§ 1–8"
    ready["meeting"].refresh_from_db()
    assert ready["meeting"].status == Meeting.Status.POSTED


def test_a_comment_sends_the_protocol_back(ready: dict[str, Any]) -> None:
    protocol = ready["protocol"]
    services.protocol_send_for_justering(actor=None, protocol=protocol)
    with pytest.raises(ValidationError):
        services.protocol_decide(actor=ready["adjuster"], protocol=protocol, approve=False)
    services.protocol_decide(
        actor=ready["adjuster"], protocol=protocol, approve=False, comment="§ 5: fel datum"
    )
    protocol.refresh_from_db()
    assert protocol.status == Protocol.Status.DRAFT
    approval = Approval.objects.get(protocol=protocol, person__user=ready["adjuster"])
    assert approval.comment == "§ 5: fel datum"


def test_outsiders_cannot_justera(ready: dict[str, Any]) -> None:
    services.protocol_send_for_justering(actor=None, protocol=ready["protocol"])
    with pytest.raises(ValidationError):
        services.protocol_decide(actor=UserFactory(), protocol=ready["protocol"], approve=True)


def _approve(ready: dict[str, Any]) -> None:
    services.protocol_send_for_justering(actor=None, protocol=ready["protocol"])
    for user in (ready["chair"], ready["adjuster"]):
        services.protocol_decide(
            actor=user,
            protocol=ready["protocol"],
            approve=True,
            read_sha256=read_copy(ready["protocol"]),
        )


def test_justerat_protocol_refuses_changes_in_the_service(ready: dict[str, Any]) -> None:
    _approve(ready)
    paragraph = Paragraph.objects.filter(meeting=ready["meeting"]).first()
    with pytest.raises(ValidationError):
        services.paragraph_update(actor=None, paragraph=paragraph, decision="Ändrat")
    attendance = Attendance.objects.filter(meeting=ready["meeting"]).first()
    with pytest.raises(ValidationError):
        services.attendance_update(actor=None, attendance=attendance, presence="franvarande")


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE councils_paragraph SET decision = 'x' WHERE meeting_id = %s",
        "DELETE FROM councils_paragraph WHERE meeting_id = %s",
        "UPDATE councils_attendance SET presence = 'franvarande' WHERE meeting_id = %s",
        "UPDATE councils_protocol SET kept_at = 'x' WHERE meeting_id = %s",
    ],
)
def test_justerat_protocol_is_locked_in_the_database(ready: dict[str, Any], statement: str) -> None:
    _approve(ready)
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, [ready["meeting"].pk])


def test_immediate_justering_locks_one_paragraph(ready: dict[str, Any]) -> None:
    first, second = Paragraph.objects.filter(meeting=ready["meeting"]).order_by("number")[:2]
    services.paragraph_approve_immediately(actor=None, paragraph=first)
    with pytest.raises(ValidationError):
        services.paragraph_update(actor=None, paragraph=first, decision="Ändrat")
    services.paragraph_update(actor=None, paragraph=second, decision="Går att ändra")
    first.refresh_from_db()
    assert first.approved_immediately


def test_justering_deadline_is_14_days_after_the_meeting(ready: dict[str, Any]) -> None:
    start = timezone.localtime(ready["meeting"].starts_at).date()
    assert ready["protocol"].justering_deadline == start + datetime.timedelta(days=14)


def test_advisory_body_posts_no_notice_unless_it_opts_in(ready: dict[str, Any]) -> None:
    body = ready["body"]
    body.procedure = Body.Procedure.ADVISORY
    body.save()
    _approve(ready)
    assert not Notice.objects.exists()
    ready["meeting"].refresh_from_db()
    assert ready["meeting"].status == Meeting.Status.APPROVED


def test_a_deferred_case_comes_back_as_a_candidate() -> None:
    body = BodyFactory()
    first = _meeting(body, _aware(2017, 2, 16, 13), cases=1)
    services.paragraphs_create_for_agenda(actor=None, meeting=first)
    paragraph = Paragraph.objects.get(meeting=first, case__isnull=False)
    services.paragraph_update(
        actor=None, paragraph=paragraph, decision_kind=Paragraph.DecisionKind.DEFERRED
    )
    (second,) = services.meeting_plan(actor=None, body=body, starts=[_aware(2017, 3, 16, 13)])
    from councils.selectors import deferred_cases_for

    assert list(deferred_cases_for(meeting=second)) == [paragraph.case]
    assert list(deferred_cases_for(meeting=first)) == []
    services.agenda_add_case(actor=None, meeting=second, case=paragraph.case)
    assert list(deferred_cases_for(meeting=second)) == []


@pytest.mark.django_db(transaction=True)
def test_simultaneous_justering_finalises_once() -> None:
    """The chair and the justerare approve at the same moment: the protocol is justerat
    once, with one anslag."""
    body = BodyFactory(procedure=Body.Procedure.FORMAL)
    chair_user, adjuster_user = UserFactory(), UserFactory()
    MembershipFactory(person=PersonFactory(user=chair_user), body=body, role=Membership.Role.CHAIR)
    adjuster = PersonFactory(user=adjuster_user)
    meeting = _meeting(body, timezone.now() - datetime.timedelta(days=1), cases=1)
    services.paragraphs_create_for_agenda(actor=None, meeting=meeting)
    protocol = Protocol.objects.get(meeting=meeting)
    services.protocol_update(actor=None, protocol=protocol, adjusters=[adjuster])
    services.protocol_send_for_justering(actor=None, protocol=protocol)
    read = read_copy(protocol)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def approve(user: Any) -> None:
        try:
            barrier.wait(timeout=10)
            services.protocol_decide(actor=user, protocol=protocol, approve=True, read_sha256=read)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(u,)) for u in (chair_user, adjuster_user)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    protocol.refresh_from_db()
    assert protocol.status == Protocol.Status.APPROVED
    assert Notice.objects.filter(protocol=protocol).count() == 1
    assert not Approval.objects.filter(protocol=protocol).exclude(decision="justerat").exists()


# --- 1. The § starts from public fields only (the probe of issue 13) -----------------------


def test_a_new_paragraph_takes_the_public_title_and_public_subjects(world: dict[str, Any]) -> None:
    meeting = meeting_with_case(world, days=0)
    (paragraph,) = services.paragraphs_create_for_agenda(actor=None, meeting=meeting)
    assert paragraph.title == f"{PUBLIC} ({world['case'].diarienummer})"
    assert paragraph.basis == "Offentlig tjänsteskrivelse"
    assert INTERNAL not in paragraph.title
    assert SECRET_SUBJECT not in paragraph.basis


def test_a_justerad_paragraph_shows_the_public_nothing_internal(world: dict[str, Any]) -> None:
    """Omedelbar justering publishes the § at once: the decision list, its CSV, search
    and the protocol page carry the public title and no confidential subject."""
    meeting = meeting_with_case(world, days=0)
    (paragraph,) = services.paragraphs_create_for_agenda(actor=None, meeting=meeting)
    services.paragraph_approve_immediately(actor=None, paragraph=paragraph)
    public = client_for(None)
    for url in ("/beslut/", "/beslut/export.csv", f"/sok/?q={PUBLIC}", "/sok/?q=enskild"):
        response = public.get(url)
        text = csv_text(response) if url.endswith(".csv") else response.content.decode()
        assert INTERNAL not in text, url
        assert SECRET_SUBJECT not in text, url
    assert PUBLIC in public.get("/beslut/").content.decode()


def test_the_secretariat_is_warned_of_a_paragraph_repeating_a_confidential_text(
    world: dict[str, Any],
) -> None:
    meeting = meeting_with_case(world, days=0)
    (paragraph,) = services.paragraphs_create_for_agenda(actor=None, meeting=meeting)
    url = f"/sammantraden/{meeting.pk}/protokoll/"
    warning = "Denna offentliga § upprepar text från en sekretessbelagd källa"
    assert warning not in client_for(world["secretariat"]).get(url).content.decode()
    services.paragraph_update(
        actor=None, paragraph=paragraph, title=INTERNAL, basis=f"{SECRET_SUBJECT}\nAnnat"
    )
    page = client_for(world["secretariat"]).get(url).content.decode()
    assert warning in page
    assert f"<li>{INTERNAL}</li>" in page
    assert f"<li>{SECRET_SUBJECT}</li>" in page
    services.paragraph_update(actor=None, paragraph=paragraph, public=False)  # a closed item
    assert warning not in client_for(world["secretariat"]).get(url).content.decode()


def test_a_closed_paragraphs_extract_is_filed_as_confidential(world: dict[str, Any]) -> None:
    """The extract of a closed § is registered on the ärende for the record; it is
    not a public document."""
    meeting = meeting_with_case(world, days=0)
    (paragraph,) = services.paragraphs_create_for_agenda(actor=None, meeting=meeting)
    services.paragraph_update(
        actor=None, paragraph=paragraph, public=False, extract_to="Krokoms kommun"
    )
    services.paragraph_approve_immediately(actor=None, paragraph=paragraph)
    protocol = meeting.protocol
    with mock.patch("councils.services.justering.render_job_run") as run:
        run.return_value.file.read.return_value = b"%PDF-1.7 extract"
        run.return_value.file_name = "utdrag.pdf"
        services.extracts_dispatch(protocol=protocol)
    extract = world["case"].documents.get(kind="protokollsutdrag")
    assert extract.confidential
    assert client_for(None).get(extract.get_absolute_url()).status_code == 404
