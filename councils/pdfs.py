"""PDF rendering: one function per document, an HTML template per document under
``templates/councils/pdf/``, fonts shipped in ``static/fonts``, WeasyPrint imported
lazily. PDFs are PDF/A-2a: archival and tagged, with language ``sv`` and a title."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation

from councils.models import Meeting, Paragraph, Protocol

PDF_VARIANT = "pdf/a-2a"


def _font(name: str) -> str:
    path = finders.find(f"fonts/{name}")
    assert isinstance(path, str), name
    return f"file://{path}"


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # heavy: only the worker and the demo loader need it

    return bytes(
        HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant=PDF_VARIANT)
    )


def render_html(template: str, *, title: str, context: dict[str, Any]) -> str:
    with translation.override("sv"):
        return render_to_string(
            template,
            {
                "title": title,
                "author": settings.SAMVERKAN_OWNER,
                "footer": f"{settings.SAMVERKAN_SITE_NAME} · {timezone.localdate():%Y-%m-%d}",
                "font_regular": _font("DejaVuSans.ttf"),
                "font_bold": _font("DejaVuSans-Bold.ttf"),
                **context,
            },
        )


def _paragraphs(meeting: Meeting, *, internal: bool) -> Any:
    paragraphs = meeting.paragraphs.select_related("case").prefetch_related(
        "conflicts", "votes__person"
    )
    return paragraphs if internal else paragraphs.filter(public=True)


def protocol_pdf(protocol: Protocol, *, internal: bool) -> bytes:
    meeting = protocol.meeting
    paragraphs = list(_paragraphs(meeting, internal=internal))
    paragraph_range = f"§ {paragraphs[0].number}–{paragraphs[-1].number}" if paragraphs else "–"
    html = render_html(
        "councils/pdf/protocol.html",
        title=f"Protokoll {meeting.body.name} {meeting.starts_at:%Y-%m-%d}",
        context={
            "protocol": protocol,
            "meeting": meeting,
            "paragraphs": paragraphs,
            "paragraph_range": paragraph_range,
            "attendance": meeting.attendance.select_related(
                "person", "serving_for"
            ).in_role_order(),
        },
    )
    return html_to_pdf(html)


def extract_pdf(paragraph: Paragraph) -> bytes:
    meeting = paragraph.meeting
    html = render_html(
        "councils/pdf/extract.html",
        title=(
            f"Protokollsutdrag {meeting.body.name} {meeting.starts_at:%Y-%m-%d} "
            f"§ {paragraph.number}"
        ),
        context={
            "paragraph": paragraph,
            "meeting": meeting,
            "protocol": Protocol.objects.filter(meeting=meeting).first(),
        },
    )
    return html_to_pdf(html)


def kallelse_pdf(meeting: Meeting, *, internal: bool) -> bytes:
    items = meeting.agenda_items.select_related("case", "presenter").order_by("position")
    if not internal:
        items = items.filter(public=True)
    rows = []
    for item in items:
        item.shown_title = item.title or (  # type: ignore[attr-defined]
            (item.case.public_title or item.case.title)
            if not internal and item.case
            else (item.case.title if item.case else "")
        )
        rows.append(item)
    html = render_html(
        "councils/pdf/kallelse.html",
        title=f"Kallelse {meeting.body.name} {meeting.starts_at:%Y-%m-%d}",
        context={"meeting": meeting, "items": rows},
    )
    return html_to_pdf(html)


def packet_pdf(meeting: Meeting) -> bytes:
    """The meeting packet: the full agenda, then each item's PDF documents in order,
    with a bookmark per item and per document. Documents in other formats (Word,
    images) are not joined; they stay downloadable from the meeting page."""
    import io

    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    writer = PdfWriter()
    agenda = PdfReader(io.BytesIO(kallelse_pdf(meeting, internal=True)))
    writer.append(agenda, import_outline=False)
    writer.add_outline_item(title="Föredragningslista", page_number=0)
    items = meeting.agenda_items.select_related("case").prefetch_related("documents")
    for item in items.order_by("position"):
        documents = [
            d
            for d in sorted(item.documents.all(), key=lambda d: d.sequence)
            if d.content_type == "application/pdf" and d.file
        ]
        if not documents:
            continue
        title = item.title or (item.case.title if item.case else "")
        parent = writer.add_outline_item(
            title=f"{item.position}. {title}", page_number=len(writer.pages)
        )
        for document in documents:
            with document.file.open("rb") as handle:
                reader = PdfReader(io.BytesIO(handle.read()))
            start = len(writer.pages)
            writer.append(reader, import_outline=False)
            writer.add_outline_item(title=document.subject, page_number=start, parent=parent)
    writer.add_metadata(
        {
            "/Title": f"Handlingar {meeting.body.name} {meeting.starts_at:%Y-%m-%d}",
            "/Author": settings.SAMVERKAN_OWNER,
        }
    )
    writer._root_object[NameObject("/Lang")] = TextStringObject("sv")
    writer.page_mode = "/UseOutlines"
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
