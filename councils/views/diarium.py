"""Pages of the diarium: ärenden and handlingar, their forms and downloads."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from base.actors import acting_user
from base.classcache import class_cached
from base.decorators import api_key_accepted, secretariat_required
from base.downloads import stored_at, stored_file_response
from base.exports import csv_response
from base.history import history_for
from base.pages import is_htmx
from base.roles import is_secretariat
from councils import selectors, services
from councils.forms.diarium import (
    CaseEditForm,
    CaseFilterForm,
    CaseRegisterForm,
    DocumentEditForm,
    DocumentRegisterForm,
)
from councils.views import classes
from councils.views.publication import personal_data_panel


def case_list(request: HttpRequest) -> TemplateResponse:
    """The public diarium, filterable; htmx requests get only the results."""
    form = CaseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    cases = selectors.cases_search(
        user=request.user,
        query=filters.get("q") or "",
        diarium=filters.get("diarium") or "",
        year=filters.get("year"),
    )
    page = Paginator(cases, 25).get_page(request.GET.get("page"))
    template = "councils/case_list.html"
    if is_htmx(request):
        template += "#results"
    return TemplateResponse(request, template, {"form": form, "page": page})


def case_list_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The diarium list as CSV, with the same filters."""
    form = CaseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    cases = selectors.cases_search(
        user=request.user,
        query=filters.get("q") or "",
        diarium=filters.get("diarium") or "",
        year=filters.get("year"),
    )
    return csv_response(
        "diarium",
        [_("Diarienummer"), _("Title"), _("Handled in"), _("Registered"), _("Status")],
        (
            [
                c.diarienummer,
                c.shown_title,  # type: ignore[attr-defined]
                c.body.name,
                c.registered_on,
                c.get_status_display(),
            ]
            for c in cases.iterator(chunk_size=500)
        ),
    )


@class_cached(classes.permission_class_only)
def case_detail(request: HttpRequest, pk: int) -> TemplateResponse:
    """An ärende with the documents the viewer may see and its history."""
    case = selectors.case_get_for_user(user=request.user, pk=pk)
    show_internal = selectors.case_shows_internal(user=request.user, case=case)
    documents = selectors.documents_for_user(request.user).filter(case=case)
    context = {
        "case": case,
        "show_internal": show_internal,
        "documents": documents,
        "history": history_for(case, show_values=is_secretariat(request.user))
        if show_internal
        else [],
        "personal_data": personal_data_panel(request.user, case),
    }
    return TemplateResponse(request, "councils/case_detail.html", context)


@secretariat_required
@require_http_methods(["GET", "POST"])
def case_register(request: HttpRequest) -> HttpResponse:
    form = CaseRegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_register(actor=acting_user(request), **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The case was registered as %(number)s.") % {"number": case.diarienummer}
            )
            return redirect(case)
    return TemplateResponse(request, "councils/case_form.html", {"form": form, "case": None})


@secretariat_required
@require_http_methods(["GET", "POST"])
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, pk=pk)
    form = CaseEditForm(request.POST or None, instance=case)
    if request.method == "POST" and form.is_valid():
        case = services.case_update(actor=acting_user(request), case=case, **form.cleaned_data)
        messages.success(request, _("The case was saved."))
        return redirect(case)
    return TemplateResponse(request, "councils/case_form.html", {"form": form, "case": case})


@secretariat_required
@require_http_methods(["GET", "POST"])
def document_register(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, pk=pk)
    form = DocumentRegisterForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("file")
        try:
            document = services.document_register(
                actor=acting_user(request),
                case=case,
                upload=upload,
                upload_name=upload.name if upload else "",
                upload_size=upload.size if upload else 0,
                **data,
            )
        except ValidationError as error:
            form.add_error(None if hasattr(error, "error_dict") else "file", error)
        else:
            messages.success(
                request,
                _("The document was registered as %(reference)s.")
                % {"reference": document.reference},
            )
            return redirect(case)
    return TemplateResponse(
        request, "councils/document_form.html", {"form": form, "case": case, "document": None}
    )


def document_detail(request: HttpRequest, pk: int) -> TemplateResponse:
    document = selectors.document_get_for_user(user=request.user, pk=pk)
    show_values = is_secretariat(request.user)
    context = {
        "document": document,
        "case": selectors.case_get_for_user(user=request.user, pk=document.case_id),
        "history": history_for(document, show_values=show_values),
        # The secretariat is told of an upload that is not accessible, and what to do.
        "untagged_pdf": show_values and selectors.document_is_untagged_pdf(document),
        # ... and of personal data in it, which are not to be published unchecked.
        "personal_data": personal_data_panel(request.user, document),
        # The way back to the meetings whose agendas carry it (as the user sees them).
        "on_agendas": selectors.agenda_items_for_user(request.user)
        .filter(documents=document)
        .select_related("meeting__body")
        .order_by("-meeting__starts_at"),
    }
    return TemplateResponse(request, "councils/document_detail.html", context)


@secretariat_required
@require_http_methods(["GET", "POST"])
def document_edit(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_get_for_user(user=request.user, pk=pk)
    form = DocumentEditForm(request.POST or None, instance=document)
    if request.method == "POST" and form.is_valid():
        try:
            document = services.document_update(
                actor=acting_user(request), document=document, **form.cleaned_data
            )
        except ValidationError as error:  # e.g. a handling already destroyed (gallrad)
            form.add_error(None, error)
        else:
            messages.success(request, _("The document was saved."))
            return redirect(document)
    return TemplateResponse(
        request,
        "councils/document_form.html",
        {"form": form, "case": document.case, "document": document},
    )


@api_key_accepted
def document_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The stored file as a download (``Content-Disposition: attachment``)."""
    return _stored_file(request, pk, attachment=True)


@api_key_accepted
def document_view(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The stored file to open where it is (OParl's ``accessUrl``: no attachment)."""
    return _stored_file(request, pk, attachment=False)


def _stored_file(request: HttpRequest, pk: int, *, attachment: bool) -> HttpResponseBase:
    """The only way to a stored file: through the document gate."""
    document = selectors.document_get_for_user(user=request.user, pk=pk)
    selectors.require(bool(document.file) and document.file.storage.exists(document.file.name))
    response = stored_file_response(
        request,
        document.file,
        attachment=attachment,
        filename=document.file_name or f"{document.reference}",
        content_type=document.content_type or "application/octet-stream",
        sha256=document.sha256,
        changed=stored_at(document.file) or document.registered_at,
    )
    response["Cache-Control"] = "private, no-store" if document.confidential else "private"
    return response
