"""The verksamhetsberättelse as PDF: the version's frozen snapshot, laid out by the
same template include as its web page, rendered by the worker through the councils'
PDF pipeline (PDF/A-2a, tagged, Swedish)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from councils import renderers
from councils.models import RenderJob
from councils.pdfs import html_to_pdf, render_html
from followups.charts import REPORT_CHARTS, figures_with_charts
from followups.models import ReportRendering, ReportVersion


def report_context(version: ReportVersion) -> dict[str, Any]:
    snapshot = version.snapshot
    charts = {f["key"]: f for f in figures_with_charts(snapshot["figures"], REPORT_CHARTS)}
    return {"version": version, "report": snapshot, "charts": charts}


def report_pdf(version: ReportVersion) -> bytes:
    snapshot = version.snapshot
    html = render_html(
        "followups/pdf/report.html",
        title=f"Verksamhetsberättelse {snapshot['year']} – {snapshot['agreement']['title']}",
        context=report_context(version),
        sealed=bool(report_seal_reason(version)),
    )
    return html_to_pdf(html)


def report_seal_reason(version: ReportVersion) -> str:
    """A fastställd verksamhetsberättelse is issued under the organisation's seal."""
    return "Fastställd verksamhetsberättelse" if version.is_adopted else ""


def _version(job: RenderJob) -> ReportVersion:
    """The version a job renders (the link is the follow-up's: ``ReportRendering``)."""
    return ReportRendering.objects.select_related("version__report").get(job=job).version


def _report(job: RenderJob) -> renderers.Rendered:
    version = _version(job)
    return renderers.Rendered(report_pdf(version), report_seal_reason(version))


def _rendered_before_adoption(job: RenderJob) -> bool:
    """A version's content never changes, but its status does, once: the PDF made
    while it was a draft says "utkast" and never serves the fastställd version."""
    version = _version(job)
    return bool(
        version.is_adopted
        and job.finished_at is not None
        and version.adopted_at is not None
        and job.finished_at < version.adopted_at
    )


def _readable(job: RenderJob, user: Any) -> bool:
    """A verksamhetsberättelse is public once fastställd, and internal until then (the
    secretariat reads every one); the public gets the PDF rendered after the decision,
    never the draft's."""
    version = _version(job)
    return (
        version.is_adopted
        and version.adopted_at is not None
        and job.created_at >= version.adopted_at
    )


def _subject(job: RenderJob) -> renderers.Subject:
    version = _version(job)
    return renderers.Subject(
        label=str(_("Verksamhetsberättelse")),
        text=f"{version.report.year}, {_('version')} {version.number}",
        url=version.get_absolute_url(),
    )


def register_renderers() -> None:
    """Called when the app is ready (``FollowupsConfig.ready``)."""
    renderers.register(
        RenderJob.Kind.REPORT,
        _report,
        is_stale=_rendered_before_adoption,
        readable=_readable,
        file_name=lambda job: _version(job).file_name,
        subject=_subject,
    )
