"""The demo data, built from the public seed documents: each app's part in the order
they build on each other (the agreements and follow-up build on the councils'
organisations, arenas, ärenden and §). Above the apps, so no app imports another
app's demo (``manage.py load_demo``)."""

from __future__ import annotations

from django.db import transaction

from samverkan.demo.councils import demo_counts
from samverkan.demo.councils import load_demo as load_councils_demo
from samverkan.demo.followups import load_followup_demo
from samverkan.demo.recommendations import load_recommendation_demo


@transaction.atomic
def load_demo(*, with_accounts: bool = False, history: bool = True) -> dict[str, int]:
    """Load (or complete) the demo; idempotent. Returns counts of what is there.
    Without ``history``, the earlier years' meetings are left out (tests that need
    the seeds' records only load in a third of the time)."""
    load_councils_demo(with_accounts=with_accounts, history=history)
    # The organisations' answers before the follow-up compiles its reports, which show them.
    recommendation_counts = load_recommendation_demo()
    followup_counts = load_followup_demo()
    return {**demo_counts(), **followup_counts, **recommendation_counts}
