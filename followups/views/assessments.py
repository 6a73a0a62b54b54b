"""Pages of the kommuner's assessments."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.selectors import agreement_get
from base.actors import acting_user
from base.exports import csv_response
from followups import selectors, services
from followups.forms import (
    AssessmentForm,
)


def assessment_page(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """The assessments of an agreement for a year: the region sees every kommun, a
    kommun user its own (with a form while the year is open) and the average; anyone
    else is sent to what was published."""
    agreement = agreement_get(pk=pk)
    if not agreement.covers_year(year):
        raise Http404
    if not selectors.sees_live_assessments(request.user):
        return redirect("followups:reports-year", year=year)
    kommun = selectors.assessing_kommun(request.user)
    adopted = services.year_is_adopted(agreement=agreement, year=year)
    form = None
    grid = selectors.assessment_grid(user=request.user, agreement=agreement, year=year)
    if kommun is not None and kommun in agreement.kommuner and not adopted:
        current = {a.area_id: a for _k, cells in grid.rows for a in cells if a is not None}
        form = AssessmentForm(request.POST or None, areas=grid.areas, current=current)
        if request.method == "POST" and form.is_valid():
            try:
                services.assessments_save(
                    actor=acting_user(request), agreement=agreement, year=year, scores=form.scores()
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your assessment was saved."))
                return redirect("followups:assessments", pk=agreement.pk, year=year)
    elif request.method == "POST":
        raise PermissionDenied
    return TemplateResponse(
        request,
        "followups/assessments.html",
        {
            "agreement": agreement,
            "year": year,
            "grid": grid,
            "form": form,
            "kommun": kommun,
            "adopted": adopted,
            "years": [y for y in agreement.years if y <= timezone.localdate().year],
        },
    )


def assessment_csv(request: HttpRequest, pk: int, year: int) -> StreamingHttpResponse:
    """The assessments as CSV: what the page shows the user (every kommun for the
    region, its own and the average for a kommun), or else what was published."""
    agreement = agreement_get(pk=pk)
    if not agreement.covers_year(year):
        raise Http404
    name = f"bedomning-{agreement.pk}-{year}"
    if not selectors.sees_live_assessments(request.user):
        version = (
            selectors.published_versions(year=year).filter(report__agreement=agreement).first()
        )
        if version is None:
            raise Http404
        figure = version.snapshot["figures"]["assessment_averages"]
        return csv_response(name, figure["columns"], figure["rows"])
    grid = selectors.assessment_grid(user=request.user, agreement=agreement, year=year)
    rows: list[list[Any]] = [
        [kommun.name, area.name, cell.score if cell else None, cell.comment if cell else ""]
        for kommun, cells in grid.rows
        for area, cell in zip(grid.areas, cells, strict=True)
    ]
    rows += [
        [_("Average"), area.name, average, ""]
        for area, average in zip(grid.areas, grid.averages, strict=True)
    ]
    return csv_response(name, [_("Municipality"), _("Area"), _("Assessment"), _("Comment")], rows)


@login_required
def my_assessments(request: HttpRequest) -> HttpResponse:
    """A kommun user's way in: the agreements the kommun is party to, by year (to
    assess for the bedömningsansvariga, to read for the kommun's other people)."""
    kommun = selectors.reading_kommun(request.user)
    agreements = list(kommun.agreements.all()) if kommun is not None else []
    return TemplateResponse(
        request,
        "followups/my_assessments.html",
        {
            "kommun": kommun,
            "assesses": kommun is not None and kommun == selectors.assessing_kommun(request.user),
            "agreements": [
                (a, [y for y in a.years if y <= timezone.localdate().year]) for a in agreements
            ],
        },
    )
