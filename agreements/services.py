"""Writes for agreements. Keyword-only, the acting user first, one transaction each;
the rules themselves live in the models' ``clean()``."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from agreements.models import Activity, Agreement, Area
from base import records
from base.actors import Actor
from councils.models import Case, Organisation


@transaction.atomic
def agreement_save(
    *,
    actor: Actor,
    agreement: Agreement | None = None,
    parties: Iterable[Organisation] | None = None,
    **fields: Any,
) -> Agreement:
    """Register an agreement or change one; ``parties`` replaces the parties."""
    agreement = records.update(agreement or Agreement(), actor=actor, **fields)
    if parties is not None:
        agreement._history_user = actor  # type: ignore[attr-defined]
        agreement.parties.set(parties)
    return agreement


@transaction.atomic
def record_save(*, actor: Actor, instance: Any, **fields: Any) -> Any:
    """Add or change one of an agreement's parts: a purpose, area, perspective,
    extension or planned activity."""
    return records.update(instance, actor=actor, **fields)


@transaction.atomic
def record_delete(*, actor: Actor, instance: Any) -> None:
    records.delete(instance, actor=actor)


@transaction.atomic
def case_areas_set(*, actor: Actor, case: Case, areas: Iterable[Area]) -> None:
    """Say which agreement areas an ärende concerns; its decisions count for them."""
    for area in case.agreement_areas.all():
        area._history_user = actor  # type: ignore[attr-defined]
    case.agreement_areas.set(areas)


@transaction.atomic
def annual_plan_create_standard(
    *, actor: Actor, agreement: Agreement, year: int, owner: Organisation
) -> list[Activity]:
    """The årsplan the Länsstyrelsen–Region agreement asks for: a top-level meeting in
    February and in December, joint material per area before each, the working group
    and the manager exchanges. Activities already in the plan are kept, not doubled."""
    existing = set(agreement.activities.filter(year=year).values_list("title", flat=True))
    wanted: list[tuple[str, str, datetime.date, Area | None]] = []
    area: Area | None
    for month, day, label in ((2, 28, "februari"), (12, 15, "december")):
        for area in agreement.areas.all():
            wanted.append(
                (
                    Activity.Kind.MATERIAL,
                    f"Underlag {area.name} inför mötet i {label}",
                    datetime.date(year, month, 1),
                    area,
                )
            )
        wanted.append(
            (
                Activity.Kind.TOP_MEETING,
                f"Möte på högsta nivå i {label}",
                datetime.date(year, month, day),
                None,
            )
        )
    wanted.append(
        (Activity.Kind.WORKING_GROUP, "Bemanna beredningsgruppen", datetime.date(year, 1, 31), None)
    )
    wanted.append(
        (Activity.Kind.EXCHANGE, "Chefsutbyte under våren", datetime.date(year, 5, 31), None)
    )
    wanted.append(
        (Activity.Kind.EXCHANGE, "Chefsutbyte under hösten", datetime.date(year, 10, 31), None)
    )
    created = []
    for kind, title, due_on, area in wanted:
        if title in existing:
            continue
        activity = Activity(
            agreement=agreement,
            year=year,
            kind=kind,
            title=title,
            owner=owner,
            due_on=due_on,
            area=area,
        )
        created.append(records.save(activity, actor=actor))
    return created
