"""The verksamhetsberättelse's content as plain data (JSON): what a report version
freezes, and what both its page and its PDF show. A read, built from the selectors;
``services.report_compile`` stores it."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agreements.models import Activity, Agreement, Area
from base import markdown
from councils.models import Attendance, Meeting, Organisation, Paragraph
from followups.models import (
    Assessment,
    Assignment,
    Dialogue,
    Finding,
    FollowUp,
    Priority,
    Question,
    Report,
)
from followups.selectors import (
    HELD,
    SEATED,
    analysis_points,
    dialogue_progress,
    findings_by_theme,
    make_figure,
    priorities_counted,
)
from recommendations import selectors as recommendation_selectors
from recommendations.models import OrganisationDecision


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
            "decisions": _decisionfigure(meeting_ids, areas),
            "activities": _activityfigure(activities),
            **_assessment_figures(agreement, year, kommuner, areas),
            "priorities": _priorityfigure(followups),
        },
        "activities": [_activity_data(a) for a in activities],
        "followups": [_followup_data(f) for f in followups],
        "assignments": _assignments_data(agreement, year, year_end),
        "recommendations": _recommendations_data(agreement, meeting_ids),
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
        "meetings": make_figure(
            _("Meetings held per arena"),
            [_("Arena"), _("Meetings held")],
            [[row["body__name"], row["held"]] for row in meetings_per_body],
        ),
        "attendance": make_figure(
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


def _decisionfigure(meeting_ids: set[int], areas: list[Area]) -> dict[str, Any]:
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
    return make_figure(_("Decisions per area"), [_("Area"), _("Decisions")], decisions)


def _activityfigure(activities: list[Activity]) -> dict[str, Any]:
    status_counts = Counter(a.status for a in activities)
    return make_figure(
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
        "assessments": make_figure(
            _("Assessment per area and municipality (1–4)"),
            [_("Municipality"), *[a.name for a in areas]],
            assessment_rows,
        ),
        "assessment_averages": make_figure(
            _("Average assessment per area (1–4)"),
            [_("Area"), _("Average")],
            [[area.name, avg] for area, avg in zip(areas, averages, strict=True)],
        ),
    }


def _priorityfigure(followups: list[FollowUp]) -> dict[str, Any]:
    priorities = priorities_counted([p for f in followups for p in f.priorities.all()])
    return make_figure(
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


def _recommendations_data(agreement: Agreement, meeting_ids: set[int]) -> dict[str, Any]:
    """The recommendations decided in the year's meetings that count for the agreement,
    and the parties' own adoption of the agreement: where each stands, and who has not
    adopted it, as the public may read them (no comment)."""
    found = (
        recommendation_selectors.with_decisions_prefetched(
            recommendation_selectors.with_tally(
                recommendation_selectors.recommendations_for_user(None)
            )
        )
        .filter(Q(paragraph__meeting_id__in=meeting_ids) | Q(agreement=agreement))
        .select_related("body", "paragraph")
        .order_by("issued_on", "pk")
    )
    items = []
    for recommendation in found:
        others: dict[str, list[str]] = defaultdict(list)
        for decision in recommendation.decisions.all():
            if decision.outcome not in OrganisationDecision.ADOPTING:
                state = decision.get_outcome_display() if decision.outcome else _("Not decided")
                others[str(state)].append(decision.organisation.label)
        items.append(
            {
                "title": recommendation.title,
                "source": recommendation.source_label,
                "answer_by": recommendation.answer_by.isoformat(),
                "standing": str(recommendation_selectors.Tally.of(recommendation)),
                "not_adopted": "; ".join(
                    f"{state}: {', '.join(names)}" for state, names in others.items()
                ),
            }
        )
    return {"items": items}


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
