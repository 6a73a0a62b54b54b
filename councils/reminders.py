"""Påminnelser, the reads: which reminders are due on a day, and to whom. Each source
turns open records into occasions (a protocol waiting for its justerare, a kallelse not
sent as its last day nears, ...); the councils app brings its own, and the apps above it
register theirs (``register``). The writes (recording and mailing each occasion once)
are ``councils.services.following.reminders_send``.

An occasion's text is built from what its recipient may read on the pages: the arena,
the date, an uppdrag's title, a follow-up's title and kommun, never internal titles.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from base.roles import secretariat_q
from councils.models import Approval, Meeting, Person, Protocol, Reminder

#: How far ahead the secretariat's list shows what is coming.
HORIZON = datetime.timedelta(days=14)


@dataclass(frozen=True)
class Occasion:
    kind: str  # a Reminder.Kind
    object_id: int
    stage: str
    due_on: datetime.date
    email: str
    person: Person | None
    subject: str
    path: str


Source = Callable[[datetime.date], Iterable[Occasion]]
SOURCES: list[Source] = []


def register(source: Source) -> Source:
    """Add a source of occasions; each is asked for those due up to the given day."""
    SOURCES.append(source)
    return source


def occasions(until: datetime.date, *, today: datetime.date | None = None) -> list[Occasion]:
    """Every occasion due on or before ``until`` whose record is still open, in the
    order they fall due; their texts in Swedish, the language of the mails.

    Of the occasions of one record and recipient already due by ``today`` (``until``
    unless given), only the latest is kept: one the worker missed, or that fell due
    before the record was made (an uppdrag registered after its due date), is
    overtaken by the later one ("overdue", not "due in a week"; day 10, not also
    day 3)."""
    today = until if today is None else today
    with translation.override("sv"):
        found = [occasion for source in SOURCES for occasion in source(until)]
    latest: dict[tuple[str, int, str], Occasion] = {}
    for occasion in found:
        key = (occasion.kind, occasion.object_id, occasion.email)
        if occasion.due_on <= today and (key not in latest or occasion.due_on > latest[key].due_on):
            latest[key] = occasion
    kept = [
        occasion
        for occasion in found
        if occasion.due_on > today
        or latest[(occasion.kind, occasion.object_id, occasion.email)] is occasion
    ]
    return sorted(kept, key=lambda occasion: occasion.due_on)


def pending(today: datetime.date) -> list[tuple[Occasion, Reminder | None]]:
    """What falls due by ``today`` or within the horizon and is not yet sent, each with
    its recorded row if it has one (recorded, not yet mailed: the mail server failed,
    or the worker has it now)."""
    coming = occasions(today + HORIZON, today=today)
    recorded = {
        (r.kind, r.object_id, r.stage, r.email): r
        for r in Reminder.objects.filter(
            object_id__in={o.object_id for o in coming}, kind__in={o.kind for o in coming}
        )
    }
    keyed = [(o, recorded.get((o.kind, o.object_id, o.stage, o.email))) for o in coming]
    return [(o, r) for o, r in keyed if r is None or r.sent_at is None]


def secretariat_recipients() -> list[tuple[str, Person | None]]:
    """The secretariat's staff who have an e-mail address, with their person if any."""
    users = (
        get_user_model()
        .objects.filter(secretariat_q())
        .exclude(email="")
        .distinct()
        .select_related("person")
        .order_by("pk")
    )
    return [(user.email, getattr(user, "person", None)) for user in users]


def _local_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


@register
def justering(until: datetime.date) -> Iterator[Occasion]:
    """The chair and the justerare who have not justerat: three days after the protocol
    was sent to them, then on the tenth of the fourteen days the law gives."""
    approvals = (
        Approval.objects.filter(
            decision=Approval.Decision.PENDING, protocol__status=Protocol.Status.FOR_APPROVAL
        )
        .exclude(person__email="")
        .select_related("person", "protocol__meeting__body")
    )
    for approval in approvals:
        protocol = approval.protocol
        meeting = protocol.meeting
        held_on = _local_date(meeting.starts_at)
        sent_on = _local_date(protocol.sent_for_justering_at or meeting.starts_at)
        subject = _("Protocol to justera: %(body)s %(date)s, justerat by %(deadline)s") % {
            "body": meeting.body.name,
            "date": f"{held_on:%Y-%m-%d}",
            "deadline": f"{protocol.justering_deadline:%Y-%m-%d}",
        }
        stages = {"dag-3": sent_on + datetime.timedelta(days=3)}
        if held_on + datetime.timedelta(days=10) > stages["dag-3"]:  # else one is enough
            stages["dag-10"] = held_on + datetime.timedelta(days=10)
        for stage, due_on in stages.items():
            if due_on <= until:
                yield Occasion(
                    Reminder.Kind.JUSTERING,
                    protocol.pk,
                    stage,
                    due_on,
                    approval.person.email,
                    approval.person,
                    subject,
                    protocol.get_absolute_url(),
                )


#: A kallelse is called for this many days before the last day of its notice period.
KALLELSE_WARNING = datetime.timedelta(days=2)


@register
def kallelse(until: datetime.date) -> Iterator[Occasion]:
    """The secretariat, two days before a meeting's notice period ends without a
    kallelse sent."""
    today = timezone.localdate()
    meetings = Meeting.objects.filter(
        kallelse_sent_at__isnull=True,
        status=Meeting.Status.PLANNED,
        starts_at__gte=timezone.now(),
    ).select_related("body")
    recipients = None
    for meeting in meetings:
        due_on = max(meeting.notice_deadline - KALLELSE_WARNING, today)
        if due_on > until:
            continue
        recipients = secretariat_recipients() if recipients is None else recipients
        subject = _("Kallelse not sent: %(body)s %(date)s, due by %(deadline)s") % {
            "body": meeting.body.name,
            "date": f"{_local_date(meeting.starts_at):%Y-%m-%d}",
            "deadline": f"{meeting.notice_deadline:%Y-%m-%d}",
        }
        for email, person in recipients:
            yield Occasion(
                Reminder.Kind.KALLELSE,
                meeting.pk,
                f"{meeting.notice_deadline:%Y-%m-%d}",
                due_on,
                email,
                person,
                subject,
                meeting.get_absolute_url(),
            )
