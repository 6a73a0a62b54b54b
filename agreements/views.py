"""Pages for agreements: the list, an agreement with its parts and changes, its
årsplan per year, and the secretariat's forms. Thin: selector, form, service, template."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from agreements import selectors, services
from agreements.forms import (
    ActivityForm,
    AgreementForm,
    AreaForm,
    CaseAreasForm,
    ExtensionForm,
    PerspectiveForm,
    PurposeForm,
)
from agreements.models import Activity, Agreement, Area, Extension, Perspective, Purpose
from base import panels
from base.actors import acting_user
from base.decorators import secretariat_required
from base.pages import form_page, year_or_404
from base.roles import is_secretariat
from councils.models import Organisation
from councils.selectors import case_get_for_user


def agreement_list(request: HttpRequest) -> TemplateResponse:
    agreements = list(selectors.agreements_list())
    return TemplateResponse(request, "agreements/agreement_list.html", {"agreements": agreements})


def agreement_detail(request: HttpRequest, pk: int) -> TemplateResponse:
    agreement = selectors.agreement_get(pk=pk)
    return TemplateResponse(
        request,
        "agreements/agreement_detail.html",
        {
            "agreement": agreement,
            "chain": agreement.chain(),
            "successor": getattr(agreement, "successor", None),
            "plan_years": sorted(
                set(agreement.activities.values_list("year", flat=True)) | set(agreement.years)
            ),
            "followups": agreement.followups.select_related("case__diarium"),
            "reports": agreement.reports.all(),
            "this_year": timezone.localdate().year,
            "panels": panels.for_page("agreement", request, agreement=agreement),
        },
    )


def agreement_changes(request: HttpRequest, pk: int) -> TemplateResponse:
    agreement = selectors.agreement_get(pk=pk)
    history = selectors.agreement_changes(
        agreement=agreement, show_values=is_secretariat(request.user)
    )
    return TemplateResponse(
        request, "agreements/agreement_changes.html", {"agreement": agreement, "history": history}
    )


@secretariat_required
@require_http_methods(["GET", "POST"])
def agreement_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    agreement = selectors.agreement_get(pk=pk) if pk else None
    form = AgreementForm(request.POST or None, instance=agreement)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        parties = data.pop("parties")
        try:
            saved = services.agreement_save(
                actor=acting_user(request), agreement=agreement, parties=parties, **data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The agreement was saved."))
            return redirect(saved)
    return form_page(
        request,
        form,
        heading=_("Edit the agreement") if agreement else _("Register an agreement"),
        back_url=agreement.get_absolute_url() if agreement else reverse("agreements:list"),
        back_label=str(agreement) if agreement else _("Agreements"),
    )


#: The parts of an agreement edited by one generic form view: URL word → model, form,
#: and the heading of the form page.
PARTS: dict[str, tuple[type[Any], type[Any], Any]] = {
    "syfte": (Purpose, PurposeForm, gettext_lazy("Purpose")),
    "omrade": (Area, AreaForm, gettext_lazy("Area")),
    "perspektiv": (Perspective, PerspectiveForm, gettext_lazy("Cross-cutting perspective")),
    "forlangning": (Extension, ExtensionForm, gettext_lazy("Extension")),
}

ORDERED_PARTS = {"syfte": "purposes", "omrade": "areas", "perspektiv": "perspectives"}


def _part(agreement: Agreement, part: str, part_pk: int | None) -> tuple[Any, Any, Any]:
    if part not in PARTS:
        raise Http404
    model, form_class, heading = PARTS[part]
    instance = (
        get_object_or_404(model, pk=part_pk, agreement=agreement)
        if part_pk
        else model(agreement=agreement)
    )
    return instance, form_class, heading


@secretariat_required
@require_http_methods(["GET", "POST"])
def part_form(request: HttpRequest, pk: int, part: str, part_pk: int | None = None) -> HttpResponse:
    agreement = selectors.agreement_get(pk=pk)
    instance, form_class, heading = _part(agreement, part, part_pk)
    if not part_pk and part in ORDERED_PARTS:  # a new one goes last
        instance.position = len(getattr(agreement, ORDERED_PARTS[part]).all()) + 1
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_save(actor=acting_user(request), instance=instance, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(part)s was saved.") % {"part": heading})
            return redirect(agreement)
    return form_page(
        request, form, heading=heading, back_url=agreement.get_absolute_url(), back_label=agreement
    )


@secretariat_required
@require_POST
def part_delete(request: HttpRequest, pk: int, part: str, part_pk: int) -> HttpResponse:
    agreement = selectors.agreement_get(pk=pk)
    instance, _form, heading = _part(agreement, part, part_pk)
    try:
        services.record_delete(actor=acting_user(request), instance=instance)
    except ProtectedError:
        messages.error(request, _("%(part)s is in use and was kept.") % {"part": heading})
    else:
        messages.success(request, _("%(part)s was removed.") % {"part": heading})
    return redirect(agreement)


def annual_plan(request: HttpRequest, pk: int, year: int) -> TemplateResponse:
    agreement = selectors.agreement_get(pk=pk)
    year_or_404(year)
    activities = list(selectors.activities_for(agreement=agreement, year=year))
    return TemplateResponse(
        request,
        "agreements/annual_plan.html",
        {
            "agreement": agreement,
            "year": year,
            "activities": activities,
            "owners": Organisation.objects.exclude(kind=Organisation.Kind.PARTY),
        },
    )


@secretariat_required
@require_POST
def annual_plan_standard(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    agreement = selectors.agreement_get(pk=pk)
    owner = get_object_or_404(Organisation, pk=request.POST.get("owner") or 0)
    created = services.annual_plan_create_standard(
        actor=acting_user(request), agreement=agreement, year=year, owner=owner
    )
    messages.success(
        request, _("%(count)d activities were added to the plan.") % {"count": len(created)}
    )
    return redirect("agreements:annual-plan", pk=agreement.pk, year=year)


@secretariat_required
@require_http_methods(["GET", "POST"])
def activity_form(
    request: HttpRequest, pk: int, year: int, activity_pk: int | None = None
) -> HttpResponse:
    agreement = selectors.agreement_get(pk=pk)
    activity = (
        get_object_or_404(Activity, pk=activity_pk, agreement=agreement, year=year)
        if activity_pk
        else Activity(agreement=agreement, year=year)
    )
    form = ActivityForm(request.POST or None, instance=activity)
    if request.method == "POST" and form.is_valid():
        services.record_save(actor=acting_user(request), instance=activity, **form.cleaned_data)
        messages.success(request, _("The activity was saved."))
        return redirect("agreements:annual-plan", pk=agreement.pk, year=year)
    return form_page(
        request,
        form,
        heading=_("Activity in the annual plan %(year)d") % {"year": year},
        back_url=reverse("agreements:annual-plan", kwargs={"pk": agreement.pk, "year": year}),
        back_label=_("Annual plan %(year)d") % {"year": year},
    )


@secretariat_required
@require_http_methods(["GET", "POST"])
def case_areas(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_get_for_user(user=request.user, pk=pk)
    form = CaseAreasForm(request.POST or None, initial={"areas": case.agreement_areas.all()})
    if request.method == "POST" and form.is_valid():
        services.case_areas_set(
            actor=acting_user(request), case=case, areas=form.cleaned_data["areas"]
        )
        messages.success(request, _("The areas of the case were saved."))
        return redirect(case)
    return form_page(
        request,
        form,
        heading=_("Areas of %(number)s") % {"number": case.diarienummer},
        back_url=case.get_absolute_url(),
        back_label=case.diarienummer,
        intro=_("Which areas of the agreements the ärende concerns."),
    )
