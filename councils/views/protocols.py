"""Pages of the protocol (§, attendance, justering), the decisions list, the
attendance download and the anslagstavla."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from base import panels
from base.actors import acting_user
from base.classcache import class_cached
from base.decorators import secretariat_required
from base.exports import csv_response
from base.history import history_for
from base.middleware import SIGNED_IN
from base.pages import is_htmx
from base.roles import is_secretariat
from councils import selectors, services
from councils.forms.protocols import (
    AttendanceAddForm,
    AttendanceForm,
    DecisionFilterForm,
    DecisionForm,
    ParagraphForm,
    ProtocolForm,
)
from councils.models import (
    Approval,
    Attendance,
    Body,
    ExtractDispatch,
    Paragraph,
    Person,
    Protocol,
    Vote,
)
from councils.views import classes
from councils.views.publication import personal_data_panel


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
    if is_htmx(request):
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


@class_cached(classes.protocol_class)
def protocol_detail(request: HttpRequest, pk: int) -> TemplateResponse:
    """The protocol of meeting ``pk``: header, attendance, §, justering."""
    protocol = selectors.protocol_get_for_user(user=request.user, meeting_pk=pk)
    paragraphs = list(selectors.paragraphs_for_user(user=request.user, protocol=protocol))
    extra = panels.for_each("protocol-paragraphs", request, paragraphs)
    for paragraph in paragraphs:
        paragraph.echoes = paragraph.confidential_echoes(  # type: ignore[attr-defined]
            confidential_subjects=getattr(paragraph, "confidential_subjects", [])
        )
        paragraph.panels = extra.get(paragraph.pk, [])  # type: ignore[attr-defined]
    person = selectors.viewer_person(request.user)
    my_approval = (
        protocol.approvals.filter(person=person, decision=Approval.Decision.PENDING).first()
        if person and protocol.status == Protocol.Status.FOR_APPROVAL
        else None
    )
    # The PDF a signatory reads, and approves by its checksum.
    reading_copy = protocol.reading_copy if my_approval else None
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
        "reading_copy": reading_copy,
        "decision_form": DecisionForm(
            initial={"read_sha256": reading_copy.sha256 if reading_copy else ""}
        ),
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
        services.paragraphs_create_for_agenda(actor=acting_user(request), meeting=meeting)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        if not Protocol.objects.filter(meeting=meeting).exists():
            return redirect(meeting)
    return redirect("councils:protocol", pk=meeting.pk)


@secretariat_required
@require_http_methods(["GET", "POST"])
def protocol_edit(request: HttpRequest, pk: int) -> HttpResponse:
    protocol = selectors.protocol_get_for_user(user=request.user, meeting_pk=pk)
    form = ProtocolForm(request.POST or None, instance=protocol)
    if request.method == "POST" and form.is_valid():
        try:
            services.protocol_update(
                actor=acting_user(request), protocol=protocol, **form.cleaned_data
            )
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
                adding = bool(request.POST.get("add-person"))
                if adding and not add_form.is_valid():
                    raise ValidationError(_("Choose the person, role and presence to add."))
                services.attendance_record(
                    actor=acting_user(request),
                    meeting=protocol.meeting,
                    changes=[
                        (row, form.cleaned_data)
                        for form, row in zip(forms_, rows, strict=True)
                        if form.has_changed()
                    ],
                    added=add_form.cleaned_data if adding else None,
                )
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
            services.paragraph_record(
                actor=acting_user(request),
                paragraph=paragraph,
                **data,
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
            "personal_data": personal_data_panel(request.user, paragraph),
        },
    )


@secretariat_required
@require_POST
def paragraph_approve_immediately(request: HttpRequest, pk: int) -> HttpResponse:
    paragraph = selectors.paragraph_get_for_secretariat(user=request.user, pk=pk)
    services.paragraph_approve_immediately(actor=acting_user(request), paragraph=paragraph)
    messages.success(request, _("%(label)s was justerad at once.") % {"label": paragraph.label})
    return redirect("councils:protocol", pk=paragraph.meeting_id)


@secretariat_required
@require_POST
def protocol_send(request: HttpRequest, pk: int) -> HttpResponse:
    protocol = selectors.protocol_get_for_user(user=request.user, meeting_pk=pk)
    try:
        services.protocol_send_for_justering(actor=acting_user(request), protocol=protocol)
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
    if form.is_valid() and approve and not form.cleaned_data["confirmed"]:
        messages.error(
            request, _("Tick that you have read the copy to justera, then approve again.")
        )
    elif form.is_valid():
        authentication, detail = how_signed_in(request)
        try:
            protocol = services.protocol_decide(
                actor=acting_user(request),
                protocol=protocol,
                approve=approve,
                comment=form.cleaned_data["comment"],
                read_sha256=form.cleaned_data["read_sha256"],
                authentication=authentication,
                authentication_detail=detail,
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


def how_signed_in(request: HttpRequest) -> tuple[str, str]:
    """How the person of this session is authenticated, for a justeringsintyg: through
    an identity provider (which, and its assurance level), or the portal's password with
    or without its code. The one place that reads the three ways."""
    signed = request.session.get(SIGNED_IN)
    if signed:
        level = signed.get("assurance") or "-"
        return Approval.Authentication.IDENTITY_PROVIDER, f"{signed['provider']}, acr {level}"
    if request.user.is_verified():  # type: ignore[union-attr]
        return Approval.Authentication.PASSWORD_AND_CODE, ""
    return Approval.Authentication.PASSWORD, ""
