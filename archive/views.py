"""The archive room, for the secretariat only: deliveries to the e-archive (asking for
one, following it, downloading it: logged), the retention rules of the
dokumenthanteringsplan, and gallring on a recorded decision."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from archive import selectors, services
from archive.forms import ArchiveExportForm, DisposalDecisionForm, RetentionRuleForm
from archive.models import ArchiveExport
from base.actors import acting_user
from base.decorators import secretariat_required
from base.downloads import open_stream
from base.pages import is_htmx
from councils.models import DisposalDecision, RetentionRule


def _index(request: HttpRequest, form: ArchiveExportForm) -> TemplateResponse:
    context: dict[str, Any] = {
        "form": form,
        "exports": ArchiveExport.objects.select_related("case", "diarium", "body", "requested_by")[
            :30
        ],
        "rules": RetentionRule.objects.select_related("diarium"),
        "due": selectors.disposal_due().count(),
    }
    return TemplateResponse(request, "archive/archive.html", context)


@secretariat_required
def archive_index(request: HttpRequest) -> TemplateResponse:
    """The deliveries, a form to ask for one (preset from the diarium or arena page
    that links here), the retention rules and what is due for gallring."""
    initial = {
        key: request.GET[key] for key in ("scope", "diarium", "body", "year") if key in request.GET
    }
    return _index(request, ArchiveExportForm(initial=initial))


@secretariat_required
@require_POST
def archive_export_request(request: HttpRequest) -> HttpResponse:
    form = ArchiveExportForm(request.POST)
    if not form.is_valid():
        return _index(request, form)
    data = form.cleaned_data
    try:
        export = services.archive_export_request(
            actor=acting_user(request),
            scope=data["scope"],
            case=data.get("case"),
            diarium=data.get("diarium"),
            body=data.get("body"),
            year=data.get("year"),
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _index(request, form)
    return redirect(export)


@secretariat_required
def archive_export_detail(request: HttpRequest, pk: int) -> TemplateResponse:
    """A delivery on its way (the page polls until it is built), then its contents."""
    export = get_object_or_404(
        ArchiveExport.objects.select_related("case", "diarium", "body", "requested_by"), pk=pk
    )
    template = "archive/archive_export.html"
    if is_htmx(request):
        template += "#status"
    downloads = export.downloads.select_related("user")[:20]
    return TemplateResponse(request, template, {"export": export, "downloads": downloads})


@secretariat_required
def archive_export_download(request: HttpRequest, pk: int) -> FileResponse:
    export = get_object_or_404(ArchiveExport, pk=pk, status=ArchiveExport.Status.DONE)
    if not export.file or not export.file.storage.exists(export.file.name):
        raise Http404(_("The delivery's file is missing."))
    services.archive_export_downloaded(
        actor=acting_user(request), export=export, address=request.META.get("REMOTE_ADDR")
    )
    stream, size = open_stream(export.file)
    response = FileResponse(
        stream, as_attachment=True, filename=export.file_name, content_type="application/zip"
    )
    if size is not None:
        response["Content-Length"] = str(size)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@secretariat_required
def retention_rule_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    rule = get_object_or_404(RetentionRule, pk=pk) if pk is not None else None
    form = RetentionRuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        try:
            services.retention_rule_save(actor=acting_user(request), rule=form.instance)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The rule is saved and recorded on the handlingar."))
            return redirect("archive:index")
    return TemplateResponse(
        request, "archive/retention_rule_form.html", {"form": form, "rule": rule}
    )


@secretariat_required
@require_POST
def retention_rule_delete(request: HttpRequest, pk: int) -> HttpResponse:
    rule = get_object_or_404(RetentionRule, pk=pk)
    try:
        services.retention_rule_delete(actor=acting_user(request), rule=rule)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The rule is removed."))
    return redirect("archive:index")


@secretariat_required
def disposal(request: HttpRequest) -> HttpResponse:
    """What the dokumenthanteringsplan allows to destroy, and the decision that does."""
    due = selectors.disposal_due()
    form = DisposalDecisionForm(request.POST or None, due=due)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision = services.disposal_decide(
                actor=acting_user(request),
                document_ids=[document.pk for document in data["documents"]],
                decided_on=data["decided_on"],
                reference=data["reference"],
                note=data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(count)s handlingar destroyed by decision %(reference)s.")
                % {"count": decision.documents.count(), "reference": decision.reference},
            )
            return redirect("archive:disposal")
    decisions = DisposalDecision.objects.select_related("decided_by").prefetch_related(
        "documents__case"
    )[:20]
    return TemplateResponse(
        request, "archive/disposal.html", {"form": form, "due": due, "decisions": decisions}
    )
