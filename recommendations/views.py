"""Pages for recommendations: the list (with CSV and XLSX), one recommendation with each
organisation's decision, recording a decision, and the secretariat's changes. Thin:
selector, form, service, template."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from agreements.selectors import agreement_get
from base.actors import acting_user
from base.decorators import secretariat_required
from base.exports import csv_response, xlsx_response
from base.history import history_for
from base.pages import is_htmx
from base.roles import is_secretariat
from councils.models import Body, Organisation
from councils.selectors import documents_for_user
from recommendations import selectors, services
from recommendations.forms import AddresseeForm, AnswerDateForm, DecisionForm
from recommendations.models import Recommendation


class FilterForm(forms.Form):
    body = forms.ModelChoiceField(
        label=gettext_lazy("Arena"),
        required=False,
        queryset=Body.objects.filter(can_recommend=True),
    )
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Addressed organisation"),
        required=False,
        queryset=Organisation.objects.filter(
            kind__in=[Organisation.Kind.KOMMUN, Organisation.Kind.REGION]
        ),
    )
    year = forms.IntegerField(
        label=gettext_lazy("Year"), required=False, min_value=1990, max_value=2100
    )
    open_only = forms.BooleanField(
        label=gettext_lazy("Only those still awaiting a decision (of the chosen organisation)"),
        required=False,
    )


def _filtered(request: HttpRequest) -> tuple[FilterForm, Any]:
    form = FilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    return form, selectors.recommendations_list(
        user=request.user,
        filters=selectors.Filters(
            body=data.get("body"),
            year=data.get("year"),
            organisation=data.get("organisation"),
            open_only=bool(data.get("open_only")),
        ),
    )


def recommendation_list(request: HttpRequest) -> TemplateResponse:
    form, recommendations = _filtered(request)
    page = Paginator(recommendations, 25).get_page(request.GET.get("page"))
    for recommendation in page.object_list:
        recommendation.tally = selectors.Tally.of(recommendation)
    template = "recommendations/recommendation_list.html"
    if is_htmx(request):
        template += "#results"
    return TemplateResponse(
        request,
        template,
        {
            "form": form,
            "page": page,
            "owing": list(selectors.open_by_organisation(request.user))
            if is_secretariat(request.user)
            else [],
        },
    )


#: The export's columns: one row per recommendation and organisation.
def _export_header() -> list[str]:
    return [
        _("Recommendation"),
        _("Issued by"),
        _("Issued on"),
        _("Answer by"),
        _("Organisation"),
        _("Asked to"),
        _("Received on"),
        _("Their diarienummer"),
        _("Decided on"),
        _("Decided by"),
        _("Their §"),
        _("Outcome"),
        _("Comment"),
    ]


def _export_rows(request: HttpRequest) -> Any:
    _form, recommendations = _filtered(request)
    for recommendation in selectors.with_decisions_prefetched(recommendations).iterator(
        chunk_size=200
    ):
        for decision in recommendation.decisions.all():
            comment = decision.comment
            if decision.comment_internal and not selectors.sees_internal_comment(
                request.user, decision.organisation_id
            ):
                comment = ""
            yield [
                recommendation.title,
                recommendation.body.name,
                recommendation.issued_on,
                recommendation.answer_by,
                decision.organisation.name,
                decision.get_action_display(),
                decision.received_on,
                decision.their_diarienummer,
                decision.decided_on,
                decision.deciding_body_name or decision.get_deciding_body_display(),
                decision.their_paragraph,
                decision.get_outcome_display() if decision.outcome else _("Not decided"),
                comment,
            ]


def recommendation_list_csv(request: HttpRequest) -> StreamingHttpResponse:
    return csv_response("rekommendationer", _export_header(), _export_rows(request))


def recommendation_list_xlsx(request: HttpRequest) -> HttpResponse:
    return xlsx_response(
        "rekommendationer", _export_header(), [(_("Recommendations"), _export_rows(request))]
    )


def recommendation_detail(request: HttpRequest, pk: int) -> TemplateResponse:
    recommendation = selectors.recommendation_get_for_user(user=request.user, pk=pk)
    decisions = list(selectors.decisions_of(recommendation))
    extracts = [d.extract_id for d in decisions if d.extract_id is not None]
    readable = (
        set(documents_for_user(request.user).filter(pk__in=extracts).values_list("pk", flat=True))
        if extracts
        else set()
    )
    for decision in decisions:
        decision.may_record = selectors.may_record(request.user, decision)  # type: ignore[attr-defined]
        decision.shows_comment = bool(decision.comment) and (  # type: ignore[attr-defined]
            not decision.comment_internal
            or selectors.sees_internal_comment(request.user, decision.organisation_id)
        )
        decision.extract_shown = decision.extract_id in readable  # type: ignore[attr-defined]
    secretariat = is_secretariat(request.user)
    return TemplateResponse(
        request,
        "recommendations/recommendation_detail.html",
        {
            "recommendation": recommendation,
            "tally": selectors.Tally.of(recommendation),
            "decisions": decisions,
            "answer_form": AnswerDateForm(instance=recommendation) if secretariat else None,
            "addressee_form": AddresseeForm(recommendation=recommendation) if secretariat else None,
            "history": selectors.recommendation_changes(recommendation, show_values=secretariat),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Record (or correct) one organisation's decision: its own people or the
    secretariat. A refused entry keeps what was typed and changes nothing."""
    decision = selectors.decision_get_for_recording(user=request.user, pk=pk)
    secretariat = is_secretariat(request.user)
    form = DecisionForm(
        request.POST or None,
        request.FILES or None,
        instance=decision,
        may_change_action=secretariat,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("extract")
        try:
            services.decision_record(
                actor=acting_user(request),
                decision=decision,
                upload=upload,
                upload_name=upload.name if upload else "",
                upload_size=upload.size if upload else 0,
                **data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The decision of %(organisation)s was saved.")
                % {"organisation": decision.organisation.name},
            )
            return redirect(decision)
    return TemplateResponse(
        request,
        "recommendations/decision_form.html",
        {
            "form": form,
            "decision": decision,
            "recommendation": decision.recommendation,
            "history": history_for(decision, show_values=secretariat),
        },
    )


@secretariat_required
@require_POST
def agreement_request(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask each party of an adopted agreement for its own adoption."""
    agreement = agreement_get(pk=pk)
    try:
        recommendation = services.recommendation_create_for_agreement(
            actor=acting_user(request), agreement=agreement
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(agreement)
    messages.success(
        request,
        _("Each party is asked for its adoption; the requests are sent to the registrators."),
    )
    return redirect(recommendation)


@secretariat_required
@require_POST
def answer_date_change(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = selectors.recommendation_get_for_user(user=request.user, pk=pk)
    form = AnswerDateForm(request.POST, instance=Recommendation.objects.get(pk=pk))
    if form.is_valid():
        services.recommendation_update(
            actor=acting_user(request),
            recommendation=recommendation,
            answer_by=form.cleaned_data["answer_by"],
        )
        messages.success(request, _("The answer date was changed."))
    else:
        messages.error(request, " ".join(str(t) for errors in form.errors.values() for t in errors))
    return redirect(recommendation)


@secretariat_required
@require_POST
def addressee_add(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = selectors.recommendation_get_for_user(user=request.user, pk=pk)
    form = AddresseeForm(request.POST, recommendation=recommendation)
    if form.is_valid():
        try:
            services.addressee_add(
                actor=acting_user(request),
                recommendation=recommendation,
                organisation=form.cleaned_data["organisation"],
                action=form.cleaned_data["action"],
            )
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            messages.success(
                request,
                _("%(organisation)s is now addressed; the request is sent to its registrator.")
                % {"organisation": form.cleaned_data["organisation"].name},
            )
    else:
        messages.error(request, " ".join(str(t) for errors in form.errors.values() for t in errors))
    return redirect(recommendation)
