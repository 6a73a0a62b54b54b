"""Sending a task to the worker without letting a broker outage break the request.

The request's own change is already committed when a task is sent (``on_commit``);
if the broker does not answer, the web keeps serving and saving: the failure is
logged and the row that records the work (a RenderJob, a kallelse not yet marked sent)
is picked up again by the sweeps in ``CELERY_BEAT_SCHEDULE`` once the broker is back.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from kombu.exceptions import OperationalError

log = logging.getLogger(__name__)


def _registered(name: str) -> Any:
    """The task named ``name``; the apps' task modules are imported on first use (a
    worker imports them at start; a web process only when it first sends)."""
    from celery import current_app as app
    from celery.exceptions import NotRegistered

    try:
        return app.tasks[name]
    except NotRegistered:
        app.loader.import_default_modules()
        return app.tasks[name]


def priority_queue() -> str:
    """The queue for work a person is waiting for (a decision's extract): its own
    worker takes it, never behind the bulk of the other work."""
    from celery import current_app as app

    return f"{app.conf.task_default_queue}{PRIORITY_SUFFIX}"


#: What the priority queue's name adds to the installation's queue.
PRIORITY_SUFFIX = "-priority"


def send(task: str, *args: Any, urgent: bool = False) -> bool:
    """Send the task named ``task`` (``"councils.tasks.render_pdf"``) now, to the
    priority queue when ``urgent``; False (and a warning in the log) if the broker is
    away. Tasks are named, not imported, so a service never imports the tasks module
    that imports it."""
    try:
        registered = _registered(task)
        if urgent:
            registered.apply_async(args, queue=priority_queue())
        else:
            registered.delay(*args)
    except (OperationalError, OSError) as error:
        log.warning("broker unavailable, %s%s left for the sweep: %s", task, args, error)
        return False
    return True


def send_on_commit(task: str, *args: Any, urgent: bool = False) -> None:
    """Send ``task`` when the current transaction commits (never for a rolled-back one)."""
    transaction.on_commit(lambda: send(task, *args, urgent=urgent))
