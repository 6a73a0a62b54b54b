"""The demo's recommendations and each organisation's decision on them.

The samverkansråd's recommendations of the illustrative history
(``samverkan.demo.councils.history``) are made when their § are justerade, addressed
to the eight kommuner and the region; here each organisation's answer is recorded with
a realistic spread: most adopt within three to six months, in fullmäktige or
kommunstyrelse, a few with changes; Bräcke declines the ESF project; Strömsund has
not yet decided on the last one, past its answer date. All of that is illustrative, as
the history is. The agreement RUN/34/2018 is from the seeds: regionfullmäktige adopted
it in June 2018, § 92; the kommuner's adoptions that autumn are illustrative and say so.
Deterministic (no randomness) and idempotent: an answered request is left as it is.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from base import records
from councils.models import Organisation
from recommendations import services
from recommendations.models import OrganisationDecision, Recommendation
from recommendations.selectors import RECORDING_ROLES
from samverkan.demo.agreements import load_agreements_demo

#: The request reaches the registrator the day after; it is registered three days later.
SENT_AFTER = datetime.timedelta(days=1)
RECEIVED_AFTER = datetime.timedelta(days=4)
#: Who records the decision does so a week after it was taken.
RECORDED_AFTER = datetime.timedelta(days=7)
DECLINED = ("Kompetensförsörjning", "Bräcke")
DECLINED_COMMENT = (
    "Kommunen avstår från att delta i projektet under perioden och prioriterar "
    "kompetensförsörjningen inom befintliga nätverk. (illustrativt)"
)
CHANGED_COMMENT = "Antagen med tillägg om kommunens egna prioriteringar. (illustrativt)"
LATE_KOMMUN = "Strömsund"
ILLUSTRATIVE = "Illustrativt: dag och § är inte från källorna."


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _mark_sent(recommendation: Recommendation) -> None:
    """The history's requests went out the day after (not again from this machine)."""
    for decision in recommendation.decisions.filter(sent_at__isnull=True).select_related(
        "organisation"
    ):
        OrganisationDecision.objects.filter(pk=decision.pk).update(
            sent_at=_at(recommendation.issued_on + SENT_AFTER, 9),
            sent_to=decision.organisation.official_email,
        )


def _record(decision: OrganisationDecision, actor: Any, **fields: Any) -> None:
    decided_on = fields["decided_on"]
    records.update(
        decision,
        actor=actor,
        _history_date=_at(min(decided_on + RECORDED_AFTER, timezone.localdate())),
        **fields,
    )


def _answer(
    recommendation: Recommendation,
    index: int,
    position: int,
    organisation: Organisation,
    *,
    declines: bool,
) -> dict[str, Any] | None:
    """The organisation's decision on the ``index``-th recommendation, or None where it
    has not decided."""
    issued = recommendation.issued_on
    region = organisation.kind == Organisation.Kind.REGION
    last = index == -1
    if last and organisation.label == LATE_KOMMUN:
        return None
    days = 75 + (index * 17 + position * 29) % 100  # 75–174 days: three to six months
    fields: dict[str, Any] = {
        "received_on": issued + RECEIVED_AFTER,
        "their_diarienummer": f"{'RS' if region else 'KS'} {issued.year}/"
        f"{100 + (index * 13 + position * 11) % 400}",
        "decided_on": issued + datetime.timedelta(days=days),
        "their_paragraph": f"§ {5 + (index * 31 + position * 7) % 140}",
        "outcome": OrganisationDecision.Outcome.ADOPTED,
    }
    if region:
        fields.update(deciding_body="styrelse", deciding_body_name="Regionstyrelsen")
    elif position % 2:
        fields.update(deciding_body="styrelse", deciding_body_name="Kommunstyrelsen")
    else:
        fields.update(deciding_body="fullmaktige", deciding_body_name="Kommunfullmäktige")
    if declines:
        fields.update(outcome=OrganisationDecision.Outcome.DECLINED, comment=DECLINED_COMMENT)
    elif (index + position) % 11 == 0:
        fields.update(outcome=OrganisationDecision.Outcome.ADOPTED_CHANGED, comment=CHANGED_COMMENT)
    return fields


def _recorder(organisation: Organisation, secretariat: Any) -> Any:
    """The kommun's own official where it has one with an account, else the secretariat."""
    role = (
        organisation.person_roles.filter(person__user__isnull=False, kind__in=RECORDING_ROLES)
        .select_related("person__user")
        .first()
    )
    return role.person.user if role is not None else secretariat


def _load_history_answers(secretariat: Any) -> int:
    recommendations = list(
        Recommendation.objects.filter(paragraph__isnull=False).order_by("issued_on", "pk")
    )
    recorded = 0
    topic, kommun = DECLINED
    # Bräcke declines the first ESF project it is asked to join (once).
    first_on_topic = next((r for r in recommendations if r.title.startswith(topic)), None)
    for index, recommendation in enumerate(recommendations):
        _mark_sent(recommendation)
        position_of = -1 if index == len(recommendations) - 1 else index
        decisions = recommendation.decisions.select_related("organisation").order_by(
            "organisation__kind", "organisation__name"
        )
        for position, decision in enumerate(decisions):
            if decision.outcome or decision.received_on:
                continue
            fields = _answer(
                recommendation,
                position_of,
                position,
                decision.organisation,
                declines=recommendation == first_on_topic and decision.organisation.label == kommun,
            )
            if fields is None:  # late: received, not decided
                records.update(
                    decision,
                    actor=secretariat,
                    received_on=recommendation.issued_on + RECEIVED_AFTER,
                    _history_date=_at(recommendation.issued_on + RECEIVED_AFTER),
                )
                continue
            _record(decision, _recorder(decision.organisation, secretariat), **fields)
            recorded += 1
    return recorded


def _load_agreement(secretariat: Any) -> None:
    run34 = load_agreements_demo(secretariat)["RUN/34/2018"]
    adopted_on = run34.adopted_on
    assert adopted_on is not None  # regionfullmäktige, June 2018 (the seeds)
    recommendation = services.recommendation_create_for_agreement(
        actor=secretariat, agreement=run34
    )
    _mark_sent(recommendation)
    decisions = recommendation.decisions.select_related("organisation").order_by(
        "organisation__kind", "organisation__name"
    )
    for position, decision in enumerate(decisions):
        if decision.outcome:
            continue
        if decision.organisation.kind == Organisation.Kind.REGION:  # the seeds
            fields = {
                "decided_on": adopted_on,
                "deciding_body": "fullmaktige",
                "deciding_body_name": "Regionfullmäktige",
                "their_paragraph": "§ 92",
                "outcome": OrganisationDecision.Outcome.ADOPTED,
            }
        else:
            fields = {
                "received_on": adopted_on + RECEIVED_AFTER,
                "decided_on": datetime.date(2018, 9, 17) + datetime.timedelta(days=9 * position),
                "deciding_body": "fullmaktige",
                "deciding_body_name": "Kommunfullmäktige",
                "their_paragraph": f"§ {40 + 7 * position}",
                "outcome": OrganisationDecision.Outcome.ADOPTED,
                "comment": ILLUSTRATIVE,
            }
        _record(decision, _recorder(decision.organisation, secretariat), **fields)


def load_recommendation_demo() -> dict[str, int]:
    """Record the organisations' answers (the recommendations themselves are made by
    the justering of the history's §)."""
    secretariat = get_user_model().objects.filter(username="sekretariat").first()
    _load_agreement(secretariat)
    _load_history_answers(secretariat)
    return {
        "recommendations": Recommendation.objects.count(),
        "organisation_decisions": OrganisationDecision.objects.exclude(outcome="").count(),
    }
