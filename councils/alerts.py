"""Bevakningar: follow an arena, an ärende or a saved search, and get a mail from the
worker when something new appears, at most one a day per bevakning unless the person
chose at once. What a mail names is decided by the same selectors as the pages, for
the person who follows; one click in the mail ends the bevakning.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from councils import mails, selectors
from councils.models import Body, Case, Meeting, Protocol, Watch

logger = logging.getLogger(__name__)

DAILY = datetime.timedelta(days=1)
SEEN_LIMIT = 500
UNSUBSCRIBE_SALT = "samverkan.watch.unsubscribe"


@dataclass(frozen=True)
class Item:
    title: str
    path: str


# --- Writes -----------------------------------------------------------------------------------


def watch_add(
    *,
    actor: Any,
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
        watch.seen = sorted(_search_keys(watch))
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


def unsubscribe_token(watch: Watch) -> str:
    return signing.dumps(watch.pk, salt=UNSUBSCRIBE_SALT)


def unsubscribe(*, token: str) -> bool:
    """End the bevakning a mail's link names. False for a link that was tampered with;
    True also when it had already ended (the link may be clicked twice)."""
    try:
        watch_id = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return False
    Watch.objects.filter(pk=watch_id).delete()
    return True


# --- What is new ------------------------------------------------------------------------------


def _body_items(watch: Watch, since: datetime.datetime) -> list[Item]:
    assert watch.body is not None
    items = [
        Item(
            _("Kallelse: %(body)s %(date)s")
            % {"body": m.body.name, "date": f"{timezone.localtime(m.starts_at):%Y-%m-%d}"},
            m.get_absolute_url(),
        )
        for m in Meeting.objects.filter(body=watch.body, kallelse_sent_at__gt=since)
        .select_related("body")
        .order_by("starts_at")
    ]
    protocols = (
        Protocol.objects.filter(meeting__body=watch.body, status=Protocol.Status.APPROVED)
        .annotate(finalised=Max("meeting__paragraphs__approved_at"))
        .filter(finalised__gt=since)
        .select_related("meeting__body")
    )
    items += [
        Item(
            _("Protocol: %(body)s %(date)s")
            % {
                "body": p.meeting.body.name,
                "date": f"{timezone.localtime(p.meeting.starts_at):%Y-%m-%d}",
            },
            reverse("councils:protocol", kwargs={"pk": p.meeting_id}),
        )
        for p in protocols
    ]
    return items


def _case_items(watch: Watch, since: datetime.datetime) -> list[Item]:
    assert watch.case is not None
    user = watch.user
    documents = selectors.documents_for_user(user).filter(case=watch.case, registered_at__gt=since)
    items = [Item(f"{d.reference} {d.subject}", d.get_absolute_url()) for d in documents]
    paragraphs = selectors.paragraphs_visible_to(user).filter(
        case=watch.case, approved_at__gt=since
    )
    items += [
        Item(
            f"{p.meeting.body.name} § {p.number} {p.title}",
            f"{reverse('councils:protocol', kwargs={'pk': p.meeting_id})}#p-{p.pk}",
        )
        for p in paragraphs
    ]
    return items


#: The portal's search, for saved-search bevakningar: ``(user, text, filters) -> hits``
#: (each hit with ``kind``, ``url`` and ``title``). The search spans every app, so the
#: app that owns it registers it when ready (``samverkan.apps``); this module never
#: imports it.
SearchFunction = Callable[[Any, str, dict[str, Any]], list[Any]]
_search: SearchFunction | None = None


def register_search(function: SearchFunction) -> None:
    global _search  # one registration, when the apps are ready
    _search = function


def _search_hits(watch: Watch) -> list[Any]:
    if _search is None:
        raise RuntimeError("no search registered for saved-search bevakningar")
    return _search(watch.user, watch.query, watch.filters)


def _search_keys(watch: Watch) -> set[str]:
    return {f"{hit.kind}:{hit.url}" for hit in _search_hits(watch)}


def _search_items(watch: Watch) -> list[Item]:
    seen = set(watch.seen)
    fresh = [hit for hit in _search_hits(watch) if f"{hit.kind}:{hit.url}" not in seen]
    watch.seen = sorted(seen | {f"{hit.kind}:{hit.url}" for hit in fresh})[-SEEN_LIMIT:]
    return [Item(hit.title, hit.url) for hit in fresh]


def watch_news(watch: Watch, *, since: datetime.datetime) -> list[Item]:
    if watch.kind == Watch.Kind.BODY:
        return _body_items(watch, since)
    if watch.kind == Watch.Kind.CASE:
        return _case_items(watch, since)
    return _search_items(watch)


# --- Sending ----------------------------------------------------------------------------------


def _message(watch: Watch, items: list[Item]) -> EmailMessage:
    base = settings.SAMVERKAN_BASE_URL.rstrip("/")
    stop = base + reverse("councils:watch-unsubscribe", args=[unsubscribe_token(watch)])
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
        if not immediate and last_sent_at and now - last_sent_at < DAILY:
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
        items = watch_news(watch, since=watch.checked_until)
        watch.checked_until = now
        sent = 0
        if items:
            sent = connection.send_messages([_message(watch, items)]) or 0
            watch.last_sent_at = now
        watch.failed_at, watch.failure = None, ""
        watch.save(update_fields=["checked_until", "last_sent_at", "seen", "failed_at", "failure"])
    return sent
