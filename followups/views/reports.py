"""Pages of the verksamhetsberättelse: writing, compiling, fastställande, and the
public years."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from base.actors import acting_user
from base.decorators import secretariat_required
from base.pages import form_page, is_htmx, year_or_404
from base.roles import is_secretariat
from councils.models import RenderJob
from councils.views.publication import personal_data_panel
from followups import selectors, services
from followups.forms import (
    ReportStartForm,
    SectionForm,
)
from followups.models import (
    Section,
)
from followups.pdfs import report_context


def reports_public(request: HttpRequest) -> TemplateResponse:
    versions = list(selectors.published_versions())
    years = sorted({v.report.year for v in versions}, reverse=True)
    context: dict[str, Any] = {"years": years, "versions": versions}
    if is_secretariat(request.user):
        context["reports"] = list(selectors.reports_for_user(request.user))
        context["start_form"] = ReportStartForm()
    return TemplateResponse(request, "followups/reports.html", context)


def reports_year(request: HttpRequest, year: int) -> TemplateResponse:
    year = year_or_404(year)
    versions = [
        (version, report_context(version), services.report_version_job(version))
        for version in selectors.published_versions(year=year).prefetch_related("renderings__job")
    ]
    return TemplateResponse(
        request, "followups/reports_year.html", {"year": year, "versions": versions}
    )


@secretariat_required
@require_POST
def report_start(request: HttpRequest) -> HttpResponse:
    form = ReportStartForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("followups:reports")
    report = services.report_get_or_create(
        actor=acting_user(request),
        agreement=form.cleaned_data["agreement"],
        year=form.cleaned_data["year"],
    )
    return redirect(report)


@secretariat_required
def report_detail(request: HttpRequest, pk: int) -> TemplateResponse:
    report = selectors.report_get_for_secretariat(user=request.user, pk=pk)
    versions = [(v, services.report_version_job(v)) for v in report.versions.all()]
    panels = [personal_data_panel(request.user, section) for section in report.sections.all()]
    return TemplateResponse(
        request,
        "followups/report_detail.html",
        {
            "report": report,
            "versions": versions,
            "adopted": any(v.is_adopted for v, _job in versions),
            "personal_data": [panel for panel in panels if panel is not None],
            "progress": [
                (f, selectors.dialogue_progress(f))
                for f in selectors.followups_list().filter(
                    agreement=report.agreement, year=report.year
                )
            ],
        },
    )


@secretariat_required
@require_http_methods(["GET", "POST"])
def section_form(request: HttpRequest, pk: int, section_pk: int | None = None) -> HttpResponse:
    report = selectors.report_get_for_secretariat(user=request.user, pk=pk)
    section = get_object_or_404(Section, pk=section_pk, report=report) if section_pk else None
    form = SectionForm(request.POST or None, instance=section or Section(report=report))
    if request.method == "POST" and form.is_valid():
        try:
            services.section_save(
                actor=acting_user(request), report=report, section=section, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The section was saved."))
            return redirect(report)
    return form_page(
        request,
        form,
        heading=_("Narrative section"),
        back_url=report.get_absolute_url(),
        back_label=str(report),
        intro=_(
            "Write in Markdown: a blank line between paragraphs, “- ” for a list item, "
            "*italics* and **bold**."
        ),
    )


@secretariat_required
@require_POST
def report_compile(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get_for_secretariat(user=request.user, pk=pk)
    try:
        version = services.report_compile(actor=acting_user(request), report=report)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(report)
    messages.success(
        request,
        _("Version %(number)d was compiled; the PDF is being made.") % {"number": version.number},
    )
    return redirect(version)


def version_detail(request: HttpRequest, pk: int) -> TemplateResponse:
    version = selectors.version_get_for_user(user=request.user, pk=pk)
    job = services.report_version_job(version)
    template = "followups/version_detail.html"
    if is_htmx(request):
        template += "#status"
    return TemplateResponse(
        request, template, {**report_context(version), "job": job, "report_obj": version.report}
    )


@secretariat_required
@require_POST
def version_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.version_get_for_user(user=request.user, pk=pk)
    try:
        services.report_adopt(
            actor=acting_user(request),
            version=version,
            adopted_in=request.POST.get("adopted_in", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Version %(number)d is fastställd and published.") % {"number": version.number},
        )
    return redirect(version)


def version_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The version's PDF: the same file for everyone, through the PDF job's gate."""
    version = selectors.version_get_for_user(user=request.user, pk=pk)
    job = services.report_version_job(version)
    if job is None or job.status != RenderJob.Status.DONE:
        raise Http404
    return redirect("councils:render-job-download", pk=job.pk)
