"""Påminnelser: each reminder of each occasion is recorded once and mailed once, to the
right people, on the right day (councils/reminders.py, followups/reminders.py,
services.reminders_send). The worker's restart: tests/samverkan/test_worker.py."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from councils import services
from councils.models import Body, Meeting, Membership, Protocol, Reminder
from followups import services as followup_services
from tests.conftest import client_for
from tests.factories import (
    BodyFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
    make_case,
)

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _subjects() -> list[tuple[str, str]]:
    return sorted((message.to[0], str(message.subject)) for message in mail.outbox)


@pytest.fixture
def sent_protocol(django_capture_on_commit_callbacks: Any) -> dict[str, Any]:
    """A protocol sent for justering to its chair and one justerare."""
    body = BodyFactory(procedure=Body.Procedure.FORMAL, name="Samverkansrådet")
    chair = PersonFactory(user=UserFactory(), email="ordforande@example.org")
    adjuster = PersonFactory(user=UserFactory(), email="justerare@example.org")
    MembershipFactory(person=chair, body=body, role=Membership.Role.CHAIR)
    MembershipFactory(person=adjuster, body=body, role=Membership.Role.MEMBER)
    (meeting,) = services.meeting_plan(
        actor=None, body=body, starts=[timezone.now() - datetime.timedelta(hours=2)]
    )
    services.agenda_add_case(actor=None, meeting=meeting, case=make_case(body=body))
    services.paragraphs_create_for_agenda(actor=None, meeting=meeting)
    protocol = Protocol.objects.get(meeting=meeting)
    services.protocol_update(actor=None, protocol=protocol, adjusters=[adjuster])
    with django_capture_on_commit_callbacks(execute=True):
        services.protocol_send_for_justering(actor=None, protocol=protocol)
    mail.outbox.clear()  # the justering requests themselves
    return {"protocol": protocol, "chair": chair, "adjuster": adjuster, "meeting": meeting}


def test_justering_reminders_come_after_three_days_and_on_day_ten_once_each(
    sent_protocol: dict[str, Any],
) -> None:
    sent_on = timezone.localdate()
    held_on = timezone.localtime(sent_protocol["meeting"].starts_at).date()
    assert services.reminders_send(today=sent_on + 2 * DAY) == 0
    assert services.reminders_send(today=sent_on + 3 * DAY) == 2
    assert [to for to, _subject in _subjects()] == [
        "justerare@example.org",
        "ordforande@example.org",
    ]
    subject = mail.outbox[0].subject
    deadline = held_on + 14 * DAY
    assert f"Samverkansrådet {held_on:%Y-%m-%d}, justerat senast {deadline:%Y-%m-%d}" in subject
    assert subject.startswith("Påminnelse: Protokoll att justera")
    # Run again the same day, and the next: nothing new.
    assert services.reminders_send(today=sent_on + 3 * DAY) == 0
    assert services.reminders_send(today=sent_on + 4 * DAY) == 0
    assert services.reminders_send(today=held_on + 10 * DAY) == 2
    assert len(mail.outbox) == 4
    # The chair justerar: only the justerare is reminded of anything from now on.
    assert Reminder.objects.count() == 4
    assert Reminder.objects.exclude(sent_at=None).count() == 4


def test_a_justerat_protocol_brings_no_reminder(sent_protocol: dict[str, Any]) -> None:
    Protocol.objects.filter(pk=sent_protocol["protocol"].pk).update(status=Protocol.Status.APPROVED)
    assert services.reminders_send(today=timezone.localdate() + 11 * DAY) == 0


def test_a_mail_server_that_fails_leaves_the_reminder_to_the_next_run(
    sent_protocol: dict[str, Any], settings: Any
) -> None:
    settings.EMAIL_BACKEND = "tests.councils.test_reminders.FailingBackend"
    today = timezone.localdate() + 3 * DAY
    assert services.reminders_send(today=today) == 0
    assert set(Reminder.objects.values_list("sent_at", flat=True)) == {None}
    assert "OSError" in Reminder.objects.first().failure
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.reminders_send(today=today) == 2
    assert services.reminders_send(today=today) == 0
    assert len(mail.outbox) == 2


class FailingBackend:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def send_messages(self, messages: Any) -> int:
        raise OSError("the mail server did not answer")


def test_the_secretariat_is_reminded_of_a_kallelse_not_sent(world: dict[str, Any]) -> None:
    body = BodyFactory(name="Primärkommunala rådet", notice_days=7)
    starts = timezone.now() + datetime.timedelta(days=20)
    (meeting,) = services.meeting_plan(actor=None, body=body, starts=[starts])
    deadline = meeting.notice_deadline
    world["secretariat"].email = "kansliet@example.org"
    world["secretariat"].save()
    assert services.reminders_send(today=deadline - 3 * DAY) == 0
    assert services.reminders_send(today=deadline - 2 * DAY) == 1
    assert mail.outbox[0].to == ["kansliet@example.org"]
    assert (
        f"Kallelse inte skickad: Primärkommunala rådet {timezone.localtime(starts):%Y-%m-%d}"
        in (mail.outbox[0].subject)
    )
    assert services.reminders_send(today=deadline) == 0  # once
    # A kallelse sent in time brings none.
    (other,) = services.meeting_plan(actor=None, body=body, starts=[starts + 7 * DAY])
    Meeting.objects.filter(pk=other.pk).update(
        kallelse_sent_at=timezone.now(), status=Meeting.Status.CALLED
    )
    assert services.reminders_send(today=other.notice_deadline) == 0


def test_an_uppdrag_reminds_its_official_a_week_before_and_the_day_after(
    world: dict[str, Any],
) -> None:
    today = timezone.localdate()
    official = PersonFactory(email="utredare@example.org")
    assignment = followup_services.assignment_create(
        actor=None,
        given_by=world["body_a"],
        given_on=today,
        title="Utred gemensam upphandling",
        owner="Regiondirektören",
        responsible=official,
        due_on=today + 30 * DAY,
    )
    due = assignment.due_on
    assert services.reminders_send(today=due - 8 * DAY) == 0
    assert services.reminders_send(today=due - 7 * DAY) == 1
    assert mail.outbox[-1].to == ["utredare@example.org"]
    assert "Uppdrag ska återrapporteras" in mail.outbox[-1].subject
    assert services.reminders_send(today=due) == 0
    assert services.reminders_send(today=due + DAY) == 1
    assert "Uppdrag försenat sedan" in mail.outbox[-1].subject
    assert services.reminders_send(today=due + 5 * DAY) == 0
    # Reported back: no more reminders, even of a new due date.
    followup_services.assignment_update(
        actor=None, assignment=assignment, status="aterrapporterad", due_on=due + 40 * DAY
    )
    assert services.reminders_send(today=due + 50 * DAY) == 0


def test_an_uppdrag_registered_after_its_due_date_is_reminded_as_overdue_only(
    world: dict[str, Any],
) -> None:
    """An uppdrag recorded late (its due date passed) brings one mail, "overdue", not
    also "due on" a day gone by; the secretariat's list shows that one alone."""
    today = timezone.localdate()
    official = PersonFactory(email="utredare@example.org")
    assignment = followup_services.assignment_create(
        actor=None,
        given_by=world["body_a"],
        given_on=today - 60 * DAY,
        title="Se över rådets sammansättning",
        owner="Regiondirektören",
        responsible=official,
        due_on=today - 30 * DAY,
    )
    listing = client_for(world["secretariat"]).get("/paminnelser/").content.decode()
    assert "Uppdrag försenat sedan" in listing
    assert "Uppdrag ska återrapporteras" not in listing
    assert services.reminders_send(today=today) == 1
    assert "Uppdrag försenat sedan" in mail.outbox[-1].subject
    assert list(Reminder.objects.values_list("stage", flat=True)) == [
        f"forsenad-{assignment.due_on:%Y-%m-%d}"
    ]
    assert services.reminders_send(today=today + DAY) == 0


def test_a_worker_away_past_two_justering_reminders_sends_the_later_one(
    sent_protocol: dict[str, Any],
) -> None:
    """No check ran between day 3 and day 10 (the worker was down): on its return each
    person gets one reminder, day 10's, not day 3's as well."""
    held_on = timezone.localtime(sent_protocol["meeting"].starts_at).date()
    assert services.reminders_send(today=held_on + 11 * DAY) == 2
    assert set(Reminder.objects.values_list("stage", flat=True)) == {"dag-10"}
    assert services.reminders_send(today=held_on + 12 * DAY) == 0


def test_a_kommun_that_has_not_answered_is_reminded_before_its_dialogue(
    pact: dict[str, Any],
) -> None:
    followup = followup_services.followup_create(
        actor=None,
        agreement=pact["agreement"],
        year=2026,
        title="Uppföljning 2026",
        body=pact["body_b"],
        questions=["Fråga ett?", "Fråga två?"],
    )
    planned = timezone.localdate() + 10 * DAY
    dialogues = {d.organisation.label: d for d in followup.dialogues.select_related("organisation")}
    first, second = followup.questions.all()
    followup_services.dialogue_record(
        actor=None,
        dialogue=dialogues["Krokom"],
        planned_on=planned,
        answers={first: "Ja.", second: "Samverkan."},
    )
    followup_services.dialogue_record(
        actor=None, dialogue=dialogues["Berg"], planned_on=planned, answers={first: "Delvis."}
    )
    pact["berg"].person.email = "berg.bedomning@example.org"
    pact["berg"].person.save()
    assert services.reminders_send(today=planned - 8 * DAY) == 0
    assert services.reminders_send(today=planned - 7 * DAY) == 1  # Berg; Krokom has answered
    message = mail.outbox[-1]
    assert message.to == ["berg.bedomning@example.org"]
    assert "Berg: 1 av 2 frågor obesvarade inför dialogen" in message.subject
    assert services.reminders_send(today=planned - DAY) == 0


def test_each_person_sees_their_reminders_and_the_secretariat_all_pending(
    sent_protocol: dict[str, Any], world: dict[str, Any]
) -> None:
    services.reminders_send(today=timezone.localdate() + 3 * DAY)
    chair = sent_protocol["chair"]
    page = client_for(chair.user).get("/mina-sammantraden/").content.decode()
    assert "Dina påminnelser" in page
    assert "Protokoll att justera: Samverkansrådet" in page
    other = client_for(sent_protocol["adjuster"].user).get("/mina-sammantraden/")
    assert other.content.decode().count("Protokoll att justera: Samverkansrådet") == 1
    # The secretariat: from the start page to everything due in the next two weeks.
    secretariat = client_for(world["secretariat"])
    assert "/paminnelser/" in secretariat.get("/").content.decode()
    listing = secretariat.get("/paminnelser/").content.decode()
    # Two sent (day 3) and two coming (day 10, within the two weeks).
    assert listing.count("Protokoll att justera: Samverkansrådet") == 4
    assert listing.count("<td>Kommande</td>") == 2
    assert client_for(chair.user).get("/paminnelser/").status_code == 403


def test_a_protocol_sent_late_brings_one_reminder_not_two_on_the_same_day(
    sent_protocol: dict[str, Any],
) -> None:
    meeting = sent_protocol["meeting"]
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=meeting.starts_at - datetime.timedelta(days=9)
    )
    today = timezone.localdate()
    assert services.reminders_send(today=today + 3 * DAY) == 2  # one to each, day 12
    assert services.reminders_send(today=today + 5 * DAY) == 0
    assert set(Reminder.objects.values_list("stage", flat=True)) == {"dag-3"}


def test_the_secretariat_reminded_is_the_secretariat_the_pages_know() -> None:
    """``secretariat_q`` (who is reminded) agrees with ``is_secretariat`` (who may act):
    through any group holding the permission, directly, as superuser; never inactive."""
    from django.contrib.auth.models import Group, Permission

    from base.accounts import User
    from base.roles import is_secretariat, secretariat_q

    permission = Permission.objects.get(codename="manage_records")
    kansliet = Group.objects.create(name="Kansliet")
    kansliet.permissions.add(permission)
    by_group = UserFactory()
    by_group.groups.add(kansliet)
    direct = UserFactory()
    direct.user_permissions.add(permission)
    users = [
        by_group,
        direct,
        UserFactory(secretariat=True),
        UserFactory(is_superuser=True),
        UserFactory(secretariat=True, is_active=False),
        UserFactory(),
    ]
    chosen = set(User.objects.filter(secretariat_q()).distinct().values_list("pk", flat=True))
    assert chosen == {
        u.pk for u in User.objects.filter(pk__in=[u.pk for u in users]) if is_secretariat(u)
    }
    assert len(chosen) == 4


def test_an_uppdrag_of_a_closed_paragraph_is_not_named_to_an_official_who_may_not_read_it(
    world: dict[str, Any],
) -> None:
    """The reminder names the uppdrag and links to its page: an official who may not
    read it (given in a closed §) is not told; the secretariat is."""
    from councils.models import Paragraph

    today = timezone.localdate()
    (meeting,) = services.meeting_plan(actor=None, body=world["body_a"], starts=[timezone.now()])
    services.agenda_add_case(actor=None, meeting=meeting, case=make_case(body=world["body_a"]))
    (paragraph,) = services.paragraphs_create_for_agenda(actor=None, meeting=meeting)
    Paragraph.objects.filter(pk=paragraph.pk).update(public=False)
    world["secretariat"].email = "kansliet@example.org"
    world["secretariat"].save()
    official = PersonFactory(email="utredare@example.org", user=UserFactory())
    followup_services.assignment_create(
        actor=None,
        paragraph=Paragraph.objects.get(pk=paragraph.pk),
        title="Utred ersättningen till enskild",
        owner="Regiondirektören",
        responsible=official,
        due_on=today + 30 * DAY,
    )
    assert services.reminders_send(today=today + 23 * DAY) == 1
    assert mail.outbox[-1].to == ["kansliet@example.org"]
