"""Celery tasks: thin. Each takes an id, calls a service and owns its retry policy."""

from __future__ import annotations

from celery import Task, shared_task

from base.jobs import JOB_TASK, run_task
from councils import services
from councils.models import Meeting, Protocol


@shared_task(bind=True, acks_late=True, max_retries=5, default_retry_delay=30)
def send_kallelse(self: Task, meeting_id: int) -> int:
    meeting = Meeting.objects.select_related("body").get(pk=meeting_id)
    try:
        return services.kallelse_deliver(meeting=meeting)
    except OSError as error:  # the mail server did not answer: try again later
        raise self.retry(exc=error) from error


@shared_task(bind=True, acks_late=True, max_retries=5, default_retry_delay=30)
def send_justering_requests(self: Task, protocol_id: int) -> int:
    protocol = Protocol.objects.select_related("meeting__body").get(pk=protocol_id)
    try:
        return services.justering_requests_deliver(protocol=protocol)
    except OSError as error:
        raise self.retry(exc=error) from error


@shared_task(**JOB_TASK)
def render_pdf(self: Task, job_id: int) -> int:
    """Render one PDF job; the row records the result, the task only delivers it."""
    return run_task(self, services.render_job_run, services.render_job_failed, job_id=job_id)


@shared_task
def sweep_render_jobs() -> int:
    return services.render_jobs_sweep()


@shared_task(bind=True, acks_late=True, max_retries=5, default_retry_delay=60)
def dispatch_extracts(self: Task, protocol_id: int) -> int:
    """Expediering after justering: each recipient is sent once, so a retry resumes."""
    protocol = Protocol.objects.select_related("meeting__body").get(pk=protocol_id)
    try:
        return services.extracts_dispatch(protocol=protocol)
    except OSError as error:
        raise self.retry(exc=error) from error


@shared_task(acks_late=True)
def extract_document_text(document_id: int) -> int:
    return services.document_text_extract(document_id=document_id)


@shared_task(bind=True, acks_late=True, max_retries=3, default_retry_delay=120)
def send_alerts(self: Task) -> int:

    try:
        return services.alerts_send()
    except OSError as error:  # the mail server did not answer: the marks stayed put
        raise self.retry(exc=error) from error


@shared_task
def sweep_kallelser() -> int:
    return services.kallelse_sweep()


@shared_task
def send_reminders() -> int:
    """Påminnelser: each due one recorded once and mailed once."""
    return services.reminders_send()
