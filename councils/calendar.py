"""iCalendar (RFC 5545) for meetings, written with the ``icalendar`` library: it escapes
every text value (a line break or a carriage return in a place or a title stays inside
its property) and folds long lines."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

import icalendar
from django.conf import settings
from django.utils import timezone

from councils.models import Meeting


def _utc(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(datetime.UTC).replace(microsecond=0)


def _text(value: str) -> str:
    """Text as one property value: a lone carriage return becomes a space (RFC 5545
    has no escape for it), a line break stays a line break (escaped as ``\\n``)."""
    return value.replace("\r\n", "\n").replace("\r", " ")


def meeting_event(
    meeting: Meeting, *, url: str, description: str = "", sequence: int | None = None
) -> icalendar.Event:
    """One VEVENT. ``sequence`` (the number of recorded changes, so calendar apps take
    a changed or cancelled meeting as an update) is counted unless given."""
    end = meeting.ends_at or meeting.starts_at + datetime.timedelta(hours=2)
    if sequence is None:
        sequence = meeting.history.count()
    event = icalendar.Event()
    event.add("uid", f"meeting-{meeting.pk}@{settings.SAMVERKAN_CALENDAR_DOMAIN}")
    event.add("dtstamp", _utc(timezone.now()))
    event.add("dtstart", _utc(meeting.starts_at))
    event.add("dtend", _utc(end))
    event.add("sequence", sequence)
    event.add("summary", _text(meeting.body.name))
    event.add("location", _text(meeting.place or meeting.remote_link))
    event.add("url", url)
    cancelled = meeting.status == Meeting.Status.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if description:
        event.add("description", _text(description))
    return event


def calendar(events: Iterable[icalendar.Event], *, method: str = "PUBLISH") -> str:
    cal = icalendar.Calendar()
    cal.add("version", "2.0")
    cal.add("prodid", "-//Samverkansportalen//SV")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    for event in events:
        cal.add_component(event)
    return cal.to_ical().decode()
