"""Shared page helpers."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.response import TemplateResponse


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
