"""Reads for the councils app, and the gates (one module per sub-domain; code outside
imports them from here): the only paths from an id in a URL to
an object. A gate answers 404 for a missing and a forbidden object alike, so a URL
reveals nothing about what exists.

Who sees what:
- ärenden are public (the diarium is public), but the public sees a case's public
  title where one is set;
- a document that is not confidential is public;
- a confidential document, and a case's internal title, are seen by secretariat
  staff and by the members (not the observers) of the arena that handles the case.
"""

from councils.selectors.access import (
    permission_class,
    require,
    viewer_body_ids,
    viewer_person,
    viewer_roles,
)
from councils.selectors.cycle import Cycle, Step, meeting_cycle
from councils.selectors.diarium import (
    case_get_for_user,
    case_shows_internal,
    cases_for_user,
    cases_search,
    document_get_for_user,
    document_is_untagged_pdf,
    documents_for_user,
)
from councils.selectors.meetings import (
    agenda_for_user,
    agenda_item_get_for_member,
    agenda_item_get_for_secretariat,
    agenda_item_get_for_user,
    agenda_items_for_user,
    agenda_items_with_titles,
    body_meetings_by_year,
    kallelse_reach,
    kallelse_recipients,
    kallelse_refusals,
    latest_justerat_meeting,
    meeting_get_for_user,
    meetings_around,
    meetings_for_user,
    meetings_upcoming_for,
    prepares_for,
    preparing_seats,
    sees_closed_items,
)
from councils.selectors.organisations import (
    bodies_overview,
    body_get,
    body_memberships,
    organisation_get,
    people_for_user,
    person_get,
    person_memberships,
)
from councils.selectors.protocols import (
    attendance_for_user,
    decisions_search,
    deferred_cases_for,
    justerad_paragraph_q,
    notices_archive,
    notices_current,
    paragraph_get_for_secretariat,
    paragraph_get_for_user,
    paragraphs_for_user,
    paragraphs_visible_to,
    protocol_get_for_user,
    protocol_is_signatory,
    protocols_to_justera,
    with_decisions,
)
from councils.selectors.publication import checked_models, personal_data_held_back
from councils.selectors.renderjobs import (
    final_protocol_made_at,
    final_protocol_pdfs,
    published_meeting_pdfs,
    published_meeting_pdfs_made_since,
    render_job_get_for_user,
    sent_kallelse_made_at,
    sent_kallelse_pdfs,
)

__all__ = [
    "Cycle",
    "Step",
    "agenda_for_user",
    "agenda_item_get_for_member",
    "agenda_item_get_for_secretariat",
    "agenda_item_get_for_user",
    "agenda_items_for_user",
    "agenda_items_with_titles",
    "attendance_for_user",
    "bodies_overview",
    "body_get",
    "body_meetings_by_year",
    "body_memberships",
    "case_get_for_user",
    "case_shows_internal",
    "cases_for_user",
    "cases_search",
    "checked_models",
    "decisions_search",
    "deferred_cases_for",
    "document_get_for_user",
    "document_is_untagged_pdf",
    "documents_for_user",
    "final_protocol_made_at",
    "final_protocol_pdfs",
    "justerad_paragraph_q",
    "kallelse_reach",
    "kallelse_recipients",
    "kallelse_refusals",
    "latest_justerat_meeting",
    "meeting_cycle",
    "meeting_get_for_user",
    "meetings_around",
    "meetings_for_user",
    "meetings_upcoming_for",
    "notices_archive",
    "notices_current",
    "organisation_get",
    "paragraph_get_for_secretariat",
    "paragraph_get_for_user",
    "paragraphs_for_user",
    "paragraphs_visible_to",
    "people_for_user",
    "permission_class",
    "person_get",
    "person_memberships",
    "personal_data_held_back",
    "prepares_for",
    "preparing_seats",
    "protocol_get_for_user",
    "protocol_is_signatory",
    "protocols_to_justera",
    "published_meeting_pdfs",
    "published_meeting_pdfs_made_since",
    "render_job_get_for_user",
    "require",
    "sees_closed_items",
    "sent_kallelse_made_at",
    "sent_kallelse_pdfs",
    "viewer_body_ids",
    "viewer_person",
    "viewer_roles",
    "with_decisions",
]
