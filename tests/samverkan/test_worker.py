"""A real Celery worker process renders a protokollsutdrag; killing the worker in the
middle of a render and starting another still completes the job exactly once."""

from __future__ import annotations

import datetime
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from archive import services as archive_services
from councils import renderers, services
from councils.models import Body, Membership, Paragraph, Protocol, RenderJob
from samverkan.celery import app
from tests.factories import (
    BodyFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    make_agreement,
    make_case,
    make_kommuner,
    read_copy,
)

# With pytest-xdist, the tests that start a worker share one test process: two workers
# on one broker would take each other's tasks.
pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("celery-worker"),
]


def _database_url() -> str:
    db = connection.settings_dict
    host = quote(db["HOST"] or "", safe="")
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{db['USER']}@{host}{port}/{db['NAME']}"


@pytest.fixture
def worker_env(settings: Any, tmp_path: Path) -> Iterator[dict[str, str]]:
    """The worker sees the test database and the test's file storage; tasks go to the
    broker instead of running in the test process (conftest restores eager mode).

    The test's tasks go to a queue of its own: a shared broker (the CI's Redis) may hold
    other workers, e.g. one a killed test run left behind, pointed at another database,
    which would take a task from the queue they share and drop it."""
    app.conf.task_always_eager = False
    if str(app.conf.broker_url).startswith("filesystem"):  # the tests' own broker folder
        folder = app.conf.broker_transport_options["data_folder_in"]
        assert folder.startswith(os.environ["SAMVERKAN_BROKER_DIR"])
    queue = f"samverkan-test-{uuid.uuid4().hex}"
    default_queue = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    media = settings.STORAGES["default"]["OPTIONS"]["location"]
    (tmp_path / "workers").mkdir()
    try:
        yield {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "SAMVERKAN_MEDIA_ROOT": str(media),
            "SAMVERKAN_TASK_QUEUE": queue,
            "SAMVERKAN_WORKER_LOGS": str(tmp_path / "workers"),
        }
    finally:
        app.conf.task_default_queue = default_queue


def _start_worker(env: dict[str, str], name: str) -> subprocess.Popen[bytes]:
    log = (Path(env["SAMVERKAN_WORKER_LOGS"]) / f"{name}.log").open("ab")
    worker = subprocess.Popen(  # noqa: S603 - our own worker command
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "samverkan",
            "worker",
            "--concurrency=1",
            "--loglevel=INFO",
            # The installation's queue and its priority queue (a decision's extract).
            f"--queues={env['SAMVERKAN_TASK_QUEUE']},{env['SAMVERKAN_TASK_QUEUE']}-priority",
            f"--hostname={name}-{os.getpid()}@%h",
        ],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    log.close()
    return worker


def _stop(worker: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, sig)
    worker.wait(timeout=60)


def _wait(predicate: Any, seconds: float = 90) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.25)
    return False


@pytest.fixture(autouse=True)
def _worker_logs_on_failure(request: Any, tmp_path: Path) -> Iterator[None]:
    """A failed test prints its workers' logs: what they received and did."""
    yield
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        for log in sorted(tmp_path.glob("workers/*.log")):
            sys.stderr.write(f"--- {log.name} ---\n{log.read_text(errors='replace')[-6000:]}\n")


def _justerat_meeting(paragraphs: int) -> Paragraph:
    body = BodyFactory(procedure=Body.Procedure.ADVISORY)
    chair_user, adjuster_user = UserFactory(), UserFactory()
    MembershipFactory(person=PersonFactory(user=chair_user), body=body, role=Membership.Role.CHAIR)
    adjuster = PersonFactory(user=adjuster_user)
    (meeting,) = services.meeting_plan(
        actor=None, body=body, starts=[timezone.now() - datetime.timedelta(days=1)]
    )
    for index in range(paragraphs):
        services.agenda_add_case(
            actor=None, meeting=meeting, case=make_case(body=body, title=f"Ärende nummer {index}")
        )
    services.paragraphs_create_for_agenda(actor=None, meeting=meeting)
    for paragraph in Paragraph.objects.filter(meeting=meeting):
        services.paragraph_update(
            actor=None,
            paragraph=paragraph,
            summary="Sammanfattning av ärendet. " * 40,
            decision="Rådet beslutar i enlighet med förslaget.",
        )
    protocol = Protocol.objects.get(meeting=meeting)
    services.protocol_update(actor=None, protocol=protocol, adjusters=[adjuster])
    services.protocol_send_for_justering(actor=None, protocol=protocol)
    for user in (chair_user, adjuster_user):
        services.protocol_decide(
            actor=user, protocol=protocol, approve=True, read_sha256=read_copy(protocol)
        )
    return Paragraph.objects.filter(meeting=meeting).order_by("number")[0]


def _stored_pdfs(media: Path) -> list[Path]:
    return list((media / "pdf").rglob("*.pdf")) if (media / "pdf").exists() else []


def test_a_real_worker_renders_an_extract_and_a_verksamhetsberattelse(
    worker_env: dict[str, str],
) -> None:
    from followups import services as followup_services

    paragraph = _justerat_meeting(paragraphs=1)
    region: Any = OrganisationFactory(name="Regionen", slug="regionen", kind="region")
    agreement = make_agreement(parties=[region, *make_kommuner().values()], areas=["Folkhälsa"])
    report = followup_services.report_get_or_create(actor=None, agreement=agreement, year=2019)
    worker = _start_worker(worker_env, "render")
    try:
        job = services.render_job_request(
            actor=None,
            kind=RenderJob.Kind.EXTRACT,
            meeting=paragraph.meeting,
            paragraph=paragraph,
        )
        version = followup_services.report_compile(actor=None, report=report)
        report_job = followup_services.report_version_job(version)
        assert report_job is not None
        for pk in (job.pk, report_job.pk):
            assert _wait(lambda pk=pk: RenderJob.objects.get(pk=pk).status == RenderJob.Status.DONE)
    finally:
        _stop(worker)
    job.refresh_from_db()
    assert job.attempts == 1
    assert job.file.read().startswith(b"%PDF-")
    report_job.refresh_from_db()
    assert report_job.file.read().startswith(b"%PDF-")
    assert renderers.file_name(report_job).startswith("verksamhetsberattelse-2019-")


def test_killed_mid_render_the_job_completes_exactly_once(worker_env: dict[str, str]) -> None:
    paragraph = _justerat_meeting(paragraphs=150)  # a protocol that takes seconds to render
    # The final protocols the justering asked for are left out of this test: it follows
    # one job of its own (their messages find no job, and end).
    reading_copy = paragraph.meeting.protocol.reading_copy_id
    RenderJob.objects.filter(meeting=paragraph.meeting).exclude(pk=reading_copy).delete()
    media = Path(worker_env["SAMVERKAN_MEDIA_ROOT"])
    read = _stored_pdfs(media)  # the copy the signatories read
    worker = _start_worker(worker_env, "doomed")
    try:
        job = services.render_job_request(
            actor=None, kind=RenderJob.Kind.PROTOCOL, meeting=paragraph.meeting, internal=True
        )
        assert _wait(lambda: RenderJob.objects.get(pk=job.pk).started_at is not None)
    finally:
        _stop(worker, signal.SIGKILL)  # the whole worker, in the middle of the render
    job.refresh_from_db()
    assert job.status == RenderJob.Status.PENDING
    assert _stored_pdfs(media) == read
    worker = _start_worker(worker_env, "second")
    try:
        # The message may come back by itself (redelivery); the sweep sends it anyway.
        services.render_jobs_sweep(
            older_than=datetime.timedelta(0), running_longer_than=datetime.timedelta(0)
        )
        assert _wait(lambda: RenderJob.objects.get(pk=job.pk).status == RenderJob.Status.DONE)
        time.sleep(2)  # let a possible second delivery run to its end
    finally:
        _stop(worker)
    job.refresh_from_db()
    assert job.status == RenderJob.Status.DONE
    assert job.attempts >= 2
    assert len(_stored_pdfs(media)) == len(read) + 1
    assert RenderJob.objects.filter(meeting=paragraph.meeting).exclude(pk=reading_copy).count() == 1


def _mailed_subjects(folder: Path) -> list[str]:
    """The subjects of the mails Django's file backend wrote (one file per connection,
    the messages apart by a line of dashes)."""
    import email
    from email.header import decode_header, make_header

    return [
        str(make_header(decode_header(email.message_from_string(text.strip())["Subject"])))
        for path in sorted(folder.glob("*.log"))
        for text in path.read_text().split("-" * 79)
        if text.strip()
    ]


def test_a_restarted_worker_never_sends_a_reminder_twice(
    worker_env: dict[str, str], tmp_path: Path
) -> None:
    """The beat's reminder task run by one worker, which is then stopped, and by a new
    one twice: the justering reminders go once; only the new occasion is mailed."""
    from councils.models import Reminder

    chair_user, adjuster_user = UserFactory(), UserFactory()
    body = BodyFactory(procedure=Body.Procedure.ADVISORY, notice_days=7)
    chair = PersonFactory(user=chair_user, email="ordforande@example.org")
    MembershipFactory(person=chair, body=body, role=Membership.Role.CHAIR)
    adjuster = PersonFactory(user=adjuster_user, email="justerare@example.org")
    (meeting,) = services.meeting_plan(
        actor=None, body=body, starts=[timezone.now() - datetime.timedelta(days=5)]
    )
    services.agenda_add_case(actor=None, meeting=meeting, case=make_case(body=body))
    services.paragraphs_create_for_agenda(actor=None, meeting=meeting)
    protocol = Protocol.objects.get(meeting=meeting)
    services.protocol_update(actor=None, protocol=protocol, adjusters=[adjuster])
    services.protocol_send_for_justering(actor=None, protocol=protocol)
    Protocol.objects.filter(pk=protocol.pk).update(
        sent_for_justering_at=timezone.now() - datetime.timedelta(days=4)
    )
    env = {
        **worker_env,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path),
    }
    worker = _start_worker(env, "reminders-first")
    try:
        app.send_task("councils.tasks.send_reminders")
        assert _wait(lambda: Reminder.objects.exclude(sent_at=None).count() == 2)
    finally:
        _stop(worker)
    # A kallelse falls due while the worker is away: the only new occasion.
    secretariat = UserFactory(secretariat=True, email="kansliet@example.org")
    services.meeting_plan(
        actor=None, body=body, starts=[timezone.now() + datetime.timedelta(days=8)]
    )
    worker = _start_worker(env, "reminders-second")
    try:
        app.send_task("councils.tasks.send_reminders")
        app.send_task("councils.tasks.send_reminders")
        assert _wait(lambda: Reminder.objects.filter(email=secretariat.email).count() == 1)
        assert _wait(lambda: Reminder.objects.filter(sent_at=None).count() == 0)
        time.sleep(3)  # let the second task run to its end
    finally:
        _stop(worker)
    subjects = [s for s in _mailed_subjects(tmp_path) if s.startswith("Påminnelse")]
    assert len(subjects) == 3, subjects
    assert sum("Protokoll att justera" in subject for subject in subjects) == 2
    assert sum("Kallelse inte skickad" in subject for subject in subjects) == 1
    assert Reminder.objects.count() == 3


def test_a_real_worker_builds_a_delivery_to_the_e_archive(worker_env: dict[str, str]) -> None:
    """The task the archive page sends is built by a worker process: the package is
    stored, its checksum recorded, and its § extract rendered on the way."""
    import hashlib

    from archive.models import ArchiveExport

    paragraph = _justerat_meeting(paragraphs=1)
    assert paragraph.case is not None
    worker = _start_worker(worker_env, "archive")
    try:
        export = archive_services.archive_export_request(
            actor=None, scope=ArchiveExport.Scope.CASE, case=paragraph.case
        )
        assert _wait(
            lambda: ArchiveExport.objects.get(pk=export.pk).status == ArchiveExport.Status.DONE
        )
    finally:
        _stop(worker)
    export.refresh_from_db()
    assert export.attempts == 1
    assert export.files == 1  # the § extract
    with export.file.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == export.sha256
