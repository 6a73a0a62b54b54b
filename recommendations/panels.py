"""What the recommendations add to the pages of the apps below (``base.panels``): under
each recommending § of a protocol and on an agreement, where the organisations'
decisions stand; on an organisation's page, what it still has to decide."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from agreements.models import Agreement
from base.panels import Panel
from base.roles import is_secretariat
from councils.models import Organisation, Paragraph
from recommendations import selectors


def paragraph_panels(request: HttpRequest, paragraphs: list[Paragraph]) -> dict[int, Panel]:
    ids = [
        p.pk
        for p in paragraphs
        if p.decision_kind == Paragraph.DecisionKind.RECOMMENDATION and p.approved_at
    ]
    if not ids:
        return {}
    found = selectors.with_tally(
        selectors.recommendations_for_user(request.user).filter(paragraph_id__in=ids)
    )
    return {
        recommendation.paragraph_id: _panel(recommendation)
        for recommendation in found
        if recommendation.paragraph_id is not None
    }


def agreement_panel(request: HttpRequest, agreement: Agreement) -> Panel | None:
    """Where the parties' own adoptions stand; for the secretariat, while nobody has
    been asked, the way to ask them (once the agreement is adopted)."""
    recommendation = (
        selectors.with_tally(selectors.recommendations_for_user(request.user))
        .filter(agreement=agreement)
        .first()
    )
    if recommendation is not None:
        return _panel(recommendation)
    if agreement.adopted_on is not None and is_secretariat(request.user):
        return Panel("recommendations/includes/agreement_request.html", {"agreement": agreement})
    return None


def _panel(recommendation: Any) -> Panel:
    return Panel(
        "recommendations/includes/standing.html",
        {"recommendation": recommendation, "tally": selectors.Tally.of(recommendation)},
    )


def organisation_panel(request: HttpRequest, organisation: Organisation) -> Panel | None:
    requests = list(selectors.organisation_decisions(organisation, user=request.user)[:100])
    if not requests:
        return None
    waiting = sorted(
        (d for d in requests if not d.outcome),
        key=lambda d: (d.recommendation.answer_by, d.recommendation_id),
    )
    return Panel(
        "recommendations/includes/organisation.html",
        {"organisation": organisation, "waiting": waiting},
    )
