"""The portal's own endpoints beside OParl (``/api/v1/``): agreements, follow-ups
and published assessments."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from agreements.models import Agreement
from samverkan.api.base import _moment, _page, _url, _web, api_view


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
