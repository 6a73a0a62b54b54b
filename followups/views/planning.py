"""Pages of the annual focus (strategic questions) and the uppföljningsplan."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from base.actors import acting_user
from base.decorators import secretariat_required
from base.pages import form_page, year_or_404
from councils.selectors import body_get
from followups import selectors, services
from followups.forms import (
    PlanItemForm,
    StrategicQuestionForm,
)
from followups.models import (
    PlanItem,
    StrategicQuestion,
)

#: The collaboration's first year (the region and its samverkansråd began in 2015).
FIRST_YEAR = 2015


def annual_focus(request: HttpRequest, slug: str, year: int) -> TemplateResponse:
    body, year = body_get(slug=slug), year_or_404(year)
    questions = list(selectors.strategic_questions(body=body, year=year))
    plan = list(
        PlanItem.objects.filter(body=body, year=year).select_related("agreement", "area", "meeting")
    )
    return TemplateResponse(
        request,
        "followups/annual_focus.html",
        {
            "body": body,
            "year": year,
            "questions": questions,
            "plan": plan,
            "can_add": len(questions) < StrategicQuestion.MAX_PER_YEAR,
            # Years to step to: from the first year of the collaboration to the next one.
            "previous_year": year - 1 if year > FIRST_YEAR else None,
            "next_year": year + 1 if year <= timezone.localdate().year else None,
        },
    )


@secretariat_required
@require_http_methods(["GET", "POST"])
def strategic_question_form(
    request: HttpRequest, slug: str, year: int, question_pk: int | None = None
) -> HttpResponse:
    body, year = body_get(slug=slug), year_or_404(year)
    question = (
        get_object_or_404(StrategicQuestion, pk=question_pk, body=body, year=year)
        if question_pk
        else StrategicQuestion(body=body, year=year)
    )
    form = StrategicQuestionForm(request.POST or None, instance=question)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.strategic_question_save(
                actor=acting_user(request),
                question=question,
                cases=data.pop("cases"),
                body=body,
                year=year,
                **data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The strategic question was saved."))
            return redirect("followups:annual-focus", slug=body.slug, year=year)
    return form_page(
        request,
        form,
        heading=_("Strategic question"),
        back_url=reverse("followups:annual-focus", kwargs={"slug": body.slug, "year": year}),
        back_label=_("Focus and follow-up plan %(year)d") % {"year": year},
    )


@secretariat_required
@require_http_methods(["GET", "POST"])
def plan_item_form(
    request: HttpRequest, slug: str, year: int, item_pk: int | None = None
) -> HttpResponse:
    body, year = body_get(slug=slug), year_or_404(year)
    item = (
        get_object_or_404(PlanItem, pk=item_pk, body=body, year=year)
        if item_pk
        else PlanItem(body=body, year=year)
    )
    form = PlanItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        services.record_save(actor=acting_user(request), instance=item, **form.cleaned_data)
        messages.success(request, _("The follow-up plan was saved."))
        return redirect("followups:annual-focus", slug=body.slug, year=year)
    return form_page(
        request,
        form,
        heading=_("Follow-up plan item"),
        back_url=reverse("followups:annual-focus", kwargs={"slug": body.slug, "year": year}),
        back_label=_("Focus and follow-up plan %(year)d") % {"year": year},
    )
