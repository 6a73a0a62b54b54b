"""Demo data built from the public documents in ``samverkan/demo/seeds/``.

The organisations, arenas, seats, ärenden and documents are those the documents
name. The documents do not name the elected members, so seats are held by people
named after their seat ("Ledamot Bergs kommun"); officials carry the names the
documents give. Contact details are placeholders at example.org.

Loading is idempotent: running it again changes nothing that is already there.

The parts, in the order they build on each other: ``records`` (seed folder, accounts,
get-or-create helpers), ``organisations``, ``diarium``, ``meetings``, ``history`` (the
earlier years); ``load_demo`` here runs them. The agreements and follow-up are
``samverkan.demo.followups``, run after these by ``samverkan.demo``.
"""

from __future__ import annotations

from types import SimpleNamespace

from django.conf import settings
from django.db import transaction

from councils.models import Body, Case, Document, Meeting, Membership, Organisation, Person
from samverkan.demo.councils.diarium import _load_diaria_cases_documents
from samverkan.demo.councils.history import load_history
from samverkan.demo.councils.meetings import _demo_meetings, _load_accounts
from samverkan.demo.councils.organisations import (
    _load_bodies,
    _load_organisations,
    _load_people_and_memberships,
    _load_seats,
)
from samverkan.demo.councils.records import DEMO_ACCOUNTS, SEEDS


@transaction.atomic
def load_demo(*, with_accounts: bool = False, history: bool = True) -> dict[str, int]:
    """Build the demo data; with ``with_accounts``, also the demo log-ins; with
    ``history``, the arenas' earlier years (``samverkan.demo.councils.history``)."""
    if with_accounts and not settings.SAMVERKAN_ALLOW_DEMO_ACCOUNTS:
        raise RuntimeError("Demo accounts are not allowed with these settings (production).")

    demo = SimpleNamespace(with_accounts=with_accounts)
    _load_organisations(demo)
    _load_bodies(demo)
    _load_seats(demo)
    _load_people_and_memberships(demo)
    _load_diaria_cases_documents(demo)
    _load_accounts(demo)
    _demo_meetings(
        council=demo.rad,
        deferred=demo.rs2797,
        follow_up=demo.run29,
        chair=demo.chair_run,
        adjuster=Person.objects.get(first_name="Ledamot", last_name="Bergs kommun"),
        presenter=demo.officials["bystrom"],
    )
    if history:
        load_history(demo)
    return demo_counts()


def demo_counts() -> dict[str, int]:
    """What the councils' part of the demo holds (counted once the whole demo is in)."""
    return {
        "meetings": Meeting.objects.count(),
        "organisations": Organisation.objects.count(),
        "bodies": Body.objects.count(),
        "people": Person.objects.count(),
        "memberships": Membership.objects.count(),
        "cases": Case.objects.count(),
        "documents": Document.objects.count(),
    }


__all__ = ["DEMO_ACCOUNTS", "SEEDS", "demo_counts", "load_demo"]
