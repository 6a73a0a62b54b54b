"""PDFs: asking for one, following its job, downloading it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from base.actors import acting_user, requesting_user
from base.decorators import api_key_accepted
from base.downloads import stored_file_response
from base.pagecache import public_post
from base.pages import is_htmx
from councils import renderers, selectors, services
from councils.models import (
    RenderJob,
)


def _pdf_requested(request: HttpRequest, job: RenderJob) -> HttpResponse:
    if is_htmx(request):
        return TemplateResponse(request, "councils/render_job.html#status", {"job": job})
    return redirect(job)


@public_post
@require_POST
def protocol_pdf_request(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for the protocol as PDF: the full version for those who see closed items."""
    protocol = selectors.protocol_get_for_user(user=request.user, meeting_pk=pk)
    internal = request.POST.get("internal") == "1" and (
        selectors.sees_closed_items(user=request.user, body=protocol.meeting.body)
    )
    job = services.render_job_request(
        actor=requesting_user(request),
        kind=RenderJob.Kind.PROTOCOL,
        meeting=protocol.meeting,
        internal=internal,
    )
    return _pdf_requested(request, job)


@public_post
@require_POST
def extract_pdf_request(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for the protokollsutdrag of one justerad §."""
    paragraph = selectors.paragraph_get_for_user(user=request.user, pk=pk)
    selectors.require(paragraph.approved_at is not None)
    job = services.render_job_request(
        actor=requesting_user(request),
        kind=RenderJob.Kind.EXTRACT,
        meeting=paragraph.meeting,
        paragraph=paragraph,
        internal=not paragraph.public,
    )
    return _pdf_requested(request, job)


@public_post
@require_POST
def kallelse_pdf_request(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    sees_closed = selectors.sees_closed_items(user=request.user, body=meeting.body)
    selectors.require(meeting.agenda_is_published or sees_closed)
    job = services.render_job_request(
        actor=requesting_user(request),
        kind=RenderJob.Kind.KALLELSE,
        meeting=meeting,
        internal=sees_closed,
    )
    return _pdf_requested(request, job)


def render_job_detail(request: HttpRequest, pk: int) -> TemplateResponse:
    """A PDF on its way: the page polls (htmx) until it is ready, then offers it."""
    job = selectors.render_job_get_for_user(user=request.user, pk=pk)
    template = "councils/render_job.html"
    if is_htmx(request):
        template += "#status"
    return TemplateResponse(request, template, {"job": job, "subject": renderers.subject(job)})


@api_key_accepted
def render_job_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The PDF as a download (OParl's ``downloadUrl``)."""
    return _rendered_file(request, pk, attachment=True)


@api_key_accepted
def render_job_view(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The PDF to open where it is (OParl's ``accessUrl``: no attachment)."""
    return _rendered_file(request, pk, attachment=False)


def _rendered_file(request: HttpRequest, pk: int, *, attachment: bool) -> HttpResponseBase:
    job = selectors.render_job_get_for_user(user=request.user, pk=pk)
    selectors.require(job.status == RenderJob.Status.DONE and bool(job.file))
    selectors.require(job.file.storage.exists(job.file.name))
    return stored_file_response(
        request,
        job.file,
        attachment=attachment,
        filename=renderers.file_name(job),
        content_type="application/pdf",
        sha256=job.sha256,
        changed=job.finished_at,
    )


@login_required
@require_POST
def packet_pdf_request(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole meeting packet as one PDF, for the arena's members and the secretariat."""
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    selectors.require(selectors.sees_closed_items(user=request.user, body=meeting.body))
    job = services.render_job_request(
        actor=acting_user(request), kind=RenderJob.Kind.PACKET, meeting=meeting, internal=True
    )
    return _pdf_requested(request, job)
