"""One rule for the end of a PDF stream, in both writers the portal uses (pydyf under
WeasyPrint, and pyHanko when it seals).

PDF/A counts a stream's /Length up to the line end before ``endstream``. Both writers put
a single LF there; when the data itself ends in CR (compressed data does so about one
stream in 256; so does a DER certificate, CRL or OCSP answer now and then, and a seal's
revision carries those), checkers take that CR LF for the line end and count one byte
less (PDFA2A-STREAM-LENGTH-001). Such a stream gets CR LF as its line end, which leaves
no doubt; the offsets stay right, as both writers count or record what they write."""

from __future__ import annotations

import io
from typing import Any

_END = b"\r\nendstream"


def unambiguous_end(raw: bytes) -> bytes:
    """A written stream (through ``endstream``) whose data ends in CR, with CR LF as its
    line end; any other unchanged."""
    if raw.endswith(_END):
        return raw[: -len(b"\nendstream")] + _END
    return raw


def pydyf_streams() -> None:
    """The rule in pydyf's streams (once per process)."""
    import pydyf

    if getattr(pydyf.Stream, "_samverkan_stream_ends", False):
        return
    written = pydyf.Stream.data

    def data(self: Any) -> bytes:
        return unambiguous_end(bytes(written.fget(self)))

    pydyf.Stream.data = property(data)
    pydyf.Stream._samverkan_stream_ends = True


def pyhanko_streams() -> None:
    """The rule in pyHanko's streams (once per process)."""
    from pyhanko.pdf_utils import generic

    if getattr(generic.StreamObject, "_samverkan_stream_ends", False):
        return
    written = generic.StreamObject.write_to_stream

    def write_to_stream(
        self: Any, stream: Any, handler: Any = None, container_ref: Any = None
    ) -> None:
        buffer = io.BytesIO()
        written(self, buffer, handler, container_ref)
        stream.write(unambiguous_end(buffer.getvalue()))

    generic.StreamObject.write_to_stream = write_to_stream  # type: ignore[method-assign]
    generic.StreamObject._samverkan_stream_ends = True  # type: ignore[attr-defined]
