"""The follow-up's reminders (registered with ``councils.reminders``): an uppdrag's
official a week before it is due and the day after, if it is still open; a kommun that
has not answered a follow-up's questions, a week before its dialogue."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from councils import reminders
from councils.models import OrganisationRole, Person, Reminder
from councils.reminders import Occasion
from followups.models import Assignment, Dialogue

UPPDRAG_WARNING = datetime.timedelta(days=7)
DIALOGUE_WARNING = datetime.timedelta(days=7)


@reminders.register
def uppdrag(until: datetime.date) -> Iterator[Occasion]:
    assignments = (
        Assignment.objects.exclude(status__in=Assignment.CLOSED)
        .filter(due_on__lte=until + UPPDRAG_WARNING)
        .select_related("responsible")
    )
    secretariat = None
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
        if person is not None and person.email:
            recipients = [(person.email, person)]
        else:
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
    dialogues = (
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
    for item in dialogues:
        assert item.planned_on is not None
        roles = OrganisationRole.objects.filter(
            organisation=item.organisation, kind=OrganisationRole.Kind.ASSESSOR
        ).exclude(Q(person__email="") | Q(person__anonymised_at__isnull=False))
        recipients: list[tuple[str, Person | None]] = [
            (role.person.email, role.person) for role in roles.select_related("person")
        ]
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
