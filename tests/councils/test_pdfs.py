"""PDFs: rendered by the worker from a job row, with the § number, title,
diarienummer and beslut in the text; archival and tagged; behind the same gates as
the documents they render."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import TestCase
from pypdf import PdfReader

from councils import services
from councils.models import Paragraph, RenderJob
from tests.conftest import client_for
from tests.councils.test_protocol_pages import _send, held  # noqa: F401 - the fixture is reused
from tests.factories import read_copy

pytestmark = pytest.mark.django_db


def _justera(held: dict[str, Any]) -> None:  # noqa: F811
    """Justera the protocol; the worker's work that follows (the sealed final protocol,
    the extracts) runs too."""
    protocol = _send(held)
    with TestCase.captureOnCommitCallbacks(execute=True):
        for user in (held["chair"], held["member_a"]):
            services.protocol_decide(
                actor=user, protocol=protocol, approve=True, read_sha256=read_copy(protocol)
            )


def _download(client: Any, response: Any) -> PdfReader:
    assert response.status_code == 302, response.content[:300]
    job_url = response["Location"]
    page = client.get(job_url)
    assert "Ladda ner PDF:en" in page.content.decode()
    pdf = client.get(job_url + "fil/")
    assert pdf["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(b"".join(pdf.streaming_content)))


def _text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def test_extract_pdf_carries_number_title_diarienummer_and_decision(
    held: dict[str, Any],  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    _justera(held)
    paragraph = Paragraph.objects.get(meeting=held["meeting"], case=held["case"])
    client = client_for(None)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/paragrafer/{paragraph.pk}/utdrag/")
    reader = _download(client, response)
    text = _text(reader)
    assert f"§ {paragraph.number}" in text
    assert held["case"].diarienummer in text
    assert "Protokollsutdrag" in text
    assert "Rätt utdraget intygar" in text
    assert reader.metadata.title.startswith("Protokollsutdrag")
    root = reader.trailer["/Root"].get_object()
    assert isinstance(root, dict)
    assert root["/Lang"] == "sv"
    assert "/StructTreeRoot" in root  # tagged


def test_public_protocol_pdf_leaves_closed_paragraphs_out(
    held: dict[str, Any],  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    _justera(held)
    public = client_for(None)
    with django_capture_on_commit_callbacks(execute=True):
        response = public.post(f"/sammantraden/{held['meeting'].pk}/protokoll/pdf/")
    text = _text(_download(public, response))
    assert held["case"].diarienummer in text
    assert "Personalfråga" not in text
    member = client_for(held["member_a"])
    with django_capture_on_commit_callbacks(execute=True):
        response = member.post(
            f"/sammantraden/{held['meeting'].pk}/protokoll/pdf/", {"internal": "1"}
        )
    assert "Personalfråga" in _text(_download(member, response))


def test_full_version_is_not_for_the_public(
    held: dict[str, Any],  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    _justera(held)
    member = client_for(held["member_a"])
    with django_capture_on_commit_callbacks(execute=True):
        response = member.post(
            f"/sammantraden/{held['meeting'].pk}/protokoll/pdf/", {"internal": "1"}
        )
    job_url = response["Location"]
    assert client_for(None).get(job_url).status_code == 404
    assert client_for(held["member_b"]).get(job_url + "fil/").status_code == 404
    # The public asking for the full version gets the public one.
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(None).post(
            f"/sammantraden/{held['meeting'].pk}/protokoll/pdf/", {"internal": "1"}
        )
    assert (
        RenderJob.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1])).internal
        is False
    )


def test_no_extract_before_justering(held: dict[str, Any]) -> None:  # noqa: F811
    _send(held)
    paragraph = Paragraph.objects.filter(meeting=held["meeting"]).first()
    assert client_for(None).post(f"/paragrafer/{paragraph.pk}/utdrag/").status_code == 404
    assert not RenderJob.objects.filter(kind=RenderJob.Kind.EXTRACT).exists()


def test_repeated_requests_reuse_one_job(
    held: dict[str, Any],  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    _justera(held)
    paragraph = Paragraph.objects.filter(meeting=held["meeting"]).first()
    client = client_for(None)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(f"/paragrafer/{paragraph.pk}/utdrag/")
        second = client.post(f"/paragrafer/{paragraph.pk}/utdrag/")
    assert first["Location"] == second["Location"]
    assert RenderJob.objects.filter(paragraph=paragraph).count() == 1
    job = RenderJob.objects.get(paragraph=paragraph)
    assert job.attempts == 1
    services.render_job_run(job_id=job.pk)  # a redelivered message renders nothing twice
    job.refresh_from_db()
    assert job.attempts == 1


def test_kallelse_pdf_lists_the_public_agenda(
    held: dict[str, Any],  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    from councils.models import Meeting

    services.meeting_update(actor=None, meeting=held["meeting"], status=Meeting.Status.CALLED)
    client = client_for(None)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/sammantraden/{held['meeting'].pk}/kallelse/pdf/")
    text = _text(_download(client, response))
    assert "Kallelse" in text
    assert held["case"].diarienummer in text
    assert "Personalfråga" not in text


def test_meeting_packet_joins_agenda_and_documents_with_bookmarks(
    held: dict[str, Any],  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    from tests.factories import make_document
    from tests.files import pdf_bytes

    document = make_document(
        case=held["case"],
        subject="Rapport om samverkan",
        upload=io.BytesIO(pdf_bytes()),
        upload_name="rapport.pdf",
        upload_size=len(pdf_bytes()),
    )
    item = held["meeting"].agenda_items.get(case=held["case"])
    item.documents.add(document)
    member = client_for(held["member_a"])
    with django_capture_on_commit_callbacks(execute=True):
        response = member.post(f"/sammantraden/{held['meeting'].pk}/handlingar/pdf/")
    reader = _download(member, response)
    titles = [entry.title for entry in reader.outline if not isinstance(entry, list)]
    assert titles[0].startswith("Kallelse")  # the agenda's own headings come first
    assert any(held["case"].title in t for t in titles)
    nested = [e for e in reader.outline if isinstance(e, list)]
    assert [e.title for e in nested[-1]] == ["Rapport om samverkan"]
    assert len(reader.pages) >= 2
    assert "Personalfråga" in _text(reader)  # closed items are in the members' packet
    for outsider in (None, held["member_b"]):
        assert client_for(outsider).post(
            f"/sammantraden/{held['meeting'].pk}/handlingar/pdf/"
        ).status_code in (302, 404)


def test_a_draft_protocol_says_so_on_every_page_and_the_justerat_one_never(
    held: dict[str, Any],  # noqa: F811
) -> None:
    """Issue 16: no document misstates itself: the protocol's PDF before justering is
    marked a draft on every page; once justerat it is rendered anew, without the mark."""
    from councils import pdfs
    from councils.models import Protocol

    protocol = _send(held)
    draft = PdfReader(io.BytesIO(pdfs.protocol_pdf(protocol, internal=True)))
    assert all("Utkast – inte justerat" in page.extract_text() for page in draft.pages)
    for user in (held["chair"], held["member_a"]):
        services.protocol_decide(
            actor=user, protocol=protocol, approve=True, read_sha256=read_copy(protocol)
        )
    protocol = Protocol.objects.get(pk=protocol.pk)
    assert protocol.is_approved
    final = PdfReader(io.BytesIO(pdfs.protocol_pdf(protocol, internal=True)))
    assert "tkast" not in _text(final)
