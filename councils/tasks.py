"""Celery tasks: thin. Each takes an id, calls a service and owns its retry policy."""

from __future__ import annotations

from celery import Task, shared_task

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
