"""Reads for recommendations, with their permission decisions in one place.

Who sees a recommendation: everyone, where it comes from a justerad public § or an
agreement (decisions of public bodies are public); where its § is closed, those who
read that § (``councils.selectors.justerad_paragraph_q``) and the people who record
for an addressed organisation. Who records an organisation's decision: its
bedömningsansvarig or beslutsansvarig, and the secretariat. An internal comment is
read by the secretariat and the organisation's own people only.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from base.actors import Viewer
from base.history import HistoryEntry, history_of
from base.roles import is_secretariat
from councils.models import Body, Organisation, OrganisationRole
from councils.selectors import justerad_paragraph_q, viewer_person, viewer_roles
from recommendations.models import OrganisationDecision, Recommendation

#: The organisation roles that record the organisation's decisions.
RECORDING_ROLES = (OrganisationRole.Kind.ASSESSOR, OrganisationRole.Kind.DECISIONS)


def recording_organisation_ids(user: Viewer) -> frozenset[int]:
    """The organisations whose decisions the user records (their bedömningsansvarig or
    beslutsansvarig), from the roles cached on the user."""
    return frozenset(
        role.organisation_id for role in viewer_roles(user) if role.kind in RECORDING_ROLES
    )


def own_organisation_ids(user: Viewer) -> frozenset[int]:
    """The organisations whose internal comments the user reads: those they record
    for, and the one they work for."""
    person = viewer_person(user)
    ids = set(recording_organisation_ids(user))
    if person is not None and person.organisation_id:
        ids.add(person.organisation_id)
    return frozenset(ids)


def may_record(user: Viewer, decision: OrganisationDecision) -> bool:
    return is_secretariat(user) or decision.organisation_id in recording_organisation_ids(user)


def sees_internal_comment(user: Viewer, organisation_id: int) -> bool:
    return is_secretariat(user) or organisation_id in own_organisation_ids(user)


def recommendations_for_user(user: Viewer) -> QuerySet[Recommendation]:
    """The gate for recommendations, for every path: pages, feeds, exports and the API."""
    recommendations = Recommendation.objects.all()
    if is_secretariat(user):
        return recommendations
    shown = Q(agreement__isnull=False) | justerad_paragraph_q(user, "paragraph__")
    recording = recording_organisation_ids(user)
    if recording:
        shown |= Q(
            Exists(
                OrganisationDecision.objects.filter(
                    recommendation=OuterRef("pk"), organisation_id__in=recording
                )
            )
        )
    return recommendations.filter(shown)


def with_tally(recommendations: QuerySet[Recommendation]) -> QuerySet[Recommendation]:
    """Each recommendation with its counts, in the same query: ``addressed``,
    ``adopted`` (with or without changes), ``declined``, ``abstained``,
    ``not_relevant`` and ``undecided``."""
    outcome = "decisions__outcome"
    return recommendations.annotate(
        addressed=Count("decisions"),
        adopted=Count("decisions", filter=Q(**{f"{outcome}__in": OrganisationDecision.ADOPTING})),
        declined=Count("decisions", filter=Q(**{outcome: OrganisationDecision.Outcome.DECLINED})),
        abstained=Count("decisions", filter=Q(**{outcome: OrganisationDecision.Outcome.ABSTAINED})),
        not_relevant=Count(
            "decisions", filter=Q(**{outcome: OrganisationDecision.Outcome.NOT_RELEVANT})
        ),
        undecided=Count("decisions", filter=Q(**{outcome: ""})),
    )


#: The counts ``with_tally`` annotates, in the order of ``Tally``'s fields.
TALLY_FIELDS = ("addressed", "adopted", "declined", "abstained", "not_relevant", "undecided")


@dataclass(frozen=True)
class Tally:
    """Where a recommendation stands: how many were asked, and how each has decided."""

    addressed: int
    adopted: int
    declined: int
    abstained: int
    not_relevant: int
    undecided: int

    @classmethod
    def of(cls, recommendation: Recommendation) -> Tally:
        """From a recommendation annotated by ``with_tally``."""
        return cls(*(getattr(recommendation, name) for name in TALLY_FIELDS))

    def __str__(self) -> str:
        """ "Antagen i 5 av 9, 1 avslagen, 3 har inte beslutat"."""
        parts = [
            _("adopted by %(adopted)d of %(addressed)d")
            % {"adopted": self.adopted, "addressed": self.addressed}
        ]
        if self.declined:
            parts.append(
                ngettext("%(count)d declined", "%(count)d declined", self.declined)
                % {"count": self.declined}
            )
        if self.abstained:
            parts.append(
                ngettext("%(count)d abstains", "%(count)d abstain", self.abstained)
                % {"count": self.abstained}
            )
        if self.not_relevant:
            parts.append(
                ngettext("%(count)d not relevant", "%(count)d not relevant", self.not_relevant)
                % {"count": self.not_relevant}
            )
        if self.undecided:
            parts.append(
                ngettext("%(count)d has not decided", "%(count)d have not decided", self.undecided)
                % {"count": self.undecided}
            )
        text = ", ".join(parts)
        return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class Filters:
    body: Body | None = None
    year: int | None = None
    organisation: Organisation | None = None
    open_only: bool = False


def recommendations_list(
    *, user: Viewer, filters: Filters | None = None
) -> QuerySet[Recommendation]:
    """The list page, its CSV and XLSX, the API: what the user may see, newest first,
    each with its tally and its source."""
    filters = filters or Filters()
    recommendations = recommendations_for_user(user)
    if filters.body is not None:
        recommendations = recommendations.filter(body=filters.body)
    if filters.year:
        recommendations = recommendations.filter(issued_on__year=filters.year)
    if filters.organisation is not None or filters.open_only:
        # Addressed to the organisation; open: one of them (the organisation, if one is
        # chosen) has not decided.
        parts = OrganisationDecision.objects.filter(recommendation=OuterRef("pk"))
        if filters.organisation is not None:
            parts = parts.filter(organisation=filters.organisation)
        if filters.open_only:
            parts = parts.filter(outcome="")
        recommendations = recommendations.filter(Exists(parts))
    return (
        with_tally(recommendations)
        .select_related("body", "paragraph__meeting", "agreement__case__diarium")
        .order_by("-issued_on", "-pk")  # an aggregate's query keeps no Meta.ordering
    )


def recommendation_get_for_user(*, user: Viewer, pk: int) -> Recommendation:
    """The gate for one recommendation: 404 if missing or not the user's to see."""
    return get_object_or_404(
        with_tally(recommendations_for_user(user)).select_related(
            "body", "paragraph__meeting", "paragraph__case__diarium", "agreement__case__diarium"
        ),
        pk=pk,
    )


def decisions_of(recommendation: Recommendation) -> QuerySet[OrganisationDecision]:
    return recommendation.decisions.select_related("organisation", "extract").order_by(
        "organisation__kind", "organisation__name"
    )


def decision_get_for_recording(*, user: Viewer, pk: int) -> OrganisationDecision:
    """The gate for recording a decision: 404 unless the user records for its
    organisation (or is the secretariat) and sees the recommendation."""
    decision = get_object_or_404(
        OrganisationDecision.objects.select_related(
            "organisation", "recommendation__paragraph__case", "recommendation__agreement__case"
        ).filter(recommendation__in=recommendations_for_user(user)),
        pk=pk,
    )
    if not may_record(user, decision):
        raise Http404
    return decision


def waiting_for(organisation: Organisation, *, user: Viewer) -> QuerySet[OrganisationDecision]:
    """What the organisation has still to decide, the earliest answer date first (the
    kommun's start page and the organisation page)."""
    return (
        OrganisationDecision.objects.filter(
            organisation=organisation,
            outcome="",
            recommendation__in=recommendations_for_user(user),
        )
        .select_related("recommendation__body")
        .order_by("recommendation__answer_by", "recommendation__pk")
    )


def organisation_decisions(
    organisation: Organisation, *, user: Viewer
) -> QuerySet[OrganisationDecision]:
    """Every request to the organisation the user may see, newest first (its feed and
    page)."""
    return (
        OrganisationDecision.objects.filter(
            organisation=organisation, recommendation__in=recommendations_for_user(user)
        )
        .select_related("recommendation__body")
        .order_by("-recommendation__issued_on", "-recommendation__pk")
    )


def open_by_organisation(user: Viewer) -> QuerySet[Organisation]:
    """The addressed organisations with how many decisions each still owes, and how many
    of those are past their answer date (the secretariat's list)."""
    today = timezone.localdate()
    shown = Q(recommendation_decisions__outcome="") & Q(
        recommendation_decisions__recommendation__in=recommendations_for_user(user)
    )
    return (
        Organisation.objects.annotate(
            owed=Count("recommendation_decisions", filter=shown),
            late=Count(
                "recommendation_decisions",
                filter=shown & Q(recommendation_decisions__recommendation__answer_by__lt=today),
            ),
        )
        .filter(owed__gt=0)
        .order_by("-late", "name")
    )


def figures(*, user: Viewer) -> list[list[object]]:
    """Per year and arena, how the addressed organisations answered: [year and arena,
    adopted, declined, other answers (abstained, not relevant), not decided] (the
    statistics and the verksamhetsberättelse)."""
    rows = (
        OrganisationDecision.objects.filter(recommendation__in=recommendations_for_user(user))
        .values(
            "recommendation__issued_on__year",
            "recommendation__body__short_name",
            "recommendation__body__name",
        )
        .annotate(
            adopted=Count("pk", filter=Q(outcome__in=OrganisationDecision.ADOPTING)),
            declined=Count("pk", filter=Q(outcome=OrganisationDecision.Outcome.DECLINED)),
            other=Count(
                "pk",
                filter=Q(
                    outcome__in=[
                        OrganisationDecision.Outcome.ABSTAINED,
                        OrganisationDecision.Outcome.NOT_RELEVANT,
                    ]
                ),
            ),
            undecided=Count("pk", filter=Q(outcome="")),
        )
        .order_by("recommendation__issued_on__year", "recommendation__body__name")
    )
    return [
        [
            f"{row['recommendation__issued_on__year']} "
            f"{row['recommendation__body__short_name'] or row['recommendation__body__name']}",
            row["adopted"],
            row["declined"],
            row["other"],
            row["undecided"],
        ]
        for row in rows
    ]


def with_decisions_prefetched(
    recommendations: QuerySet[Recommendation],
) -> QuerySet[Recommendation]:
    return recommendations.prefetch_related(
        Prefetch(
            "decisions",
            queryset=OrganisationDecision.objects.select_related("organisation").order_by(
                "organisation__kind", "organisation__name"
            ),
        )
    )


def recommendation_changes(
    recommendation: Recommendation, *, show_values: bool
) -> list[HistoryEntry]:
    """The recommendation's history and its organisations' decisions', newest first,
    each decision's entry naming its organisation."""
    entries = history_of(
        recommendation.history.all(), model=Recommendation, show_values=show_values
    ) + history_of(
        OrganisationDecision.history.filter(recommendation_id=recommendation.pk),
        model=OrganisationDecision,
        show_values=show_values,
        subject="organisation",
        limit=50,
    )
    return sorted(entries, key=lambda entry: entry.when, reverse=True)[:50]
