"""Follow-up (uppföljning): annual focus, uppföljningsplan, follow-ups with their
dialogues, answers, findings and named priorities, the kommuner's assessments, uppdrag
given by a §, and the annual verksamhetsberättelse with its frozen versions.

One module per part (``plans``, ``followups``, ``assessments``, ``reports``); every
model is named here, as Django and the other modules expect of an app's models.

Writes go through ``followups.services``; reads that need a permission decision go
through ``followups.selectors``.
"""

from __future__ import annotations

from followups.models.assessments import Assessment, Assignment
from followups.models.followups import (
    Answer,
    Dialogue,
    Finding,
    FollowUp,
    Priority,
    Question,
    Theme,
)
from followups.models.plans import YEAR_VALIDATORS, PlanItem, StrategicQuestion
from followups.models.reports import Report, ReportRendering, ReportVersion, Section

__all__ = [
    "YEAR_VALIDATORS",
    "Answer",
    "Assessment",
    "Assignment",
    "Dialogue",
    "Finding",
    "FollowUp",
    "PlanItem",
    "Priority",
    "Question",
    "Report",
    "ReportRendering",
    "ReportVersion",
    "Section",
    "StrategicQuestion",
    "Theme",
]
