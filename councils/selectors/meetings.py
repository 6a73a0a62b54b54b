"""Reads of meetings and agendas, and the gates for agenda items."""

from __future__ import annotations

from django.db.models import Case as CaseWhen
from django.db.models import F, Prefetch, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from base.actors import Viewer, cached_on
from base.roles import is_secretariat
from councils.models import (
    AgendaItem,
    AgendaNote,
    Body,
    Case,
    Meeting,
    Membership,
)
from councils.models.publication import WITHHELD_TITLE
from councils.selectors.access import _internal_case_q, require, viewer_body_ids
from councils.selectors.diarium import documents_for_user


def sees_closed_items(*, user: Viewer, body: Body) -> bool:
    """Secretariat staff and the arena's members (not its observers) see closed items."""
    return is_secretariat(user) or body.pk in viewer_body_ids(user)


def meetings_for_user(user: Viewer) -> QuerySet[Meeting]:
    """The gate for meetings: a meeting's time, place and status are public for every
    user (its agenda is not always: ``agenda_for_user``)."""
    return Meeting.objects.all()


def meeting_get_for_user(*, user: Viewer, pk: int) -> Meeting:
    """One meeting through its gate (every user sees every meeting)."""
    return get_object_or_404(
        meetings_for_user(user).select_related("body__organisation", "protocol"), pk=pk
    )


def kallelse_recipients(meeting: Meeting) -> list[Membership]:
    """Everyone with a current seat or role in the arena on the meeting day: ledamöter,
    ersättare, åhörare and the secretary; one membership per person, with an address."""
    day = timezone.localtime(meeting.starts_at).date()
    chosen: dict[int, Membership] = {}
    for membership in (
        Membership.objects.active(on=day)
        .filter(body=meeting.body)
        .exclude(person__email="")
        .select_related("person")
        .in_role_order()
    ):
        chosen.setdefault(membership.person_id, membership)
    return list(chosen.values())


def kallelse_reach(meeting: Meeting) -> list[tuple[Membership, bool]]:
    """Each recipient of the kallelse, and whether it gives them the whole agenda (a
    seat that reads closed items) or only its public part (åhörare)."""
    entitled = set(Membership.Role.entitled())
    return [(m, m.role in entitled) for m in kallelse_recipients(meeting)]


def kallelse_refusals(meeting: Meeting, reach: list[tuple[Membership, bool]]) -> list[str]:
    """Why the kallelse of ``meeting`` cannot go (empty: it can), given its ``reach``:
    the meeting is cancelled, its agenda is empty, no one would receive it. The review
    page shows them; ``services.kallelse_send`` refuses with them."""
    refusals = []
    if meeting.status == Meeting.Status.CANCELLED:
        refusals.append(_("The meeting is cancelled."))
    if not meeting.agenda_items.exists():
        refusals.append(_("The agenda is empty."))
    if not reach and not meeting.invitee_addresses:
        refusals.append(
            _(
                "No one would receive the kallelse. No one has a seat in the arena with an "
                "e-mail address on %(date)s: check the members and their terms."
            )
            % {"date": timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d")}
        )
    return refusals


def agenda_items_for_user(user: Viewer) -> QuerySet[AgendaItem]:
    """Every agenda item the user may see, across meetings (the rule of
    ``agenda_for_user``): all for the secretariat and the arena's members; public items
    of agendas whose kallelse has gone out for everyone else."""
    items = AgendaItem.objects.all()
    if is_secretariat(user):
        return items
    published = Q(public=True) & ~Q(meeting__status=Meeting.Status.PLANNED)
    return items.filter(published | Q(meeting__body_id__in=viewer_body_ids(user)))


def preparing_seats(user_id: int) -> QuerySet[Membership]:
    """The user's current seats as ledamot or ersättare: those who prepare for their
    arenas' meetings (and keep private notes on the items; the secretary and observers
    do not)."""
    return Membership.objects.active().filter(
        person__user_id=user_id,
        role__in=[*Membership.Role.seated(), Membership.Role.SUBSTITUTE],
    )


def prepares_for(*, user: Viewer, meeting: Meeting) -> bool:
    """Whether the user prepares for the meeting as one of its arena's ledamöter or
    ersättare (``preparing_seats``)."""
    if user is None or not user.is_authenticated:
        return False
    user_id: int = user.pk
    return cached_on(
        user,
        f"prepares_for_{meeting.body_id}",
        lambda: preparing_seats(user_id).filter(body_id=meeting.body_id).exists(),
    )


def agenda_for_user(*, user: Viewer, meeting: Meeting) -> list[AgendaItem]:
    """The items the user may see, each with ``shown_title`` and the documents the user
    may see. The public sees the public items once the kallelse has gone out."""
    closed_too = sees_closed_items(user=user, body=meeting.body)
    if not closed_too and not meeting.agenda_is_published:
        return []
    items = meeting.agenda_items.select_related("case__diarium", "presenter").prefetch_related(
        Prefetch("documents", queryset=documents_for_user(user).order_by("sequence"))
    )
    if user is not None and prepares_for(user=user, meeting=meeting):
        notes = AgendaNote.objects.filter(user_id=user.pk or 0)
        items = items.prefetch_related(Prefetch("notes", queryset=notes, to_attr="my_notes"))
    if not closed_too:
        items = items.filter(public=True)
    shown = list(_with_shown_titles(items, user=user).order_by("position"))
    if not closed_too:
        for item in shown:
            item.proposal = item.proposal_for(internal=False)
    return shown


def _with_shown_titles(items: QuerySet[AgendaItem], *, user: Viewer) -> QuerySet[AgendaItem]:
    """Each item's ``shown_title``: its own title; else the ärende's internal title for
    those who read the meeting's closed items or the ärende's internal matter; else the
    title the public sees (the public title, or the title where there is none). For the
    public, a title with unconfirmed personal data, the item's or its ärende's, is
    withheld (``AgendaItem.title_for`` in Python)."""
    if is_secretariat(user):
        internal = Q(pk__isnull=False)
    else:
        internal = Q(meeting__body_id__in=viewer_body_ids(user)) | _internal_case_q(user, "case__")
    withheld = Value(str(WITHHELD_TITLE))
    own_title = ~Q(title="")
    return items.annotate(
        shown_title=CaseWhen(
            When(own_title & (internal | AgendaItem.publishable_q()), then=F("title")),
            When(own_title, then=withheld),
            When(case__isnull=True, then=F("title")),
            When(internal, then=F("case__title")),
            When(~Case.publishable_q("case__"), then=withheld),
            When(case__public_title="", then=F("case__title")),
            default=F("case__public_title"),
        )
    )


def agenda_items_with_titles(
    *, user: Viewer, meeting_ids: list[int] | None
) -> QuerySet[AgendaItem]:
    """The agenda items the user may see (of these meetings, or of all), each with its
    ``shown_title``, in agenda order: for lists across meetings, in one query."""
    items = agenda_items_for_user(user).select_related("meeting__body", "case")
    if meeting_ids is not None:
        items = items.filter(meeting_id__in=meeting_ids)
    return _with_shown_titles(items, user=user).order_by("meeting_id", "position")


def agenda_item_get_for_user(*, user: Viewer, pk: int) -> AgendaItem:
    """The gate for one agenda item (the API's agenda items and consultations): the
    rule of ``agenda_items_for_user``, with its ``shown_title``; in one query."""
    items = agenda_items_for_user(user).select_related("meeting__body", "case")
    return get_object_or_404(_with_shown_titles(items, user=user), pk=pk)


def body_meetings_by_year(body: Body) -> list[tuple[int, list[Meeting]]]:
    """Every meeting of the arena, newest year first, each year's in date order (one
    query): the arena's whole record, 2018's meetings as much as this year's."""
    years: dict[int, list[Meeting]] = {}
    for meeting in body.meetings.select_related("protocol").order_by("starts_at"):
        years.setdefault(timezone.localtime(meeting.starts_at).year, []).append(meeting)
    return sorted(years.items(), reverse=True)


def latest_justerat_meeting(body: Body) -> Meeting | None:
    """The arena's latest meeting whose protocol is justerat (by the meeting's date: a
    protocol recorded long after, like the seeds' of 2018, is not the latest)."""
    return body.meetings.filter(protocol__status="justerat").order_by("-starts_at").first()


def meetings_around(*, body: Body, limit: int = 8) -> tuple[list[Meeting], list[Meeting]]:
    """The next ``limit`` and the last ``limit`` meetings of ``body``, in one query."""

    now = timezone.now()
    coming = body.meetings.filter(starts_at__gte=now).order_by("starts_at")[:limit]
    held = body.meetings.filter(starts_at__lt=now).order_by("-starts_at")[:limit]
    meetings = list(coming.union(held, all=True))
    return (
        sorted((m for m in meetings if m.starts_at >= now), key=lambda m: m.starts_at),
        sorted((m for m in meetings if m.starts_at < now), key=lambda m: m.starts_at, reverse=True),
    )


def meetings_upcoming_for(user: Viewer) -> QuerySet[Meeting]:
    """'Mina sammanträden': the coming meetings of the user's arenas."""

    return (
        Meeting.objects.filter(body_id__in=viewer_body_ids(user), starts_at__gte=timezone.now())
        .exclude(status=Meeting.Status.CANCELLED)
        .select_related("body")
        .order_by("starts_at")
    )


def agenda_item_get_for_member(*, user: Viewer, pk: int) -> AgendaItem:
    """The gate for members' private notes: items of the arenas the user sits in."""
    item = get_object_or_404(AgendaItem.objects.select_related("meeting__body"), pk=pk)
    require(prepares_for(user=user, meeting=item.meeting))
    return item


def agenda_item_get_for_secretariat(*, user: Viewer, pk: int) -> AgendaItem:
    require(is_secretariat(user))
    return get_object_or_404(AgendaItem.objects.select_related("meeting__body", "case"), pk=pk)
