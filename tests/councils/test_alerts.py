"""Bevakningar: new kallelser and protocols of an arena, new documents and decisions on
an ärende, new hits of a search; at most one mail a day unless at once; as the person
may see it; one click ends it; a failed send loses nothing."""

from __future__ import annotations

import datetime
import re
from typing import Any
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from councils import alerts, services
from councils.models import Meeting, Watch
from tests.conftest import client_for
from tests.factories import make_case, make_document
from tests.world import meeting_with_case

pytestmark = pytest.mark.django_db


def _meeting(world: dict[str, Any]) -> Meeting:
    (meeting,) = services.meeting_plan(
        actor=None,
        body=world["body_a"],
        starts=[timezone.now() + datetime.timedelta(days=10)],
        place="Östersund",
    )
    services.agenda_add_standard_items(actor=None, meeting=meeting)
    return meeting


def test_following_an_arena_mails_a_new_kallelse_once_a_day(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(world["outsider"])
    page = client.get(f"/arenor/{world['body_a'].slug}/").content.decode()
    assert 'name="kind" value="arena"' in page
    response = client.post(
        "/bevakningar/ny/", {"kind": "arena", "body": world["body_a"].slug, "next": "/"}
    )
    assert response.status_code == 302
    watch = Watch.objects.get(user=world["outsider"])
    assert services.alerts_send() == 0  # nothing new yet

    with django_capture_on_commit_callbacks(execute=True):
        services.kallelse_send(actor=None, meeting=_meeting(world))
    mail.outbox.clear()  # the kallelse mails themselves
    assert services.alerts_send() == 1
    (message,) = mail.outbox
    assert message.to == [world["outsider"].email]
    assert world["body_a"].name in message.subject
    assert "Kallelse:" in message.body
    unsubscribe = re.search(r"https?://\S+/bevakningar/avsluta/\S+/", message.body).group(0)
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"

    with django_capture_on_commit_callbacks(execute=True):
        services.kallelse_send(actor=None, meeting=_meeting(world))
    mail.outbox.clear()
    assert services.alerts_send() == 0  # a mail went today: the news waits for tomorrow
    later = timezone.now() + datetime.timedelta(days=1, minutes=1)
    assert services.alerts_send(now=later) == 1

    path = unsubscribe.split("://", 1)[1].split("/", 1)[1]
    assert client_for(None).get(f"/{path}").status_code == 200
    assert not Watch.objects.filter(pk=watch.pk).exists()
    assert client_for(None).get(f"/{path}").status_code == 200  # a second click is fine
    assert client_for(None).get("/bevakningar/avsluta/forfalskad/").status_code == 400


def test_a_case_watch_never_mails_what_its_owner_may_not_see(world: dict[str, Any]) -> None:
    case = world["case"]
    for user in (world["outsider"], world["member_a"]):
        services.watch_add(actor=user, kind=Watch.Kind.CASE, case=case, immediate=True)
    make_document(case=case, subject="Ny hemlig bilaga", confidential=True)
    mail.outbox.clear()
    assert services.alerts_send() == 1
    (message,) = mail.outbox
    assert message.to == [world["member_a"].email]
    assert "Ny hemlig bilaga" in message.body

    make_document(case=case, subject="Ny offentlig skrivelse")
    mail.outbox.clear()
    assert services.alerts_send() == 2
    for message in mail.outbox:
        assert "Ny offentlig skrivelse" in message.body
    (outsider,) = [m for m in mail.outbox if m.to == [world["outsider"].email]]
    assert "hemlig" not in outsider.body
    assert "Intern titel" not in outsider.subject + outsider.body


def test_a_search_watch_mails_only_new_hits(world: dict[str, Any]) -> None:
    make_case(title="Kollektivtrafik i länet")
    client = client_for(world["outsider"])
    client.post("/bevakningar/ny/", {"kind": "sokning", "q": "kollektivtrafik"})
    mail.outbox.clear()
    assert services.alerts_send() == 0  # today's hits are not news
    make_case(title="Kollektivtrafik och skolskjuts")
    later = timezone.now() + datetime.timedelta(days=1, minutes=1)
    assert services.alerts_send(now=later) == 1
    (message,) = mail.outbox
    assert "Kollektivtrafik och skolskjuts" in message.body
    assert "Kollektivtrafik i länet" not in message.body


def test_a_failed_send_keeps_the_news_for_the_next_attempt(world: dict[str, Any]) -> None:
    watch = services.watch_add(
        actor=world["member_a"], kind=Watch.Kind.CASE, case=world["case"], immediate=True
    )
    make_document(case=world["case"], subject="Viktig skrivelse")
    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=OSError("the mail server is away"),
    ):
        assert services.alerts_send() == 0  # recorded on the bevakning, not raised
    watch.refresh_from_db()
    assert watch.failure == "OSError: the mail server is away"
    assert watch.last_sent_at is None
    mail.outbox.clear()
    assert services.alerts_send() == 1
    assert "Viktig skrivelse" in mail.outbox[0].body


def test_my_bevakningar_can_be_changed_and_ended(world: dict[str, Any]) -> None:
    watch = services.watch_add(actor=world["member_a"], kind=Watch.Kind.BODY, body=world["body_a"])
    client = client_for(world["member_a"])
    page = client.get("/bevakningar/").content.decode()
    assert world["body_a"].name in page
    client.post(f"/bevakningar/{watch.pk}/", {"immediate": "1"})
    watch.refresh_from_db()
    assert watch.immediate
    assert client_for(world["member_b"]).post(f"/bevakningar/{watch.pk}/", {}).status_code == 404
    client.post(f"/bevakningar/{watch.pk}/", {"action": "remove"})
    assert not Watch.objects.filter(pk=watch.pk).exists()
    assert client_for(None).post("/bevakningar/ny/", {"kind": "arena"}).status_code == 302
    bad = client.post("/bevakningar/ny/", {"kind": "arena"})  # nothing named to follow
    assert bad.status_code == 302
    assert not Watch.objects.filter(user=world["member_a"]).exists()


# --- 3. Bevakningar (the probe of issue 13) ------------------------------------------------


def test_a_newline_in_a_saved_search_does_not_stop_the_bevakning_mails(
    world: dict[str, Any],
) -> None:
    user = world["member_a"]
    bad = services.watch_add(actor=user, kind=Watch.Kind.SEARCH, query="infrastruktur\nlänet")
    arena = services.watch_add(actor=world["member_b"], kind=Watch.Kind.BODY, body=world["body_a"])
    Watch.objects.update(checked_until=timezone.now() - datetime.timedelta(days=1))
    make_case(body=world["body_a"], title="Infrastruktur i länet")
    meeting = meeting_with_case(world)
    Meeting.objects.filter(pk=meeting.pk).update(kallelse_sent_at=timezone.now())
    assert services.alerts_send() == 2
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects[user.email] == "Bevakning: ”infrastruktur länet”"
    assert world["member_b"].email in subjects
    bad.refresh_from_db()
    arena.refresh_from_db()
    assert bad.failed_at is None
    assert arena.last_sent_at is not None


def test_one_failing_bevakning_is_recorded_and_the_others_are_sent(world: dict[str, Any]) -> None:
    failing = services.watch_add(
        actor=world["member_a"], kind=Watch.Kind.BODY, body=world["body_a"]
    )
    working = services.watch_add(
        actor=world["member_b"], kind=Watch.Kind.BODY, body=world["body_a"]
    )
    Watch.objects.update(checked_until=timezone.now() - datetime.timedelta(days=1))
    meeting = meeting_with_case(world)
    Meeting.objects.filter(pk=meeting.pk).update(kallelse_sent_at=timezone.now())
    real = alerts.watch_news

    def news(watch: Watch, *, since: datetime.datetime) -> list[alerts.Item]:
        if watch.pk == failing.pk:
            raise RuntimeError("the mail server said no")
        return real(watch, since=since)

    with mock.patch("councils.alerts.watch_news", side_effect=news):
        assert services.alerts_send() == 1
    failing.refresh_from_db()
    working.refresh_from_db()
    assert [m.to[0] for m in mail.outbox] == [world["member_b"].email]
    assert failing.failed_at is not None
    assert failing.failure == "RuntimeError: the mail server said no"
    assert failing.last_sent_at is None  # the news is kept for the next run
    assert working.last_sent_at is not None
    page = client_for(world["member_a"]).get("/bevakningar/").content.decode()
    assert "kunde inte skickas" in page
    assert services.alerts_send() == 1  # the next run sends it, and clears the failure
    failing.refresh_from_db()
    assert failing.failed_at is None
