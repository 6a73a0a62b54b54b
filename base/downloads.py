"""A stored file sent as an answer: streamed from its storage, with what a client that
mirrors files needs (``ETag``, ``Last-Modified``; OParl 2.7 recommends them) and a
``304 Not Modified`` when it already holds this version (``If-None-Match``,
``If-Modified-Since``). The caller has passed the file's gate before."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpRequest
from django.http.response import HttpResponseBase
from django.utils.cache import get_conditional_response
from django.utils.http import http_date


def stored_file_response(
    request: HttpRequest,
    file: FieldFile,
    *,
    attachment: bool,
    filename: str,
    content_type: str,
    sha256: str,
    changed: datetime.datetime | None,
) -> HttpResponseBase:
    """``file`` as the answer: its checksum is its entity tag (a new version, new bytes,
    a new tag); ``changed`` (when this version was stored) its ``Last-Modified``."""
    etag = f'"{sha256}"' if sha256 else None
    stamp = int(changed.timestamp()) if changed is not None else None
    early = get_conditional_response(request, etag=etag, last_modified=stamp)
    response: HttpResponseBase
    if early is not None:
        response = early
    else:
        stream, size = open_stream(file)
        response = FileResponse(
            stream, as_attachment=attachment, filename=filename, content_type=content_type
        )
        if size is not None:
            response["Content-Length"] = str(size)
    if etag is not None:
        response["ETag"] = etag
    if stamp is not None:
        response["Last-Modified"] = http_date(stamp)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def open_stream(file: FieldFile) -> tuple[Any, int | None]:
    """The stored file opened for sending, read block by block as it goes out, and its
    size where the stream cannot tell it: from disk, the file itself; from an S3
    bucket, the object's body as S3 sends it (the storage's own file would first copy
    the whole object)."""
    storage = file.storage
    if getattr(storage, "bucket_name", None):
        from storages.utils import clean_name

        found = storage.connection.meta.client.get_object(  # type: ignore[attr-defined]
            Bucket=storage.bucket_name,  # type: ignore[attr-defined]
            Key=storage._normalize_name(clean_name(file.name)),  # type: ignore[attr-defined]
        )
        return found["Body"], int(found["ContentLength"])
    return file.open("rb"), None


def stored_at(file: FieldFile) -> datetime.datetime | None:
    """When the storage last wrote ``file`` (None where the storage cannot say)."""
    if not file.name:
        return None
    try:
        return file.storage.get_modified_time(file.name)
    except (NotImplementedError, OSError):
        return None
