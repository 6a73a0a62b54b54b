"""Background jobs whose row records the debt (a PDF to render, a delivery to the
e-archive, whatever comes next): one abstract model and one way to run a job exactly
once, whoever delivers its message and however often.

The start is recorded and committed first; the work (``produce``) holds no lock; its
result is stored (``store``) only while the row is locked and the job not yet done. A
worker that dies mid-job leaves the job waiting (the redelivered message or a sweep
runs it again), and two deliveries that race store one result: the second finds it
done. ``JOB_TASK`` and ``run_task`` are the Celery side: delivered at least once, a
storage error retried, the last failure (or any other error) recorded on the row.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

J = TypeVar("J", bound="Job")
R = TypeVar("R")


class Job(models.Model):
    """A row that records a piece of background work and its outcome."""

    class Status(models.TextChoices):
        PENDING = "vantar", _("Waiting")
        DONE = "klar", _("Ready")
        FAILED = "misslyckad", _("Failed")

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        abstract = True


def run_once(
    model: type[J],
    pk: int,
    *,
    produce: Callable[[J, contextlib.ExitStack], R],
    store: Callable[[J, R], None],
    related: Sequence[str] = (),
    starting: Callable[[J], list[str]] | None = None,
) -> J:
    """Run the job ``pk`` of ``model`` exactly once (see the module's text).
    ``produce`` makes the result from the job (read with ``related``), and may leave
    cleanups on the stack it is given (a temporary file), run after the result is
    stored; ``store`` puts the result on the locked row, which is then marked done.
    ``starting`` changes the row as the job starts and names the fields it changed."""
    with transaction.atomic():
        job = model._default_manager.select_for_update().get(pk=pk)
        if job.status == Job.Status.DONE:
            return job
        job.attempts += 1
        job.started_at = timezone.now()
        job.save(update_fields=["attempts", "started_at", *(starting(job) if starting else [])])
    job = model._default_manager.select_related(*related).get(pk=pk)
    with contextlib.ExitStack() as cleanups:
        result = produce(job, cleanups)
        with transaction.atomic():
            locked = model._default_manager.select_for_update().get(pk=pk)
            if locked.status == Job.Status.DONE:
                return locked
            store(locked, result)
            locked.status = Job.Status.DONE
            locked.finished_at = timezone.now()
            locked.error = ""
            locked.save()
            return locked


def mark_failed(model: type[Job], pk: int, error: str) -> None:
    """The job failed for good: recorded on its row, unless it was done meanwhile."""
    model._default_manager.filter(pk=pk).exclude(status=Job.Status.DONE).update(
        status=Job.Status.FAILED, error=error[:2000]
    )


#: The Celery options of a job's task: delivered at least once, a worker lost mid-job
#: gives the message back; a storage error is retried, and the last failure (or any
#: other error) is recorded on the row.
JOB_TASK: dict[str, Any] = {
    "bind": True,
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (OSError,),
    "retry_backoff": True,
    "max_retries": 5,
}


def run_task(task: Any, run: Callable[..., Any], failed: Callable[..., None], **ident: int) -> int:
    """A job's task body: ``run`` it; record the failure when no retry follows."""
    try:
        return int(run(**ident).pk)
    except Exception as error:
        if task.request.retries >= (task.max_retries or 0) or not isinstance(error, OSError):
            failed(**ident, error=f"{type(error).__name__}: {error}")
        raise
