"""Reads for agreements. Agreements, their areas and årsplan are public records; the
gates live with what is confidential (councils) and what is personal (followups)."""

from __future__ import annotations

from itertools import chain
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from agreements.models import Activity, Agreement, Area, Extension, Perspective, Purpose
from base.actors import Viewer
from base.history import HistoryEntry, history_of
from councils.models import Organisation


def agreements_for_user(user: Viewer) -> QuerySet[Agreement]:
    """The gate for agreements: every agreement is public (adopted in public §), for
    every path: pages, search and the API."""
    return Agreement.objects.all()


def agreements_list() -> QuerySet[Agreement]:
    return (
        agreements_for_user(None)
        .select_related("case__diarium", "responsible_body", "replaces")
        .prefetch_related("extensions", "parties")
    )


def agreement_get(*, pk: int) -> Agreement:
    return get_object_or_404(
        Agreement.objects.select_related(
            "case__diarium",
            "responsible_body",
            "adopted_by",
            "adopted_in__meeting",
            "replaces__replaces",
            "successor",
        ).prefetch_related(
            "extensions__decided_by",
            "purposes",
            "perspectives",
            Prefetch("areas", queryset=Area.objects.prefetch_related("cases__diarium")),
            Prefetch("parties", queryset=Organisation.objects.order_by("kind", "name")),
        ),
        pk=pk,
    )


def activities_for(*, agreement: Agreement, year: int) -> QuerySet[Activity]:
    return agreement.activities.filter(year=year).select_related("owner", "area", "meeting__body")


def agreement_changes(*, agreement: Agreement, show_values: bool) -> list[HistoryEntry]:
    """The agreement's versions as a diff: every change to it and its parts (purposes,
    areas, perspectives, extensions), who made it and when, newest first."""
    parts: list[tuple[type[Any], Any, str]] = [
        (Agreement, Agreement.history.filter(id=agreement.pk), ""),
        (Purpose, Purpose.history.filter(agreement_id=agreement.pk), "text"),
        (Area, Area.history.filter(agreement_id=agreement.pk), "name"),
        (Perspective, Perspective.history.filter(agreement_id=agreement.pk), "name"),
        (Extension, Extension.history.filter(agreement_id=agreement.pk), "extended_until"),
    ]
    entries = chain.from_iterable(
        history_of(records, model=model, show_values=show_values, limit=50, describe=describe)
        for model, records, describe in parts
    )
    return sorted(entries, key=lambda entry: entry.when, reverse=True)
