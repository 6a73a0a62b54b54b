"""Uploads: an allow-list checked by content, a size limit, a clear Swedish error on
the page, the SHA-256 kept, and nothing saved when refused."""

from __future__ import annotations

import hashlib
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from councils.models import Document
from tests.conftest import client_for
from tests.files import HTML_BYTES, docx_bytes, pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db


def _post(world: dict[str, Any], upload: SimpleUploadedFile, **extra: Any) -> Any:
    data = {
        "kind": "tjansteskrivelse",
        "subject": "Ny handling",
        "direction": "inkommande",
        "document_date": "2021-06-02",
        "counterpart": "Bergs kommun",
        "file": upload,
        **extra,
    }
    client = client_for(world["secretariat"])
    return client.post(f"/diarium/{world['case'].pk}/handlingar/ny/", data)


def test_a_pdf_is_stored_with_its_checksum(world: dict[str, Any]) -> None:
    pdf = pdf_bytes()
    response = _post(world, SimpleUploadedFile("beslut.pdf", pdf, "application/pdf"))
    assert response.status_code == 302
    document = Document.objects.get(subject="Ny handling")
    assert document.sha256 == hashlib.sha256(pdf).hexdigest()
    assert document.size == len(pdf)
    assert document.content_type == "application/pdf"
    assert document.file_name == "beslut.pdf"
    assert document.reference == f"{world['case'].diarienummer}-3"
    assert "beslut" not in document.file.name  # stored under a generated name


def test_office_documents_are_recognised_by_content(world: dict[str, Any]) -> None:
    response = _post(world, SimpleUploadedFile("svar.docx", docx_bytes(), "application/zip"))
    assert response.status_code == 302
    assert Document.objects.get(subject="Ny handling").content_type.endswith("document")


def test_too_big_is_refused_with_a_swedish_error(world: dict[str, Any], settings: Any) -> None:
    settings.SAMVERKAN_MAX_UPLOAD_BYTES = 100
    response = _post(world, SimpleUploadedFile("stor.pdf", pdf_bytes(), "application/pdf"))
    assert response.status_code == 200
    assert "största fil som tas emot är 100" in response.content.decode()
    assert not Document.objects.filter(subject="Ny handling").exists()


def test_wrong_type_is_refused(world: dict[str, Any]) -> None:
    response = _post(world, SimpleUploadedFile("sida.html", HTML_BYTES, "text/html"))
    assert response.status_code == 200
    assert "Den här filtypen tas inte emot" in response.content.decode()
    assert not Document.objects.filter(subject="Ny handling").exists()


def test_type_disguised_by_a_false_extension_is_refused(world: dict[str, Any]) -> None:
    """HTML named .pdf is refused (its content is no allowed type) ..."""
    response = _post(world, SimpleUploadedFile("rapport.pdf", HTML_BYTES, "application/pdf"))
    assert response.status_code == 200
    assert "Den här filtypen tas inte emot" in response.content.decode()
    assert not Document.objects.filter(subject="Ny handling").exists()


def test_allowed_type_under_another_types_name_is_refused(world: dict[str, Any]) -> None:
    """... and so is a real PNG named .pdf: name and content must agree."""
    response = _post(world, SimpleUploadedFile("rapport.pdf", png_bytes(), "application/pdf"))
    assert response.status_code == 200
    assert "men innehållet är av en annan typ" in response.content.decode()
    assert not Document.objects.filter(subject="Ny handling").exists()


def test_confidential_needs_its_secrecy_marking(world: dict[str, Any]) -> None:
    response = _post(
        world, SimpleUploadedFile("a.pdf", pdf_bytes(), "application/pdf"), confidential="on"
    )
    assert response.status_code == 200
    assert "En sekretessbelagd handling behöver sin sekretessmarkering." in (
        response.content.decode()
    )
    assert not Document.objects.filter(subject="Ny handling").exists()


def test_confidential_with_marking_is_saved(world: dict[str, Any]) -> None:
    response = _post(
        world,
        SimpleUploadedFile("a.pdf", pdf_bytes(), "application/pdf"),
        confidential="on",
        secrecy_provision="OSL 21 kap. 7 §",
        secrecy_date="2021-06-02",
        secrecy_authority="Regionstyrelsen",
    )
    assert response.status_code == 302
    assert Document.objects.get(subject="Ny handling").confidential


def test_a_refused_file_is_not_left_in_storage(world: dict[str, Any], tmp_path: Any) -> None:
    from councils import services

    with pytest.raises(Exception):  # noqa: B017, PT011 - any refusal will do
        services.document_register(
            actor=None,
            case=world["case"],
            kind="bilaga",
            subject="",  # required: full_clean refuses after the file was checked
            direction="inkommande",
            document_date=world["case"].registered_on,
            upload=io.BytesIO(pdf_bytes()),
            upload_name="x.pdf",
            upload_size=len(pdf_bytes()),
        )
    stored = list((tmp_path / "media").rglob("*.pdf")) if (tmp_path / "media").exists() else []
    assert stored == []
