"""Small real files of each kind, made in memory."""

from __future__ import annotations

import io
import zipfile
from typing import Any


def pdf_bytes(text: str = "Samverkan") -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Title": text})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def png_bytes() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


HTML_BYTES = b"<!DOCTYPE html><html><script>alert(1)</script></html>"


def pdf_with(entries: dict[str, Any]) -> bytes:
    """A one-page PDF whose catalogue carries ``entries`` (e.g. an /OpenAction)."""
    from pypdf import PdfWriter
    from pypdf.generic import NameObject

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    for key, value in entries.items():
        writer._root_object[NameObject(key)] = writer._add_object(value)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def office_bytes(parts: dict[str, bytes | str], *, kind: str = "word") -> bytes:
    """An OOXML package with the given parts beside a minimal main document."""
    main = {"word": "word/document.xml", "xl": "xl/workbook.xml"}[kind]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", parts.pop("[Content_Types].xml", "<Types/>"))
        archive.writestr(main, "<document/>")
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def bomb_pdf(inflated: int) -> bytes:
    """A small PDF whose cross-reference stream (FlateDecode) inflates to ``inflated``
    bytes of zeros: the probe's decompression bomb (16 MB from 16 KB)."""
    import zlib

    body = zlib.compress(b"\0" * inflated, 9)
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    for number, data in enumerate(
        (
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        ),
        start=1,
    ):
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, data))
    xref_at = out.tell()
    out.write(
        b"4 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Filter /FlateDecode "
        b"/Length %d >>\nstream\n" % (inflated // 7, len(body))
    )
    out.write(body)
    out.write(b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_at)
    return out.getvalue()


def text_office_bytes(kind: str, xml: str) -> bytes:
    """A DOCX, XLSX or ODT whose text part is ``xml`` (the body of its main part)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        if kind == "odt":
            archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
            archive.writestr(
                "content.xml",
                '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:'
                'xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
                f"<office:body><office:text>{xml}</office:text></office:body>"
                "</office:document-content>",
            )
            archive.writestr("META-INF/manifest.xml", "<manifest/>")
        elif kind == "docx":
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr(
                "word/document.xml",
                '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/'
                f'main"><w:body>{xml}</w:body></w:document>',
            )
        else:  # xlsx
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("xl/workbook.xml", "<workbook/>")
            archive.writestr(
                "xl/sharedStrings.xml",
                '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                f"{xml}</sst>",
            )
    return out.getvalue()
