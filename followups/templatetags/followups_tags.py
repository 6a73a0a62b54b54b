"""What follow-up adds to the councils' pages, without the councils' views knowing it."""

from __future__ import annotations

from typing import Any

from django import template

from councils.models import Meeting
from followups.selectors import assignments_to_report

register = template.Library()


@register.simple_tag
def assignments_due(meeting: Meeting) -> list[Any]:
    """Open uppdrag of the meeting's arena that are due for report-back around it."""
    if meeting.status not in (Meeting.Status.PLANNED, Meeting.Status.CALLED):
        return []
    return list(assignments_to_report(meeting=meeting))
