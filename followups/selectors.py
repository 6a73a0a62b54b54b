"""Reads for follow-up, with their permission decisions, and the two compilations:
the verksamhetsberättelse snapshot and the statistics over the years.

Who sees what:
- follow-ups, dialogues (without the secretariat's notes), findings and priorities are
  public records;
- a kommun's assessments: the secretariat (the region) sees every kommun side by side,
  a kommun user its own kommun's and the average; everyone else only the aggregates a
  fastställd verksamhetsberättelse published;
- uppdrag: as public as the § that gave them;
- a verksamhetsberättelse: the secretariat sees drafts; everyone the fastställd ones.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agreements.models import Activity, Agreement, Area
from councils.models import Attendance, Body, Meeting, Organisation, OrganisationRole, Paragraph
from councils.selectors import require, viewer_person
from followups.models import (
    Assessment,
    Assignment,
    Dialogue,
    Finding,
    FollowUp,
    Priority,
    Question,
    Report,
    ReportVersion,
    StrategicQuestion,
)
from samverkan import markdown
from samverkan.actors import Viewer, cached_on
from samverkan.roles import is_secretariat

HELD = (Meeting.Status.HELD, Meeting.Status.APPROVED, Meeting.Status.POSTED)
#: The attendance rows that count for a kommun's seat: its members, and substitutes
#: serving for one (a substitute not called in is not absent).
SEATED = Q(role=Attendance.Role.MEMBER) | Q(serving_for__isnull=False)

# --- Follow-ups ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    held: int
    total: int
    remaining: list[str]


def dialogue_progress(followup: FollowUp) -> Progress:
    """“6 av 8 dialoger genomförda — återstår: Berg, Ragunda”: from prefetched or
    fetched dialogues, the kommuner named by their short names."""
    dialogues = list(followup.dialogues.all())
    remaining = sorted(d.organisation.label for d in dialogues if not d.is_held)
    return Progress(held=len(dialogues) - len(remaining), total=len(dialogues), remaining=remaining)


def followups_for_user(user: Viewer) -> QuerySet[FollowUp]:
    """The gate for follow-ups: a follow-up is public (its dialogues' working notes are
    withheld by ``dialogue_notes``), for every path: pages, search and the API."""
    return FollowUp.objects.all()


def followups_list() -> QuerySet[FollowUp]:
    return (
        followups_for_user(None)
        .select_related("agreement", "case__diarium", "body")
        .prefetch_related(
            Prefetch("dialogues", queryset=Dialogue.objects.select_related("organisation"))
        )
    )


def followup_get(*, pk: int) -> FollowUp:
    return get_object_or_404(
        FollowUp.objects.select_related("agreement", "case__diarium", "body").prefetch_related(
            "questions",
            Prefetch(
                "dialogues",
                queryset=Dialogue.objects.select_related("organisation").prefetch_related(
                    "answers__question"
                ),
            ),
            Prefetch("findings", queryset=Finding.objects.select_related("theme")),
            Prefetch("priorities", queryset=Priority.objects.prefetch_related("named_by")),
        ),
        pk=pk,
    )


def dialogue_get(*, pk: int) -> Dialogue:
    return get_object_or_404(
        Dialogue.objects.select_related("followup__agreement", "organisation").prefetch_related(
            "answers", "followup__questions"
        ),
        pk=pk,
    )


def dialogue_notes(*, user: Viewer, dialogue: Dialogue) -> str:
    """The secretariat's working notes on a dialogue: for the secretariat only."""
    return dialogue.notes if is_secretariat(user) else ""


def findings_by_theme(followup: FollowUp) -> list[tuple[str, list[Finding]]]:
    grouped: dict[str, list[Finding]] = defaultdict(list)
    for finding in followup.findings.all():
        if finding.kind == Finding.Kind.OBSERVATION and finding.theme is not None:
            grouped[finding.theme.name].append(finding)
    return sorted(grouped.items())


def analysis_points(followup: FollowUp) -> list[Finding]:
    return [f for f in followup.findings.all() if f.kind == Finding.Kind.ANALYSIS]


def priorities_counted(priorities: list[Priority]) -> list[tuple[str, int]]:
    """Named priorities, the most named first; one not tied to a kommun counts once."""
    counted = Counter[str]()
    for priority in priorities:
        counted[priority.label] += len(priority.named_by.all()) or 1
    return sorted(counted.items(), key=lambda item: (-item[1], item[0]))


# --- Annual focus and uppföljningsplan --------------------------------------------------------


def strategic_questions(*, body: Body, year: int) -> QuerySet[StrategicQuestion]:
    return body.strategic_questions.filter(year=year).prefetch_related("cases__diarium")


# --- Assessments -----------------------------------------------------------------------------


@dataclass
class AssessmentGrid:
    """The assessments of one agreement and year as a table: a row per kommun shown,
    a column per area, and the average per area over all kommuner that answered."""

    areas: list[Area]
    rows: list[tuple[Organisation, list[Assessment | None]]]
    averages: list[float | None]
    answered: int


def assessing_kommun(user: Viewer) -> Organisation | None:
    """The kommun whose official assessment the user sets: one whose
    bedömningsansvarig the secretariat made the user's person (cached on the user)."""
    person = viewer_person(user)
    if person is None:
        return None

    def find() -> Organisation | None:
        role = (
            OrganisationRole.objects.filter(
                person=person,
                kind=OrganisationRole.Kind.ASSESSOR,
                organisation__kind=Organisation.Kind.KOMMUN,
            )
            .select_related("organisation")
            .first()
        )
        return role.organisation if role is not None else None

    return cached_on(user, "assesses_for", find)


def reading_kommun(user: Viewer) -> Organisation | None:
    """The kommun whose live assessment the user may read: the one they assess for,
    else the kommun they work for (read only)."""
    assessing = assessing_kommun(user)
    if assessing is not None:
        return assessing
    person = viewer_person(user)
    organisation = person.organisation if person is not None and person.organisation_id else None
    if organisation is not None and organisation.kind == Organisation.Kind.KOMMUN:
        return organisation
    return None


def assessment_grid(*, user: Viewer, agreement: Agreement, year: int) -> AssessmentGrid:
    areas = list(agreement.areas.all())
    assessments = list(
        Assessment.objects.filter(area__agreement=agreement, year=year).select_related(
            "organisation"
        )
    )
    by_cell = {(a.organisation_id, a.area_id): a for a in assessments}
    averages = []
    for area in areas:
        scores = [a.score for a in assessments if a.area_id == area.pk]
        averages.append(round(sum(scores) / len(scores), 2) if scores else None)
    if is_secretariat(user):
        shown = agreement.kommuner
    else:
        own = reading_kommun(user)
        shown = [own] if own is not None and own in agreement.kommuner else []
    rows = [(kommun, [by_cell.get((kommun.pk, area.pk)) for area in areas]) for kommun in shown]
    answered = len({a.organisation_id for a in assessments})
    return AssessmentGrid(areas=areas, rows=rows, averages=averages, answered=answered)


def sees_live_assessments(user: Viewer) -> bool:
    """Averages from not yet published assessments are for the region and the kommuner."""
    return is_secretariat(user) or reading_kommun(user) is not None


# --- Uppdrag -----------------------------------------------------------------------------------


def assignments_for_user(user: Viewer) -> QuerySet[Assignment]:
    assignments = Assignment.objects.select_related(
        "given_by", "case__diarium", "paragraph__meeting", "report_item__meeting__body"
    )
    if is_secretariat(user):
        return assignments
    return assignments.filter(
        Q(paragraph__isnull=True) | Q(paragraph__public=True, paragraph__approved_at__isnull=False)
    )


def assignment_get_for_user(*, user: Viewer, pk: int) -> Assignment:
    return get_object_or_404(assignments_for_user(user), pk=pk)


def assignments_to_report(*, meeting: Meeting) -> QuerySet[Assignment]:
    """Open uppdrag that fall due before the meeting or within the report window after
    it, not yet on an agenda, and given by the meeting's body or about an ärende the
    body handles: time to report back."""
    horizon = meeting.starts_at.date() + datetime.timedelta(days=Assignment.REPORT_WINDOW_DAYS)
    return (
        Assignment.objects.filter(due_on__lte=horizon, report_item=None)
        .filter(Q(given_by=meeting.body) | Q(case__body=meeting.body))
        .exclude(status__in=Assignment.CLOSED)
        .select_related("case__diarium")
    )


# --- Verksamhetsberättelse -------------------------------------------------------------------


def reports_for_user(user: Viewer) -> QuerySet[Report]:
    reports = Report.objects.select_related("agreement__case__diarium")
    if is_secretariat(user):
        return reports
    return reports.filter(versions__status=ReportVersion.Status.ADOPTED)


def report_get_for_secretariat(*, user: Viewer, pk: int) -> Report:
    require(is_secretariat(user))
    return get_object_or_404(
        Report.objects.select_related("agreement__case__diarium").prefetch_related(
            "sections", "versions__render_jobs"
        ),
        pk=pk,
    )


def version_get_for_user(*, user: Viewer, pk: int) -> ReportVersion:
    version = get_object_or_404(
        ReportVersion.objects.select_related("report__agreement__case__diarium"), pk=pk
    )
    require(version.is_adopted or is_secretariat(user))
    return version


def published_versions(*, year: int | None = None) -> QuerySet[ReportVersion]:
    versions = ReportVersion.objects.filter(status=ReportVersion.Status.ADOPTED).select_related(
        "report__agreement__case__diarium"
    )
    if year is not None:
        versions = versions.filter(report__year=year)
    return versions.order_by("-report__year", "report__agreement__title")


def _figure(title: str, columns: list[str], rows: list[list[Any]]) -> dict[str, Any]:
    return {"title": title, "columns": columns, "rows": rows}


def _meetings_of_year(agreement: Agreement, year: int) -> QuerySet[Meeting]:
    """The meetings that count for an agreement: held that year, in arenas where its
    parties hold seats, or in the body responsible for it."""
    parties = agreement.parties.all()
    return Meeting.objects.filter(starts_at__year=year, status__in=HELD).filter(
        Q(body__seat_allocations__organisation__in=parties) | Q(body=agreement.responsible_body)
    )


def report_snapshot(*, report: Report) -> dict[str, Any]:
    """The verksamhetsberättelse's content as plain data (JSON): the agreement, the
    year's figures, årsplan, follow-ups, uppdrag and the narrative. It is what a
    version freezes and what both the page and the PDF show."""
    with translation.override("sv"):
        return _snapshot(report.agreement, report.year, report)


def _snapshot(agreement: Agreement, year: int, report: Report) -> dict[str, Any]:
    """The parts in the order the report shows them, each built by its own function."""
    agreement = (
        Agreement.objects.select_related("case__diarium", "responsible_body", "adopted_by")
        .prefetch_related("parties", "areas__cases", "purposes", "perspectives", "extensions")
        .get(pk=agreement.pk)
    )
    kommuner = agreement.kommuner
    areas = list(agreement.areas.all())
    meeting_ids = set(_meetings_of_year(agreement, year).values_list("pk", flat=True))
    activities = list(
        Activity.objects.filter(agreement=agreement, year=year).select_related(
            "owner", "meeting__body"
        )
    )
    followups = _followups_of_year(agreement, year)
    year_end = datetime.date(year, 12, 31)
    return {
        "year": year,
        "compiled_on": timezone.localdate().isoformat(),
        "agreement": _agreement_data(agreement, year_end),
        "kommuner": [k.name for k in kommuner],
        "areas": [{"name": a.name, "kind": a.get_kind_display(), "goals": a.goals} for a in areas],
        "figures": {
            **_meeting_figures(meeting_ids, kommuner),
            "decisions": _decision_figure(meeting_ids, areas),
            "activities": _activity_figure(activities),
            **_assessment_figures(agreement, year, kommuner, areas),
            "priorities": _priority_figure(followups),
        },
        "activities": [_activity_data(a) for a in activities],
        "followups": [_followup_data(f) for f in followups],
        "assignments": _assignments_data(agreement, year, year_end),
        "sections": [
            {"heading": s.heading, "html": markdown.render(s.body)} for s in report.sections.all()
        ],
    }


def _agreement_data(agreement: Agreement, year_end: datetime.date) -> dict[str, Any]:
    parties = sorted(agreement.parties.all(), key=lambda p: (p.kind != "region", p.name))
    return {
        "title": agreement.title,
        "short_name": str(agreement),
        "diarienummer": agreement.case.diarienummer,
        "kind": agreement.get_kind_display(),
        "valid_from": agreement.valid_from.isoformat(),
        "valid_until": agreement.valid_until.isoformat(),
        "ends_on": agreement.ends_on.isoformat(),
        "status_at_year_end": str(
            Agreement.Status(agreement.status_on(min(year_end, timezone.localdate()))).label
        ),
        "responsible_body": agreement.responsible_body.name,
        "adopted": " ".join(
            part
            for part in (
                agreement.adopted_by.name if agreement.adopted_by else "",
                agreement.adopted_on.isoformat() if agreement.adopted_on else "",
                agreement.adopted_paragraph,
            )
            if part
        ),
        "parties": [p.name for p in parties],
        "purposes": [p.text for p in agreement.purposes.all()],
        "perspectives": [p.name for p in agreement.perspectives.all()],
        "extensions": [
            {"until": e.extended_until.isoformat(), "decided_on": e.decided_on.isoformat()}
            for e in agreement.extensions.all()
        ],
    }


def _meeting_figures(meeting_ids: set[int], kommuner: list[Organisation]) -> dict[str, Any]:
    """Meetings held per arena, and how each kommun's seats were attended."""
    meetings_per_body = (
        Meeting.objects.filter(pk__in=meeting_ids)
        .values("body__name")
        .annotate(held=Count("pk"))
        .order_by("body__name")
    )
    presence: dict[int, Counter[str]] = defaultdict(Counter)
    for row in (
        Attendance.objects.filter(meeting_id__in=meeting_ids, represents__in=kommuner)
        .filter(SEATED)
        .values("represents_id", "presence")
        .annotate(n=Count("pk"))
    ):
        presence[row["represents_id"]][row["presence"]] += row["n"]
    return {
        "meetings": _figure(
            _("Meetings held per arena"),
            [_("Arena"), _("Meetings held")],
            [[row["body__name"], row["held"]] for row in meetings_per_body],
        ),
        "attendance": _figure(
            _("Attendance per municipality"),
            [_("Municipality"), _("Present on site"), _("Present at a distance"), _("Absent")],
            [
                [
                    k.label,
                    presence[k.pk][Attendance.Presence.ON_SITE],
                    presence[k.pk][Attendance.Presence.REMOTE],
                    presence[k.pk][Attendance.Presence.ABSENT],
                ]
                for k in kommuner
            ],
        ),
    }


def _decision_figure(meeting_ids: set[int], areas: list[Area]) -> dict[str, Any]:
    """The year's decisions (deferred § aside) per area, through the ärenden linked to it."""
    decided = Paragraph.objects.filter(meeting_id__in=meeting_ids).exclude(
        decision_kind=Paragraph.DecisionKind.DEFERRED
    )
    per_area = dict(
        decided.filter(case__agreement_areas__in=areas)
        .values_list("case__agreement_areas")
        .annotate(n=Count("pk", distinct=True))
        .values_list("case__agreement_areas", "n")
    )
    decisions = [[area.name, per_area.get(area.pk, 0)] for area in areas]
    return _figure(_("Decisions per area"), [_("Area"), _("Decisions")], decisions)


def _activity_figure(activities: list[Activity]) -> dict[str, Any]:
    status_counts = Counter(a.status for a in activities)
    return _figure(
        _("Outcome of the annual plan"),
        [_("Status"), _("Activities")],
        [[str(s.label), status_counts[s.value]] for s in Activity.Status],
    )


def _assessment_figures(
    agreement: Agreement, year: int, kommuner: list[Organisation], areas: list[Area]
) -> dict[str, Any]:
    """Each kommun's assessment per area, and the average per area."""
    assessments = Assessment.objects.filter(area__agreement=agreement, year=year)
    cells = {(a.organisation_id, a.area_id): a.score for a in assessments}
    assessment_rows: list[list[Any]] = [
        [k.label, *[cells.get((k.pk, area.pk)) for area in areas]] for k in kommuner
    ]
    averages: list[Any] = []
    for area in areas:
        scores = [cells[(k.pk, area.pk)] for k in kommuner if (k.pk, area.pk) in cells]
        averages.append(round(sum(scores) / len(scores), 2) if scores else None)
    return {
        "assessments": _figure(
            _("Assessment per area and municipality (1–4)"),
            [_("Municipality"), *[a.name for a in areas]],
            assessment_rows,
        ),
        "assessment_averages": _figure(
            _("Average assessment per area (1–4)"),
            [_("Area"), _("Average")],
            [[area.name, avg] for area, avg in zip(areas, averages, strict=True)],
        ),
    }


def _priority_figure(followups: list[FollowUp]) -> dict[str, Any]:
    priorities = priorities_counted([p for f in followups for p in f.priorities.all()])
    return _figure(
        _("Priorities named by the municipalities"),
        [_("Priority"), _("Named by")],
        [[label, count] for label, count in priorities],
    )


def _followups_of_year(agreement: Agreement, year: int) -> list[FollowUp]:
    return list(
        FollowUp.objects.filter(agreement=agreement, year=year)
        .select_related("case__diarium", "body")
        .prefetch_related(
            Prefetch("questions", queryset=Question.objects.prefetch_related("answers__dialogue")),
            Prefetch("dialogues", queryset=Dialogue.objects.select_related("organisation")),
            Prefetch("findings", queryset=Finding.objects.select_related("theme")),
            Prefetch("priorities", queryset=Priority.objects.prefetch_related("named_by")),
        )
    )


def _activity_data(activity: Activity) -> dict[str, Any]:
    return {
        "title": activity.title,
        "kind": activity.get_kind_display(),
        "owner": activity.owner.label,
        "due_on": activity.due_on.isoformat(),
        "status": activity.get_status_display(),
        "meeting": (
            f"{activity.meeting.body.name} {activity.meeting.starts_at:%Y-%m-%d}"
            if activity.meeting
            else ""
        ),
    }


def _assignments_data(
    agreement: Agreement, year: int, year_end: datetime.date
) -> list[dict[str, Any]]:
    """The uppdrag given up to the year and still open, or closed in it."""
    assignments = Assignment.objects.filter(agreement=agreement, given_on__year__lte=year).filter(
        ~Q(status__in=Assignment.CLOSED) | Q(given_on__year=year)
    )
    return [
        {
            "title": a.title,
            "owner": a.owner,
            "given_in": a.given_in,
            "due_on": a.due_on.isoformat(),
            "status": a.get_status_display(),
            "overdue": a.is_open and a.due_on < year_end,
        }
        for a in assignments
    ]


def _followup_data(followup: FollowUp) -> dict[str, Any]:
    progress = dialogue_progress(followup)
    dialogues = {d.pk: d for d in followup.dialogues.all()}
    return {
        "title": followup.title,
        "diarienummer": followup.case.diarienummer if followup.case else "",
        "body": followup.body.name,
        "held": progress.held,
        "total": progress.total,
        "remaining": progress.remaining,
        "dialogues": [
            {"kommun": d.organisation.label, "held_on": d.held_on.isoformat() if d.held_on else ""}
            for d in dialogues.values()
        ],
        "summary": followup.summary,
        "questions": [
            {
                "text": q.text,
                "answers": [
                    {"kommun": dialogues[a.dialogue_id].organisation.label, "text": a.text}
                    for a in sorted(
                        q.answers.all(), key=lambda a: dialogues[a.dialogue_id].organisation.name
                    )
                ],
            }
            for q in followup.questions.all()
        ],
        "themes": [
            {"name": name, "findings": [f.text for f in items]}
            for name, items in findings_by_theme(followup)
        ],
        "analysis": [{"heading": f.heading, "text": f.text} for f in analysis_points(followup)],
    }


# --- Statistics over the years ------------------------------------------------------------------


def statistics() -> dict[str, dict[str, Any]]:
    """Key figures per year: meetings held, decisions per area, attendance per kommun,
    dialogues held, and the assessment averages the fastställda reports published."""
    meetings = (
        Meeting.objects.filter(status__in=HELD)
        .values("starts_at__year")
        .annotate(n=Count("pk"))
        .order_by("starts_at__year")
    )
    decisions: dict[tuple[int, str], int] = Counter()
    for row in (
        Paragraph.objects.filter(meeting__status__in=HELD, case__agreement_areas__isnull=False)
        .exclude(decision_kind=Paragraph.DecisionKind.DEFERRED)
        .values("meeting__starts_at__year", "case__agreement_areas__name")
        .annotate(n=Count("pk", distinct=True))
    ):
        decisions[(row["meeting__starts_at__year"], row["case__agreement_areas__name"])] += row["n"]
    attendance = (
        Attendance.objects.filter(
            meeting__status__in=HELD, represents__kind=Organisation.Kind.KOMMUN
        )
        .filter(SEATED)
        .values("meeting__starts_at__year", "represents__short_name", "represents__name")
        .annotate(
            present=Count("pk", filter=~Q(presence=Attendance.Presence.ABSENT)),
            total=Count("pk"),
        )
        .order_by("meeting__starts_at__year", "represents__name")
    )
    dialogues = (
        Dialogue.objects.values("followup__year")
        .annotate(held=Count("pk", filter=Q(held_on__isnull=False)), total=Count("pk"))
        .order_by("followup__year")
    )
    averages = []
    for version in published_versions().order_by("report__year"):
        figure = version.snapshot["figures"]["assessment_averages"]
        for area, average in figure["rows"]:
            if average is not None:
                averages.append([version.report.year, area, average, str(version.report.agreement)])
    return {
        "meetings": _figure(
            _("Meetings held per year"),
            [_("Year"), _("Meetings held")],
            [[row["starts_at__year"], row["n"]] for row in meetings],
        ),
        "decisions": _figure(
            _("Decisions per area and year"),
            [_("Year"), _("Area"), _("Decisions")],
            [[year, area, n] for (year, area), n in sorted(decisions.items())],
        ),
        "attendance": _figure(
            _("Attendance per municipality and year"),
            [_("Year"), _("Municipality"), _("Present"), _("Summoned")],
            [
                [
                    row["meeting__starts_at__year"],
                    row["represents__short_name"] or row["represents__name"],
                    row["present"],
                    row["total"],
                ]
                for row in attendance
            ],
        ),
        "dialogues": _figure(
            _("Dialogues with the municipalities per year"),
            [_("Year"), _("Held"), _("Not held")],
            [[row["followup__year"], row["held"], row["total"] - row["held"]] for row in dialogues],
        ),
        "assessments": _figure(
            _("Published average assessment per area (1–4)"),
            [_("Year"), _("Area"), _("Average"), _("Agreement")],
            averages,
        ),
    }
