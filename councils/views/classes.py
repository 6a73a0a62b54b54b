"""Who a logged-in person is, for each page kept per permission class
(``base.classcache``): the facts every gate reads (``selectors.permission_class``) and
what the page reads besides. A page that is the person's alone answers None and is
rendered for them as before."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import get_template

from base.classcache import class_of
from councils import selectors
from councils.models import AgendaItem, AgendaNote, Meeting, Protocol


def _meeting_facts(request: HttpRequest, pk: int) -> tuple[bool, bool] | None:
    """(signs, prepares) for the meeting ``pk``, in one query, or None if there is no
    such meeting: whether the person is the chair or a justerare of its protocol, or was
    asked to approve it (who read and approve it before it is justerat: their page is
    their own), and whether they prepare for it (``selectors.preparing_seats``: their
    private notes are slots, filled by ``notes``)."""
    user_id: int = request.user.pk or 0
    signs = Protocol.objects.filter(meeting_id=OuterRef("pk")).filter(
        Q(chair__user_id=user_id)
        | Q(adjusters__user_id=user_id)
        | Q(approvals__person__user_id=user_id)  # asked to approve it, whatever since
    )
    prepares = selectors.preparing_seats(user_id).filter(body_id=OuterRef("body_id"))
    return (
        Meeting.objects.filter(pk=pk)
        .annotate(signs=Exists(signs), prepares=Exists(prepares))
        .values_list("signs", "prepares")
        .first()
    )


def meeting_class(request: HttpRequest, pk: int) -> str | None:
    """The meeting page: whoever passes the same gates, and whether they prepare for it."""
    facts = _meeting_facts(request, pk)
    if facts is None or facts[0]:
        return None  # no such meeting (the view answers 404), or a signatory's own page
    return class_of("meeting", selectors.permission_class(request.user), facts[1])


def protocol_class(request: HttpRequest, pk: int) -> str | None:
    """The protocol page: the same, but for its signatories (their approval is theirs)."""
    facts = _meeting_facts(request, pk)
    if facts is None or facts[0]:
        return None
    return class_of("protocol", selectors.permission_class(request.user))


def permission_class_only(request: HttpRequest, **kwargs: object) -> str:
    """A page that reads nothing of the person but what the gates read (the arena,
    the ärende)."""
    return selectors.permission_class(request.user)


def notes(request: HttpRequest, args: list[str]) -> dict[str, str]:
    """Each agenda item's private-note form with the person's own note, for the slots of
    a meeting page kept for its class (each slot's argument: the item's id and position,
    as the page shows them), in one query."""
    items: dict[int, AgendaItem] = {}
    for arg in args:
        pk, _, position = arg.partition(":")
        if pk.isdigit() and position.isdigit():
            items[int(pk)] = AgendaItem(pk=int(pk), position=int(position))
    mine: dict[int, list[AgendaNote]] = {}
    for note in AgendaNote.objects.filter(user_id=request.user.pk or 0, item_id__in=items):
        mine.setdefault(note.item_id, []).append(note)
    # One template, and a plain context with the person's token: the context
    # processors of a request once for all the items, not once an item.
    partial = get_template("councils/meeting_detail.html#note")
    token = get_token(request)
    html: dict[str, str] = {}
    for item_pk, item in items.items():
        item.my_notes = mine.get(item_pk, [])  # type: ignore[attr-defined]
        html[f"{item_pk}:{item.position}"] = partial.render(
            {"item": item, "prepares": True, "saved": False, "csrf_token": token}
        )
    return html
