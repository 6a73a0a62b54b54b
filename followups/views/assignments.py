"""Pages of the uppdrag: the list, one uppdrag, its form and its report-back."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Case, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from base.actors import acting_user
from base.decorators import secretariat_required
from base.pages import form_page
from base.roles import is_secretariat
from councils.models import Meeting, Paragraph
from councils.selectors import paragraph_get_for_secretariat
from followups import selectors, services
from followups.forms import (
    AgendaChoiceForm,
    AssignmentForm,
)
from followups.models import (
    Assignment,
)


def assignment_list(request: HttpRequest) -> TemplateResponse:
    show_all = request.GET.get("visa") == "alla"
    assignments = selectors.assignments_for_user(request.user)
    if not show_all:
        assignments = assignments.exclude(status__in=Assignment.CLOSED)
    return TemplateResponse(
        request,
        "followups/assignment_list.html",
        {"assignments": list(assignments), "show_all": show_all},
    )


def assignment_detail(request: HttpRequest, pk: int) -> TemplateResponse:
    assignment = selectors.assignment_get_for_user(user=request.user, pk=pk)
    agenda_form = None
    if is_secretariat(request.user) and assignment.is_open:
        agenda_form = AgendaChoiceForm(meetings=_upcoming(assignment))
    return TemplateResponse(
        request,
        "followups/assignment_detail.html",
        {"assignment": assignment, "agenda_form": agenda_form},
    )


def _upcoming(assignment: Assignment) -> Any:
    """The coming meetings a report-back can go to: those of the body that gave the
    uppdrag and of the body handling its ärende first, then every other arena's."""
    bodies = [assignment.given_by_id, assignment.case.body_id if assignment.case else 0]
    return (
        Meeting.objects.filter(
            starts_at__gte=timezone.now(),
            status__in=(Meeting.Status.PLANNED, Meeting.Status.CALLED),
        )
        .select_related("body")
        .annotate(own=Case(When(body_id__in=bodies, then=0), default=1))
        .order_by("own", "starts_at")
    )


@secretariat_required
@require_http_methods(["GET", "POST"])
def assignment_form(
    request: HttpRequest, pk: int | None = None, paragraph_pk: int | None = None
) -> HttpResponse:
    assignment = selectors.assignment_get_for_user(user=request.user, pk=pk) if pk else None
    paragraph: Paragraph | None = (
        paragraph_get_for_secretariat(user=request.user, pk=paragraph_pk) if paragraph_pk else None
    )
    from_paragraph = paragraph is not None or bool(assignment and assignment.paragraph_id)
    form = AssignmentForm(
        request.POST or None,
        instance=assignment,
        from_paragraph=from_paragraph,
        initial={"given_on": timezone.localdate()},
    )
    if paragraph is not None:  # the § fills in what the form leaves out
        meeting = paragraph.meeting
        form.instance.given_by = paragraph.body
        form.instance.given_on = meeting.starts_at.date()
        form.instance.case = paragraph.case
    if request.method == "POST" and form.is_valid():
        try:
            if assignment is None:
                assignment = services.assignment_create(
                    actor=acting_user(request), paragraph=paragraph, **form.cleaned_data
                )
            else:
                services.assignment_update(
                    actor=acting_user(request), assignment=assignment, **form.cleaned_data
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The uppdrag was saved."))
            return redirect(assignment)
    if assignment is not None:
        back_url, back_label = assignment.get_absolute_url(), str(assignment)
    elif paragraph is not None:
        back_url = reverse("councils:protocol", kwargs={"pk": paragraph.meeting_id})
        back_label = _("Protocol")
    else:
        back_url, back_label = reverse("followups:assignments"), _("Uppdrag")
    return form_page(
        request,
        form,
        heading=_("Uppdrag given by § %(number)s") % {"number": paragraph.number}
        if paragraph
        else _("Uppdrag"),
        back_url=back_url,
        back_label=back_label,
    )


@secretariat_required
@require_POST
def assignment_to_agenda(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = selectors.assignment_get_for_user(user=request.user, pk=pk)
    form = AgendaChoiceForm(request.POST, meetings=_upcoming(assignment))
    if not form.is_valid():
        messages.error(request, _("Choose one of the arena's coming meetings."))
        return redirect(assignment)
    try:
        item = services.assignment_put_on_agenda(
            actor=acting_user(request), assignment=assignment, meeting=form.cleaned_data["meeting"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(assignment)
    messages.success(request, _("The report-back was put on the agenda."))
    return redirect(item.meeting)
