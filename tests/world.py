"""Names of the ``world`` fixture (tests/conftest.py) that tests across features check
for, and a meeting of its arena with its ärende on the agenda."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from councils import services
from councils.models import Meeting

INTERNAL = "Intern titel om enskild"  # the world's case: its internal title
PUBLIC = "Samverkansfråga"  # and the title the public is shown
SECRET_SUBJECT = "Hemlig bilaga med personuppgifter"  # its confidential document


def meeting_with_case(world: dict[str, Any], *, days: int = 20, **fields: Any) -> Meeting:
    (meeting,) = services.meeting_plan(
        actor=None,
        body=world["body_a"],
        starts=[timezone.now() + datetime.timedelta(days=days)],
        place="Regionens hus",
    )
    for name, value in fields.items():
        setattr(meeting, name, value)
    meeting.save()
    services.agenda_add_case(actor=None, meeting=meeting, case=world["case"], public=True)
    return meeting
