"""Writes for follow-up. Keyword-only, the acting user first, one transaction each.
Rules that span records live here: a kommun assesses only for itself, a council has
at most four strategic questions a year, a fastställd verksamhetsberättelse and the
year's assessments behind it no longer change."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import Agreement, Area
from base import records
from base.actors import Actor
from councils import services as council_services
from councils.models import AgendaItem, Body, Case, Meeting, Organisation, Paragraph, RenderJob
from followups.models import (
    Answer,
    Assessment,
    Assignment,
    Dialogue,
    Finding,
    FollowUp,
    Question,
    Report,
    ReportRendering,
    ReportVersion,
    Section,
    StrategicQuestion,
    Theme,
)
from followups.selectors import assessing_kommun
from followups.snapshot import report_snapshot


@transaction.atomic
def record_save(*, actor: Actor, instance: Any, **fields: Any) -> Any:
    """Add or change a simple part of a follow-up: a question, finding, plan item."""
    return records.update(instance, actor=actor, **fields)


@transaction.atomic
def record_delete(*, actor: Actor, instance: Any) -> None:
    records.delete(instance, actor=actor)


# --- Annual focus -----------------------------------------------------------------------


@transaction.atomic
def strategic_question_save(
    *,
    actor: Actor,
    question: StrategicQuestion | None = None,
    cases: Iterable[Case] = (),
    **fields: Any,
) -> StrategicQuestion:
    question = question or StrategicQuestion()
    for name, value in fields.items():
        setattr(question, name, value)
    others = StrategicQuestion.objects.select_for_update().filter(
        body_id=question.body_id, year=question.year
    )
    if question.pk:
        others = others.exclude(pk=question.pk)
    if len(others) >= StrategicQuestion.MAX_PER_YEAR:
        raise ValidationError(
            _("A council concentrates on at most %(max)d strategic questions a year.")
            % {"max": StrategicQuestion.MAX_PER_YEAR}
        )
    records.save(question, actor=actor)
    question.cases.set(cases)
    return question


# --- Follow-ups and dialogues -------------------------------------------------------------


@transaction.atomic
def followup_create(
    *,
    actor: Actor,
    agreement: Agreement,
    year: int,
    title: str,
    body: Body,
    case: Case | None = None,
    questions: Iterable[str] = (),
    summary: str = "",
) -> FollowUp:
    """Start a follow-up: its question set, and one dialogue to plan per kommun that is
    a party to the agreement."""
    followup = records.save(
        FollowUp(
            agreement=agreement, year=year, title=title, body=body, case=case, summary=summary
        ),
        actor=actor,
    )
    for position, text in enumerate((q.strip() for q in questions if q.strip()), start=1):
        records.save(Question(followup=followup, position=position, text=text), actor=actor)
    for kommun in agreement.kommuner:
        records.save(Dialogue(followup=followup, organisation=kommun), actor=actor)
    return followup


@transaction.atomic
def dialogue_record(
    *,
    actor: Actor,
    dialogue: Dialogue,
    answers: dict[Question, str] | None = None,
    **fields: Any,
) -> Dialogue:
    """Plan or record a dialogue, with its answers to the follow-up's questions (an
    empty answer removes one given before)."""
    records.update(dialogue, actor=actor, **fields)
    for question, text in (answers or {}).items():
        if question.followup_id != dialogue.followup_id:
            raise ValidationError(_("The question belongs to another follow-up."))
        existing = Answer.objects.filter(dialogue=dialogue, question=question).first()
        if text.strip():
            records.update(
                existing or Answer(dialogue=dialogue, question=question),
                actor=actor,
                text=text.strip(),
            )
        elif existing is not None:
            records.delete(existing, actor=actor)
    return dialogue


@transaction.atomic
def finding_save(*, actor: Actor, instance: Finding, **fields: Any) -> Finding:
    """Save a finding; a theme that is not yet stored (named in the form) is created."""
    theme = fields.get("theme")
    if theme is not None and theme.pk is None:
        fields["theme"], _created = Theme.objects.get_or_create(name=theme.name)
    return records.update(instance, actor=actor, **fields)


@transaction.atomic
def priority_save(
    *, actor: Actor, instance: Any, named_by: Iterable[Organisation], **fields: Any
) -> Any:
    records.update(instance, actor=actor, **fields)
    instance._history_user = actor
    instance.named_by.set(named_by)
    return instance


# --- Assessments -------------------------------------------------------------------------


def year_is_adopted(*, agreement: Agreement, year: int) -> bool:
    return ReportVersion.objects.filter(
        report__agreement=agreement, report__year=year, status=ReportVersion.Status.ADOPTED
    ).exists()


@transaction.atomic
def assessments_save(
    *, actor: Actor, agreement: Agreement, year: int, scores: dict[Area, tuple[int | None, str]]
) -> list[Assessment]:
    """A kommun's assessment of the agreement's areas for a year, by a person the
    secretariat made its bedömningsansvarig. Only for that kommun, only a party to the
    agreement, only a year the agreement covered and that has begun, and not once the
    year's report is fastställd."""
    kommun = assessing_kommun(actor)  # only the kommun's bedömningsansvariga
    if kommun is None or kommun not in agreement.kommuner:
        raise PermissionDenied
    if not agreement.covers_year(year) or year > timezone.localdate().year:
        raise ValidationError(_("The agreement cannot be assessed for %(year)d.") % {"year": year})
    if year_is_adopted(agreement=agreement, year=year):
        raise ValidationError(
            _("The verksamhetsberättelse for %(year)d is fastställd; its assessments are final.")
            % {"year": year}
        )
    saved = []
    for area, (score, comment) in scores.items():
        if area.agreement_id != agreement.pk:
            raise ValidationError(_("The area belongs to another agreement."))
        existing = Assessment.objects.filter(area=area, organisation=kommun, year=year).first()
        if score is None:
            if existing is not None:
                records.delete(existing, actor=actor)
            continue
        saved.append(
            records.update(
                existing or Assessment(area=area, organisation=kommun, year=year),
                actor=actor,
                score=score,
                comment=comment,
                assessed_by=actor,
            )
        )
    return saved


# --- Uppdrag -----------------------------------------------------------------------------


@transaction.atomic
def assignment_create(
    *, actor: Actor, paragraph: Paragraph | None = None, **fields: Any
) -> Assignment:
    """Record an uppdrag. Given by a § in the portal, it takes the body, date, ärende
    and decision reference from it."""
    assignment = Assignment(**fields)
    if paragraph is not None:
        meeting = paragraph.meeting
        assignment.paragraph = paragraph
        assignment.given_by = paragraph.body
        assignment.given_on = meeting.starts_at.date()
        assignment.given_in = (
            f"{paragraph.body.label} {meeting.starts_at:%Y-%m-%d} § {paragraph.number}"
        )
        assignment.case = assignment.case or paragraph.case
    return records.save(assignment, actor=actor)


@transaction.atomic
def assignment_update(*, actor: Actor, assignment: Assignment, **changes: Any) -> Assignment:
    return records.update(assignment, actor=actor, **changes)


@transaction.atomic
def assignment_put_on_agenda(
    *, actor: Actor, assignment: Assignment, meeting: Meeting
) -> AgendaItem:
    """Put the report-back (återrapportering) of an uppdrag on a later agenda."""
    if not assignment.is_open:
        raise ValidationError(_("The uppdrag is closed; there is nothing to report back."))
    if meeting.status not in (Meeting.Status.PLANNED, Meeting.Status.CALLED):
        raise ValidationError(_("Choose a meeting that has not yet been held."))
    if assignment.paragraph and meeting.starts_at <= assignment.paragraph.meeting.starts_at:
        raise ValidationError(_("Choose a meeting after the one that gave the uppdrag."))
    if assignment.case is None:
        raise ValidationError(_("Link the uppdrag to an ärende first: the agenda lists ärenden."))
    item = council_services.agenda_add_case(
        actor=actor,
        meeting=meeting,
        case=assignment.case,
        title=_("Report-back: %(title)s") % {"title": assignment.title},
    )
    records.update(assignment, actor=actor, report_item=item)
    return item


# --- Verksamhetsberättelse ---------------------------------------------------------------


def _require_open(report: Report) -> None:
    if report.versions.filter(status=ReportVersion.Status.ADOPTED).exists():
        raise ValidationError(
            _("The verksamhetsberättelse %(year)d is fastställd and can no longer change.")
            % {"year": report.year}
        )


@transaction.atomic
def report_get_or_create(*, actor: Actor, agreement: Agreement, year: int) -> Report:
    existing = Report.objects.filter(agreement=agreement, year=year).first()
    return existing or records.save(Report(agreement=agreement, year=year), actor=actor)


@transaction.atomic
def section_save(*, actor: Actor, report: Report, section: Section | None = None, **fields: Any):
    _require_open(report)
    section = section or Section(report=report)
    if not section.pk and "position" not in fields:
        last = report.sections.aggregate(last=Max("position"))["last"] or 0
        fields["position"] = last + 1
    return records.update(section, actor=actor, **fields)


@transaction.atomic
def section_delete(*, actor: Actor, section: Section) -> None:
    _require_open(section.report)
    records.delete(section, actor=actor)


@transaction.atomic
def report_compile(*, actor: Actor, report: Report) -> ReportVersion:
    """Compile a new version from the year's data and the narrative as they are now,
    and ask the worker for its PDF."""

    report = Report.objects.select_for_update().get(pk=report.pk)
    _require_open(report)
    unchecked = [s.heading for s in report.sections.exclude(Section.publishable_q())]
    if unchecked:
        raise ValidationError(
            _(
                "Personal data (a personnummer, or a private person's e-mail address or "
                "phone number) in the sections %(sections)s: mask it or confirm that it may "
                "be published."
            )
            % {"sections": ", ".join(f"“{h}”" for h in unchecked)},
            code="personal_data",
        )
    number = (report.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    version = ReportVersion(
        report=report,
        number=number,
        snapshot=report_snapshot(report=report),
        compiled_by=actor if getattr(actor, "pk", None) else None,
    )
    version.full_clean()
    version.save()
    _report_pdf_request(actor=actor, version=version)
    return version


def _report_pdf_request(*, actor: Actor, version: ReportVersion) -> RenderJob:
    """Ask the worker for the version's PDF (reused while it still shows the version),
    the job linked to the version on this side (``ReportRendering``)."""
    return council_services.render_job_request(
        actor=actor,
        kind=RenderJob.Kind.REPORT,
        same_document=RenderJob.objects.filter(report_rendering__version=version),
        created=lambda job: ReportRendering.objects.create(job=job, version=version),
    )


def report_version_job(version: ReportVersion) -> RenderJob | None:
    """The version's latest PDF job that has not failed (from prefetched renderings
    with their jobs, if any)."""
    jobs = [
        rendering.job
        for rendering in version.renderings.all()
        if rendering.job.status != RenderJob.Status.FAILED
    ]
    return max(jobs, key=lambda job: job.pk, default=None)


@transaction.atomic
def report_adopt(*, actor: Actor, version: ReportVersion, adopted_in: str) -> ReportVersion:
    """Fastställ a version by the decision ``adopted_in`` (body, date, §): it is frozen
    for good, and its final PDF, which says so on its cover, is rendered after the
    decision; only that PDF is published (the draft's says "utkast")."""
    version = ReportVersion.objects.select_for_update().get(pk=version.pk)
    _require_open(version.report)
    adopted_in = " ".join(adopted_in.split())
    if not adopted_in:
        raise ValidationError(_("Say which decision fastställde the version (body, date, §)."))
    job = report_version_job(version)
    if job is None or job.status != RenderJob.Status.DONE:
        raise ValidationError(_("Wait until the version's PDF is ready, then adopt it."))
    version.status = ReportVersion.Status.ADOPTED
    version.adopted_at = timezone.now()
    version.adopted_by = actor
    version.adopted_in = adopted_in[:300]
    version.save(update_fields=["status", "adopted_at", "adopted_by", "adopted_in"])
    _report_pdf_request(actor=actor, version=version)
    return version
