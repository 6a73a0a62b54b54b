"""Writes for recommendations. Keyword-only, the acting user first, one transaction
each; the rules themselves live in the models' ``clean()``.

A recommendation is made when its § is justerad (councils announces it:
``councils.signals.paragraphs_justerade``), or when the secretariat asks the parties of
an adopted agreement for their own adoption; each addressed organisation has a request,
and the worker mails each organisation's registrator the sealed protokollsutdrag
(``requests_send``). Never from a draft."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import Agreement
from base import queue, records
from base.actors import Actor
from councils.models import Document, Organisation, Paragraph, RenderJob
from councils.services import document_register, render_job_request, render_job_run
from recommendations import mails
from recommendations.models import OrganisationDecision, Recommendation

#: How long the addressed organisations are given to answer, unless the secretariat
#: sets another date: about six months, a fullmäktige's cycle.
ANSWER_PERIOD = datetime.timedelta(days=183)

SEND_TASK = "recommendations.tasks.send_requests"


def default_addressees_for_paragraph(paragraph: Paragraph) -> list[Organisation]:
    """Every kommun and region that holds seats in the arena; the region whose body the
    arena is, if it holds none."""
    addressed = {
        allocation.organisation
        for allocation in paragraph.body.seat_allocations.filter(
            organisation__kind__in=[Organisation.Kind.KOMMUN, Organisation.Kind.REGION]
        ).select_related("organisation")
    }
    owner = paragraph.body.organisation
    if owner.kind == Organisation.Kind.REGION and not any(
        o.kind == Organisation.Kind.REGION for o in addressed
    ):
        addressed.add(owner)
    return sorted(addressed, key=lambda o: (o.kind, o.name))


def _create(
    *,
    actor: Actor,
    addressees: Iterable[Organisation],
    **fields: Any,
) -> Recommendation:
    recommendation = records.save(Recommendation(**fields), actor=actor)
    for organisation in addressees:
        records.save(
            OrganisationDecision(recommendation=recommendation, organisation=organisation),
            actor=actor,
        )
    queue.send_on_commit(SEND_TASK, recommendation.pk)
    return recommendation


@transaction.atomic
def recommendation_create_for_paragraph(*, actor: Actor, paragraph: Paragraph) -> Recommendation:
    """The request for the addressed organisations' decisions on a justerad § of the
    kind rekommendation (idempotent: a § has one). Never from a draft."""
    existing = Recommendation.objects.filter(paragraph=paragraph).first()
    if existing is not None:
        return existing
    if paragraph.approved_at is None:
        raise ValidationError(_("Only a justerad § can be sent to the organisations."))
    if paragraph.decision_kind != Paragraph.DecisionKind.RECOMMENDATION:
        raise ValidationError(_("The § is not a recommendation."))
    issued = timezone.localtime(paragraph.approved_at).date()
    return _create(
        actor=actor,
        addressees=default_addressees_for_paragraph(paragraph),
        paragraph=paragraph,
        body=paragraph.body,
        title=paragraph.title[:300],
        text=paragraph.decision,
        issued_on=issued,
        answer_by=issued + ANSWER_PERIOD,
    )


@transaction.atomic
def recommendation_create_for_agreement(*, actor: Actor, agreement: Agreement) -> Recommendation:
    """The request for each party's adoption of an adopted agreement (idempotent)."""
    existing = Recommendation.objects.filter(agreement=agreement).first()
    if existing is not None:
        return existing
    if agreement.adopted_on is None:
        raise ValidationError(_("Only an adopted agreement can be sent to its parties."))
    return _create(
        actor=actor,
        addressees=agreement.parties.order_by("kind", "name"),
        agreement=agreement,
        body=agreement.adopted_by or agreement.responsible_body,
        title=agreement.title[:300],
        text=agreement.summary,
        issued_on=agreement.adopted_on,
        answer_by=agreement.adopted_on + ANSWER_PERIOD,
    )


def on_paragraphs_justerade(*, paragraphs: list[Paragraph], actor: Actor, **_kwargs: Any) -> None:
    """Receiver of ``councils.signals.paragraphs_justerade``."""
    for paragraph in paragraphs:
        if paragraph.decision_kind == Paragraph.DecisionKind.RECOMMENDATION:
            recommendation_create_for_paragraph(actor=actor, paragraph=paragraph)


@transaction.atomic
def recommendation_update(
    *, actor: Actor, recommendation: Recommendation, answer_by: datetime.date
) -> Recommendation:
    """The secretariat moves the date to answer by."""
    return records.update(recommendation, actor=actor, answer_by=answer_by)


@transaction.atomic
def addressee_add(
    *, actor: Actor, recommendation: Recommendation, organisation: Organisation, action: str
) -> OrganisationDecision:
    """Address one more organisation; it is sent the request like the others."""
    if recommendation.decisions.filter(organisation=organisation).exists():
        raise ValidationError(
            _("%(organisation)s is already addressed.") % {"organisation": organisation.name}
        )
    decision = records.save(
        OrganisationDecision(
            recommendation=recommendation, organisation=organisation, action=action
        ),
        actor=actor,
    )
    queue.send_on_commit(SEND_TASK, recommendation.pk)
    return decision


#: What the organisation's people (and the secretariat for them) record.
RECORDED_FIELDS = (
    "received_on",
    "their_diarienummer",
    "decided_on",
    "deciding_body",
    "deciding_body_name",
    "their_paragraph",
    "outcome",
    "comment",
    "comment_internal",
)


@transaction.atomic
def decision_record(
    *,
    actor: Actor,
    decision: OrganisationDecision,
    upload: IO[bytes] | None = None,
    upload_name: str = "",
    upload_size: int = 0,
    action: str | None = None,
    **changes: Any,
) -> OrganisationDecision:
    """Record (or correct) what an organisation received and decided; its protocol
    extract, if given, is registered as an incoming handling on the recommendation's
    ärende (the upload checks and the personal-data check apply). Only the
    secretariat changes what the organisation is asked to do (``action``)."""
    unknown = set(changes) - set(RECORDED_FIELDS)
    if unknown:
        raise TypeError(f"not recorded here: {sorted(unknown)}")
    decision = OrganisationDecision.objects.select_for_update().get(pk=decision.pk)
    if action is not None:
        changes["action"] = action
    for name, value in changes.items():
        setattr(decision, name, value)
    decision.full_clean()  # before the file is stored: a refused entry stores nothing
    if upload is not None:
        decision.extract = _register_extract(
            actor=actor,
            decision=decision,
            upload=upload,
            upload_name=upload_name,
            upload_size=upload_size,
        )
    return records.save(decision, actor=actor)


def _register_extract(
    *,
    actor: Actor,
    decision: OrganisationDecision,
    upload: IO[bytes],
    upload_name: str,
    upload_size: int,
) -> Document:
    recommendation = decision.recommendation
    source = recommendation.paragraph or recommendation.agreement
    case = getattr(source, "case", None)
    if case is None:
        raise ValidationError(
            {"extract": _("The recommendation has no ärende to file the extract on.")}
        )
    reference = " ".join(
        part for part in (decision.deciding_body_name, decision.their_paragraph) if part
    )
    subject = _("Protocol extract from %(organisation)s: %(title)s") % {
        "organisation": decision.organisation.name,
        "title": recommendation.title,
    }
    if reference:
        subject = f"{subject} ({reference})"
    try:
        return document_register(
            actor=actor,
            case=case,
            kind=Document.Kind.MINUTES_EXTRACT,
            subject=subject[:300],
            direction=Document.Direction.INCOMING,
            document_date=decision.decided_on or timezone.localdate(),
            counterpart=decision.organisation.name[:300],
            upload=upload,
            upload_name=upload_name,
            upload_size=upload_size,
        )
    except ValidationError as error:
        raise ValidationError({"extract": error.messages}) from error


def requests_send(*, recommendation_id: int) -> int:
    """Mail each addressed organisation not yet sent to its request, at its registrator
    address, with the sealed protokollsutdrag of the § (run by the worker); an
    organisation without an address waits (the page says so). Returns how many went."""
    recommendation = Recommendation.objects.select_related("paragraph__meeting", "body").get(
        pk=recommendation_id
    )
    pending = list(
        recommendation.decisions.filter(sent_at__isnull=True)
        .exclude(organisation__official_email="")
        .select_related("organisation")
    )
    if not pending:
        return 0
    attachment: tuple[str, bytes] | None = None
    paragraph = recommendation.paragraph
    if paragraph is not None and paragraph.public:
        job = render_job_request(
            actor=None, kind=RenderJob.Kind.EXTRACT, meeting=paragraph.meeting, paragraph=paragraph
        )
        job = render_job_run(job_id=job.pk)
        with job.file.open("rb") as handle:
            attachment = (job.file_name, handle.read())
    connection = get_connection()
    sent = 0
    for decision in pending:  # each recorded as it goes: a failure later sends no one twice
        address = decision.organisation.official_email
        connection.send_messages([mails.request(decision, address=address, attachment=attachment)])
        OrganisationDecision.objects.filter(pk=decision.pk, sent_at__isnull=True).update(
            sent_at=timezone.now(), sent_to=address
        )
        sent += 1
    return sent


def requests_unsent() -> list[int]:
    """Recommendations with a request still to send to an organisation that has an
    address (the sweep sends them again after a broker or mail outage)."""
    unsent = OrganisationDecision.objects.filter(
        recommendation=OuterRef("pk"), sent_at__isnull=True
    ).exclude(organisation__official_email="")
    return list(Recommendation.objects.filter(Exists(unsent)).values_list("pk", flat=True))
