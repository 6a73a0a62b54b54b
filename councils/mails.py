"""Every e-mail the councils app writes, one function per kind, parallel to
``pdfs.py``: each returns the messages (bodies from ``templates/councils/email/``,
subjects through ``header_text``); the services decide when and send them. Each
message carries only what its recipient may see on the pages."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from base.mail import header_text
from councils import selectors
from councils.calendar import calendar, meeting_event
from councils.models import (
    AgendaItem,
    Approval,
    Meeting,
    Membership,
    Paragraph,
    Protocol,
    Reminder,
    Watch,
)


def kallelse_lines(items: list[AgendaItem], *, internal: bool) -> list[dict[str, Any]]:
    """The agenda as one recipient may see it on the meeting page: ``internal`` (a seat
    that reads closed items) gives the closed items and the ärenden's internal titles;
    otherwise the public items under the titles the public sees."""
    return [
        {
            "position": item.position,
            "diarienummer": item.case.diarienummer if item.case else "",
            "title": item.title_for(internal=internal),
            "public": item.public,
        }
        for item in items
        if item.public or internal
    ]


def kallelse(meeting: Meeting) -> list[EmailMessage]:
    """One kallelse per recipient (members, ersättare, åhörare, the secretary, the
    invitees), each with the agenda as that recipient sees the meeting page and the
    meeting as an .ics file."""
    url = f"{settings.SAMVERKAN_BASE_URL}{meeting.get_absolute_url()}"
    items = list(meeting.agenda_items.select_related("case", "presenter").order_by("position"))
    ics = calendar([meeting_event(meeting, url=url)], method="PUBLISH")
    recipients: list[tuple[str, Membership | None, bool]] = [
        (m.person.email, m, whole) for m, whole in selectors.kallelse_reach(meeting)
    ]
    recipients += [(address, None, False) for address in meeting.invitee_addresses]
    messages = []
    with translation.override("sv"):
        subject = header_text(
            _("Kallelse: %(body)s %(date)s")
            % {
                "body": meeting.body.name,
                "date": timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d"),
            }
        )
        for address, membership, internal in recipients:
            body = render_to_string(
                "councils/email/kallelse.txt",
                {
                    "meeting": meeting,
                    "items": kallelse_lines(items, internal=internal),
                    "url": url,
                    "membership": membership,
                },
            )
            message = EmailMessage(subject, body, to=[address])
            message.attach("sammantrade.ics", ics, "text/calendar; charset=utf-8; method=PUBLISH")
            messages.append(message)
    return messages


def justering_requests(protocol: Protocol) -> list[EmailMessage]:
    """A link to the protocol for each signatory still to decide."""
    url = f"{settings.SAMVERKAN_BASE_URL}{protocol.get_absolute_url()}"
    messages = []
    with translation.override("sv"):
        subject = header_text(
            _("Justering: %(body)s %(date)s")
            % {
                "body": protocol.meeting.body.name,
                "date": timezone.localtime(protocol.meeting.starts_at).strftime("%Y-%m-%d"),
            }
        )
        for approval in protocol.approvals.filter(
            decision=Approval.Decision.PENDING
        ).select_related("person"):
            if not approval.person.email:
                continue
            body = render_to_string(
                "councils/email/justering.txt",
                {"protocol": protocol, "person": approval.person, "url": url},
            )
            messages.append(EmailMessage(subject, body, to=[approval.person.email]))
    return messages


def extract(paragraph: Paragraph, *, address: str, file_name: str, data: bytes) -> EmailMessage:
    """The justerat protokollsutdrag to one recipient of Utdrag till."""
    with translation.override("sv"):
        message = EmailMessage(
            header_text(
                _("Protokollsutdrag %(label)s: %(title)s")
                % {"label": paragraph.label, "title": paragraph.title}
            ),
            _("Attached is the justerat protokollsutdrag %(label)s of %(body)s.")
            % {"label": paragraph.label, "body": paragraph.meeting.body.name},
            to=[address],
        )
    message.attach(file_name, data, "application/pdf")
    return message


def bevakning(watch: Watch, items: list[Any], *, stop_url: str) -> EmailMessage:
    """What is new in one bevakning (``items``: title and path), with a one-click link
    that ends it (also as ``List-Unsubscribe``)."""
    base = settings.SAMVERKAN_BASE_URL.rstrip("/")
    with translation.override("sv"):
        lines = [
            _("New in what you follow (%(what)s):") % {"what": str(watch)},
            "",
            *[f"- {item.title}\n  {base}{item.path}" for item in items],
            "",
            _("End this bevakning with one click: %(url)s") % {"url": stop_url},
            _("All your bevakningar: %(url)s") % {"url": base + reverse("councils:watches")},
        ]
        subject = header_text(_("Bevakning: %(what)s") % {"what": str(watch)})
    return EmailMessage(
        subject=subject,
        body="\n".join(lines),
        to=[watch.user.email],
        headers={
            "List-Unsubscribe": f"<{stop_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def reminder(reminder: Reminder) -> EmailMessage:
    """One påminnelse: what waits, by when, and the page where it is done."""
    base = settings.SAMVERKAN_BASE_URL.rstrip("/")
    with translation.override("sv"):
        lines = [
            reminder.subject,
            "",
            f"{base}{reminder.path}",
            "",
            _("You get this reminder once; your reminders are listed on %(url)s")
            % {"url": base + reverse("councils:my-meetings")},
        ]
        subject = header_text(_("Reminder: %(what)s") % {"what": reminder.subject})
    return EmailMessage(subject=subject, body="\n".join(lines), to=[reminder.email])
