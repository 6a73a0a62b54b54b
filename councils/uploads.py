"""What the portal accepts as a stored file: an allow-list of types, checked by the
file's content and not its name, and a size limit (``SAMVERKAN_MAX_UPLOAD_BYTES``).

Uploads become public documents, so an allowed type is also refused when it carries
active content: a PDF with JavaScript, launch actions or embedded files; any file with
HTML where a browser looks for it (a polyglot); an office file with macros or embedded
programs (by content type, whatever the part is named), with an external relationship
other than a hyperlink (fetched when opened), or that unpacks to far more than its size.
Parts are read in bounded chunks, so checking a file never takes much memory; a PDF's
structure is read in a child process within fixed bounds (``base.bounded``)."""

from __future__ import annotations

import hashlib
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from base import bounded

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"

#: The allowed types and the file-name endings each may carry.
ALLOWED_TYPES: dict[str, tuple[str, ...]] = {
    PDF: (".pdf",),
    PNG: (".png",),
    JPEG: (".jpg", ".jpeg"),
    DOCX: (".docx",),
    XLSX: (".xlsx",),
    PPTX: (".pptx",),
    ODT: (".odt",),
    ODS: (".ods",),
}

_OOXML_PARTS = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX, "ppt/presentation.xml": PPTX}
_ODF_TYPES = {ODT.encode(), ODS.encode()}

#: An office file may unpack to at most this many bytes in all, and no part may be more
#: than this many times its packed size (a "zip bomb" is small packed and huge unpacked).
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100
#: The parts read to recognise an office file are small XML; more is refused.
_MAX_PART_READ = 4 * 1024 * 1024
#: Browsers look at the first 1 024 bytes to guess a type: no HTML may be there.
_SNIFF_WINDOW = 1024
_HTML_MARKERS = re.compile(
    rb"<\s*(?:!doctype|html|head|body|script|iframe|svg|img|object|embed|a\s|meta|link|style)",
    re.IGNORECASE,
)
#: Content types in [Content_Types].xml that mean macros or embedded programs.
_ACTIVE_OOXML = re.compile(r"macroEnabled|vbaProject|vbaData|activeX|oleObject", re.IGNORECASE)
_EXTERNAL_TARGET = re.compile(rb"""TargetMode\s*=\s*["']External["']""", re.IGNORECASE)
_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>", re.IGNORECASE)
_HYPERLINK_TYPE = re.compile(rb"""Type\s*=\s*["'][^"']*/hyperlink["']""", re.IGNORECASE)
#: PDF names that carry active content: scripts, actions that start programs or fetch
#: data, embedded files and multimedia.
_ACTIVE_PDF_KEYS = {
    "/JS",
    "/JavaScript",
    "/Launch",
    "/EmbeddedFile",
    "/EmbeddedFiles",
    "/RichMedia",
}
_ACTIVE_PDF_ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/RichMediaExecute", "/GoToE"}
_PDF_NAME = re.compile(rb"/[^\s/<>\[\]()%{}]+")


@dataclass(frozen=True)
class UploadInfo:
    content_type: str
    extension: str
    size: int
    sha256: str


class Refused(Exception):
    """The file is of an allowed type but carries something the portal does not take."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message, self.code = message, code


def allowed_extensions() -> list[str]:
    return sorted({ext for exts in ALLOWED_TYPES.values() for ext in exts})


def _read_part(archive: zipfile.ZipFile, name: str, limit: int = _MAX_PART_READ) -> bytes:
    """A member's bytes, read in chunks and never more than ``limit``."""
    chunks, total = [], 0
    with archive.open(name) as member:
        while chunk := member.read(64 * 1024):
            total += len(chunk)
            if total > limit:
                raise Refused(_("The file contains a part too large to check."), "part_too_large")
            chunks.append(chunk)
    return b"".join(chunks)


def _check_zip_sizes(archive: zipfile.ZipFile) -> None:
    total = 0
    for info in archive.infolist():
        total += info.file_size
        packed = max(info.compress_size, 1)
        if total > MAX_UNPACKED_BYTES or (
            info.file_size > 1024 * 1024 and info.file_size / packed > MAX_RATIO
        ):
            raise Refused(
                _(
                    "The file unpacks to far more than its size (%(size)s); such files are "
                    "refused. Save it again from the program that made it."
                )
                % {"size": filesizeformat(total)},
                "zip_bomb",
            )


def _check_ooxml(archive: zipfile.ZipFile, names: set[str]) -> None:
    types = _read_part(archive, "[Content_Types].xml").decode("utf-8", "replace")
    if _ACTIVE_OOXML.search(types) or any(n.lower().endswith("vbaproject.bin") for n in names):
        raise Refused(
            _(
                "The document contains macros or embedded programs, which are not accepted. "
                "Save it as an ordinary document (.docx, .xlsx, .pptx) without them."
            ),
            "macros",
        )
    for name in sorted(n for n in names if n.endswith(".rels")):
        for relationship in _RELATIONSHIP.findall(_read_part(archive, name)):
            if _EXTERNAL_TARGET.search(relationship) and not _HYPERLINK_TYPE.search(relationship):
                raise Refused(
                    _(
                        "The document fetches content from another address when it is "
                        "opened (an external template, picture or object). Save a copy "
                        "with everything embedded and try again."
                    ),
                    "external_relationship",
                )


def _check_odf(names: set[str]) -> None:
    if any(name.startswith(("Basic/", "Scripts/")) for name in names):
        raise Refused(
            _(
                "The document contains macros, which are not accepted. Save it as an "
                "ordinary document without them."
            ),
            "macros",
        )


def _sniff_zip(stream: IO[bytes]) -> str | None:
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                raise Refused(
                    _(
                        "The document contains macros or embedded programs, which are not "
                        "accepted. Save it as an ordinary document (.docx, .xlsx, .pptx) "
                        "without them."
                    ),
                    "macros",
                )
            _check_zip_sizes(archive)
            if "mimetype" in names:
                mimetype = _read_part(archive, "mimetype", limit=200).strip()
                if mimetype not in _ODF_TYPES:
                    return None
                _check_odf(names)
                return mimetype.decode()
            if "[Content_Types].xml" in names:
                for part, content_type in _OOXML_PARTS.items():
                    if part in names:
                        _check_ooxml(archive, names)
                        return content_type
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, NotImplementedError):
        return None
    return None


def _pdf_name(token: bytes) -> str:
    """A PDF name with its #xx escapes decoded (/J#61vaScript is /JavaScript)."""
    return re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m[1], 16)]), token).decode("latin-1")


def _pdf_is_active_by_bytes(stream: IO[bytes]) -> bool:
    stream.seek(0)
    carry = b""
    for chunk in iter(lambda: stream.read(1024 * 1024), b""):
        data = carry + chunk
        if any(_pdf_name(t) in _ACTIVE_PDF_KEYS for t in _PDF_NAME.findall(data)):
            return True
        carry = data[-64:]
    return False


def _pdf_is_active_by_structure(stream: IO[bytes]) -> bool:
    """Every object of the file, compressed object streams included, read by pypdf."""
    from pypdf import PdfReader
    from pypdf.generic import DictionaryObject, IndirectObject

    stream.seek(0)
    reader = PdfReader(stream, strict=False)
    ids = [(num, gen) for gen, objects in reader.xref.items() for num in objects]
    ids += [(num, 0) for num in reader.xref_objStm]
    for num, gen in ids:
        obj = reader.get_object(IndirectObject(num, gen, reader))
        if not isinstance(obj, DictionaryObject):
            continue
        if _ACTIVE_PDF_KEYS.intersection(obj.keys()):
            return True
        if obj.get("/S") in _ACTIVE_PDF_ACTIONS:
            return True
    return False


def _check_pdf(stream: IO[bytes]) -> None:
    active = _pdf_is_active_by_bytes(stream)
    if not active:
        try:  # pypdf inflates what the file says: within the request's bounds
            active = bounded.run(
                _pdf_is_active_by_structure, stream, bounds=bounded.Bounds.for_requests()
            )
        except bounded.LimitExceeded as limit:
            stream.seek(0)
            raise Refused(
                _(
                    "Reading the PDF needed more than %(seconds)s seconds or %(memory)s MB "
                    "of memory (it unpacks to far more than its size), so it is not "
                    "accepted. Print it to a new PDF, or export it as PDF/A, and try again."
                )
                % {
                    "seconds": f"{limit.bounds.seconds:g}",
                    "memory": limit.bounds.memory_bytes // bounded.MIB,
                },
                "parse_limit",
            ) from limit
        except Exception:  # a PDF pypdf cannot read is judged by its bytes alone
            active = False
    stream.seek(0)
    if active:
        raise Refused(
            _(
                "The PDF contains active content (JavaScript, actions that start programs, "
                "or embedded files), which is not accepted. Print it to a new PDF, or "
                "export it as PDF/A, and try again."
            ),
            "active_content",
        )


def sniff_content_type(stream: IO[bytes]) -> str | None:
    """The allowed type the bytes are, or None. Reads from the start of ``stream``.
    Raises ``Refused`` for an allowed type carrying what the portal does not take."""
    stream.seek(0)
    window = stream.read(_SNIFF_WINDOW)
    stream.seek(0)
    head = window[:16]
    if _HTML_MARKERS.search(window):
        if head.startswith((b"%PDF-", b"\x89PNG", b"\xff\xd8\xff", b"PK\x03\x04")):
            raise Refused(
                _(
                    "The file also reads as a web page (it has HTML at its start), which is "
                    "not accepted. Save or print it again from the program that made it."
                ),
                "polyglot",
            )
        return None
    if head.startswith(b"%PDF-"):
        _check_pdf(stream)
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        found = _sniff_zip(stream)
        stream.seek(0)
        return found
    return None


def inspect_upload(upload: IO[bytes], *, name: str, size: int) -> UploadInfo:
    """Check an uploaded file and describe it, or raise a ValidationError saying why not."""
    limit = settings.SAMVERKAN_MAX_UPLOAD_BYTES
    if size > limit:
        raise ValidationError(
            _("The file is %(size)s; the largest file accepted is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    extension = PurePath(name).suffix.lower()
    try:
        content_type = sniff_content_type(upload)
    except Refused as refusal:
        raise ValidationError(refusal.message, code=refusal.code) from refusal
    if content_type is None:
        raise ValidationError(
            _("This type of file is not accepted. Accepted types: %(types)s.")
            % {"types": ", ".join(allowed_extensions())},
            code="type_not_allowed",
        )
    if extension not in ALLOWED_TYPES[content_type]:
        raise ValidationError(
            _(
                "The file's name ends in “%(extension)s” but its content is of another "
                "type (%(expected)s). Rename or convert the file and try again."
            )
            % {"extension": extension or "–", "expected": ", ".join(ALLOWED_TYPES[content_type])},
            code="extension_mismatch",
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in iter(lambda: upload.read(1024 * 1024), b""):
        digest.update(chunk)
    upload.seek(0)
    return UploadInfo(
        content_type=content_type, extension=extension, size=size, sha256=digest.hexdigest()
    )
