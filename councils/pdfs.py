"""PDF rendering: one function per document, an HTML template per document under
``templates/councils/pdf/``, fonts shipped in ``static/fonts``, WeasyPrint imported
lazily. PDFs are PDF/A-2a and PDF/UA-1: archival and tagged, with language ``sv``, a
title shown as the window title, bookmarks for the headings and alternative text for
the charts; the tests check each kind with a PDF/UA-1 and a PDF/A-2a validator."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from base import pdf_streams
from councils import renderers
from councils.models import AgendaItem, Body, Meeting, Paragraph, Protocol, RenderJob

PDF_VARIANT = "pdf/a-2a"

# PDF/A accepts XMP properties outside its own schemas only when the packet declares
# them: this declares PDF/UA's identification (ISO 14289-1, 5).
EXTENSION_NAMESPACES = {
    "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
    "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#",
}
PDFUA_EXTENSION_SCHEMA = """
<rdf:Description rdf:about=""
    xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
    xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
    xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
  <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
    <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
    <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
    <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
    <pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
      <pdfaProperty:name>part</pdfaProperty:name>
      <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
      <pdfaProperty:category>internal</pdfaProperty:category>
      <pdfaProperty:description>Part of ISO 14289 the file conforms to</pdfaProperty:description>
    </rdf:li></rdf:Seq></pdfaSchema:property>
  </rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>"""


def _font(name: str) -> str:
    path = finders.find(f"fonts/{name}")
    assert isinstance(path, str), name
    return f"file://{path}"


def _accessible_metadata(metadata: Any) -> Any:
    """WeasyPrint's metadata, written the way both standards ask: the PDF/A variant
    writes the PDF/A identification; PDF/UA-1 also wants its own (``pdfuaid:part``)
    in the same XMP packet, and PDF/A wants the packet's stream unfiltered."""
    from xml.etree.ElementTree import fromstring, register_namespace, tostring

    from weasyprint.pdf.metadata import NS, DocumentMetadata

    for prefix, uri in EXTENSION_NAMESPACES.items():  # validators read the prefixes
        register_namespace(prefix, uri)

    class AccessibleMetadata(DocumentMetadata):
        def include_in_pdf(
            self, pdf: Any, variant: Any, version: Any, conformance: Any, compress: Any
        ) -> None:
            super().include_in_pdf(pdf, variant, version, conformance, compress=False)

        def generate_rdf_metadata(self, variant: Any, version: Any, conformance: Any) -> bytes:
            rdf = fromstring(  # noqa: S314 - WeasyPrint's own XMP, not input
                super().generate_rdf_metadata(variant, version, conformance)
            )
            description = rdf.find(f"{{{NS['rdf']}}}Description")
            assert description is not None
            description.set(f"{{{NS['pdfuaid']}}}part", "1")
            rdf.append(fromstring(PDFUA_EXTENSION_SCHEMA))  # noqa: S314 - our constant
            return bytes(tostring(rdf))

    accessible = AccessibleMetadata()
    accessible.__dict__.update(vars(metadata))
    return accessible


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # heavy: only the worker and the demo loader need it

    pdf_streams.pydyf_streams()
    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render(pdf_variant=PDF_VARIANT)
    document.metadata = _accessible_metadata(document.metadata)
    return bytes(document.write_pdf(pdf_variant=PDF_VARIANT))


def seal_context() -> dict[str, Any]:
    """What a sealed PDF says of its seal: the holder, where to verify it, whether it
    is the demonstration seal."""
    from base.seal import keys

    key = keys.certificates()
    return {
        "holder": key.holder,
        "level": key.level,
        "demo": key.demo,
        "verify_url": settings.SAMVERKAN_BASE_URL + reverse("councils:verify"),
    }


def render_html(template: str, *, title: str, context: dict[str, Any], sealed: bool = False) -> str:
    if sealed:
        context = {**context, "seal": seal_context()}
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


def _approvals(protocol: Protocol | None) -> list[Any]:
    """The signatories' approvals for the justeringsintyg, the chair first."""
    if protocol is None or not protocol.is_approved:
        return []
    approvals = list(protocol.approvals.select_related("person").order_by("decided_at"))
    for approval in approvals:
        approval.is_chair = approval.person_id == protocol.chair_id  # type: ignore[attr-defined]
    return sorted(approvals, key=lambda a: not a.is_chair)


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
            # Until justerat it is a draft, and says so on every page; the final is
            # rendered anew once justerat (its job is stale until then), and sealed.
            "draft": "" if protocol.is_approved else "Utkast – inte justerat",
            "approvals": _approvals(protocol),
        },
        sealed=bool(protocol_seal_reason(protocol)),
    )
    return html_to_pdf(html)


def extract_pdf(paragraph: Paragraph) -> bytes:
    meeting = paragraph.meeting
    protocol = Protocol.objects.filter(meeting=meeting).first()
    html = render_html(
        "councils/pdf/extract.html",
        title=(
            f"Protokollsutdrag {meeting.body.name} {meeting.starts_at:%Y-%m-%d} "
            f"§ {paragraph.number}"
        ),
        context={
            "paragraph": paragraph,
            "meeting": meeting,
            "protocol": protocol,
            "approvals": _approvals(protocol),
        },
        sealed=bool(extract_seal_reason(paragraph)),
    )
    return html_to_pdf(html)


def kallelse_pdf(meeting: Meeting, *, internal: bool, title: str | None = None) -> bytes:
    items = meeting.agenda_items.select_related("case", "presenter").order_by("position")
    if not internal:
        items = items.filter(public=True)
    rows = []
    for item in items:
        item.shown_title = item.title_for(internal=internal)  # type: ignore[attr-defined]
        rows.append(item)
    html = render_html(
        "councils/pdf/kallelse.html",
        title=title or f"Kallelse {meeting.body.name} {meeting.starts_at:%Y-%m-%d}",
        context={
            "meeting": meeting,
            "items": rows,
            # Before it is sent, a kallelse is a preview, and says so on every page.
            "draft": "Förhandsversion – kallelsen är inte utskickad"
            if meeting.status == Meeting.Status.PLANNED and meeting.kallelse_sent_at is None
            else "",
        },
        sealed=bool(kallelse_seal_reason(meeting)),
    )
    return html_to_pdf(html)


def protocol_seal_reason(protocol: Protocol | None) -> str:
    """A justerat protocol is issued under the organisation's seal (its PDF's seal box
    and its seal both follow this)."""
    return "Justerat protokoll" if protocol is not None and protocol.is_approved else ""


def extract_seal_reason(paragraph: Paragraph) -> str:
    """A justerad §'s extract is certified under the seal."""
    return "Rätt utdraget intygas" if paragraph.approved_at is not None else ""


def kallelse_seal_reason(meeting: Meeting) -> str:
    """A formal body's kallelse, once sent, is issued under the organisation's seal."""
    formal = meeting.body.procedure == Body.Procedure.FORMAL
    return "Kallelse" if formal and meeting.kallelse_sent_at is not None else ""


def packet_pdf(meeting: Meeting) -> bytes:
    """The meeting packet: the full agenda (with its headings' bookmarks), then each
    item's PDF documents in order, with a bookmark per item and per document.
    Documents in other formats (Word, images) are not joined; they stay downloadable
    from the meeting page.

    The agenda is our own tagged PDF and the packet starts as a copy of it (language,
    title, PDF/A and PDF/UA metadata). A joined document that is itself tagged keeps
    its structure: its tag tree becomes a part of the packet's, so the packet is as
    accessible as the documents in it; an untagged upload is joined as it was
    uploaded (its document page says so)."""
    import io

    from pypdf import PdfReader, PdfWriter

    title = f"Handlingar {meeting.body.name} {meeting.starts_at:%Y-%m-%d}"
    writer = PdfWriter(
        clone_from=PdfReader(io.BytesIO(kallelse_pdf(meeting, internal=True, title=title)))
    )
    items = meeting.agenda_items.select_related("case").prefetch_related("documents")
    for item in items.order_by("position"):
        documents = [
            d
            for d in sorted(item.documents.all(), key=lambda d: d.sequence)
            if d.content_type == "application/pdf" and d.file
        ]
        if not documents:
            continue
        item_title = item.title_for(internal=True)  # the packet is for closed-item readers
        parent = writer.add_outline_item(
            title=f"{item.position}. {item_title}", page_number=len(writer.pages)
        )
        for document in documents:
            with document.file.open("rb") as handle:
                reader = PdfReader(io.BytesIO(handle.read()))
            start = len(writer.pages)
            writer.append(reader, import_outline=False)
            graft_structure(writer, reader, first_page=start, title=document.subject)
            writer.add_outline_item(title=document.subject, page_number=start, parent=parent)
    writer.page_mode = "/UseOutlines"
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def is_tagged(reader: Any) -> bool:
    """A tagged PDF: marked as such, with a structure tree (ISO 32000-1, 14.8)."""
    root = reader.root_object
    mark_info = root.get("/MarkInfo")
    return bool("/StructTreeRoot" in root and mark_info and mark_info.get("/Marked"))


def graft_structure(writer: Any, reader: Any, *, first_page: int, title: str) -> bool:
    """Make the structure tree of a tagged PDF just appended to ``writer`` (its pages
    start at ``first_page``) a ``Part`` of the writer's own tree: its elements are
    copied (pypdf maps their page references to the appended pages), its parent tree
    entries move to keys after the writer's, and the pages and annotations point to
    the moved keys. Returns False, changing nothing, for an untagged PDF."""
    from pypdf.generic import (
        ArrayObject,
        DictionaryObject,
        NameObject,
        NumberObject,
        TextStringObject,
    )

    if not is_tagged(reader) or not is_tagged(writer):
        return False
    source = reader.root_object["/StructTreeRoot"].get_object()
    target = writer.root_object["/StructTreeRoot"].get_object()
    target_nums = target["/ParentTree"].get_object()["/Nums"]
    offset = (
        max(
            [int(key) for key in target_nums[0::2]] + [int(target.get("/ParentTreeNextKey", 0)) - 1]
        )
        + 1
    )

    top = target.raw_get("/K")
    top = top[0] if isinstance(top, ArrayObject) else top
    document = top.get_object()
    if not isinstance(document.get("/K"), ArrayObject):
        document[NameObject("/K")] = ArrayObject([document.raw_get("/K")])
    part = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/StructElem"),
            NameObject("/S"): NameObject("/Part"),
            NameObject("/T"): TextStringObject(title),
            NameObject("/P"): top,
            NameObject("/K"): (part_kids := ArrayObject()),
        }
    )
    part_reference = writer._add_object(part)
    kids = source.raw_get("/K")
    for kid in kids if isinstance(kids, ArrayObject) else [kids]:
        copied = kid.clone(writer)
        copied.get_object()[NameObject("/P")] = part_reference
        part_kids.append(copied)
    document["/K"].append(part_reference)

    if "/RoleMap" in source:
        role_map = target.setdefault(NameObject("/RoleMap"), DictionaryObject())
        for role, standard in source["/RoleMap"].items():
            role_map.setdefault(NameObject(role), standard.clone(writer))

    source_nums = _flatten_number_tree(source["/ParentTree"].get_object())
    next_key = offset
    for key, value in source_nums:
        target_nums.append(NumberObject(key + offset))
        target_nums.append(value.clone(writer))
        next_key = max(next_key, key + offset + 1)
    target[NameObject("/ParentTreeNextKey")] = NumberObject(next_key)
    for page in writer.pages[first_page : first_page + len(reader.pages)]:
        if "/StructParents" in page:
            page[NameObject("/StructParents")] = NumberObject(int(page["/StructParents"]) + offset)
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if "/StructParent" in annotation:
                annotation[NameObject("/StructParent")] = NumberObject(
                    int(annotation["/StructParent"]) + offset
                )
    return True


def _flatten_number_tree(node: Any) -> list[tuple[int, Any]]:
    """The (key, value) pairs of a PDF number tree, from its leaves in key order."""
    pairs: list[tuple[int, Any]] = []
    if "/Nums" in node:
        nums = node["/Nums"]
        pairs.extend((int(nums[i]), nums[i + 1]) for i in range(0, len(nums), 2))
    for kid in node.get("/Kids") or []:
        pairs.extend(_flatten_number_tree(kid.get_object()))
    return pairs


# --- The render jobs' PDF kinds of this app -------------------------------------------------


def _meeting_of(job: RenderJob) -> Meeting:
    if job.meeting is None:
        raise ValueError(f"render job {job.pk} has no meeting")
    return job.meeting


def _agenda_changed_since(job: RenderJob) -> bool:
    """A kallelse or packet is stale once the meeting or its agenda changed after it."""
    meeting = _meeting_of(job)
    latest = meeting.history.order_by("-history_date").first()
    items = AgendaItem.history.filter(meeting_id=meeting.pk).order_by("-history_date").first()
    changes = [h.history_date for h in (latest, items) if h is not None]
    assert job.finished_at is not None
    return any(moment > job.finished_at for moment in changes)


def _protocol_not_final(job: RenderJob) -> bool:
    """A protocol's PDF is final once the protocol is justerat and the PDF was rendered
    as such (the final is sealed; a copy rendered before justering is not)."""
    protocol = Protocol.objects.filter(meeting=_meeting_of(job)).first()
    return protocol is None or not protocol.is_approved or not job.is_sealed


def _paragraph_not_final(job: RenderJob) -> bool:
    return job.paragraph is None or job.paragraph.approved_at is None or not job.is_sealed


def _extract(job: RenderJob) -> renderers.Rendered:
    _meeting_of(job)
    assert job.paragraph is not None
    return renderers.Rendered(extract_pdf(job.paragraph), extract_seal_reason(job.paragraph))


def _protocol(job: RenderJob) -> renderers.Rendered:
    protocol = _meeting_of(job).protocol
    return renderers.Rendered(
        protocol_pdf(protocol, internal=job.internal), protocol_seal_reason(protocol)
    )


def _kallelse(job: RenderJob) -> renderers.Rendered:
    meeting = _meeting_of(job)
    return renderers.Rendered(
        kallelse_pdf(meeting, internal=job.internal), kallelse_seal_reason(meeting)
    )


def register_renderers() -> None:
    """Called when the app is ready (``CouncilsConfig.ready``)."""
    Kind = RenderJob.Kind
    renderers.register(Kind.PROTOCOL, _protocol, is_stale=_protocol_not_final)
    renderers.register(Kind.EXTRACT, _extract, is_stale=_paragraph_not_final)
    renderers.register(
        Kind.PACKET,
        lambda job: renderers.Rendered(packet_pdf(_meeting_of(job))),
        is_stale=_agenda_changed_since,
    )
    renderers.register(Kind.KALLELSE, _kallelse, is_stale=_agenda_changed_since)
