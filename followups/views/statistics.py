"""The statistics page and its CSV downloads."""

from __future__ import annotations

from django.http import Http404, HttpRequest, StreamingHttpResponse
from django.template.response import TemplateResponse

from base.exports import csv_response
from followups import selectors
from followups.charts import PAGE_WIDTH, STATISTICS_CHARTS, figures_with_charts


def statistics(request: HttpRequest) -> TemplateResponse:
    figures = figures_with_charts(selectors.statistics(), STATISTICS_CHARTS, width=PAGE_WIDTH)
    return TemplateResponse(request, "followups/statistics.html", {"figures": figures})


def statistics_csv(request: HttpRequest, key: str) -> StreamingHttpResponse:
    figures = selectors.statistics()
    if key not in figures:
        raise Http404
    figure = figures[key]
    return csv_response(f"statistik-{key}", figure["columns"], figure["rows"])
