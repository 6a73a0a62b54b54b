"""The text of a stored handling's file, in every format the portal accepts, for search
and for the personal-data check before publication (``Document.text``).

PDF through pypdf; the office formats (DOCX, XLSX, PPTX, ODT, ODS) are ZIP archives
of XML, whose text nodes are read in document order with a line break after each
paragraph, cell or row: a number split over several runs of a paragraph is read
whole. Images carry no text the portal reads. The caller runs this within bounds
(``base.bounded``): what a file unpacks to is its own business until then.
"""

from __future__ import annotations

import fnmatch
import io
import zipfile

from councils import uploads

#: Elements after which a line ends: paragraphs, headings, table cells and rows,
#: list items, shared strings, slides' text bodies (by local name, any namespace).
_BREAKS = frozenset(
    {"p", "h", "tc", "tr", "c", "row", "si", "table-cell", "table-row", "list-item", "br", "cr"}
)
#: Elements that stand for white space (ODF's text:s and text:tab, OOXML's w:tab).
_SPACES = frozenset({"s", "tab", "space"})

#: The parts of each office format that hold its text.
_PARTS: dict[str, tuple[str, ...]] = {
    uploads.DOCX: (
        "word/document.xml",
        "word/header*.xml",
        "word/footer*.xml",
        "word/footnotes.xml",
        "word/endnotes.xml",
        "word/comments.xml",
    ),
    uploads.XLSX: ("xl/sharedStrings.xml", "xl/worksheets/*.xml", "xl/comments*.xml"),
    uploads.PPTX: ("ppt/slides/*.xml", "ppt/notesSlides/*.xml", "ppt/comments/*.xml"),
    uploads.ODT: ("content.xml", "styles.xml"),
    uploads.ODS: ("content.xml", "styles.xml"),
}


def read_text(data: bytes, content_type: str) -> str:
    """The text of a file of ``content_type``; "" for a type without text (an image)."""
    if content_type == uploads.PDF:
        return _pdf_text(data)
    if content_type in _PARTS:
        return _office_text(data, _PARTS[content_type])
    if content_type.startswith("text/"):
        return data.decode("utf-8", errors="replace")
    return ""


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def _office_text(data: bytes, patterns: tuple[str, ...]) -> str:
    texts = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = sorted(archive.namelist())
        for pattern in patterns:
            for name in fnmatch.filter(names, pattern):
                texts.append(_xml_text(archive.read(name)))
    return "\n".join(text for text in texts if text)


def _xml_text(xml: bytes) -> str:
    """The text nodes of an XML part in document order, a line break after each block
    element. No entity is resolved and nothing is fetched."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    root = etree.fromstring(xml, parser)
    out: list[str] = []
    for event, element in etree.iterwalk(root, events=("start", "end")):
        if not isinstance(element.tag, str):  # a comment or processing instruction
            continue
        name = etree.QName(element).localname
        if event == "start":
            if name in _SPACES:
                out.append(" ")
            if element.text:
                out.append(element.text)
        else:
            if name in _BREAKS:
                out.append("\n")
            if element.tail and element.getparent() is not None:
                out.append(element.tail)
    return "".join(out).strip()
