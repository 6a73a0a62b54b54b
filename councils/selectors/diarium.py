"""Reads of the diarium and the gates for ärenden and handlingar."""

from __future__ import annotations

from django.db.models import Case as CaseWhen
from django.db.models import Exists, F, OuterRef, Q, QuerySet, When
from django.shortcuts import get_object_or_404

from base.actors import Viewer
from base.roles import is_secretariat
from councils.models import (
    AgendaItem,
    Body,
    Case,
    Document,
)
from councils.selectors.access import _internal_case_q, viewer_body_ids

# --- Cases ------------------------------------------------------------------------------


def cases_for_user(user: Viewer) -> QuerySet[Case]:
    """Every case, annotated with ``shown_title``: the internal title for those who may
    see it, otherwise the public title where one is set. A case whose public text holds
    personal data the secretariat has not confirmed is seen only by those who see its
    internal matter."""
    cases = Case.objects.select_related("diarium", "body")
    if is_secretariat(user):
        return cases.annotate(shown_title=F("title"))
    cases = cases.filter(Case.publishable_q() | _internal_case_q(user))
    return cases.annotate(
        shown_title=CaseWhen(
            When(Q(public_title="") | _internal_case_q(user), then=F("title")),
            default=F("public_title"),
        )
    )


def case_get_for_user(*, user: Viewer, pk: int) -> Case:
    """The gate for ärenden."""
    return get_object_or_404(cases_for_user(user).select_related("handler"), pk=pk)


def case_shows_internal(*, user: Viewer, case: Case) -> bool:
    return is_secretariat(user) or case.body_id in viewer_body_ids(user)


def cases_search(
    *,
    user: Viewer,
    query: str = "",
    diarium: str = "",
    year: int | None = None,
    body: Body | None = None,
) -> QuerySet[Case]:
    """The diarium list: filters apply to what the user may see, never to hidden titles."""
    cases = cases_for_user(user)
    if diarium:
        cases = cases.filter(diarium__prefix=diarium)
    if year:
        cases = cases.filter(year=year)
    if body is not None:
        cases = cases.filter(body=body)
    query = query.strip()
    if query:
        cases = cases.filter(Q(diarienummer__icontains=query) | Q(shown_title__icontains=query))
    return cases.order_by("-registered_on", "-year", "-number")


# --- Documents --------------------------------------------------------------------------


def documents_for_user(user: Viewer) -> QuerySet[Document]:
    """The documents the user may see: public ones (personal data in one hides it
    until the secretariat masks or confirms it); confidential ones of cases handled in the
    user's arenas, or put before one of the user's arenas as beslutsunderlag."""
    documents = Document.objects.select_related("case__diarium")
    if is_secretariat(user):
        return documents
    body_ids = viewer_body_ids(user)
    before_my_arena = Exists(
        AgendaItem.documents.through.objects.filter(
            document_id=OuterRef("pk"), agendaitem__meeting__body_id__in=body_ids
        )
    )
    # Public, and no personal data in it (or its ärende) the secretariat has not confirmed.
    public = Q(confidential=False) & Document.publishable_q() & Case.publishable_q("case__")
    return documents.filter(public | _internal_case_q(user, "case__") | Q(before_my_arena))


def document_get_for_user(*, user: Viewer, pk: int) -> Document:
    """The gate for documents and their files."""
    return get_object_or_404(
        documents_for_user(user).select_related(
            "registered_by", "retention_rule__diarium", "disposal_decision"
        ),
        pk=pk,
    )


def document_is_untagged_pdf(document: Document) -> bool:
    """A PDF without tags (no structure tree): a screen reader gets no headings, lists
    or reading order from it, and it is joined untagged into the meeting packet."""
    if document.content_type != "application/pdf" or not document.file:
        return False
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    from councils.pdfs import is_tagged

    try:
        with document.file.open("rb") as handle:
            return not is_tagged(PdfReader(handle))
    except (OSError, PyPdfError):  # a missing or unreadable file says nothing of tags
        return False
