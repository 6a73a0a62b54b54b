"""Feeds to follow the arenas from outside the portal: iCalendar subscriptions (all
public meetings, one arena's, a member's private one) and RSS/Atom for new kallelser,
justerade protokoll and new documents on an ärende.

Feed readers and calendar apps do not log in: the public feeds carry only what the
public may see (the same selectors as the pages); the private calendar is reached
through a secret, revocable address and shows what its owner may see.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from councils import selectors
from councils.calendar import calendar, meeting_event
from councils.models import Body, CalendarToken, Case, Document, Meeting, Protocol

#: How far back a calendar feed reaches; older meetings stay on the arena pages.
CALENDAR_PAST = datetime.timedelta(days=400)


def _with_sequence(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    changes = (
        Meeting.history.model.objects.filter(id=OuterRef("pk"))
        .values("id")
        .annotate(n=Count("history_id"))
        .values("n")
    )
    return meetings.annotate(
        sequence=Coalesce(Subquery(changes, output_field=IntegerField()), 0)
    ).select_related("body")


def _ics(request: HttpRequest, meetings: Any, *, name: str, agenda_for: Any = None) -> HttpResponse:
    """The meetings as one calendar. With ``agenda_for``, the coming meetings carry
    their agenda as that user may see it (at most 20 meetings: a query or two each)."""
    now, with_agenda = timezone.now(), 20
    events = []
    for meeting in meetings:
        description = ""
        if agenda_for is not None and meeting.starts_at >= now and with_agenda:
            with_agenda -= 1
            items = selectors.agenda_for_user(user=agenda_for, meeting=meeting)
            description = "\n".join(
                f"{item.position}. {item.shown_title}"  # type: ignore[attr-defined]
                for item in items
            )
        events.append(
            meeting_event(
                meeting,
                url=request.build_absolute_uri(meeting.get_absolute_url()),
                description=description,
                sequence=meeting.sequence,
            )
        )
    response = HttpResponse(calendar(events), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{name}.ics"'
    return response


def _recent(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    return _with_sequence(
        meetings.filter(starts_at__gte=timezone.now() - CALENDAR_PAST).order_by("starts_at")
    )


def calendar_all(request: HttpRequest) -> HttpResponse:
    """Every arena's meetings (time, place and status are public)."""
    return _ics(request, _recent(Meeting.objects.all())[:2000], name="samverkansportalen")


def calendar_body(request: HttpRequest, slug: str) -> HttpResponse:
    body = selectors.body_get(slug=slug)
    return _ics(request, _recent(body.meetings.all()), name=f"sammantraden-{body.slug}")


def calendar_private(request: HttpRequest, token: str) -> HttpResponse:
    """A member's meetings with the agenda as the member may see it, closed items too.
    The address is the secret; an unknown or revoked one finds nothing."""
    token_row = get_object_or_404(
        CalendarToken.objects.select_related("user"), token=token, user__is_active=True
    )
    owner = token_row.user
    meetings = _recent(Meeting.objects.filter(body_id__in=selectors.viewer_body_ids(owner)))
    response = _ics(request, meetings, name="mina-sammantraden", agenda_for=owner)
    response["Cache-Control"] = "private, no-store"
    return response


# --- RSS and Atom ---------------------------------------------------------------------------


class KallelseFeed(Feed):
    """New kallelser: meetings whose kallelse was sent, newest first."""

    def get_object(self, request: HttpRequest, slug: str | None = None) -> Body | None:
        return selectors.body_get(slug=slug) if slug else None

    def title(self, obj: Body | None) -> str:
        return _("Kallelser: %(name)s") % {"name": obj.name} if obj else _("Kallelser")

    def link(self, obj: Body | None) -> str:
        return obj.get_absolute_url() if obj else reverse("councils:body-list")

    def description(self, obj: Body | None) -> str:
        return _("New kallelser to the arenas' meetings.")

    def items(self, obj: Body | None) -> QuerySet[Meeting]:
        meetings = Meeting.objects.filter(kallelse_sent_at__isnull=False).select_related("body")
        if obj is not None:
            meetings = meetings.filter(body=obj)
        return meetings.order_by("-kallelse_sent_at")[:50]

    def item_title(self, item: Meeting) -> str:
        start = timezone.localtime(item.starts_at)
        return _("Kallelse: %(body)s %(date)s") % {
            "body": item.body.name,
            "date": f"{start:%Y-%m-%d %H:%M}",
        }

    def item_description(self, item: Meeting) -> str:
        return item.place

    def item_pubdate(self, item: Meeting) -> datetime.datetime | None:
        return item.kallelse_sent_at


class ProtocolFeed(Feed):
    """Justerade protokoll, newest first."""

    def get_object(self, request: HttpRequest, slug: str | None = None) -> Body | None:
        return selectors.body_get(slug=slug) if slug else None

    def title(self, obj: Body | None) -> str:
        return (
            _("Justerade protokoll: %(name)s") % {"name": obj.name}
            if obj
            else _("Justerade protokoll")
        )

    def link(self, obj: Body | None) -> str:
        return obj.get_absolute_url() if obj else reverse("councils:notice-board")

    def description(self, obj: Body | None) -> str:
        return _("Protocols as soon as they are justerade.")

    def items(self, obj: Body | None) -> QuerySet[Protocol]:
        protocols = Protocol.objects.filter(status=Protocol.Status.APPROVED).select_related(
            "meeting__body"
        )
        if obj is not None:
            protocols = protocols.filter(meeting__body=obj)
        return protocols.order_by("-approved_on", "-pk")[:50]

    def item_title(self, item: Protocol) -> str:
        return _("Protocol: %(body)s %(date)s") % {
            "body": item.meeting.body.name,
            "date": f"{timezone.localtime(item.meeting.starts_at):%Y-%m-%d}",
        }

    def item_link(self, item: Protocol) -> str:
        return reverse("councils:protocol", kwargs={"pk": item.meeting_id})

    def item_description(self, item: Protocol) -> str:
        return _("Justerat %(date)s") % {
            "date": f"{item.approved_on:%Y-%m-%d}" if item.approved_on else ""
        }

    def item_pubdate(self, item: Protocol) -> datetime.datetime | None:
        if item.approved_on is None:
            return None
        return timezone.make_aware(datetime.datetime.combine(item.approved_on, datetime.time(12)))


class CaseDocumentFeed(Feed):
    """New documents on an ärende, as the public may see them."""

    def get_object(self, request: HttpRequest, pk: int) -> Case:
        return selectors.case_get_for_user(user=None, pk=pk)

    def title(self, obj: Case) -> str:
        return _("Documents on %(number)s") % {"number": obj.diarienummer}

    def link(self, obj: Case) -> str:
        return obj.get_absolute_url()

    def description(self, obj: Case) -> str:
        return obj.shown_title  # type: ignore[attr-defined]

    def items(self, obj: Case) -> QuerySet[Document]:
        return selectors.documents_for_user(None).filter(case=obj).order_by("-registered_at")[:50]

    def item_title(self, item: Document) -> str:
        return f"{item.reference} {item.subject}"

    def item_description(self, item: Document) -> str:
        return f"{item.get_kind_display()}, {item.document_date:%Y-%m-%d}"

    def item_pubdate(self, item: Document) -> datetime.datetime:
        return item.registered_at


class KallelseAtom(KallelseFeed):
    feed_type = Atom1Feed
    subtitle = KallelseFeed.description


class ProtocolAtom(ProtocolFeed):
    feed_type = Atom1Feed
    subtitle = ProtocolFeed.description


class CaseDocumentAtom(CaseDocumentFeed):
    feed_type = Atom1Feed
    subtitle = CaseDocumentFeed.description
