"""Writes for following the arenas from outside: bevakningar (start, change, end, and
the worker's mailing of what is new) and the private calendar address. What is new for
a bevakning is read by ``councils.alerts``."""

from __future__ import annotations

import datetime
import logging
import secrets
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from base.accounts import User
from base.actors import Actor
from councils import alerts, mails, reminders
from councils.models import Body, CalendarToken, Case, Reminder, Watch

logger = logging.getLogger(__name__)


def watch_add(
    *,
    actor: Actor,
    kind: str,
    body: Body | None = None,
    case: Case | None = None,
    query: str = "",
    filters: dict[str, Any] | None = None,
    immediate: bool = False,
) -> Watch:
    """Start following; following the same thing twice keeps the first bevakning."""
    existing = Watch.objects.filter(
        user=actor, kind=kind, body=body, case=case, query=query, filters=filters or {}
    ).first()
    if existing is not None:
        return existing
    watch = Watch(
        user=actor,
        kind=kind,
        body=body,
        case=case,
        query=query.strip()[:200],
        filters=filters or {},
        immediate=immediate,
        checked_until=timezone.now(),
    )
    watch.full_clean()
    if kind == Watch.Kind.SEARCH:  # what the search finds today is not news tomorrow
        watch.seen = sorted(alerts.search_keys(watch))
    try:
        with transaction.atomic():
            watch.save()
    except IntegrityError as error:
        raise ValidationError(_("You already follow this.")) from error
    return watch


def watch_set_immediate(*, watch: Watch, immediate: bool) -> Watch:
    watch.immediate = immediate
    watch.save(update_fields=["immediate"])
    return watch


def watch_remove(*, watch: Watch) -> None:
    watch.delete()


def unsubscribe(*, token: str) -> bool:
    """End the bevakning a mail's link names. False for a link that was tampered with;
    True also when it had already ended (the link may be clicked twice)."""
    try:
        watch_id = signing.loads(token, salt=alerts.UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return False
    Watch.objects.filter(pk=watch_id).delete()
    return True


def _message(watch: Watch, items: list[alerts.Item]) -> EmailMessage:
    base = settings.SAMVERKAN_BASE_URL.rstrip("/")
    stop = base + reverse("councils:watch-unsubscribe", args=[alerts.unsubscribe_token(watch)])
    return mails.bevakning(watch, items, stop_url=stop)


def alerts_send(*, now: datetime.datetime | None = None) -> int:
    """Mail what is new for every bevakning that is due (at once, or a day after its
    last mail), and move its mark in the same transaction: a mail that cannot be sent
    leaves the mark where it was, so the news comes with the next attempt. Each
    bevakning goes on its own: one that fails is recorded on it (its owner sees it on
    "Mina bevakningar") and the others are sent. Run by the worker every few minutes.
    Returns the number of mails sent."""
    now = now or timezone.now()
    candidates = (
        Watch.objects.filter(user__is_active=True)
        .exclude(user__email="")
        .values_list("pk", "immediate", "last_sent_at")
    )
    sent = 0
    connection = get_connection()
    for pk, immediate, last_sent_at in candidates:
        if not immediate and last_sent_at and now - last_sent_at < alerts.DAILY:
            continue
        try:
            sent += _watch_send(pk, now=now, connection=connection)
        except Exception as error:  # one bevakning never holds back the others
            logger.exception("Bevakning %s could not be sent", pk)
            Watch.objects.filter(pk=pk).update(
                failed_at=now, failure=f"{type(error).__name__}: {error}"[:500]
            )
    return sent


def _watch_send(pk: int, *, now: datetime.datetime, connection: Any) -> int:
    with transaction.atomic():
        watch = (
            Watch.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("user", "body", "case__diarium")
            .filter(pk=pk)
            .first()
        )
        if watch is None:  # another worker has it, or it just ended
            return 0
        items = alerts.watch_news(watch, since=watch.checked_until)
        watch.checked_until = now
        sent = 0
        if items:
            sent = connection.send_messages([_message(watch, items)]) or 0
            watch.last_sent_at = now
        watch.failed_at, watch.failure = None, ""
        watch.save(update_fields=["checked_until", "last_sent_at", "seen", "failed_at", "failure"])
    return sent


@transaction.atomic
def calendar_token_renew(*, user: User) -> CalendarToken:
    """Give the user a new private calendar address; the old one stops working."""
    CalendarToken.objects.filter(user=user).delete()
    return CalendarToken.objects.create(user=user, token=secrets.token_urlsafe(32))


def reminders_record(*, today: datetime.date | None = None) -> int:
    """Record every reminder due by ``today`` that is not recorded yet; the row's
    uniqueness (kind, record, occasion, address) makes each one once, however often this
    runs. Returns how many were new."""
    today = today or timezone.localdate()
    new = 0
    for occasion in reminders.occasions(today):
        _reminder, created = Reminder.objects.get_or_create(
            kind=occasion.kind,
            object_id=occasion.object_id,
            stage=occasion.stage,
            email=occasion.email,
            defaults={
                "person": occasion.person,
                "subject": occasion.subject,
                "path": occasion.path,
                "due_on": occasion.due_on,
            },
        )
        new += created
    return new


def reminders_send(*, today: datetime.date | None = None) -> int:
    """Record the reminders due, then mail each recorded one not yet sent, one by one:
    a row is marked sent in the transaction that mails it (a row another worker holds
    is skipped), so a restart or a second worker never sends one twice; a mail server
    that fails leaves the row unsent, and the next run tries again. Run by the worker
    every quarter of an hour. Returns the number of mails sent."""
    reminders_record(today=today)
    sent = 0
    connection = get_connection()
    for pk in Reminder.objects.filter(sent_at=None).values_list("pk", flat=True):
        try:
            with transaction.atomic():
                reminder = (
                    Reminder.objects.select_for_update(skip_locked=True)
                    .filter(pk=pk, sent_at=None)
                    .first()
                )
                if reminder is None:
                    continue
                connection.send_messages([mails.reminder(reminder)])
                reminder.sent_at = timezone.now()
                reminder.failure = ""
                reminder.save(update_fields=["sent_at", "failure"])
                sent += 1
        except Exception as error:  # one reminder never holds back the others
            logger.exception("Reminder %s could not be sent", pk)
            Reminder.objects.filter(pk=pk).update(failure=f"{type(error).__name__}: {error}"[:500])
    return sent
