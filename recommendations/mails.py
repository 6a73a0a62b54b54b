"""Every e-mail the recommendations app writes (see ``councils.mails``): the request to
an organisation's registrator. Reminders go through ``councils.reminders``."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from base.mail import header_text
from recommendations.models import OrganisationDecision


def shown_title(decision: OrganisationDecision) -> str:
    """The recommendation's title where the public may read it, else its source only
    (a closed §'s title stays on the portal, behind its gate)."""
    recommendation = decision.recommendation
    paragraph = recommendation.paragraph
    if paragraph is None or paragraph.public:
        return recommendation.title
    return recommendation.source_label


def request(
    decision: OrganisationDecision, *, address: str, attachment: tuple[str, bytes] | None
) -> EmailMessage:
    """The request for one organisation's decision, to its registrator: what is asked,
    by when, the sealed protokollsutdrag attached, and where to record the answer."""
    recommendation = decision.recommendation
    base = settings.SAMVERKAN_BASE_URL.rstrip("/")
    with translation.override("sv"):
        title = shown_title(decision)
        body = render_to_string(
            "recommendations/email/request.txt",
            {
                "decision": decision,
                "recommendation": recommendation,
                "title": title,
                "url": base + recommendation.get_absolute_url(),
                "attached": attachment is not None,
            },
        )
        subject = header_text(
            _("%(organisation)s is asked to decide: %(title)s")
            % {"organisation": decision.organisation.label, "title": title}
        )
    message = EmailMessage(subject, body, to=[address])
    if attachment is not None:
        name, data = attachment
        message.attach(name, data, "application/pdf")
    return message
