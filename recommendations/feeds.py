"""An RSS feed per organisation: the recommendations addressed to it and what it has
decided, as the public sees them (never an internal comment)."""

from __future__ import annotations

import datetime

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from councils.models import Organisation
from councils.selectors import organisation_get
from recommendations import selectors
from recommendations.models import OrganisationDecision


class OrganisationFeed(Feed):
    def get_object(self, request: HttpRequest, slug: str) -> Organisation:
        return organisation_get(slug=slug)

    def title(self, obj: Organisation) -> str:
        return _("Recommendations to %(organisation)s") % {"organisation": obj.name}

    def link(self, obj: Organisation) -> str:
        return obj.get_absolute_url()

    def description(self, obj: Organisation) -> str:
        return _(
            "The recommendations and agreements %(organisation)s is asked to decide on, "
            "and its decisions."
        ) % {"organisation": obj.name}

    def items(self, obj: Organisation) -> QuerySet[OrganisationDecision]:
        return selectors.organisation_decisions(obj, user=None)[:50]

    def item_title(self, item: OrganisationDecision) -> str:
        state = item.get_outcome_display() if item.outcome else _("not yet decided")
        return f"{item.recommendation.title} ({state})"

    def item_description(self, item: OrganisationDecision) -> str:
        recommendation = item.recommendation
        lines = [
            _("From %(body)s, %(date)s. Asked to: %(action)s. Answer by %(answer_by)s.")
            % {
                "body": recommendation.body.name,
                "date": f"{recommendation.issued_on:%Y-%m-%d}",
                "action": item.get_action_display(),
                "answer_by": f"{recommendation.answer_by:%Y-%m-%d}",
            }
        ]
        if item.outcome and item.decided_on:
            reference = " ".join(
                part for part in (item.deciding_body_name, item.their_paragraph) if part
            )
            lines.append(
                _("Decided %(date)s %(reference)s: %(outcome)s.")
                % {
                    "date": f"{item.decided_on:%Y-%m-%d}",
                    "reference": reference,
                    "outcome": item.get_outcome_display(),
                }
            )
        if item.comment and not item.comment_internal:
            lines.append(item.comment)
        return "\n".join(lines)

    def item_link(self, item: OrganisationDecision) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: OrganisationDecision) -> str:
        # A new guid when the organisation decides, so readers show the decision.
        return f"{item.get_absolute_url()}/{item.outcome or 'begard'}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: OrganisationDecision) -> datetime.datetime:
        day = item.decided_on or item.recommendation.issued_on
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
