"""The demo data: the real arenas of the seeds, loaded idempotently."""

from __future__ import annotations

from typing import Any

import pytest

from councils.demo import load_demo
from councils.models import Body, Case, Document, Membership, Organisation

pytestmark = pytest.mark.django_db


def test_demo_builds_the_seeded_arenas_and_cases(settings: Any) -> None:
    counts = load_demo(with_accounts=True)
    assert Organisation.objects.filter(kind="kommun").count() == 8
    council = Body.objects.get(slug="regionens-samverkansrad")
    assert council.seat_count == 11
    assert council.memberships.filter(role__in=Membership.Role.seated()).count() == 11
    assert council.memberships.filter(role=Membership.Role.SUBSTITUTE).count() == 8
    assert set(Case.objects.values_list("diarienummer", flat=True)) >= {
        "RS/2797/2017",
        "RUN/29/2021",
        "RUN/60/2019",
        "RS/668/2021",
        "RUN/34/2018",
        "LS/1345/2014",
    }
    assert Document.objects.filter(confidential=True).count() == 1
    assert Document.objects.exclude(sha256="").count() == 5  # the five seed texts as PDFs
    again = load_demo(with_accounts=True)
    assert again == counts


def test_demo_accounts_are_refused_in_production(settings: Any) -> None:
    settings.SAMVERKAN_ALLOW_DEMO_ACCOUNTS = False
    with pytest.raises(RuntimeError):
        load_demo(with_accounts=True)
