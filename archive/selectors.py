"""What the archive room reads: the handlingar due for gallring."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from councils.models import Case, Document, RetentionRule


def disposal_due(today: datetime.date | None = None) -> QuerySet[Document]:
    """The handlingar the dokumenthanteringsplan allows to destroy by ``today``: their
    rule destroys, their ärende is closed, and the period has run from the end of the
    year it closed."""
    today = today or timezone.localdate()
    periods = Q(pk__in=[])
    for years in (
        RetentionRule.objects.filter(action=RetentionRule.Action.DESTROY)
        .values_list("years", flat=True)
        .distinct()
    ):
        if years is None:  # the rule's constraint forbids it
            continue
        periods |= Q(
            retention_rule__years=years,
            case__closed_on__lt=datetime.date(today.year - years, 1, 1),
        )
    return (
        Document.objects.filter(
            periods,
            disposed_on__isnull=True,
            retention_rule__action=RetentionRule.Action.DESTROY,
            case__status=Case.Status.CLOSED,
        )
        .select_related("case__diarium", "retention_rule")
        .order_by("case__diarium__prefix", "case__year", "case__number", "sequence")
    )
