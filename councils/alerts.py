"""Bevakningar, the reads: what is new for one (an arena's kallelser and justerade
protokoll, an ärende's documents and decisions, a saved search's hits), decided by the
same selectors as the pages, for the person who follows; and the signed one-click
link that ends it. The writes (start, change, end, the worker's mailing) are
``councils.services.following``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from councils import selectors
from councils.models import Meeting, Protocol, Watch

DAILY = datetime.timedelta(days=1)
SEEN_LIMIT = 500
UNSUBSCRIBE_SALT = "samverkan.watch.unsubscribe"


@dataclass(frozen=True)
class Item:
    title: str
    path: str


def unsubscribe_token(watch: Watch) -> str:
    return signing.dumps(watch.pk, salt=UNSUBSCRIBE_SALT)


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


def search_keys(watch: Watch) -> set[str]:
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
