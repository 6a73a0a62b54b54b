"""The recommendations as open data (issue 32): the portal's own endpoint, valid against
its OpenAPI description, linked from OParl's AgendaItem as ``se:recommendation``; what
the public may not read (an internal comment, a closed §'s recommendation) never in it;
``modified_since`` finds a recommendation when an organisation answers."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

import pytest
from django.utils import timezone

from recommendations import services
from recommendations.models import Recommendation
from tests.conftest import client_for
from tests.recommendations.conftest import justera
from tests.samverkan.test_api import _get, spec  # noqa: F401 - the fixture is reused

pytestmark = pytest.mark.django_db


def _answer(recommendation: Recommendation, short_name: str, **changes: Any) -> None:
    decision = recommendation.decisions.get(organisation__short_name=short_name)
    services.decision_record(
        actor=None,
        decision=decision,
        received_on=recommendation.issued_on,
        decided_on=recommendation.issued_on,
        deciding_body="fullmaktige",
        deciding_body_name="Kommunfullmäktige",
        their_paragraph="KF § 12",
        outcome="antagen",
        **changes,
    )


def test_the_api_gives_each_organisations_decision(
    recommendation: Recommendation,
    recommending: dict[str, Any],
    spec: dict[str, Any],  # noqa: F811
) -> None:
    _answer(recommendation, "Krokom", comment="Internt resonemang", comment_internal=True)
    _answer(recommendation, "Berg", comment="Antagen i sin helhet.")
    public = client_for(None)
    listing = _get(public, spec, "/api/v1/recommendations")
    (found,) = listing["data"]
    assert found["tally"] == {
        "addressed": 9,
        "adopted": 2,
        "declined": 0,
        "abstained": 0,
        "notRelevant": 0,
        "undecided": 7,
    }
    parts = {part["organization"]["name"]: part for part in found["organizationDecisions"]}
    assert parts["Krokoms kommun"]["theirParagraph"] == "KF § 12"
    assert parts["Krokoms kommun"]["role"] == "Entscheidung"
    assert parts["Krokoms kommun"]["comment"] is None  # internal: not for the public
    assert parts["Bergs kommun"]["comment"] == "Antagen i sin helhet."
    one = _get(public, spec, found["id"])
    assert one == found
    # The secretariat's key reads the internal comment.
    staff = _get(client_for(recommending["secretariat"]), spec, found["id"])
    staff_parts = {p["organization"]["name"]: p for p in staff["organizationDecisions"]}
    assert staff_parts["Krokoms kommun"]["comment"] == "Internt resonemang"
    # OParl: the § agenda item links it; the decision is linked back.
    item = public.get(found["agendaItem"].removeprefix("http://testserver")).json()
    assert item["se:recommendation"] == found["id"]
    assert item["result"] == "Rekommendation"
    decision = _get(public, spec, found["decision"])
    assert decision["kind"] == "rekommendation"


def test_modified_since_finds_an_answer(
    recommendation: Recommendation,
    spec: dict[str, Any],  # noqa: F811
) -> None:
    public = client_for(None)
    later = (timezone.now() + datetime.timedelta(seconds=1)).isoformat(timespec="seconds")
    since = urlencode({"modified_since": later})
    assert _get(public, spec, f"/api/v1/recommendations?{since}")["data"] == []
    import time

    time.sleep(1.1)
    _answer(recommendation, "Åre")
    found = _get(public, spec, f"/api/v1/recommendations?{since}")["data"]
    assert [f["id"].rsplit("/", 1)[1] for f in found] == [str(recommendation.pk)]
    assert found[0]["modified"] >= later


def test_a_closed_recommendation_is_not_open_data(
    recommending: dict[str, Any],
    spec: dict[str, Any],  # noqa: F811
) -> None:
    paragraph = justera(recommending, public=False)
    recommendation = Recommendation.objects.get(paragraph=paragraph)
    public = client_for(None)
    assert _get(public, spec, "/api/v1/recommendations")["data"] == []
    assert public.get(f"/api/v1/recommendations/{recommendation.pk}").status_code == 404
    member = client_for(recommending["member_a"])
    assert _get(member, spec, f"/api/v1/recommendations/{recommendation.pk}")["title"]
