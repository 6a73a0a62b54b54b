"""Who a logged-in person is, for each page kept per permission class
(``base.classcache``): the facts every gate reads (``selectors.permission_class``) and
what the page reads besides. A page that is the person's alone answers None and is
rendered for them as before."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.http import HttpRequest
from django.utils.html import escape, format_html
from django.utils.translation import gettext as _

from base import pagecache
from base.classcache import class_of
from councils import selectors
from councils.models import AgendaNote, Meeting, Protocol


def _meeting_facts(request: HttpRequest, pk: int) -> tuple[bool, bool] | None:
    """(signs, prepares) for the meeting ``pk``, in one query, or None if there is no
    such meeting: whether the person is the chair or a justerare of its protocol, or was
    asked to approve it (who read and approve it before it is justerat: their page is
    their own), and whether they prepare for it (``selectors.preparing_seats``: their
    private notes are slots, filled by ``note_texts`` and ``notes_written``)."""
    user_id: int = request.user.pk or 0

    def facts() -> tuple[bool, bool] | None:
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

    # Records all (the protocol, its signatories, approvals, seats): kept for the
    # generation that a write to any of them ends, as the permission class is.
    return pagecache.remember(f"meeting-facts:{user_id}:{pk}", facts)


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


def _my_notes(request: HttpRequest, args: list[str]) -> dict[str, list[AgendaNote]]:
    """The person's notes on the items ``args`` (their ids), by item: one query a
    request, for both of the note's slots."""
    cached: dict[str, list[AgendaNote]] | None = getattr(request, "_my_notes", None)
    if cached is None:
        pks = [int(arg) for arg in args if arg.isdigit()]
        cached = {}
        for note in AgendaNote.objects.filter(user_id=request.user.pk or 0, item_id__in=pks):
            cached.setdefault(str(note.item_id), []).append(note)
        request._my_notes = cached  # type: ignore[attr-defined]
    return cached


def note_texts(request: HttpRequest, args: list[str]) -> dict[str, str]:
    """The person's own note in each item's note form, for a meeting page kept for its
    class (``{% personal "note-text" item.pk %}``)."""
    mine = _my_notes(request, args)
    return {arg: "".join(escape(note.text) for note in mine.get(arg, [])) for arg in args}


def notes_written(request: HttpRequest, args: list[str]) -> dict[str, str]:
    """ "(written)" beside each item's note that the person has written."""
    mine = _my_notes(request, args)
    written = format_html(' <span class="muted">({})</span>', _("written"))
    return {arg: written if mine.get(arg) else "" for arg in args}
