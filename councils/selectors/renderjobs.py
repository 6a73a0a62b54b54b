"""The gate for rendered PDFs."""

from __future__ import annotations

import datetime

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from base.actors import Viewer
from base.roles import is_secretariat
from councils import renderers
from councils.models import (
    Meeting,
    Protocol,
    RenderJob,
)
from councils.selectors.access import require
from councils.selectors.meetings import sees_closed_items
from councils.selectors.protocols import (
    paragraph_get_for_user,
    protocol_get_for_user,
    protocol_is_signatory,
)


def render_job_get_for_user(*, user: Viewer, pk: int) -> RenderJob:
    """The gate for PDFs: the same rules as the document each one renders."""
    job = get_object_or_404(RenderJob.objects.select_related("meeting__body", "paragraph"), pk=pk)
    if is_secretariat(user):
        return job
    readable = renderers.renderer(job.kind).readable
    if readable is not None:  # another app's kind: its renderer says who reads it
        require(readable(job, user))
        return job
    meeting = job.meeting
    assert meeting is not None
    require(
        not job.internal
        or sees_closed_items(user=user, body=meeting.body)
        or _signs(user, job)  # the chair and the justerare read the whole protocol
    )
    if job.kind == RenderJob.Kind.KALLELSE:
        require(meeting.agenda_is_published or sees_closed_items(user=user, body=meeting.body))
    elif job.kind == RenderJob.Kind.PACKET:
        require(sees_closed_items(user=user, body=meeting.body))
    elif job.kind == RenderJob.Kind.PROTOCOL:
        protocol_get_for_user(user=user, meeting_pk=meeting.pk)
    else:
        require(job.paragraph is not None)
        assert job.paragraph is not None
        paragraph_get_for_user(user=user, pk=job.paragraph.pk)
    return job


def _signs(user: Viewer, job: RenderJob) -> bool:
    """Whether the user justerar the protocol this job renders."""
    if job.kind != RenderJob.Kind.PROTOCOL or job.meeting is None:
        return False
    protocol = getattr(job.meeting, "protocol", None)
    return protocol is not None and protocol_is_signatory(user=user, protocol=protocol)


def _final_protocol_jobs() -> QuerySet[RenderJob]:
    """Published protocols' PDFs: the public version of a justerat protocol, rendered
    after justering and sealed (``pdfs._protocol_not_final``)."""
    return RenderJob.objects.filter(
        kind=RenderJob.Kind.PROTOCOL,
        internal=False,
        status=RenderJob.Status.DONE,
        sealed_at__isnull=False,
        meeting__protocol__status=Protocol.Status.APPROVED,
    ).exclude(file="")


def final_protocol_pdfs(meeting_ids: list[int]) -> dict[int, RenderJob]:
    """Meeting id → the published protocol's PDF, for the meetings among ``meeting_ids``
    that have one (the latest if several). One query. Anyone who reads the meeting may
    read it (the public version of a justerat protocol is public)."""
    jobs = (
        _final_protocol_jobs()
        .filter(meeting_id__in=meeting_ids)
        .select_related("meeting__body", "meeting__protocol")
        .order_by("meeting_id", "-created_at")
        .distinct("meeting_id")
    )
    return {job.meeting_id: job for job in jobs if job.meeting_id is not None}


def final_protocol_made_at() -> Subquery:
    """When the published protocol's PDF of the meeting in the outer query
    (``final_protocol_pdfs``) was made (a change to the meeting its own history does not
    hold)."""
    return Subquery(
        _final_protocol_jobs()
        .filter(meeting=OuterRef("pk"))
        .order_by("-created_at")
        .values("finished_at")[:1]
    )


def _sent_kallelse_jobs() -> QuerySet[RenderJob]:
    """Sent kallelser's PDFs: the public version rendered since the kallelse was last
    sent (``services.kallelse_send`` asks for it), the agenda then published."""
    return (
        RenderJob.objects.filter(
            kind=RenderJob.Kind.KALLELSE,
            internal=False,
            status=RenderJob.Status.DONE,
            meeting__kallelse_sent_at__isnull=False,
            created_at__gte=F("meeting__kallelse_sent_at"),
        )
        .exclude(meeting__status=Meeting.Status.PLANNED)
        .exclude(file="")
    )


def sent_kallelse_pdfs(meeting_ids: list[int]) -> dict[int, RenderJob]:
    """Meeting id → the PDF of its kallelse as last sent, for the meetings among
    ``meeting_ids`` that have one: the first rendering since the sending (the one the
    sending asked for; a later one, asked for after the meeting changed, shows the
    meeting as it then stood). One query. Anyone who reads the meeting may read it (the
    public agenda is public once the kallelse is sent)."""
    jobs = (
        _sent_kallelse_jobs()
        .filter(meeting_id__in=meeting_ids)
        .select_related("meeting__body")
        .order_by("meeting_id", "created_at")
        .distinct("meeting_id")
    )
    return {job.meeting_id: job for job in jobs if job.meeting_id is not None}


def sent_kallelse_made_at() -> Subquery:
    """When the kallelse PDF of the meeting in the outer query (``sent_kallelse_pdfs``)
    was made."""
    return Subquery(
        _sent_kallelse_jobs()
        .filter(meeting=OuterRef("pk"))
        .order_by("created_at")
        .values("finished_at")[:1]
    )


def published_meeting_pdfs(meetings: QuerySet[Meeting]) -> QuerySet[RenderJob]:
    """The published PDFs of ``meetings`` as rows of one list: each meeting's protocol
    (``final_protocol_pdfs``) and its kallelse as sent (``sent_kallelse_pdfs``); for the
    lists that hold every file of a body (OParl's ``Body.file``)."""
    protocols = (
        _final_protocol_jobs()
        .filter(meeting__in=meetings)
        .order_by("meeting_id", "-created_at")
        .distinct("meeting_id")
        .values("pk")
    )
    kallelser = (
        _sent_kallelse_jobs()
        .filter(meeting__in=meetings)
        .order_by("meeting_id", "created_at")
        .distinct("meeting_id")
        .values("pk")
    )
    return RenderJob.objects.filter(Q(pk__in=protocols) | Q(pk__in=kallelser)).select_related(
        "meeting__body", "meeting__protocol"
    )


def published_meeting_pdfs_made_since(since: datetime.datetime) -> QuerySet[RenderJob]:
    """The meetings' published PDFs of either kind made at or after ``since`` (those
    ``published_meeting_pdfs`` lists, and any earlier rendering of the same kind)."""
    return RenderJob.objects.filter(
        Q(pk__in=_final_protocol_jobs().filter(finished_at__gte=since).values("pk"))
        | Q(pk__in=_sent_kallelse_jobs().filter(finished_at__gte=since).values("pk"))
    )
