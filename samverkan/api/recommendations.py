"""Recommendations and each organisation's own decision in the portal's own API
(``/api/v1/recommendations``), linked from OParl's AgendaItem as ``se:recommendation``
(docs/oparl.md says how it maps onto OParl's consultation model)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import F, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Greatest
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from councils.models import Organisation
from recommendations import selectors
from recommendations.models import OrganisationDecision, Recommendation
from samverkan.api.base import _filtered, _moment, _page, _stamps, _url, _web, api_view

#: OParl's words for a consultation's role (``Consultation.role``), by what is asked.
ROLES = {
    OrganisationDecision.Action.ADOPT: "Entscheidung",
    OrganisationDecision.Action.OPINION: "Anhörung",
    OrganisationDecision.Action.INFORM: "Kenntnisnahme",
}


def _recommendations(request: HttpRequest) -> QuerySet[Recommendation]:
    """What the caller may see (the pages' gate), stamped from the histories: created
    when made, modified with the latest change to it or to any organisation's part."""
    own = Recommendation.history.filter(id=OuterRef("pk"))
    parts = (
        OrganisationDecision.history.filter(recommendation_id=OuterRef("pk"))
        .order_by()
        .values("recommendation_id")
        .annotate(last=Max("history_date"))
        .values("last")
    )
    return (
        selectors.with_decisions_prefetched(
            selectors.with_tally(selectors.recommendations_for_user(request.user))
        )
        .select_related("body", "paragraph__case", "agreement")
        .annotate(
            created=Subquery(own.order_by("history_date").values("history_date")[:1]),
            own_modified=Subquery(own.order_by("-history_date").values("history_date")[:1]),
        )
        .annotate(modified=Greatest(F("own_modified"), Subquery(parts)))
    )


def _changed_since(since: datetime.datetime) -> Q:
    return Q(pk__in=Recommendation.history.filter(history_date__gte=since).values("id")) | Q(
        pk__in=OrganisationDecision.history.filter(history_date__gte=since).values(
            "recommendation_id"
        )
    )


def _organisation(request: HttpRequest, organisation: Organisation) -> dict[str, Any]:
    found: dict[str, Any] = {"name": organisation.name}
    if organisation.bodies.all():  # an OParl Body: an organisation with arenas
        found["body"] = _url(request, "body", organisation.pk)
    return found


def _part(request: HttpRequest, decision: OrganisationDecision) -> dict[str, Any]:
    shows_comment = not decision.comment_internal or selectors.sees_internal_comment(
        request.user, decision.organisation_id
    )
    return {
        "organization": _organisation(request, decision.organisation),
        "action": decision.action,
        "role": ROLES[OrganisationDecision.Action(decision.action)],
        "authoritative": True,
        "sent": _moment(decision.sent_at),
        "received": _moment(decision.received_on),
        "theirReference": decision.their_diarienummer or None,
        "decided": _moment(decision.decided_on),
        "decidingBody": decision.deciding_body or None,
        "decidingBodyName": decision.deciding_body_name or None,
        "theirParagraph": decision.their_paragraph or None,
        "outcome": decision.outcome or None,
        "outcomeLabel": decision.get_outcome_display() if decision.outcome else None,
        "comment": decision.comment if decision.comment and shows_comment else None,
    }


def _recommendation(request: HttpRequest, recommendation: Recommendation) -> dict[str, Any]:
    paragraph = recommendation.paragraph
    tally = selectors.Tally.of(recommendation)
    return {
        "id": _url(request, "recommendation", recommendation.pk),
        "title": recommendation.title,
        "text": recommendation.text,
        "organization": _url(request, "organization", recommendation.body_id),
        "issued": _moment(recommendation.issued_on),
        "answerBy": _moment(recommendation.answer_by),
        "decision": _url(request, "decision", paragraph.pk) if paragraph else None,
        "agendaItem": _url(request, "agendaitem", paragraph.agenda_item_id)
        if paragraph and paragraph.agenda_item_id
        else None,
        "agreement": _url(request, "agreement", recommendation.agreement_id)
        if recommendation.agreement_id
        else None,
        "tally": {
            "addressed": tally.addressed,
            "adopted": tally.adopted,
            "declined": tally.declined,
            "abstained": tally.abstained,
            "notRelevant": tally.not_relevant,
            "undecided": tally.undecided,
        },
        "organizationDecisions": [_part(request, d) for d in recommendation.decisions.all()],
        "web": _web(request, recommendation),
        **_stamps(recommendation),
    }


@api_view
def recommendations(request: HttpRequest) -> dict[str, Any]:
    """Every recommendation the caller may see, oldest first, with OParl's filters
    (``modified_since``: made or answered since)."""
    rows = _filtered(
        request,
        _recommendations(request).prefetch_related("decisions__organisation__bodies"),
        changed_since=_changed_since,
    )
    return _page(request, rows.order_by("pk"), lambda r: _recommendation(request, r))


@api_view
def recommendation(request: HttpRequest, pk: int) -> dict[str, Any]:
    rows = _recommendations(request).prefetch_related("decisions__organisation__bodies")
    return _recommendation(request, get_object_or_404(rows, pk=pk))
