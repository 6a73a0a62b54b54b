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

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from agreements.models import Agreement, Area
from base.actors import Viewer
from base.roles import is_secretariat
from councils.models import Attendance, Body, Meeting, Organisation, OrganisationRole, Paragraph
from councils.selectors import require, viewer_person, viewer_roles
from followups.models import (
    Assessment,
    Assignment,
    Dialogue,
    Finding,
    FollowUp,
    Priority,
    Report,
    ReportVersion,
    StrategicQuestion,
)
from recommendations.selectors import figures as recommendation_figures

HELD = (Meeting.Status.HELD, Meeting.Status.APPROVED, Meeting.Status.POSTED)
#: The attendance rows that count for a kommun's seat: its members, and substitutes
#: serving for one (a substitute not called in is not absent).
SEATED = Q(role=Attendance.Role.MEMBER) | Q(serving_for__isnull=False)
#: An absent member whose seat an ersättare filled (serving for them at the meeting):
#: the seat counts once, as filled.
REPLACED = Exists(
    Attendance.objects.filter(meeting=OuterRef("meeting"), serving_for=OuterRef("person")).exclude(
        presence=Attendance.Presence.ABSENT
    )
)

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
    bedömningsansvarig the secretariat made the user's person (from the roles cached on
    the user)."""
    return next(
        (
            role.organisation
            for role in viewer_roles(user)
            if role.kind == OrganisationRole.Kind.ASSESSOR
            and role.organisation.kind == Organisation.Kind.KOMMUN
        ),
        None,
    )


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
            "sections", "versions__renderings__job"
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


def make_figure(title: str, columns: list[str], rows: list[list[Any]]) -> dict[str, Any]:
    return {"title": title, "columns": columns, "rows": rows}


def statistics() -> dict[str, dict[str, Any]]:
    """Key figures per year: meetings held, decisions per area, attendance per kommun,
    dialogues held, the organisations' own decisions on the recommendations, and the
    assessment averages the fastställda reports published."""
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
        .annotate(replaced=REPLACED)
        .values("meeting__starts_at__year", "represents__short_name", "represents__name")
        .annotate(
            filled=Count("pk", filter=~Q(presence=Attendance.Presence.ABSENT)),
            seats=Count("pk", filter=~Q(presence=Attendance.Presence.ABSENT) | Q(replaced=False)),
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
        "meetings": make_figure(
            _("Meetings held per year"),
            [_("Year"), _("Meetings held")],
            [[row["starts_at__year"], row["n"]] for row in meetings],
        ),
        "decisions": make_figure(
            _("Decisions per area and year"),
            [_("Year"), _("Area"), _("Decisions")],
            [[year, area, n] for (year, area), n in sorted(decisions.items())],
        ),
        "attendance": make_figure(
            _("Attendance per municipality and year"),
            [_("Year"), _("Municipality"), _("Seats filled"), _("Seats at the meetings")],
            [
                [
                    row["meeting__starts_at__year"],
                    row["represents__short_name"] or row["represents__name"],
                    row["filled"],
                    row["seats"],
                ]
                for row in attendance
            ],
        ),
        "dialogues": make_figure(
            _("Dialogues with the municipalities per year"),
            [_("Year"), _("Held"), _("Not held")],
            [[row["followup__year"], row["held"], row["total"] - row["held"]] for row in dialogues],
        ),
        "recommendations": make_figure(
            _("The organisations' decisions on the recommendations, per year and arena"),
            [
                _("Year and arena"),
                _("Adopted"),
                _("Declined"),
                _("Other answers"),
                _("Not decided"),
            ],
            recommendation_figures(user=None),
        ),
        "assessments": make_figure(
            _("Published average assessment per area (1–4)"),
            [_("Year"), _("Area"), _("Average"), _("Agreement")],
            averages,
        ),
    }
