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
