"""What the portal accepts as a stored file: an allow-list of types, checked by the
file's content and not its name, and a size limit (``SAMVERKAN_MAX_UPLOAD_BYTES``)."""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

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


@dataclass(frozen=True)
class UploadInfo:
    content_type: str
    extension: str
    size: int
    sha256: str


def allowed_extensions() -> list[str]:
    return sorted({ext for exts in ALLOWED_TYPES.values() for ext in exts})


def _sniff_zip(stream: IO[bytes]) -> str | None:
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                return None  # macro-enabled documents are refused
            if "mimetype" in names:
                mimetype = archive.read("mimetype").strip()
                return mimetype.decode() if mimetype in _ODF_TYPES else None
            if "[Content_Types].xml" in names:
                for part, content_type in _OOXML_PARTS.items():
                    if part in names:
                        return content_type
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    return None


def sniff_content_type(stream: IO[bytes]) -> str | None:
    """The allowed type the bytes are, or None. Reads from the start of ``stream``."""
    stream.seek(0)
    head = stream.read(16)
    stream.seek(0)
    if head.startswith(b"%PDF-"):
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
    content_type = sniff_content_type(upload)
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
