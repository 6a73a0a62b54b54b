"""Render jobs: asking the worker for a PDF, rendering it exactly once, and the sweep
that re-sends what was owed."""

from __future__ import annotations

import datetime
import io
import uuid
from collections.abc import Callable
from typing import Any

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from base import queue
from base.actors import Actor
from base.jobs import mark_failed, run_once
from base.seal import sign, verify
from councils import renderers
from councils.models import (
    Meeting,
    Paragraph,
    RenderJob,
)

# --- PDFs --------------------------------------------------------------------------------


@transaction.atomic
def render_job_request(
    *,
    actor: Actor,
    kind: str,
    meeting: Meeting | None = None,
    paragraph: Paragraph | None = None,
    internal: bool = False,
    same_document: QuerySet[RenderJob] | None = None,
    created: Callable[[RenderJob], object] | None = None,
) -> RenderJob:
    """Ask the worker for a PDF. A finished or waiting job for the same document is
    reused, so repeated clicks cost one rendering. Another app's kind says which jobs
    are of the same document (``same_document``) and links a new job to its subject
    (``created``, in the same transaction)."""
    if same_document is None:
        same_document = RenderJob.objects.filter(
            kind=kind, meeting=meeting, paragraph=paragraph, internal=internal
        )
    existing = (
        same_document.filter(kind=kind)
        .exclude(status=RenderJob.Status.FAILED)
        .order_by("-created_at")
        .first()
    )
    if existing is not None and not _render_job_stale(existing):
        return existing
    job = RenderJob(
        kind=kind,
        meeting=meeting,
        paragraph=paragraph,
        internal=internal,
        requested_by=actor if getattr(actor, "pk", None) else None,
        # A sealed PDF stays as it was issued: what changed is a new version of it.
        supersedes=existing if existing is not None and existing.is_sealed else None,
    )
    job.full_clean()
    job.save()
    if created is not None:
        created(job)
    _render_job_enqueue(job)
    return job


def _render_job_stale(job: RenderJob) -> bool:
    """A finished PDF is stale when its document changed after it was made (a sealed
    one too: it is kept, and the new rendering is a version that replaces it)."""
    if job.status != RenderJob.Status.DONE or job.finished_at is None:
        return False
    return renderers.renderer(job.kind).is_stale(job)


def _render_job_enqueue(job: RenderJob) -> None:
    queue.send_on_commit("councils.tasks.render_pdf", job.pk, urgent=_urgent(job))


def _urgent(job: RenderJob) -> bool:
    """A decision's extract is what people come for and wait for: it goes to the
    priority queue, ahead of protocols, packets and reports."""
    return job.kind == RenderJob.Kind.EXTRACT


def render_job_run(*, job_id: int) -> RenderJob:
    """Render a job's PDF (run by the worker), exactly once (``base.jobs``): the
    renderer's bytes, sealed when its kind is issued under the seal, and never a seal
    that does not validate."""
    return run_once(
        RenderJob,
        job_id,
        related=("meeting__body__organisation", "paragraph"),
        produce=_rendered,
        store=_store_rendered,
    )


def _rendered(job: RenderJob, _cleanups: Any) -> tuple[bytes, verify.SealCheck | None]:
    rendered = renderers.renderer(job.kind).render(job)
    data, reason = rendered.data, rendered.seal_reason
    if not reason:
        return data, None
    data = sign.seal_pdf(data, reason=reason)
    sealed = verify.check_pdf(data)
    if not sealed.authentic:  # never publish a seal that does not validate
        raise ValueError(f"the seal does not validate: {sealed.problems}")
    return data, sealed


def _store_rendered(job: RenderJob, result: tuple[bytes, verify.SealCheck | None]) -> None:
    data, sealed = result
    job.sha256 = verify.sha256(data)
    if sealed is not None:
        job.sealed_at = sealed.signed_at or timezone.now()
        job.seal_certificate = sealed.signer[:500]
        job.seal_digest = sealed.message_digest
    job.file.name = default_storage.save(
        f"pdf/{timezone.now():%Y}/{uuid.uuid4().hex}.pdf", File(io.BytesIO(data))
    )


def render_job_failed(*, job_id: int, error: str) -> None:
    mark_failed(RenderJob, job_id, error)


def render_jobs_sweep(
    *,
    older_than: datetime.timedelta = datetime.timedelta(minutes=2),
    running_longer_than: datetime.timedelta = datetime.timedelta(minutes=10),
) -> int:
    """Re-send the jobs that were committed but never picked up (the broker was down,
    the message was lost) or whose worker died mid-render. Returns how many."""

    now = timezone.now()
    waiting = list(
        RenderJob.objects.filter(status=RenderJob.Status.PENDING, created_at__lte=now - older_than)
        .filter(Q(started_at__isnull=True) | Q(started_at__lte=now - running_longer_than))
        .only("pk", "kind")[:100]
    )
    for job in waiting:
        queue.send("councils.tasks.render_pdf", job.pk, urgent=_urgent(job))
    return len(waiting)
