"""The follow-up's reminders (registered with ``councils.reminders``): an uppdrag's
official a week before it is due and the day after, if it is still open; a kommun that
has not answered a follow-up's questions, a week before its dialogue."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from councils import reminders
from councils.models import OrganisationRole, Person, Reminder
from councils.reminders import Occasion
from followups import selectors
from followups.models import Assignment, Dialogue

UPPDRAG_WARNING = datetime.timedelta(days=7)
DIALOGUE_WARNING = datetime.timedelta(days=7)


def _may_read(person: Person, assignment: Assignment, readable: dict[int | None, set[int]]) -> bool:
    """Does the uppdrag's page open for the person (``assignments_for_user``, asked once
    per user)? The reminder names it and links to it."""
    if person.user_id not in readable:
        readable[person.user_id] = set(
            selectors.assignments_for_user(person.user).values_list("pk", flat=True)
        )
    return assignment.pk in readable[person.user_id]


@reminders.register
def uppdrag(until: datetime.date) -> Iterator[Occasion]:
    assignments = (
        Assignment.objects.exclude(status__in=Assignment.CLOSED)
        .filter(due_on__lte=until + UPPDRAG_WARNING)
        .select_related("responsible__user")
    )
    secretariat = None
    readable: dict[int | None, set[int]] = {}
    for assignment in assignments:
        stages = {
            "fore": assignment.due_on - UPPDRAG_WARNING,
            "forsenad": assignment.due_on + datetime.timedelta(days=1),
        }
        due = {stage: day for stage, day in stages.items() if day <= until}
        if not due:
            continue
        person = assignment.responsible
        recipients: list[tuple[str, Person | None]]
        if person is not None and person.email and _may_read(person, assignment, readable):
            recipients = [(person.email, person)]
        else:  # no official, or one who may not read it (a closed §): the secretariat
            secretariat = reminders.secretariat_recipients() if secretariat is None else secretariat
            recipients = secretariat
        for stage, due_on in due.items():
            template = (
                _("Uppdrag overdue since %(date)s: %(title)s")
                if stage == "forsenad"
                else _("Uppdrag due on %(date)s: %(title)s")
            )
            subject = template % {"date": f"{assignment.due_on:%Y-%m-%d}", "title": assignment}
            for email, recipient in recipients:
                yield Occasion(
                    Reminder.Kind.UPPDRAG,
                    assignment.pk,
                    f"{stage}-{assignment.due_on:%Y-%m-%d}",
                    due_on,
                    email,
                    recipient,
                    subject[:300],
                    assignment.get_absolute_url(),
                )


@reminders.register
def dialogue(until: datetime.date) -> Iterator[Occasion]:
    dialogues = list(
        Dialogue.objects.filter(
            held_on__isnull=True,
            planned_on__gte=timezone.localdate(),
            planned_on__lte=until + DIALOGUE_WARNING,
        )
        .annotate(
            asked=Count("followup__questions", distinct=True),
            answered=Count("answers", distinct=True),
        )
        .filter(answered__lt=F("asked"))
        .select_related("followup", "organisation")
    )
    assessors: dict[int, list[tuple[str, Person | None]]] = defaultdict(list)
    for role in (
        OrganisationRole.objects.filter(
            organisation__in={d.organisation_id for d in dialogues},
            kind=OrganisationRole.Kind.ASSESSOR,
        )
        .exclude(Q(person__email="") | Q(person__anonymised_at__isnull=False))
        .select_related("person")
        .order_by("pk")
    ):
        assessors[role.organisation_id].append((role.person.email, role.person))
    for item in dialogues:
        assert item.planned_on is not None
        recipients = assessors[item.organisation_id]
        if not recipients and item.organisation.official_email:
            recipients = [(item.organisation.official_email, None)]
        subject = _(
            "%(kommun)s: %(missing)d of %(asked)d questions unanswered before the dialogue "
            "on %(date)s (%(followup)s)"
        ) % {
            "kommun": item.organisation.label,
            "missing": item.asked - item.answered,
            "asked": item.asked,
            "date": f"{item.planned_on:%Y-%m-%d}",
            "followup": item.followup.title,
        }
        for email, person in recipients:
            yield Occasion(
                Reminder.Kind.DIALOGUE,
                item.pk,
                f"{item.planned_on:%Y-%m-%d}",
                item.planned_on - DIALOGUE_WARNING,
                email,
                person,
                subject[:300],
                item.get_absolute_url(),
            )
