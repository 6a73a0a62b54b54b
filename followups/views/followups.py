"""Pages of the follow-ups and their dialogues."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from base.actors import acting_user
from base.decorators import secretariat_required
from base.pages import form_page
from followups import selectors, services
from followups.forms import (
    DialogueForm,
    FindingForm,
    FollowUpForm,
    PriorityForm,
    QuestionForm,
)
from followups.models import (
    Finding,
    Priority,
    Question,
)


def followup_list(request: HttpRequest) -> TemplateResponse:
    followups = [(f, selectors.dialogue_progress(f)) for f in selectors.followups_list()]
    return TemplateResponse(
        request,
        "followups/followup_list.html",
        {"followups": followups, "this_year": timezone.localdate().year},
    )


def followup_detail(request: HttpRequest, pk: int) -> TemplateResponse:
    followup = selectors.followup_get(pk=pk)
    return TemplateResponse(
        request,
        "followups/followup_detail.html",
        {
            "followup": followup,
            "progress": selectors.dialogue_progress(followup),
            "themes": selectors.findings_by_theme(followup),
            "analysis": selectors.analysis_points(followup),
            "priorities": selectors.priorities_counted(list(followup.priorities.all())),
        },
    )


@secretariat_required
@require_http_methods(["GET", "POST"])
def followup_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    followup = selectors.followup_get(pk=pk) if pk else None
    form = FollowUpForm(request.POST or None, instance=followup)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if followup is None:
            questions = data.pop("questions").splitlines()
            followup = services.followup_create(
                actor=acting_user(request), questions=questions, **data
            )
        else:
            services.record_save(actor=acting_user(request), instance=followup, **data)
        messages.success(request, _("The follow-up was saved."))
        return redirect(followup)
    return form_page(
        request,
        form,
        heading=_("Edit the follow-up") if followup else _("Start a follow-up"),
        back_url=followup.get_absolute_url() if followup else reverse("followups:list"),
        back_label=str(followup) if followup else _("Follow-up"),
        intro=""
        if followup
        else _("A dialogue is planned for every municipality that is a party."),
    )


#: The parts of a follow-up edited by one generic form view.
PARTS: dict[str, tuple[type[Any], type[Any]]] = {
    "fraga": (Question, QuestionForm),
    "iakttagelse": (Finding, FindingForm),
    "prioritering": (Priority, PriorityForm),
}


@secretariat_required
@require_http_methods(["GET", "POST"])
def part_form(request: HttpRequest, pk: int, part: str, part_pk: int | None = None) -> HttpResponse:
    followup = selectors.followup_get(pk=pk)
    if part not in PARTS:
        raise Http404
    model, form_class = PARTS[part]
    instance = (
        get_object_or_404(model, pk=part_pk, followup=followup)
        if part_pk
        else model(followup=followup)
    )
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if model is Priority:
            services.priority_save(actor=acting_user(request), instance=instance, **data)
        elif model is Finding:
            services.finding_save(actor=acting_user(request), instance=instance, **data)
        else:
            services.record_save(actor=acting_user(request), instance=instance, **data)
        messages.success(request, _("The follow-up was saved."))
        return redirect(followup)
    return form_page(
        request,
        form,
        heading=str(model._meta.verbose_name).capitalize(),
        back_url=followup.get_absolute_url(),
        back_label=followup,
    )


def dialogue_detail(request: HttpRequest, pk: int) -> TemplateResponse:
    dialogue = selectors.dialogue_get(pk=pk)
    answers = {a.question_id: a.text for a in dialogue.answers.all()}
    return TemplateResponse(
        request,
        "followups/dialogue_detail.html",
        {
            "dialogue": dialogue,
            "notes": selectors.dialogue_notes(user=request.user, dialogue=dialogue),
            "questions": [(q, answers.get(q.pk, "")) for q in dialogue.followup.questions.all()],
        },
    )


@secretariat_required
@require_http_methods(["GET", "POST"])
def dialogue_form(request: HttpRequest, pk: int) -> HttpResponse:
    dialogue = selectors.dialogue_get(pk=pk)
    form = DialogueForm(
        request.POST or None,
        instance=dialogue,
        questions=list(dialogue.followup.questions.all()),
        answers={a.question_id: a.text for a in dialogue.answers.all()},
    )
    if request.method == "POST" and form.is_valid():
        services.dialogue_record(
            actor=acting_user(request),
            dialogue=dialogue,
            answers=form.answers(),
            **form.dialogue_fields(),
        )
        messages.success(request, _("The dialogue was saved."))
        return redirect(dialogue.followup)
    return form_page(
        request,
        form,
        heading=_("Dialogue with %(kommun)s") % {"kommun": dialogue.organisation.name},
        back_url=dialogue.followup.get_absolute_url(),
        back_label=dialogue.followup,
    )
