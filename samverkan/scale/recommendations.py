"""The benchmark corpus's recommendations: an extension of the councils' corpus
(``samverkan/scale/councils.py``), run by ``samverkan/scale/``. The councils' §s of the
kind rekommendation (every thirtieth § of a council's year, when public and on an
ärende) are each addressed to every kommun and the region of the corpus; most have
answered within three to six months, some declined, and the last year's are partly
open (a kommun's to-do list)."""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.utils import timezone

from councils.models import Body, Organisation, Paragraph
from recommendations.models import OrganisationDecision, Recommendation
from recommendations.services import ANSWER_PERIOD
from samverkan.scale.councils import Plan, Words, copy_rows

OUTCOMES = [
    (OrganisationDecision.Outcome.ADOPTED, 70),
    (OrganisationDecision.Outcome.ADOPTED_CHANGED, 8),
    (OrganisationDecision.Outcome.DECLINED, 5),
    (OrganisationDecision.Outcome.ABSTAINED, 3),
    (OrganisationDecision.Outcome.NOT_RELEVANT, 4),
    ("", 10),  # not yet decided
]


def recommendations(
    plan: Plan,
    rng: random.Random,
    words: Words,
    bodies: list[Body],
    organisations: list[Organisation],
    first_year: int,
) -> dict[str, int]:
    councils = [b.pk for b in bodies if b.kind == Body.Kind.COUNCIL]
    Body.objects.filter(pk__in=councils).update(can_recommend=True)
    chosen = list(
        Paragraph.objects.filter(decision_kind=Paragraph.DecisionKind.RECOMMENDATION)
        .filter(body_id__in=councils)
        .order_by("pk")
        .values("pk", "body_id", "title", "decision", "approved_at")
    )
    rows: list[dict[str, Any]] = []
    issued_days: list[datetime.date] = []
    for paragraph in chosen:
        issued = timezone.localdate(paragraph["approved_at"])
        issued_days.append(issued)
        rows.append(
            {
                "paragraph_id": paragraph["pk"],
                "body_id": paragraph["body_id"],
                "title": paragraph["title"],
                "text": paragraph["decision"],
                "issued_on": issued,
                "answer_by": issued + ANSWER_PERIOD,
            }
        )
    copy_rows(Recommendation, rows)
    outcomes = [outcome for outcome, _weight in OUTCOMES]
    weights = [weight for _outcome, weight in OUTCOMES]
    decisions = []
    for recommendation, issued in zip(rows, issued_days, strict=True):
        last_year = issued.year == plan.last_year
        for organisation in organisations:
            outcome = rng.choices(outcomes, weights)[0]
            if last_year and rng.random() < 0.5:
                outcome = ""
            decided = issued + datetime.timedelta(days=rng.randint(90, 200))
            answered = outcome != ""
            decisions.append(
                {
                    "recommendation_id": recommendation["id"],
                    "organisation_id": organisation.pk,
                    "action": OrganisationDecision.Action.ADOPT,
                    "sent_to": organisation.official_email,
                    "received_on": issued + datetime.timedelta(days=rng.randint(1, 10)),
                    "their_diarienummer": f"KS {issued.year}/{rng.randint(1, 900)}",
                    "decided_on": decided if answered else None,
                    "deciding_body": OrganisationDecision.DecidingBody.ASSEMBLY if answered else "",
                    "deciding_body_name": "Kommunfullmäktige" if answered else "",
                    "their_paragraph": f"KF § {rng.randint(1, 200)}" if answered else "",
                    "outcome": outcome,
                    "comment": words.sentence(8) if answered and rng.random() < 0.2 else "",
                }
            )
    copy_rows(OrganisationDecision, decisions)
    return {"recommendations": len(rows), "organisation_decisions": len(decisions)}
