"""Pages of meetings: the meeting and its agenda, planning, the kallelse, notes,
Mina sammanträden and the private calendar address."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Case as CaseWhen
from django.db.models import Q, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from base.actors import acting_user
from base.classcache import class_cached
from base.decorators import secretariat_required
from base.history import history_for
from base.pages import is_htmx
from base.roles import is_secretariat
from councils import selectors, services
from councils.calendar import calendar, meeting_event
from councils.forms.meetings import (
    AgendaCaseForm,
    AgendaItemForm,
    AgendaNoteForm,
    MeetingForm,
    MeetingPlanForm,
)
from councils.models import (
    Body,
    CalendarToken,
    Case,
    Meeting,
    Protocol,
    Reminder,
)
from councils.views import classes
from councils.views.publication import personal_data_panel


@class_cached(classes.meeting_class)
def meeting_detail(request: HttpRequest, pk: int) -> TemplateResponse:
    """A meeting: time, place, link, and the agenda items the viewer may see."""
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    protocol: Protocol | None = getattr(meeting, "protocol", None)
    context = {
        "meeting": meeting,
        "has_protocol": protocol is not None,
        "protocol_visible": protocol is not None
        and (
            protocol.is_approved
            or is_secretariat(request.user)
            or selectors.protocol_is_signatory(user=request.user, protocol=protocol)
        ),
        "agenda": selectors.agenda_for_user(user=request.user, meeting=meeting),
        "deferred_cases": selectors.deferred_cases_for(meeting=meeting)
        if is_secretariat(request.user)
        else [],
        "sees_closed": selectors.sees_closed_items(user=request.user, body=meeting.body),
        # Private notes are for the arena's members who prepare for the meeting.
        "prepares": selectors.prepares_for(user=request.user, meeting=meeting),
        "history": history_for(meeting, show_values=is_secretariat(request.user)),
        "cycle": selectors.meeting_cycle(meeting) if is_secretariat(request.user) else None,
    }
    template = "councils/meeting_detail.html"
    if is_htmx(request):
        template += "#agenda"
    return TemplateResponse(request, template, context)


@login_required
def my_meetings(request: HttpRequest) -> TemplateResponse:
    """'Mina sammanträden': the coming meetings of the arenas the user sits in, and the
    address of the user's private calendar."""
    meetings = list(selectors.meetings_upcoming_for(request.user)[:20])
    to_justera = list(selectors.protocols_to_justera(request.user))
    person = selectors.viewer_person(request.user)
    my_reminders = list(Reminder.objects.filter(person=person)[:20]) if person else []
    token = CalendarToken.objects.filter(user_id=request.user.pk or 0).first()
    calendar_url = (
        request.build_absolute_uri(reverse("councils:calendar-private", args=[token.token]))
        if token
        else ""
    )
    return TemplateResponse(
        request,
        "councils/my_meetings.html",
        {
            "meetings": meetings,
            "to_justera": to_justera,
            "calendar_url": calendar_url,
            "reminders": my_reminders,
        },
    )


@login_required
@require_POST
def calendar_address_renew(request: HttpRequest) -> HttpResponse:
    """Make the private calendar address (anew: the old one stops working)."""
    services.calendar_token_renew(user=acting_user(request))
    messages.success(
        request, _("Your calendar has a new address. The old address no longer works.")
    )
    return redirect("councils:my-meetings")


@secretariat_required
@require_http_methods(["GET", "POST"])
def meeting_plan(request: HttpRequest, slug: str) -> HttpResponse:
    """Plan a body's meetings, e.g. the eight of the samverkansråd's year."""
    body = selectors.body_get(slug=slug)
    form = MeetingPlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        meetings = services.meeting_plan(
            actor=acting_user(request),
            body=body,
            starts=data["starts"],
            place=data["place"],
            remote_link=data["remote_link"],
            duration=datetime.timedelta(minutes=data["duration"]),
        )
        planned = format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            (
                (m.get_absolute_url(), f"{timezone.localtime(m.starts_at):%Y-%m-%d %H:%M}")
                for m in meetings
            ),
        )
        messages.success(
            request,
            format_html(
                "{} {}",
                ngettext(
                    "%(count)d meeting was planned:",
                    "%(count)d meetings were planned:",
                    len(meetings),
                )
                % {"count": len(meetings)},
                planned,
            ),
        )
        return redirect(body)
    return TemplateResponse(request, "councils/meeting_plan.html", {"form": form, "body": body})


@secretariat_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        meeting = services.meeting_update(
            actor=acting_user(request), meeting=meeting, **form.cleaned_data
        )
        messages.success(request, _("The meeting was saved."))
        return redirect(meeting)
    return TemplateResponse(
        request, "councils/meeting_form.html", {"form": form, "meeting": meeting}
    )


@secretariat_required
@require_POST
def agenda_standard_items(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    try:
        services.agenda_add_standard_items(actor=acting_user(request), meeting=meeting)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(meeting)
    return _agenda_response(request, meeting)


@secretariat_required
@require_http_methods(["GET", "POST"])
def agenda_add_case(request: HttpRequest, pk: int) -> HttpResponse:
    """Put an ärende on the agenda: any case not closed, the arena's own open ones first,
    then the newest; a search narrows the list by diarienummer or title."""
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    query = request.GET.get("q", "").strip()[:100]
    cases = (
        selectors.cases_for_user(request.user)
        .exclude(status=Case.Status.CLOSED)
        .annotate(
            elsewhere=CaseWhen(When(body_id=meeting.body_id, then=0), default=1),
            settled=CaseWhen(When(status=Case.Status.DECIDED, then=1), default=0),
        )
        .order_by("elsewhere", "settled", "-registered_on", "-number")
    )
    if query:
        cases = cases.filter(Q(diarienummer__icontains=query) | Q(title__icontains=query))
    form = AgendaCaseForm(request.POST or None, cases=cases)
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_add_case(
                actor=acting_user(request), meeting=meeting, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The case was put on the agenda."))
            return redirect(meeting)
    return TemplateResponse(
        request,
        "councils/agenda_case_form.html",
        {"form": form, "meeting": meeting, "query": query, "found": cases.count()},
    )


@secretariat_required
@require_http_methods(["GET", "POST"])
def agenda_item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.agenda_item_get_for_secretariat(user=request.user, pk=pk)
    form = AgendaItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_item_update(actor=acting_user(request), item=item, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The agenda item was saved."))
            return redirect(item.meeting)
    return TemplateResponse(
        request,
        "councils/agenda_item_form.html",
        {"form": form, "item": item, "personal_data": personal_data_panel(request.user, item)},
    )


@secretariat_required
@require_POST
def agenda_item_move(request: HttpRequest, pk: int, direction: str) -> HttpResponse:
    item = selectors.agenda_item_get_for_secretariat(user=request.user, pk=pk)
    try:
        services.agenda_move(
            actor=acting_user(request), item=item, offset=-1 if direction == "upp" else 1
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(item.meeting)
    return _agenda_response(request, item.meeting)


@secretariat_required
@require_POST
def agenda_item_remove(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.agenda_item_get_for_secretariat(user=request.user, pk=pk)
    meeting = item.meeting
    try:
        services.agenda_item_remove(actor=acting_user(request), item=item)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return redirect(meeting)
    return _agenda_response(request, meeting)


def _agenda_response(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    """htmx gets the agenda region back; a plain form post goes back to the page."""
    if is_htmx(request):
        return meeting_detail(request, meeting.pk)
    return redirect(meeting)


@secretariat_required
@require_http_methods(["GET", "POST"])
def kallelse_send(request: HttpRequest, pk: int) -> HttpResponse:
    """The kallelse reviewed, then sent: who receives it and what each one gets (the
    whole agenda, or its public part), what stops it (an empty agenda, no one to
    receive it); sending records it, publishes the public agenda and e-mails everyone."""
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    if request.method == "GET":
        reach = selectors.kallelse_reach(meeting)
        items = list(meeting.agenda_items.all())
        return TemplateResponse(
            request,
            "councils/kallelse_send.html",
            {
                "meeting": meeting,
                "reach": reach,
                "count": len(reach) + len(meeting.invitee_addresses),
                "items": len(items),
                "public_items": sum(1 for item in items if item.public),
                "problems": selectors.kallelse_refusals(meeting, reach),
            },
        )
    try:
        result = services.kallelse_send(actor=acting_user(request), meeting=meeting)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return redirect(meeting)
    messages.success(
        request,
        ngettext(
            "The kallelse is being sent to %(count)d recipient.",
            "The kallelse is being sent to %(count)d recipients.",
            result.recipients,
        )
        % {"count": result.recipients},
    )
    if result.late:
        deadline = result.meeting.notice_deadline.isoformat()
        if result.meeting.body.procedure == Body.Procedure.FORMAL:
            messages.warning(
                request,
                _("The kallelse is late: the notice period required it by %(date)s.")
                % {"date": deadline},
            )
        else:
            messages.info(
                request,
                _("The kallelse went out after %(date)s, later than the arena's notice period.")
                % {"date": deadline},
            )
    return redirect(meeting)


def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting as a calendar file (time and place are public)."""
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    url = request.build_absolute_uri(meeting.get_absolute_url())
    response = HttpResponse(
        calendar([meeting_event(meeting, url=url)]), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="sammantrade-{meeting.pk}.ics"'
    return response


@login_required
@require_POST
def agenda_note_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the member's private note on an item; htmx gets the note form back."""
    item = selectors.agenda_item_get_for_member(user=request.user, pk=pk)
    form = AgendaNoteForm(request.POST)
    if form.is_valid():
        note = services.agenda_note_save(
            actor=acting_user(request), item=item, text=form.cleaned_data["text"]
        )
        item.my_notes = [note] if note else []  # type: ignore[attr-defined]
        if is_htmx(request):
            return TemplateResponse(
                request,
                "councils/meeting_detail.html#note",
                {"item": item, "saved": True, "prepares": True},
            )
        messages.success(request, _("Your note was saved."))
        return redirect(item.meeting)
    messages.error(
        request,
        _("The note could not be saved: %(errors)s")
        % {"errors": " ".join(str(error) for error in form.errors.get("text", []))},
    )
    return redirect(item.meeting)
