"""Every PDF the portal makes passes a PDF/UA-1 checker and a PDF/A-2a checker that
run without network (``page``, the validator of the ``page-validation`` package),
and carries what a screen reader and a reader's window need: language ``sv``, a
title shown as the window title, bookmarks for the headings, alternative text for
the charts. The packet keeps the structure of the tagged documents joined into it;
an untagged upload is reported for what it is."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

import page
import pytest
from django.conf import settings
from pypdf import PdfReader

from base import pdf_streams
from councils import pdfs, services
from councils.models import Paragraph, Protocol
from followups.pdfs import report_pdf
from tests.councils.test_protocol_pages import _send, held  # noqa: F401 - the fixture is reused
from tests.factories import make_document, read_copy
from tests.followups.test_followups import _assess, _compiled

pytestmark = pytest.mark.django_db

PROFILES = (page.ValidationProfile.PDF_UA_1, page.ValidationProfile.PDF_A_2A)


ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "pdf"


def failures(data: bytes) -> list[str]:
    """The checkers' findings; a failing file is kept in test-artifacts/pdf/ to look at."""
    found = []
    for profile in PROFILES:
        report = page.validate_pdf_bytes(data, profile=profile)
        found += [f"{profile}: {f.rule_id} {f.message}" for f in report.failures]
    if found:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / f"{hashlib.sha256(data).hexdigest()[:12]}.pdf").write_bytes(data)
    return found


def _structure_kinds(reader: PdfReader) -> list[tuple[str, Any]]:
    """(role, alternative text) of every element of the tag tree."""
    kinds: list[tuple[str, Any]] = []
    stack: list[Any] = [reader.root_object["/StructTreeRoot"]]
    while stack:
        node = stack.pop().get_object()
        if not isinstance(node, dict):
            continue
        if "/S" in node:
            kinds.append((str(node["/S"]), node.get("/Alt")))
        kids = node.get("/K")
        stack.extend(kids if isinstance(kids, list) else [kids] if kids is not None else [])
    return kinds


def assert_accessible(data: bytes, title_start: str) -> PdfReader:
    assert failures(data) == []
    reader = PdfReader(io.BytesIO(data))
    root: Any = reader.root_object
    assert root["/Lang"] == "sv"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata is not None
    assert reader.metadata.title.startswith(title_start)
    assert reader.outline, "bookmarks for the headings"
    return reader


def _justerat(held: dict[str, Any]) -> Protocol:  # noqa: F811
    protocol = _send(held)
    for user in (held["chair"], held["member_a"]):
        services.protocol_decide(
            actor=user, protocol=protocol, approve=True, read_sha256=read_copy(protocol)
        )
    protocol.refresh_from_db()
    return protocol


def _tagged_pdf(title: str) -> bytes:
    return pdfs.html_to_pdf(
        f'<html lang="sv"><head><title>{title}</title></head>'
        f"<body><h1>{title}</h1><p>Underlag till sammanträdet.</p></body></html>"
    )


def test_protocol_extract_and_kallelse_are_pdf_ua(held: dict[str, Any]) -> None:  # noqa: F811
    protocol = _justerat(held)
    meeting = held["meeting"]
    paragraph = Paragraph.objects.get(meeting=meeting, case=held["case"])
    assert_accessible(pdfs.protocol_pdf(protocol, internal=True), "Protokoll")
    assert_accessible(pdfs.protocol_pdf(protocol, internal=False), "Protokoll")
    assert_accessible(pdfs.extract_pdf(paragraph), "Protokollsutdrag")
    assert_accessible(pdfs.kallelse_pdf(meeting, internal=False), "Kallelse")


def test_the_packet_keeps_the_structure_of_tagged_documents(held: dict[str, Any]) -> None:  # noqa: F811
    item = held["meeting"].agenda_items.get(case=held["case"])
    for subject in ("Rapport om samverkan", "Bilaga med statistik"):
        data = _tagged_pdf(subject)
        item.documents.add(
            make_document(
                case=held["case"],
                subject=subject,
                upload=io.BytesIO(data),
                upload_name="underlag.pdf",
                upload_size=len(data),
            )
        )
    reader = assert_accessible(pdfs.packet_pdf(held["meeting"]), "Handlingar")
    assert len(reader.pages) == 3
    parts = [kind for kind in _structure_kinds(reader) if kind[0] == "/Part"]
    assert len(parts) == 2  # one per joined document
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Bilaga med statistik" in text


def test_an_untagged_upload_is_joined_as_it_came(held: dict[str, Any]) -> None:  # noqa: F811
    from weasyprint import HTML

    scanned = bytes(HTML(string="<p>Skrivelse utan taggar</p>").write_pdf())
    assert not pdfs.is_tagged(PdfReader(io.BytesIO(scanned)))
    item = held["meeting"].agenda_items.get(case=held["case"])
    item.documents.add(
        make_document(
            case=held["case"],
            subject="Inskannad skrivelse",
            upload=io.BytesIO(scanned),
            upload_name="skrivelse.pdf",
            upload_size=len(scanned),
        )
    )
    data = pdfs.packet_pdf(held["meeting"])
    assert "Skrivelse utan taggar" in PdfReader(io.BytesIO(data)).pages[-1].extract_text()
    # The checker sees the untagged page: a packet is only as accessible as its parts.
    assert any("CONTENT-TAGGING" in f for f in failures(data))


def test_the_verksamhetsberattelse_is_pdf_ua_with_alt_text_for_charts(pact: dict[str, Any]) -> None:
    _assess(pact, pact["krokom"], 3)
    reader = assert_accessible(report_pdf(_compiled(pact)), "Verksamhetsberättelse")
    figures = [alt for kind, alt in _structure_kinds(reader) if kind == "/Figure"]
    assert figures
    assert all(alt and "tabellen" in str(alt) for alt in figures)


def test_a_stream_whose_data_ends_in_cr_keeps_its_length_unambiguous() -> None:
    """About one compressed stream in 256 ends in a CR byte; followed by pydyf's LF,
    PDF/A checkers read CR LF as the line end and count one byte less than /Length
    (PDFA2A-STREAM-LENGTH-001: an intermittent failure of whole protocols). Such a
    stream gets CR LF as its own line end."""
    import re
    import zlib

    import pydyf

    pdf_streams.pydyf_streams()
    payload = next(
        data
        for n in range(65_536)
        if zlib.compress(data := b"BT ET %" + n.to_bytes(2, "big"), 9).endswith(b"\r")
    )
    written = pydyf.Stream([payload], compress=True).data
    assert written.endswith(b"\r\r\nendstream")
    found = re.search(rb"/Length (\d+)", written)
    assert found is not None
    length = int(found[1])
    body = written.split(b"stream\n", 1)[1]
    assert body[length:] == b"\r\nendstream"
    assert zlib.decompress(body[:length]) == payload
    plain = pydyf.Stream([b"BT ET"], compress=False).data
    assert plain.endswith(b"BT ET\nendstream")  # other streams are written as before
