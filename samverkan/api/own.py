"""The portal's own endpoints beside OParl (``/api/v1/``): decisions, agreements,
follow-ups and published assessments."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, F, OuterRef, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from agreements.models import Agreement
from councils import selectors
from councils.models import Paragraph
from samverkan.api.base import _absolute, _filtered, _moment, _page, _url, _web, api_view


def _decisions(request: HttpRequest) -> QuerySet[Paragraph]:
    """The justerade § the caller may read (the rule of the § pages and of OParl's
    ``AgendaItem.result``: never a draft), stamped by their justering (a justerad §
    cannot change); whether the caller may read each one's ärende."""
    readable_case = selectors.cases_for_user(request.user).filter(pk=OuterRef("case_id"))
    return (
        Paragraph.objects.filter(selectors.justerad_paragraph_q(request.user))
        .select_related("meeting__body", "case")
        .annotate(
            created=F("approved_at"), modified=F("approved_at"), case_readable=Exists(readable_case)
        )
    )


def _decision(request: HttpRequest, paragraph: Paragraph) -> dict[str, Any]:
    meeting = paragraph.meeting
    readable_case = paragraph.case_readable  # type: ignore[attr-defined]
    return {
        "id": _url(request, "decision", paragraph.pk),
        "paragraph": paragraph.label,
        "year": paragraph.year,
        "number": paragraph.number,
        "title": paragraph.title,
        "kind": paragraph.decision_kind,
        "kindLabel": paragraph.get_decision_kind_display(),
        "text": paragraph.decision,
        "public": paragraph.public,
        "justerad": _moment(paragraph.approved_at),
        "organization": _url(request, "organization", meeting.body_id),
        "meeting": _url(request, "meeting", meeting.pk),
        "agendaItem": _url(request, "agendaitem", paragraph.agenda_item_id)
        if paragraph.agenda_item_id
        else None,
        "paper": _url(request, "paper", paragraph.case_id) if readable_case else None,
        "reference": paragraph.case.diarienummer if readable_case and paragraph.case else None,
        "web": _absolute(request, f"{meeting.protocol.get_absolute_url()}#p-{paragraph.pk}"),
    }


@api_view
def decisions(request: HttpRequest) -> dict[str, Any]:
    """Every decision (justerad §) the caller may read, oldest first, with OParl's
    filters (``modified_since``: justerade since)."""
    rows = _filtered(request, _decisions(request).select_related("meeting__protocol"))
    return _page(request, rows.order_by("pk"), lambda p: _decision(request, p))


@api_view
def decision(request: HttpRequest, pk: int) -> dict[str, Any]:
    found = _decisions(request).select_related("meeting__protocol")
    return _decision(request, get_object_or_404(found, pk=pk))


def _agreement(request: HttpRequest, agreement: Agreement) -> dict[str, Any]:
    return {
        "id": _url(request, "agreement", agreement.pk),
        "title": agreement.title,
        "shortName": agreement.short_name,
        "kind": agreement.get_kind_display(),
        "reference": agreement.case.diarienummer,
        "paper": _url(request, "paper", agreement.case_id),
        "parties": [
            _url(request, "body", p.pk) if p.bodies.all() else p.name
            for p in agreement.parties.all()
        ],
        "validFrom": _moment(agreement.valid_from),
        "validUntil": _moment(agreement.valid_until),
        "endsOn": _moment(agreement.ends_on),
        "status": agreement.status,
        "responsibleOrganization": _url(request, "organization", agreement.responsible_body_id),
        "replaces": _url(request, "agreement", agreement.replaces_id)
        if agreement.replaces_id
        else None,
        "areas": [
            {"name": a.name, "kind": a.kind, "goals": a.goals} for a in agreement.areas.all()
        ],
        "web": _web(request, agreement),
    }


@api_view
def agreements(request: HttpRequest) -> dict[str, Any]:
    rows = (
        Agreement.objects.select_related("case")
        .prefetch_related("areas", "extensions", "parties__bodies")
        .order_by("pk")
    )
    return _page(request, rows, lambda a: _agreement(request, a))


@api_view
def agreement(request: HttpRequest, pk: int) -> dict[str, Any]:
    rows = Agreement.objects.select_related("case").prefetch_related(
        "areas", "extensions", "parties__bodies"
    )
    return _agreement(request, get_object_or_404(rows, pk=pk))


@api_view
def followups(request: HttpRequest) -> dict[str, Any]:
    from followups.selectors import dialogue_progress, followups_list

    def serialize(followup: Any) -> dict[str, Any]:
        progress = dialogue_progress(followup)
        return {
            "id": request.build_absolute_uri(followup.get_absolute_url()),
            "title": followup.title,
            "year": followup.year,
            "agreement": _url(request, "agreement", followup.agreement_id),
            "reference": followup.case.diarienummer if followup.case else None,
            "dialoguesHeld": progress.held,
            "dialoguesPlanned": progress.total,
            "remaining": progress.remaining,
        }

    return _page(request, followups_list().order_by("pk"), serialize)


@api_view
def assessments(request: HttpRequest, pk: int, year: int) -> dict[str, Any]:
    """The same rule as the page: per kommun for the region (and a kommun's own row),
    otherwise only the averages a fastställd verksamhetsberättelse published."""
    from followups import selectors as followup_selectors

    found = get_object_or_404(Agreement, pk=pk)
    if not followup_selectors.sees_live_assessments(request.user):
        version = (
            followup_selectors.published_versions(year=year).filter(report__agreement=found).first()
        )
        if version is None:
            raise Http404
        figure = version.snapshot["figures"]["assessment_averages"]
        return {
            "agreement": _url(request, "agreement", pk),
            "year": year,
            "published": True,
            "averages": [{"area": area, "average": avg} for area, avg in figure["rows"]],
        }
    grid = followup_selectors.assessment_grid(user=request.user, agreement=found, year=year)
    return {
        "agreement": _url(request, "agreement", pk),
        "year": year,
        "published": False,
        "averages": [
            {"area": area.name, "average": avg}
            for area, avg in zip(grid.areas, grid.averages, strict=True)
        ],
        "municipalities": [
            {
                "name": kommun.name,
                "scores": [
                    {"area": area.name, "score": cell.score if cell else None}
                    for area, cell in zip(grid.areas, cells, strict=True)
                ],
            }
            for kommun, cells in grid.rows
        ],
    }
