"""iCalendar (RFC 5545) for meetings, written by hand: a few fields, no dependency."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone

from councils.models import Meeting


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space."""
    data = line.encode()
    if len(data) <= 75:
        return line
    parts: list[str] = []
    start = 0
    while start < len(data):
        end = min(start + (75 if not parts else 74), len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # not inside a UTF-8 sequence
            end -= 1
        parts.append(data[start:end].decode())
        start = end
    return "\r\n ".join(parts)


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def meeting_event(
    meeting: Meeting, *, url: str, description: str = "", sequence: int | None = None
) -> list[str]:
    """One VEVENT. ``sequence`` (the number of recorded changes, so calendar apps take
    a changed or cancelled meeting as an update) is counted unless given."""
    end = meeting.ends_at or meeting.starts_at + datetime.timedelta(hours=2)
    if sequence is None:
        sequence = meeting.history.count()
    lines = [
        "BEGIN:VEVENT",
        f"UID:meeting-{meeting.pk}@{settings.SAMVERKAN_CALENDAR_DOMAIN}",
        f"DTSTAMP:{_utc(timezone.now())}",
        f"DTSTART:{_utc(meeting.starts_at)}",
        f"DTEND:{_utc(end)}",
        f"SEQUENCE:{sequence}",
        f"SUMMARY:{_escape(meeting.body.name)}",
        f"LOCATION:{_escape(meeting.place or meeting.remote_link)}",
        f"URL:{url}",
        "STATUS:" + ("CANCELLED" if meeting.status == Meeting.Status.CANCELLED else "CONFIRMED"),
    ]
    if description:
        lines.append(f"DESCRIPTION:{_escape(description)}")
    lines.append("END:VEVENT")
    return lines


def calendar(events: Iterable[list[str]], *, method: str = "PUBLISH") -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Samverkansportalen//SV",
        "CALSCALE:GREGORIAN",
        f"METHOD:{method}",
    ]
    for event in events:
        lines.extend(event)
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
