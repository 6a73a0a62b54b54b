"""Celery tasks: thin. Each takes an id, calls a service and owns its retry policy."""

from __future__ import annotations

from celery import Task, shared_task

from base import queue
from recommendations import services


@shared_task(bind=True, acks_late=True, max_retries=5, default_retry_delay=60)
def send_requests(self: Task, recommendation_id: int) -> int:
    """Each organisation is sent once (the row records it), so a retry resumes."""
    try:
        return services.requests_send(recommendation_id=recommendation_id)
    except OSError as error:  # the mail server did not answer: try again later
        raise self.retry(exc=error) from error


@shared_task
def sweep_requests() -> int:
    """Requests left unsent by a broker or mail outage are sent again."""
    unsent = services.requests_unsent()
    for recommendation_id in unsent:
        queue.send(services.SEND_TASK, recommendation_id)
    return len(unsent)
