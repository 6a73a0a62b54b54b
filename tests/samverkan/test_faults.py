"""Faults: with the broker away the web keeps serving and saving, and the work
committed meanwhile is sent once it is back; a database error in the middle of a
change leaves nothing of it behind. (A worker killed mid-render: tests/samverkan/test_worker.py.)"""

from __future__ import annotations

import datetime
from typing import Any
from unittest import mock

import pytest
from django.db import DatabaseError
from django.utils import timezone
from kombu.exceptions import OperationalError

from councils import services
from councils.models import Paragraph, ParagraphSequence, RenderJob
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _meeting(world: dict[str, Any]) -> Any:
    (meeting,) = services.meeting_plan(
        actor=None,
        body=world["body_a"],
        starts=[timezone.now() + datetime.timedelta(days=5)],
        place="Östersund",
    )
    services.agenda_add_standard_items(actor=None, meeting=meeting)
    services.agenda_add_case(actor=None, meeting=meeting, case=world["case"])
    return meeting


def test_with_the_broker_away_the_web_saves_and_the_sweep_sends_later(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    meeting = _meeting(world)
    client = client_for(world["secretariat"])
    away = OperationalError("broker unavailable")
    with (
        mock.patch("councils.tasks.render_pdf.delay", side_effect=away),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(f"/sammantraden/{meeting.pk}/kallelse/pdf/")
        assert client.get("/").status_code == 200  # the site keeps serving
    assert response.status_code == 302
    job = RenderJob.objects.get(meeting=meeting)
    assert job.status == RenderJob.Status.PENDING  # the debt is recorded
    assert job.attempts == 0

    # The broker is back: the sweep sends what was committed meanwhile.
    assert services.render_jobs_sweep(older_than=datetime.timedelta(0)) == 1
    job.refresh_from_db()
    assert job.status == RenderJob.Status.DONE


def test_a_database_error_mid_change_leaves_nothing_behind(world: dict[str, Any]) -> None:
    meeting = _meeting(world)
    services.kallelse_send(actor=None, meeting=meeting)  # a protocol follows the kallelse
    before = list(ParagraphSequence.objects.values_list("body_id", "year", "last_number"))
    real_save = services._save
    calls = {"n": 0}

    def failing_save(instance: Any, *, actor: Any) -> None:
        if isinstance(instance, Paragraph):
            calls["n"] += 1
            if calls["n"] == 2:
                raise DatabaseError("the disk is full")
        real_save(instance, actor=actor)

    with (
        mock.patch("councils.services.protocols._save", side_effect=failing_save),
        pytest.raises(DatabaseError),
    ):
        services.paragraphs_create_for_agenda(actor=None, meeting=meeting)
    assert calls["n"] == 2  # one § was saved before the error
    assert not Paragraph.objects.filter(meeting=meeting).exists()
    assert list(ParagraphSequence.objects.values_list("body_id", "year", "last_number")) == before
    assert not Paragraph.history.filter(meeting_id=meeting.pk).exists()


def test_a_broker_that_does_not_answer_at_all(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    """Not a mock: the app talks to a broker address where nothing listens (as when
    Redis is stopped), really fails to connect, and the request still succeeds."""
    from samverkan.celery import app

    meeting = _meeting(world)
    saved = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.task_always_eager = False
    app.conf.broker_url = "redis://127.0.0.1:1/15"  # nothing listens on port 1
    app.amqp._producer_pool = None
    app._pool = None
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for(world["secretariat"]).post(
                f"/sammantraden/{meeting.pk}/kallelse/pdf/"
            )
    finally:
        app.conf.broker_url, app.conf.task_always_eager = saved
        app.amqp._producer_pool = None
        app._pool = None
    assert response.status_code == 302
    job = RenderJob.objects.get(meeting=meeting)
    assert job.status == RenderJob.Status.PENDING
    assert services.render_jobs_sweep(older_than=datetime.timedelta(0)) == 1  # back again
    job.refresh_from_db()
    assert job.status == RenderJob.Status.DONE


def test_a_kallelse_sent_while_the_broker_is_away_is_mailed_once_it_is_back(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    from django.core import mail

    meeting = _meeting(world)
    with (
        mock.patch(
            "councils.tasks.send_kallelse.delay", side_effect=OperationalError("broker away")
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.kallelse_send(actor=None, meeting=meeting)
    assert mail.outbox == []  # recorded, not mailed
    assert services.kallelse_sweep(older_than=datetime.timedelta(0)) == 1
    mailed = len(mail.outbox)
    assert mailed > 0
    meeting.refresh_from_db()
    assert meeting.kallelse_delivered_at is not None
    # A second delivery of the same sending (a redelivered message) mails nothing.
    assert services.kallelse_deliver(meeting=meeting) == 0
    assert services.kallelse_sweep(older_than=datetime.timedelta(0)) == 0
    assert len(mail.outbox) == mailed
    # Sending it again (say, after the agenda changed) is a new sending: mailed again.
    with django_capture_on_commit_callbacks(execute=True):
        services.kallelse_send(actor=None, meeting=meeting)
    assert len(mail.outbox) == 2 * mailed
