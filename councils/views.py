"""Pages for arenas, people and the diarium. Thin: a gate or selector, a form, a
service, a template."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from councils import alerts, feeds, selectors, services
from councils.calendar import calendar, meeting_event
from councils.forms import (
    AgendaCaseForm,
    AgendaItemForm,
    AgendaNoteForm,
    AssessorForm,
    AttendanceAddForm,
    AttendanceForm,
    CaseEditForm,
    CaseFilterForm,
    CaseRegisterForm,
    DecisionFilterForm,
    DecisionForm,
    DocumentEditForm,
    DocumentRegisterForm,
    MeetingForm,
    MeetingPlanForm,
    ParagraphForm,
    ProtocolForm,
    WatchForm,
)
from councils.models import (
    Approval,
    Attendance,
    Body,
    CalendarToken,
    Case,
    ExtractDispatch,
    Meeting,
    Membership,
    Organisation,
    OrganisationRole,
    Paragraph,
    Person,
    Protocol,
    RenderJob,
    Vote,
    Watch,
)
from councils.overview import build_overview
from samverkan.decorators import secretariat_required
from samverkan.exports import csv_response
from samverkan.history import history_for, history_of
from samverkan.redirects import next_url
from samverkan.roles import is_secretariat

# --- Arenas -------------------------------------------------------------------------------


def body_list(request: HttpRequest) -> TemplateResponse:
    """All arenas grouped by organisation, each with its mandate and seats."""
    bodies = list(
        selectors.bodies_overview().order_by("organisation__kind", "organisation__name", "name")
    )
    groups: dict[Organisation, list[Body]] = {}
    for body in bodies:
        groups.setdefault(body.organisation, []).append(body)
    return TemplateResponse(request, "councils/body_list.html", {"groups": groups})


def body_detail(request: HttpRequest, slug: str) -> TemplateResponse:
    """One arena: purpose, mandate, standing subjects, rhythm, seats, members, history."""
    body = selectors.body_get(slug=slug)
    context = {
        "body": body,
        "parts": body.parts.all(),
        "seat_allocations": body.seat_allocations.select_related("organisation"),
        "memberships": selectors.body_memberships(body=body),
        "recent_cases": selectors.cases_for_user(request.user).filter(body=body)[:10],
        "history": history_for(body, show_values=is_secretariat(request.user)),
    }
    context["upcoming_meetings"], context["past_meetings"] = selectors.meetings_around(body=body)
    return TemplateResponse(request, "councils/body_detail.html", context)


def body_membership_history(request: HttpRequest, slug: str) -> TemplateResponse:
    """Who joined, left or changed role in an arena: by whom and when."""
    body = selectors.body_get(slug=slug)
    history = history_of(
        Membership.history.filter(body_id=body.pk),
        model=Membership,
        show_values=is_secretariat(request.user),
        subject="person",
        limit=50,
    )
    return TemplateResponse(
        request, "councils/body_membership_history.html", {"body": body, "history": history}
    )


def overview(request: HttpRequest) -> TemplateResponse:
    """The picture of the political arenas, with the same facts as a table."""
    bodies = list(selectors.bodies_overview())
    return TemplateResponse(
        request,
        "councils/overview.html",
        {"overview": build_overview(bodies), "bodies": sorted(bodies, key=lambda b: b.name)},
    )


# --- People and organisations ---------------------------------------------------------


def person_list(request: HttpRequest) -> TemplateResponse:
    """Everyone with a current seat or role, with how many arenas each sits in."""

    today = timezone.localdate()
    current = (Q(memberships__start__lte=today) | Q(memberships__start__isnull=True)) & (
        Q(memberships__end__gte=today) | Q(memberships__end__isnull=True)
    )
    people = (
        selectors.people_for_user(None)
        .annotate(arena_count=Count("memberships__body", filter=current, distinct=True))
        .filter(arena_count__gt=0)
        .order_by("-arena_count", "last_name", "first_name")
    )
    return TemplateResponse(request, "councils/person_list.html", {"people": people})


def person_detail(request: HttpRequest, pk: int) -> TemplateResponse:
    """Every arena a person sits in, current and past."""
    person = selectors.person_get(pk=pk, user=request.user)
    memberships = list(selectors.person_memberships(person=person))
    active_ids = set(Membership.objects.active().filter(person=person).values_list("pk", flat=True))
    current = [m for m in memberships if m.pk in active_ids]
    past = [m for m in memberships if m.pk not in active_ids]
    context = {
        "person": person,
        "current": current,
        "past": past,
        "arena_count": len({m.body_id for m in current}),
        "history": history_for(person, show_values=is_secretariat(request.user)),
    }
    return TemplateResponse(request, "councils/person_detail.html", context)


def organisation_list(request: HttpRequest) -> TemplateResponse:
    organisations = Organisation.objects.annotate(
        seat_total=Count("seat_allocations", distinct=True)
    ).order_by("kind", "name")
    return TemplateResponse(
        request, "councils/organisation_list.html", {"organisations": organisations}
    )


def organisation_detail(request: HttpRequest, slug: str) -> TemplateResponse:
    """An organisation's own bodies, the seats it appoints and its representatives;
    for the secretariat, who assesses the agreements for a kommun."""
    organisation = selectors.organisation_get(slug=slug)
    manages = is_secretariat(request.user) and organisation.kind == Organisation.Kind.KOMMUN
    context = {
        "organisation": organisation,
        "assessors": organisation.person_roles.filter(
            kind=OrganisationRole.Kind.ASSESSOR
        ).select_related("person")
        if manages
        else [],
        "assessor_form": AssessorForm(organisation=organisation) if manages else None,
        "own_bodies": organisation.bodies.all(),
        "seats": organisation.seat_allocations.select_related("body"),
        "representatives": Membership.objects.active()
        .filter(represents=organisation)
        .select_related("person", "body")
        .order_by("body__name", "role"),
        "history": history_for(organisation, show_values=is_secretariat(request.user)),
    }
    return TemplateResponse(request, "councils/organisation_detail.html", context)


@secretariat_required
@require_POST
def assessor_add(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = selectors.organisation_get(slug=slug)
    form = AssessorForm(request.POST, organisation=organisation)
    if not form.is_valid():
        messages.error(request, _("Choose one of the municipality's people."))
        return redirect(organisation)
    try:
        services.organisation_role_grant(
            actor=request.user,
            organisation=organisation,
            person=form.cleaned_data["person"],
            kind=OrganisationRole.Kind.ASSESSOR,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(name)s now assesses the agreements for %(organisation)s.")
            % {"name": form.cleaned_data["person"].full_name, "organisation": organisation.name},
        )
    return redirect(organisation)


@secretariat_required
@require_POST
def assessor_remove(request: HttpRequest, pk: int) -> HttpResponse:
    role = get_object_or_404(
        OrganisationRole.objects.select_related("organisation"),
        pk=pk,
        kind=OrganisationRole.Kind.ASSESSOR,
    )
    services.organisation_role_revoke(actor=request.user, role=role)
    messages.success(request, _("The person no longer assesses the agreements."))
    return redirect(role.organisation)


# --- Diarium -----------------------------------------------------------------------------


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
    if getattr(request, "htmx", False):
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


def _decision_filters(request: HttpRequest) -> tuple[DecisionFilterForm, QuerySet[Paragraph]]:
    form = DecisionFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    return form, selectors.decisions_search(
        user=request.user,
        query=filters.get("q") or "",
        body=filters.get("body"),
        year=filters.get("year"),
    )


def decision_list(request: HttpRequest) -> TemplateResponse:
    """Decisions (§) across the arenas: the justerade ones, or more for who may see more."""
    form, paragraphs = _decision_filters(request)
    page = Paginator(paragraphs, 25).get_page(request.GET.get("page"))
    template = "councils/decision_list.html"
    if getattr(request, "htmx", False):
        template += "#results"
    return TemplateResponse(request, template, {"form": form, "page": page})


def decision_list_csv(request: HttpRequest) -> StreamingHttpResponse:
    _form, paragraphs = _decision_filters(request)
    return csv_response(
        "beslut",
        [_("Date"), _("Arena"), "§", _("Title"), _("Case"), _("Kind of decision"), _("Decision")],
        (
            [
                timezone.localtime(p.meeting.starts_at).date(),
                p.meeting.body.name,
                p.number,
                p.title,
                p.case.diarienummer if p.case else "",
                p.get_decision_kind_display(),
                p.decision,
            ]
            for p in paragraphs.iterator(chunk_size=500)
        ),
    )


def attendance_csv(request: HttpRequest) -> StreamingHttpResponse:
    """Attendance per meeting as CSV, for an arena and a year if chosen."""
    form = DecisionFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.attendance_for_user(
        user=request.user, body=filters.get("body"), year=filters.get("year")
    )
    return csv_response(
        "narvaro",
        [
            _("Date"),
            _("Arena"),
            _("Name"),
            _("Role"),
            _("Represents"),
            _("Presence"),
            _("Serves for"),
        ],
        (
            [
                timezone.localtime(a.meeting.starts_at).date(),
                a.meeting.body.name,
                a.person.full_name,
                a.get_role_display(),
                a.represents.name if a.represents else "",
                a.get_presence_display(),
                a.serving_for.full_name if a.serving_for else "",
            ]
            for a in rows.iterator(chunk_size=500)
        ),
    )


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
    }
    return TemplateResponse(request, "councils/case_detail.html", context)


@secretariat_required
@require_http_methods(["GET", "POST"])
def case_register(request: HttpRequest) -> HttpResponse:
    form = CaseRegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_register(actor=request.user, **form.cleaned_data)
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
        case = services.case_update(actor=request.user, case=case, **form.cleaned_data)
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
                actor=request.user,
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
    }
    return TemplateResponse(request, "councils/document_detail.html", context)


@secretariat_required
@require_http_methods(["GET", "POST"])
def document_edit(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_get_for_user(user=request.user, pk=pk)
    form = DocumentEditForm(request.POST or None, instance=document)
    if request.method == "POST" and form.is_valid():
        document = services.document_update(
            actor=request.user, document=document, **form.cleaned_data
        )
        messages.success(request, _("The document was saved."))
        return redirect(document)
    return TemplateResponse(
        request,
        "councils/document_form.html",
        {"form": form, "case": document.case, "document": document},
    )


def document_download(request: HttpRequest, pk: int) -> FileResponse:
    """The only way to a stored file: through the document gate, always as a download."""
    document = selectors.document_get_for_user(user=request.user, pk=pk)
    selectors.require(bool(document.file) and document.file.storage.exists(document.file.name))
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.file_name or f"{document.reference}",
        content_type=document.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store" if document.confidential else "private"
    return response


# --- Meetings ------------------------------------------------------------------------


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
        "history": history_for(meeting, show_values=is_secretariat(request.user)),
    }
    template = "councils/meeting_detail.html"
    if getattr(request, "htmx", False):
        template += "#agenda"
    return TemplateResponse(request, template, context)


@login_required
def my_meetings(request: HttpRequest) -> TemplateResponse:
    """'Mina sammanträden': the coming meetings of the arenas the user sits in, and the
    address of the user's private calendar."""
    meetings = list(selectors.meetings_upcoming_for(request.user)[:20])
    to_justera = list(selectors.protocols_to_justera(request.user))
    token = CalendarToken.objects.filter(user_id=request.user.pk or 0).first()
    calendar_url = (
        request.build_absolute_uri(reverse("councils:calendar-private", args=[token.token]))
        if token
        else ""
    )
    return TemplateResponse(
        request,
        "councils/my_meetings.html",
        {"meetings": meetings, "to_justera": to_justera, "calendar_url": calendar_url},
    )


@secretariat_required
@require_POST
def person_anonymise(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_get(pk=pk, user=request.user)
    try:
        services.person_anonymise(actor=request.user, person=person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(person)
    messages.success(request, _("The person is no longer named on the portal's pages."))
    return redirect("councils:person-list")


@login_required
def watch_list(request: HttpRequest) -> TemplateResponse:
    """Mina bevakningar."""
    watches = Watch.objects.filter(user_id=request.user.pk or 0).select_related(
        "body", "case__diarium"
    )
    return TemplateResponse(request, "councils/watch_list.html", {"watches": watches})


@login_required
@require_POST
def watch_add(request: HttpRequest) -> HttpResponse:
    """Follow an arena, an ärende (as far as the user may see it) or a search."""
    form = WatchForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That cannot be followed."))
        return redirect("councils:watches")
    data = form.cleaned_data
    kind = data["kind"]
    target: Any = None
    if kind == Watch.Kind.BODY:
        target = selectors.body_get(slug=data["body"])
        alerts.watch_add(actor=request.user, kind=kind, body=target)
    elif kind == Watch.Kind.CASE:
        target = selectors.case_get_for_user(user=request.user, pk=data["case"] or 0)
        alerts.watch_add(actor=request.user, kind=kind, case=target)
    else:
        filters = {k: data[k] for k in ("kind_filter", "body_filter", "year") if data.get(k)}
        filters = {k.removesuffix("_filter"): v for k, v in filters.items()}
        alerts.watch_add(actor=request.user, kind=kind, query=data["q"], filters=filters)
    messages.success(
        request,
        _("You follow it now. New things come by e-mail, at most once a day."),
    )
    return redirect(next_url(request, request.POST.get("next"), default="councils:watches"))


@login_required
@require_POST
def watch_change(request: HttpRequest, pk: int) -> HttpResponse:
    watch = get_object_or_404(Watch, pk=pk, user_id=request.user.pk or 0)
    if request.POST.get("action") == "remove":
        alerts.watch_remove(watch=watch)
        messages.success(request, _("The bevakning was ended."))
    else:
        alerts.watch_set_immediate(watch=watch, immediate=request.POST.get("immediate") == "1")
        messages.success(request, _("The bevakning was saved."))
    return redirect("councils:watches")


@csrf_exempt  # the link in the mail; mail programs may POST it (RFC 8058)
@require_http_methods(["GET", "POST"])
def watch_unsubscribe(request: HttpRequest, token: str) -> TemplateResponse:
    ended = alerts.unsubscribe(token=token)
    return TemplateResponse(
        request, "councils/watch_unsubscribed.html", {"ended": ended}, status=200 if ended else 400
    )


@login_required
@require_POST
def calendar_address_renew(request: HttpRequest) -> HttpResponse:
    """Make the private calendar address (anew: the old one stops working)."""
    feeds.calendar_token_renew(user=request.user)
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
            actor=request.user,
            body=body,
            starts=data["starts"],
            place=data["place"],
            remote_link=data["remote_link"],
            duration=datetime.timedelta(minutes=data["duration"]),
        )
        messages.success(
            request,
            ngettext(
                "%(count)d meeting was planned.", "%(count)d meetings were planned.", len(meetings)
            )
            % {"count": len(meetings)},
        )
        return redirect(body)
    return TemplateResponse(request, "councils/meeting_plan.html", {"form": form, "body": body})


@secretariat_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        meeting = services.meeting_update(actor=request.user, meeting=meeting, **form.cleaned_data)
        messages.success(request, _("The meeting was saved."))
        return redirect(meeting)
    return TemplateResponse(
        request, "councils/meeting_form.html", {"form": form, "meeting": meeting}
    )


@secretariat_required
@require_POST
def agenda_standard_items(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    services.agenda_add_standard_items(actor=request.user, meeting=meeting)
    return _agenda_response(request, meeting)


@secretariat_required
@require_http_methods(["GET", "POST"])
def agenda_add_case(request: HttpRequest, pk: int) -> HttpResponse:
    """Put an ärende on the agenda: any case not closed, the newest first."""
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    cases = (
        selectors.cases_for_user(request.user)
        .exclude(status=Case.Status.CLOSED)
        .order_by("-registered_on")
    )
    form = AgendaCaseForm(request.POST or None, cases=cases)
    if request.method == "POST" and form.is_valid():
        services.agenda_add_case(actor=request.user, meeting=meeting, **form.cleaned_data)
        messages.success(request, _("The case was put on the agenda."))
        return redirect(meeting)
    return TemplateResponse(
        request, "councils/agenda_case_form.html", {"form": form, "meeting": meeting}
    )


@secretariat_required
@require_http_methods(["GET", "POST"])
def agenda_item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.agenda_item_get_for_secretariat(user=request.user, pk=pk)
    form = AgendaItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        services.agenda_item_update(actor=request.user, item=item, **form.cleaned_data)
        messages.success(request, _("The agenda item was saved."))
        return redirect(item.meeting)
    return TemplateResponse(request, "councils/agenda_item_form.html", {"form": form, "item": item})


@secretariat_required
@require_POST
def agenda_item_move(request: HttpRequest, pk: int, direction: str) -> HttpResponse:
    item = selectors.agenda_item_get_for_secretariat(user=request.user, pk=pk)
    services.agenda_move(actor=request.user, item=item, offset=-1 if direction == "upp" else 1)
    return _agenda_response(request, item.meeting)


@secretariat_required
@require_POST
def agenda_item_remove(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.agenda_item_get_for_secretariat(user=request.user, pk=pk)
    meeting = item.meeting
    try:
        services.agenda_item_remove(actor=request.user, item=item)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return redirect(meeting)
    return _agenda_response(request, meeting)


def _agenda_response(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    """htmx gets the agenda region back; a plain form post goes back to the page."""
    if getattr(request, "htmx", False):
        return meeting_detail(request, meeting.pk)
    return redirect(meeting)


@secretariat_required
@require_POST
def kallelse_send(request: HttpRequest, pk: int) -> HttpResponse:
    """One action: record the kallelse, publish the public agenda, e-mail everyone."""
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    try:
        result = services.kallelse_send(actor=request.user, meeting=meeting)
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
            actor=request.user, item=item, text=form.cleaned_data["text"]
        )
        item.my_notes = [note] if note else []  # type: ignore[attr-defined]
        if getattr(request, "htmx", False):
            return TemplateResponse(
                request, "councils/meeting_detail.html#note", {"item": item, "saved": True}
            )
        messages.success(request, _("Your note was saved."))
        return redirect(item.meeting)
    messages.error(
        request,
        _("The note could not be saved: %(errors)s")
        % {"errors": " ".join(str(error) for error in form.errors.get("text", []))},
    )
    return redirect(item.meeting)


# --- Protocol -----------------------------------------------------------------------------


def protocol_detail(request: HttpRequest, pk: int) -> TemplateResponse:
    """The protocol of meeting ``pk``: header, attendance, §, justering."""
    protocol = selectors.protocol_get_for_user(user=request.user, meeting_pk=pk)
    paragraphs = list(selectors.paragraphs_for_user(user=request.user, protocol=protocol))
    for paragraph in paragraphs:
        paragraph.echoes = paragraph.confidential_echoes(  # type: ignore[attr-defined]
            confidential_subjects=getattr(paragraph, "confidential_subjects", [])
        )
    person = selectors.viewer_person(request.user)
    my_approval = (
        protocol.approvals.filter(person=person, decision=Approval.Decision.PENDING).first()
        if person and protocol.status == Protocol.Status.FOR_APPROVAL
        else None
    )
    context = {
        "protocol": protocol,
        "meeting": protocol.meeting,
        "attendance": protocol.meeting.attendance.select_related(
            "person", "serving_for", "represents"
        ).in_role_order(),
        "paragraphs": paragraphs,
        "paragraph_range": (
            f"§ {paragraphs[0].number}–{paragraphs[-1].number}" if paragraphs else "–"
        ),
        "deadline_passed": not protocol.is_approved
        and protocol.meeting.body.procedure == Body.Procedure.FORMAL
        and timezone.localdate() > protocol.justering_deadline,
        "approvals": protocol.approvals.select_related("person"),
        "adjusters": protocol.adjusters.all(),
        "my_approval": my_approval,
        "decision_form": DecisionForm(),
        "editable": is_secretariat(request.user) and protocol.status == Protocol.Status.DRAFT,
        "sees_closed": selectors.sees_closed_items(user=request.user, body=protocol.meeting.body),
        "dispatches": ExtractDispatch.objects.filter(paragraph__meeting=protocol.meeting)
        .select_related("paragraph")
        .order_by("paragraph__number", "recipient")
        if is_secretariat(request.user)
        else [],
        "history": history_for(protocol, show_values=is_secretariat(request.user)),
    }
    return TemplateResponse(request, "councils/protocol_detail.html", context)


@secretariat_required
@require_POST
def protocol_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Begin the protocol: attendance from the members, and a § for every item."""
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    try:
        services.paragraphs_create_for_agenda(actor=request.user, meeting=meeting)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    return redirect("councils:protocol", pk=meeting.pk)


@secretariat_required
@require_http_methods(["GET", "POST"])
def protocol_edit(request: HttpRequest, pk: int) -> HttpResponse:
    protocol = selectors.protocol_get_for_user(user=request.user, meeting_pk=pk)
    form = ProtocolForm(request.POST or None, instance=protocol)
    if request.method == "POST" and form.is_valid():
        try:
            services.protocol_update(actor=request.user, protocol=protocol, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The protocol was saved."))
            return redirect(protocol)
    return TemplateResponse(
        request, "councils/protocol_form.html", {"form": form, "protocol": protocol}
    )


@secretariat_required
@require_http_methods(["GET", "POST"])
def attendance_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Who was there, how, and which substitute served for whom."""
    protocol = selectors.protocol_get_for_user(user=request.user, meeting_pk=pk)
    rows = list(protocol.meeting.attendance.select_related("person").in_role_order())
    members = Person.objects.filter(
        attendance__meeting=protocol.meeting, attendance__role=Attendance.Role.MEMBER
    )
    forms_ = [
        AttendanceForm(request.POST or None, instance=row, members=members, prefix=f"a{row.pk}")
        for row in rows
    ]
    add_form = AttendanceAddForm(request.POST or None, prefix="add")
    if request.method == "POST":
        try:
            if all(f.is_valid() for f in forms_):
                for form, row in zip(forms_, rows, strict=True):
                    if form.has_changed():
                        services.attendance_update(
                            actor=request.user, attendance=row, **form.cleaned_data
                        )
                if request.POST.get("add-person") and add_form.is_valid():
                    services.attendance_add(
                        actor=request.user, meeting=protocol.meeting, **add_form.cleaned_data
                    )
                if request.POST.get("add-person") and not add_form.is_valid():
                    raise ValidationError(_("Choose the person, role and presence to add."))
                messages.success(request, _("The attendance was saved."))
                return redirect(protocol)
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
    return TemplateResponse(
        request,
        "councils/attendance_form.html",
        {"protocol": protocol, "rows": zip(rows, forms_, strict=True), "add_form": add_form},
    )


@secretariat_required
@require_http_methods(["GET", "POST"])
def paragraph_edit(request: HttpRequest, pk: int) -> HttpResponse:
    paragraph = selectors.paragraph_get_for_secretariat(user=request.user, pk=pk)
    form = ParagraphForm(request.POST or None, instance=paragraph)
    voters = list(
        Attendance.objects.filter(meeting=paragraph.meeting)
        .exclude(presence=Attendance.Presence.ABSENT)
        .select_related("person")
        .order_by("person__last_name")
    )
    voters = [a for a in voters if a.takes_part]
    current_votes = dict(paragraph.votes.values_list("person_id", "choice"))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.paragraph_update(actor=request.user, paragraph=paragraph, **data)
            services.votes_record(
                actor=request.user,
                paragraph=paragraph,
                votes={
                    a.person: request.POST.get(f"vote-{a.person_id}", "")
                    for a in voters
                    if request.POST.get(f"vote-{a.person_id}", "") in {"", *Vote.Choice.values}
                },
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(label)s was saved.") % {"label": paragraph.label})
            return redirect("councils:protocol", pk=paragraph.meeting_id)
    return TemplateResponse(
        request,
        "councils/paragraph_form.html",
        {
            "form": form,
            "paragraph": paragraph,
            "voters": [(a, current_votes.get(a.person_id, "")) for a in voters],
            "vote_choices": Vote.Choice.choices,
        },
    )


@secretariat_required
@require_POST
def paragraph_approve_immediately(request: HttpRequest, pk: int) -> HttpResponse:
    paragraph = selectors.paragraph_get_for_secretariat(user=request.user, pk=pk)
    services.paragraph_approve_immediately(actor=request.user, paragraph=paragraph)
    messages.success(request, _("%(label)s was justerad at once.") % {"label": paragraph.label})
    return redirect("councils:protocol", pk=paragraph.meeting_id)


@secretariat_required
@require_POST
def protocol_send(request: HttpRequest, pk: int) -> HttpResponse:
    protocol = selectors.protocol_get_for_user(user=request.user, meeting_pk=pk)
    try:
        services.protocol_send_for_justering(actor=request.user, protocol=protocol)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("The protocol was sent for justering."))
    return redirect(protocol)


@login_required
@require_POST
def protocol_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The chair or a justerare approves, or sends the protocol back with a comment."""
    protocol = selectors.protocol_get_for_user(user=request.user, meeting_pk=pk)
    form = DecisionForm(request.POST)
    approve = request.POST.get("decision") == "approve"
    if form.is_valid():
        try:
            protocol = services.protocol_decide(
                actor=request.user,
                protocol=protocol,
                approve=approve,
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            if protocol.is_approved:
                messages.success(request, _("The protocol is justerat."))
            elif approve:
                messages.success(request, _("You have approved the protocol."))
            else:
                messages.success(request, _("The protocol was sent back with your comment."))
    return redirect(protocol)


def notice_board(request: HttpRequest) -> TemplateResponse:
    """The digital anslagstavla: justerade protocols posted for three weeks."""
    return TemplateResponse(
        request,
        "councils/notice_board.html",
        {"current": selectors.notices_current(), "archive": selectors.notices_archive()},
    )


# --- PDFs ---------------------------------------------------------------------------------


def _pdf_requested(request: HttpRequest, job: RenderJob) -> HttpResponse:
    if getattr(request, "htmx", False):
        return TemplateResponse(request, "councils/render_job.html#status", {"job": job})
    return redirect(job)


@require_POST
def protocol_pdf_request(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for the protocol as PDF: the full version for those who see closed items."""
    protocol = selectors.protocol_get_for_user(user=request.user, meeting_pk=pk)
    internal = request.POST.get("internal") == "1" and (
        selectors.sees_closed_items(user=request.user, body=protocol.meeting.body)
    )
    job = services.render_job_request(
        actor=request.user,
        kind=RenderJob.Kind.PROTOCOL,
        meeting=protocol.meeting,
        internal=internal,
    )
    return _pdf_requested(request, job)


@require_POST
def extract_pdf_request(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for the protokollsutdrag of one justerad §."""
    paragraph = selectors.paragraph_get_for_user(user=request.user, pk=pk)
    selectors.require(paragraph.approved_at is not None)
    job = services.render_job_request(
        actor=request.user,
        kind=RenderJob.Kind.EXTRACT,
        meeting=paragraph.meeting,
        paragraph=paragraph,
        internal=not paragraph.public,
    )
    return _pdf_requested(request, job)


@require_POST
def kallelse_pdf_request(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    sees_closed = selectors.sees_closed_items(user=request.user, body=meeting.body)
    selectors.require(meeting.agenda_is_published or sees_closed)
    job = services.render_job_request(
        actor=request.user, kind=RenderJob.Kind.KALLELSE, meeting=meeting, internal=sees_closed
    )
    return _pdf_requested(request, job)


def render_job_detail(request: HttpRequest, pk: int) -> TemplateResponse:
    """A PDF on its way: the page polls (htmx) until it is ready, then offers it."""
    job = selectors.render_job_get_for_user(user=request.user, pk=pk)
    template = "councils/render_job.html"
    if getattr(request, "htmx", False):
        template += "#status"
    return TemplateResponse(request, template, {"job": job})


def render_job_download(request: HttpRequest, pk: int) -> FileResponse:
    job = selectors.render_job_get_for_user(user=request.user, pk=pk)
    selectors.require(job.status == RenderJob.Status.DONE and bool(job.file))
    selectors.require(job.file.storage.exists(job.file.name))
    response = FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=job.file_name,
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def packet_pdf_request(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole meeting packet as one PDF, for the arena's members and the secretariat."""
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    selectors.require(selectors.sees_closed_items(user=request.user, body=meeting.body))
    job = services.render_job_request(
        actor=request.user, kind=RenderJob.Kind.PACKET, meeting=meeting, internal=True
    )
    return _pdf_requested(request, job)
