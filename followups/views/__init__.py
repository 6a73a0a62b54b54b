"""Pages for follow-up, one module per part: follow-ups and dialogues, assessments,
uppdrag, annual focus and uppföljningsplan, the verksamhetsberättelse (the secretariat's
work and the public page per year) and statistics. Thin: selector, form, service,
template. ``followups/urls.py`` names them from here."""

from followups.views.assessments import (
    assessment_csv,
    assessment_page,
    my_assessments,
)
from followups.views.assignments import (
    assignment_detail,
    assignment_form,
    assignment_list,
    assignment_to_agenda,
)
from followups.views.followups import (
    dialogue_detail,
    dialogue_form,
    followup_detail,
    followup_form,
    followup_list,
    part_form,
)
from followups.views.planning import (
    annual_focus,
    plan_item_form,
    strategic_question_form,
)
from followups.views.reports import (
    report_compile,
    report_detail,
    report_start,
    reports_public,
    reports_year,
    section_form,
    version_adopt,
    version_detail,
    version_pdf,
)
from followups.views.statistics import (
    statistics,
    statistics_csv,
)

__all__ = [
    "annual_focus",
    "assessment_csv",
    "assessment_page",
    "assignment_detail",
    "assignment_form",
    "assignment_list",
    "assignment_to_agenda",
    "dialogue_detail",
    "dialogue_form",
    "followup_detail",
    "followup_form",
    "followup_list",
    "my_assessments",
    "part_form",
    "plan_item_form",
    "report_compile",
    "report_detail",
    "report_start",
    "reports_public",
    "reports_year",
    "section_form",
    "statistics",
    "statistics_csv",
    "strategic_question_form",
    "version_adopt",
    "version_detail",
    "version_pdf",
]
