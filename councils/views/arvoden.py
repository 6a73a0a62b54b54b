"""Arvoden and attendance: an organisation's report for its payroll, and a person's own."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from base.exports import csv_response, xlsx_response
from councils import selectors
from councils.forms.arvoden import PeriodForm
from councils.selectors.arvoden import (
    ArvodeReport,
    ArvodeRow,
    arvode_report,
    own_attendance_report,
    reads_arvoden,
)

FORMATS = ("html", "csv", "xlsx")


def _header() -> list[str]:
    return [
        _("Name"),
        _("Date"),
        _("Arena"),
        _("Starts"),
        _("Ends"),
        _("Minutes"),
        _("Presence"),
        _("Serving as"),
    ]


def _cells(row: ArvodeRow, *, spreadsheet: bool) -> list[Any]:
    """A row's cells: real dates and times in a spreadsheet, text in the CSV."""
    ends = row.ends.replace(tzinfo=None) if row.ends else None
    starts = row.starts.replace(tzinfo=None)
    return [
        row.person_name,
        row.day,
        row.body_name,
        starts if spreadsheet else f"{starts:%H:%M}",
        ends if spreadsheet or ends is None else f"{ends:%H:%M}",
        row.minutes,
        row.presence_label,
        row.serving_as,
    ]


def _answer(
    request: HttpRequest,
    fmt: str,
    name: str,
    form: PeriodForm,
    report: ArvodeReport | None,
    context: dict[str, Any],
    file_url: Callable[[str], str],
) -> HttpResponseBase:
    selectors.require(fmt in FORMATS)
    if fmt != "html" and report is not None:
        name = f"{name}-{report.start:%Y-%m-%d}-{report.end:%Y-%m-%d}"
        if fmt == "csv":
            return csv_response(
                name, _header(), (_cells(r, spreadsheet=False) for r in report.final)
            )
        return xlsx_response(
            name,
            _header(),
            [
                (month, (_cells(r, spreadsheet=True) for r in rows))
                for month, rows in report.months()
            ],
        )
    return TemplateResponse(
        request,
        "councils/arvoden.html",
        {
            "form": form,
            "report": report,
            "files": {kind: file_url(kind) for kind in ("xlsx", "csv")},
            **context,
        },
        status=200 if form.is_valid() else 400,
    )


@login_required
def organisation_arvoden(request: HttpRequest, slug: str, fmt: str = "html") -> HttpResponseBase:
    """The meetings the people ``slug`` appointed attended in a period, from the
    justerade protocols, for the organisation's payroll: a page, CSV and XLSX."""
    organisation = selectors.organisation_get(slug=slug)
    selectors.require(reads_arvoden(request.user, organisation))
    form = PeriodForm(request.GET or None)
    report = (
        arvode_report(
            organisation=organisation,
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
        )
        if form.is_valid()
        else None
    )
    return _answer(
        request,
        fmt,
        f"arvoden-{organisation.slug}",
        form,
        report,
        {"organisation": organisation},
        lambda kind: reverse("councils:organisation-arvoden-file", args=[organisation.slug, kind]),
    )


@login_required
def my_attendance(request: HttpRequest, fmt: str = "html") -> HttpResponseBase:
    """Mina uppdrag och sammanträden: the user's own attendance in a period."""
    form = PeriodForm(request.GET or None)
    report = (
        own_attendance_report(
            user=request.user, start=form.cleaned_data["start"], end=form.cleaned_data["end"]
        )
        if form.is_valid()
        else None
    )
    return _answer(
        request,
        fmt,
        "mina-sammantraden",
        form,
        report,
        {"organisation": None},
        lambda kind: reverse("councils:my-attendance-file", args=[kind]),
    )
