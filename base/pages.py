"""Shared page helpers."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.template.response import TemplateResponse

#: The years the portal's pages accept in an address (as the models' year fields).
YEARS = range(2000, 2101)


def is_htmx(request: HttpRequest) -> bool:
    """Did htmx ask for a fragment? django-htmx's rule (``HX-Request: true``, nothing
    else), which both the views and the page cache's key follow: a request the views
    answer with the whole page is never kept as a fragment."""
    return request.headers.get("HX-Request") == "true"


def year_or_404(year: int) -> int:
    """A year from a URL, or 404 for one no page can be about (and no link may loop to)."""
    if year not in YEARS:
        raise Http404
    return year


def form_page(
    request: HttpRequest,
    form: Any,
    *,
    heading: Any,
    back_url: str,
    back_label: Any,
    intro: Any = "",
) -> TemplateResponse:
    """A page with one form: breadcrumbs back to where it belongs, a heading, an
    optional introduction, the fields with their errors, and a save button."""
    return TemplateResponse(
        request,
        "form_page.html",
        {
            "form": form,
            "heading": heading,
            "back_url": back_url,
            "back_label": back_label,
            "intro": intro,
        },
    )
