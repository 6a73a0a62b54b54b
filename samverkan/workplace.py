"""The start page as a to-do list (STYLE 16): each role lands on what waits for it, in
order, each item one click from where the work is done. Composed here, above the apps,
from their selectors: the secretariat's due work, a member's justering and next meeting,
a kommun's dialogues and assessments, and what the public comes for."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Value,
)
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from base.actors import Viewer
from base.classcache import class_of
from councils import selectors
from councils.models import (
    Approval,
    Meeting,
    Membership,
    Notice,
    Paragraph,
    Protocol,
    Reminder,
)
from followups.models import Assessment, Dialogue
from followups.selectors import reading_kommun
from recommendations import selectors as recommendation_selectors
from recommendations.models import OrganisationDecision

#: How long before its last day (the arena's notice period before the meeting) a
#: kallelse to send is shown.
KALLELSE_HORIZON = datetime.timedelta(days=21)
#: How many of an organisation's open decisions the start page lists one by one.
DECISIONS_SHOWN = 8
#: How far back a held meeting without a justerat protocol is still shown as due.
PROTOCOL_HORIZON = datetime.timedelta(days=120)


@dataclass
class Todo:
    """One thing that waits: when it is due, what to do, where it is done."""

    due: datetime.date | None
    text: str
    url: str
    detail: str = ""
    late: bool = False


def _day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def _named(meeting: Meeting) -> str:
    return f"{meeting.body.name} {_day(meeting.starts_at):%Y-%m-%d}"


def secretariat_due(notices: list[Notice], today: datetime.date | None = None) -> list[Todo]:
    """What the secretariat must do, the most pressing first: kallelser to send,
    protocols to write and send, justeringar outstanding, anslag coming down (of the
    ``notices`` up now), texts held back for personal data, reminders that did not go
    out."""
    today = today or timezone.localdate()
    now = timezone.now()
    todos: list[Todo] = []
    # Due within the horizon: the meeting starts within it plus the arena's notice days.
    notice_period = ExpressionWrapper(
        F("body__notice_days") * Value(datetime.timedelta(days=1)), output_field=DurationField()
    )
    to_call = Q(kallelse_sent_at__isnull=True, starts_at__gte=now) & Q(
        starts_at__lte=Value(now + KALLELSE_HORIZON) + notice_period
    )
    to_write = Q(starts_at__lte=now, starts_at__gte=now - PROTOCOL_HORIZON) & (
        Q(protocol__isnull=True) | Q(protocol__status=Protocol.Status.DRAFT)
    )
    meetings = list(
        Meeting.objects.filter(to_call | to_write)
        .exclude(status=Meeting.Status.CANCELLED)
        .select_related("body", "protocol")
        .annotate(items=Count("agenda_items"))
        .order_by("starts_at")
    )
    for meeting in (m for m in meetings if m.starts_at >= now):
        deadline = meeting.notice_deadline
        todos.append(
            Todo(
                deadline,
                _("Send the kallelse: %(meeting)s") % {"meeting": _named(meeting)},
                reverse("councils:kallelse-send", args=[meeting.pk])
                if meeting.items
                else reverse("councils:agenda-add-case", args=[meeting.pk]),
                ngettext(
                    "%(count)d item on the agenda", "%(count)d items on the agenda", meeting.items
                )
                % {"count": meeting.items}
                if meeting.items
                else _("The agenda is empty"),
                late=deadline < today,
            )
        )
    for held in (m for m in meetings if m.starts_at < now):
        protocol = getattr(held, "protocol", None)
        deadline = _day(held.starts_at) + datetime.timedelta(days=14)
        todos.append(
            Todo(
                deadline,
                (
                    _("Write the protocol and send it for justering: %(meeting)s")
                    if protocol
                    else _("Begin the protocol: %(meeting)s")
                )
                % {"meeting": _named(held)},
                reverse("councils:protocol", args=[held.pk])
                if protocol
                else held.get_absolute_url(),
                _("To be justerat within 14 days of the meeting"),
                late=deadline < today,
            )
        )
    pending = Approval.objects.filter(
        protocol=OuterRef("pk"), decision=Approval.Decision.PENDING
    ).values("pk")
    outstanding = (
        Protocol.objects.filter(status=Protocol.Status.FOR_APPROVAL)
        .annotate(
            waiting=Count("approvals", filter=Q(approvals__decision=Approval.Decision.PENDING)),
            asked=Count("approvals"),
        )
        .filter(Exists(pending))
        .select_related("meeting__body")
        .order_by("meeting__starts_at")
    )
    for protocol in outstanding:
        deadline = protocol.justering_deadline
        todos.append(
            Todo(
                deadline,
                _("Justering outstanding: %(meeting)s") % {"meeting": _named(protocol.meeting)},
                reverse("councils:protocol", args=[protocol.meeting_id]),
                _("%(waiting)d of %(asked)d signatories have not yet justerat")
                % {"waiting": protocol.waiting, "asked": protocol.asked},
                late=deadline < today,
            )
        )
    ending = [n for n in notices if n.removed_on <= today + datetime.timedelta(days=3)]
    for notice in ending:
        todos.append(
            Todo(
                notice.removed_on,
                _("The anslag comes down: %(meeting)s")
                % {"meeting": _named(notice.protocol.meeting)},
                reverse("councils:notice-board"),
                _("Appeals may be made until %(date)s")
                % {"date": f"{notice.appeal_until:%Y-%m-%d}"},
            )
        )
    held_back = _personal_data_held_back()
    if held_back:
        todos.append(
            Todo(
                today,
                ngettext(
                    "Personal data to check before publication: %(count)d text",
                    "Personal data to check before publication: %(count)d texts",
                    held_back,
                )
                % {"count": held_back},
                reverse("councils:personal-data-list"),
                _("Kept from the public until masked or confirmed"),
            )
        )
    late = OrganisationDecision.objects.filter(
        outcome="", recommendation__answer_by__lt=today
    ).aggregate(decisions=Count("pk"), organisations=Count("organisation", distinct=True))
    if late["decisions"]:
        todos.append(
            Todo(
                today,
                ngettext(
                    "Decisions on recommendations past their answer date: %(count)d",
                    "Decisions on recommendations past their answer date: %(count)d",
                    late["decisions"],
                )
                % {"count": late["decisions"]},
                reverse("recommendations:list") + "?open_only=on",
                ngettext(
                    "%(count)d organisation has not answered",
                    "%(count)d organisations have not answered",
                    late["organisations"],
                )
                % {"count": late["organisations"]},
            )
        )
    unsent = Reminder.objects.filter(sent_at__isnull=True, due_on__lte=today).count()
    if unsent:
        todos.append(
            Todo(
                today,
                _("Reminders not yet sent: %(count)d") % {"count": unsent},
                reverse("councils:reminder-list"),
                _("The worker sends them; the list shows what failed"),
            )
        )
    return sorted(todos, key=lambda todo: (todo.due or today, todo.text))


def _personal_data_held_back() -> int:
    """How many texts are kept from the public until their personal data is checked
    (a confidential handling never reaches the public, so it does not count)."""
    first, *rest = [
        records.order_by().values_list(Value(1))
        for _model, records in selectors.personal_data_held_back()
    ]
    return first.union(*rest, all=True).count()  # one query


@dataclass
class MemberWork:
    to_justera: list[Protocol]
    next_meeting: Meeting | None
    documents: int


def member_work(user: Viewer) -> MemberWork:
    """A member's: the protocols waiting for their justering, and their next meeting
    with how many handlingar it has to read."""
    next_meeting = (
        selectors.meetings_upcoming_for(user).annotate(items=Count("agenda_items")).first()
    )
    documents = 0
    if next_meeting is not None:
        documents = (
            selectors.documents_for_user(user)
            .filter(agenda_items__meeting=next_meeting)
            .distinct()
            .count()
        )
    return MemberWork(
        to_justera=list(selectors.protocols_to_justera(user)),
        next_meeting=next_meeting,
        documents=documents,
    )


def kommun_work(user: Viewer, today: datetime.date | None = None) -> list[Todo]:
    """What waits for the user's kommun: its decisions on recommendations to record,
    dialogues planned and not yet held, and the agreements' areas it has not yet
    assessed for the current year."""
    today = today or timezone.localdate()
    todos = decisions_to_record(user, today)
    kommun = reading_kommun(user)
    if kommun is None:
        return todos
    todos += [
        Todo(
            dialogue.planned_on,
            _("Dialogue: %(followup)s") % {"followup": dialogue.followup.title},
            dialogue.get_absolute_url(),
            _("Planned, not yet held"),
        )
        for dialogue in Dialogue.objects.filter(organisation=kommun, held_on__isnull=True)
        .select_related("followup")
        .order_by("planned_on")
    ]
    year = today.year
    done = set(  # the areas the kommun has assessed this year, of every agreement at once
        Assessment.objects.filter(organisation=kommun, year=year).values_list("area_id", flat=True)
    )
    for agreement in kommun.agreements.prefetch_related("areas", "extensions"):
        if year not in agreement.years:
            continue
        missing = [area for area in agreement.areas.all() if area.pk not in done]
        if missing:
            todos.append(
                Todo(
                    datetime.date(year, 12, 31),
                    _("Assess %(agreement)s for %(year)d")
                    % {"agreement": agreement.short_name or agreement.title, "year": year},
                    reverse("followups:assessments", args=[agreement.pk, year]),
                    _("%(count)d of %(total)d areas not yet assessed")
                    % {"count": len(missing), "total": len(agreement.areas.all())},
                )
            )
    return todos


def decisions_to_record(user: Viewer, today: datetime.date) -> list[Todo]:
    """The recommendations and agreements on which an organisation the user records
    for has not yet decided, the earliest answer date first: the first
    ``DECISIONS_SHOWN``, then one item per organisation for the rest, linking to its
    list."""
    recording = recommendation_selectors.recording_organisation_ids(user)
    if not recording:
        return []
    waiting = list(
        OrganisationDecision.objects.filter(organisation_id__in=recording, outcome="")
        .select_related("organisation", "recommendation__body")
        .order_by("recommendation__answer_by", "recommendation__pk")[: DECISIONS_SHOWN + 1]
    )
    todos = _decision_todos(waiting[:DECISIONS_SHOWN], today)
    if len(waiting) > DECISIONS_SHOWN:
        shown = Counter(decision.organisation_id for decision in waiting[:DECISIONS_SHOWN])
        rest = (
            OrganisationDecision.objects.filter(organisation_id__in=recording, outcome="")
            .values("organisation_id", "organisation__name", "organisation__short_name")
            .annotate(waiting=Count("pk"))
            .order_by("organisation__name")
        )
        todos += [
            Todo(
                None,
                ngettext(
                    "%(count)s more decision of %(organisation)s to record",
                    "%(count)s more decisions of %(organisation)s to record",
                    more,
                )
                % {
                    "count": more,
                    "organisation": row["organisation__short_name"] or row["organisation__name"],
                },
                f"{reverse('recommendations:list')}?"
                + urlencode({"organisation": row["organisation_id"], "open_only": "on"}),
            )
            for row in rest
            if (more := row["waiting"] - shown[row["organisation_id"]]) > 0
        ]
    return todos


def _decision_todos(waiting: list[OrganisationDecision], today: datetime.date) -> list[Todo]:
    return [
        Todo(
            decision.recommendation.answer_by,
            _("Record the decision of %(organisation)s: %(title)s")
            % {
                "organisation": decision.organisation.label,
                "title": decision.recommendation.title,
            },
            reverse("recommendations:decision", args=[decision.pk]),
            _("%(action)s; %(body)s %(date)s")
            % {
                "action": decision.get_action_display(),
                "body": decision.recommendation.body.label,
                "date": f"{decision.recommendation.issued_on:%Y-%m-%d}",
            },
            late=decision.recommendation.answer_by < today,
        )
        for decision in waiting
    ]


@dataclass
class PublicOverview:
    coming: list[Meeting]
    justerade: list[Protocol]  #: each with ``decided``: its § the user may read
    notices: list[Notice]


def public_overview(user: Viewer, notices: list[Notice]) -> PublicOverview:
    """What the public comes for: the next meetings, the latest justerade protocols
    with their decisions (what the user may read of them), the anslag now up (of
    ``notices``)."""
    coming = list(
        selectors.meetings_for_user(user)
        .filter(starts_at__gte=timezone.now())
        .exclude(status=Meeting.Status.CANCELLED)
        .select_related("body")
        .order_by("starts_at")[:5]
    )
    justerade = list(
        Protocol.objects.filter(status=Protocol.Status.APPROVED)
        .select_related("meeting__body")
        .only("meeting", "approved_on", "meeting__starts_at", "meeting__body__name")
        .order_by("-meeting__starts_at", "-pk")[:5]
    )
    decided: dict[int, list[Paragraph]] = {p.meeting_id: [] for p in justerade}
    # What the list shows of each § (its number, title and kind of decision): not its
    # texts, nor its meeting's, arena's and ärende's rows (up to 200 § a page).
    visible = (
        selectors.paragraphs_visible_to(user)
        .filter(meeting_id__in=list(decided))
        .select_related(None)
        .only("meeting", "case", "number", "title", "decision_kind")
    )
    for paragraph in visible.order_by("number"):
        decided[paragraph.meeting_id].append(paragraph)
    for protocol in justerade:
        # The ärenden decided first: the opening §§ (Mötet öppnas, Val av justerare …)
        # carry no ärende and say little of what was decided.
        ranked = sorted(decided[protocol.meeting_id], key=lambda p: (p.case_id is None, p.number))
        protocol.decided = ranked  # type: ignore[attr-defined]
    return PublicOverview(coming=coming, justerade=justerade, notices=notices[:5])


def start_page_class(request: HttpRequest) -> str:
    """Who a logged-in person is for the start page (``base.classcache``): what the
    gates read, their current seats (arena and role: their arenas, their next meeting)
    and the protocols waiting for their justering; the link to their own page is a
    slot (``my_page``)."""
    user = request.user
    person = selectors.viewer_person(user)
    if person is None:
        return class_of("start", selectors.permission_class(user), "-")
    seats = Membership.objects.active().filter(person=person).values_list("body_id", "role")
    return class_of(
        "start",
        selectors.permission_class(user),
        [f"{body}:{role}" for body, role in seats],
        list(selectors.protocols_to_justera(user).values_list("pk", flat=True)),
    )


def my_page(request: HttpRequest, args: list[str]) -> dict[str, str]:
    """The address of the person's own page, for the start page kept for their class."""
    person = selectors.viewer_person(request.user)
    return {arg: escape(person.get_absolute_url()) if person else "" for arg in args}
