"""The agreements in a delivery to the e-archive: each överenskommelse of an ärende is a
record of it, related to the one it replaces and the one that replaced it (registered
with ``councils.erms``)."""

from __future__ import annotations

from agreements.models import Agreement
from archive import erms
from councils.models import Case


def agreement_identifier(agreement: Agreement) -> str:
    return f"overenskommelse-{agreement.pk}"


@erms.register
def agreement_records(cases: list[Case]) -> dict[int, list[erms.Record]]:
    found: dict[int, list[erms.Record]] = {}
    agreements = (
        Agreement.objects.filter(case__in=cases)
        .select_related("adopted_by", "successor")
        .order_by("valid_from", "pk")
    )
    for agreement in agreements:
        record = erms.Record(
            system_id=f"agreement-{agreement.pk}",
            object_id=agreement_identifier(agreement),
            title=agreement.title,
            record_type="overenskommelse",
            identification=agreement.short_name,
            identification_type="short_name",
            description=agreement.summary,
            retention_start=agreement.adopted_on or agreement.valid_from,
        )
        if agreement.replaces_id:
            record.relations.append(("replaces", f"overenskommelse-{agreement.replaces_id}"))
        successor = getattr(agreement, "successor", None)
        if successor is not None:
            record.relations.append(("is_replaced_with", agreement_identifier(successor)))
        if agreement.adopted_by is not None:
            record.agents.append(("authorising_person", agreement.adopted_by.name))
        if agreement.adopted_on:
            record.dates.append(("decision_date", agreement.adopted_on))
        record.dates.append(("opening_date", agreement.valid_from))
        record.dates.append(("expiration", agreement.valid_until))
        found.setdefault(agreement.case_id, []).append(record)
    return found
