"""The recommendations' reminders (registered with ``councils.reminders``): each
addressed organisation that has not decided, a week before the answer date and the day
after it, once each, to the people who record its decisions (else its registrator)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator

from django.db.models import Q
from django.utils.translation import gettext as _

from councils import reminders
from councils.models import OrganisationRole, Person, Reminder
from councils.reminders import Occasion
from recommendations.mails import shown_title
from recommendations.models import OrganisationDecision
from recommendations.selectors import RECORDING_ROLES

WARNING = datetime.timedelta(days=7)


@reminders.register
def recommendation(until: datetime.date) -> Iterator[Occasion]:
    waiting = list(
        OrganisationDecision.objects.filter(
            outcome="", recommendation__answer_by__lte=until + WARNING
        ).select_related("organisation", "recommendation__paragraph", "recommendation__body")
    )
    contacts: dict[int, list[tuple[str, Person | None]]] = defaultdict(list)
    for role in (
        OrganisationRole.objects.filter(
            organisation__in={d.organisation_id for d in waiting}, kind__in=RECORDING_ROLES
        )
        .exclude(Q(person__email="") | Q(person__anonymised_at__isnull=False))
        .select_related("person")
        .order_by("person_id", "pk")
    ):
        if (role.person.email, role.person) not in contacts[role.organisation_id]:
            contacts[role.organisation_id].append((role.person.email, role.person))
    for decision in waiting:
        answer_by = decision.recommendation.answer_by
        recipients = contacts[decision.organisation_id]
        if not recipients and decision.organisation.official_email:
            recipients = [(decision.organisation.official_email, None)]
        stages = {"fore": answer_by - WARNING, "forsenad": answer_by + datetime.timedelta(days=1)}
        for stage, due_on in stages.items():
            if due_on > until:
                continue
            template = (
                _("%(organisation)s has not decided, answer was due %(date)s: %(title)s")
                if stage == "forsenad"
                else _("%(organisation)s is asked to decide by %(date)s: %(title)s")
            )
            subject = template % {
                "organisation": decision.organisation.label,
                "date": f"{answer_by:%Y-%m-%d}",
                "title": shown_title(decision),
            }
            for email, person in recipients:
                yield Occasion(
                    Reminder.Kind.RECOMMENDATION,
                    decision.pk,
                    f"{stage}-{answer_by:%Y-%m-%d}",
                    due_on,
                    email,
                    person,
                    subject[:300],
                    decision.get_absolute_url(),
                )
