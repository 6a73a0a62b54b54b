"""The organisation seal (issue 16): what the portal issues as final is sealed with
PAdES and validates with pyHanko and with poppler's pdfsig (an independent verifier);
a changed byte fails both and /verifiera/ says so; the PKCS#11 path signs through
SoftHSM2; sealed PDFs still pass PDF/A-2a and PDF/UA-1; a signatory approves the
exact copy read."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.utils import timezone

from base import pdf_streams
from base.seal import demo, keys, sign, verify
from councils import pdfs, services
from councils.models import Meeting, Paragraph, Protocol, RenderJob
from tests.conftest import client_for
from tests.councils.test_accessible_pdfs import failures
from tests.councils.test_protocol_pages import _send, held  # noqa: F401 - the fixture is reused
from tests.factories import read_copy

pytestmark = pytest.mark.django_db

PDFSIG = shutil.which("pdfsig")
SOFTHSM = next(
    (
        path
        for path in (
            "/usr/lib/softhsm/libsofthsm2.so",
            "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
            "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
        )
        if os.path.exists(path)
    ),
    None,
)


def _justerat(held: dict[str, Any]) -> Protocol:  # noqa: F811
    protocol = _send(held)
    with TestCase.captureOnCommitCallbacks(execute=True):  # the worker's part runs too
        for user in (held["chair"], held["member_a"]):
            services.protocol_decide(
                actor=user, protocol=protocol, approve=True, read_sha256=read_copy(protocol)
            )
    return Protocol.objects.get(pk=protocol.pk)


def _job(**filters: Any) -> RenderJob:
    job = RenderJob.objects.filter(status=RenderJob.Status.DONE, **filters).latest("pk")
    return job


def _bytes(job: RenderJob) -> bytes:
    with job.file.open("rb") as handle:
        return handle.read()


def _pyhanko_validates_lt(data: bytes) -> Any:
    """pyHanko, trusting only the demo CA and using only the revocation data embedded
    in the file (no fetching, hard fail): the signature is intact, trusted, timestamped
    and covers the document (B-LT)."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.dss import DocumentSecurityStore

    reader = PdfFileReader(io.BytesIO(data))
    (signature,) = reader.embedded_regular_signatures
    dss = DocumentSecurityStore.read_dss(reader)
    assert dss.crls
    assert dss.certs  # the chain and the revocation list travel with it
    context = dss.as_validation_context(
        {
            "trust_roots": list(keys.certificates().trust_roots),
            "allow_fetching": False,
            "revocation_mode": "hard-fail",
        }
    )
    return validate_pdf_signature(signature, context)


def _pdfsig(data: bytes, tmp_path: Path) -> str:
    assert PDFSIG is not None
    path = tmp_path / "checked.pdf"
    path.write_bytes(data)
    run = subprocess.run(  # noqa: S603 - our own file, a fixed tool
        [PDFSIG, str(path)], capture_output=True, text=True, timeout=60
    )
    return run.stdout + run.stderr


def _changed(data: bytes) -> bytes:
    """One byte changed inside the sealed range (in the first page's content)."""
    changed = bytearray(data)
    at = data.index(b"stream", len(data) // 10) + 40
    changed[at] ^= 0x01
    return bytes(changed)


def _verify(data: bytes) -> str:
    cache.clear()
    response = client_for(None).post(
        "/verifiera/", {"file": SimpleUploadedFile("copy.pdf", data, "application/pdf")}
    )
    assert response.status_code == 200
    return str(response.content.decode())


def test_the_justerat_protocol_and_extract_are_sealed_and_validate(
    held: dict[str, Any],  # noqa: F811
    tmp_path: Path,
) -> None:
    protocol = _justerat(held)
    meeting = protocol.meeting
    final = _job(kind=RenderJob.Kind.PROTOCOL, meeting=meeting, internal=False)
    assert final.is_sealed
    assert final.pk != protocol.reading_copy_id
    paragraph = meeting.paragraphs.order_by("number").first()
    extract = services.render_job_request(
        actor=None, kind=RenderJob.Kind.EXTRACT, meeting=meeting, paragraph=paragraph
    )
    extract = services.render_job_run(job_id=extract.pk)
    for job in (final, extract):
        data = _bytes(job)
        assert verify.sha256(data) == job.sha256
        status = _pyhanko_validates_lt(data)
        assert status.intact
        assert status.valid
        assert status.trusted
        assert status.timestamp_validity is not None  # a signature timestamp: B-T, so B-LT
        assert failures(data) == []  # still PDF/A-2a and PDF/UA-1
        if PDFSIG:
            out = _pdfsig(data, tmp_path)
            assert "Signature is Valid" in out, out
            assert "Total document signed" in out, out
        page = _verify(data)
        assert "Äkta och oförändrat" in page
        assert meeting.body.name in page
        # One changed byte: both verifiers refuse it, and the page says it is changed.
        changed = _changed(data)
        assert not _pyhanko_validates_lt(changed).intact
        if PDFSIG:
            assert "Digest Mismatch" in _pdfsig(changed, tmp_path)
        page = _verify(changed)
        assert "Ändrat" in page
        assert meeting.body.name in page
        # Bytes added after the seal: the signed part is intact, the file is not; the
        # verdict says so in red, and never calls the signature simply intact.
        appended = _verify(data + b"\n% added after sealing\n")
        assert "verify-changed" in appended
        assert "intakt (" not in appended
        assert "den signerade delen är oförändrad, men filen har ändrats" in appended
        assert "<summary>Tekniska uppgifter</summary>" in appended


def test_the_final_protocol_states_who_justerade_how_and_the_seal(
    held: dict[str, Any],  # noqa: F811
) -> None:
    from pypdf import PdfReader

    protocol = _justerat(held)
    final = _job(kind=RenderJob.Kind.PROTOCOL, meeting=protocol.meeting, internal=True)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(_bytes(final))).pages)
    assert "Justeringsintyg" in text
    for approval in protocol.approvals.select_related("person"):
        assert approval.person.full_name in text
        assert approval.read_sha256 == protocol.reading_copy.sha256
    assert "Ordförande" in text
    assert "lösenord" in text
    assert "organisationssigill" in text
    assert "Demonstrationssigill" in text
    assert "Utkast" not in text
    copy = PdfReader(io.BytesIO(_bytes(protocol.reading_copy)))
    assert "Utkast – inte justerat" in copy.pages[0].extract_text()
    assert not protocol.reading_copy.is_sealed


def test_an_approval_of_a_copy_that_has_changed_is_refused(
    held: dict[str, Any],  # noqa: F811
) -> None:
    protocol = _send(held)
    first = read_copy(protocol)
    services.protocol_decide(
        actor=held["member_a"], protocol=protocol, approve=False, comment="§ 1: fel datum"
    )
    paragraph = Paragraph.objects.filter(meeting=held["meeting"]).first()
    services.paragraph_update(actor=None, paragraph=paragraph, decision="Rättat beslut.")
    protocol = services.protocol_send_for_justering(actor=None, protocol=protocol)
    second = read_copy(protocol)
    assert second != first
    with pytest.raises(ValidationError) as refused:
        services.protocol_decide(
            actor=held["chair"], protocol=protocol, approve=True, read_sha256=first
        )
    assert refused.value.code == "changed_since_read"
    services.protocol_decide(
        actor=held["chair"], protocol=protocol, approve=True, read_sha256=second
    )


def test_a_foreign_pdf_is_unknown_and_a_checksum_is_looked_up(
    held: dict[str, Any],  # noqa: F811
) -> None:
    from tests.files import pdf_bytes

    assert "Okänt" in _verify(pdf_bytes("Något annat"))
    protocol = _justerat(held)
    final = _job(kind=RenderJob.Kind.PROTOCOL, meeting=protocol.meeting, internal=False)
    cache.clear()
    page = client_for(None).post("/verifiera/", {"checksum": final.sha256.upper()})
    assert "Kontrollsumman för ett förseglat dokument" in page.content.decode()
    page = client_for(None).post("/verifiera/", {"checksum": "0" * 64})
    assert "Okänt" in page.content.decode()
    bad = client_for(None).post("/verifiera/", {"checksum": "inte hex"})
    assert bad.status_code == 400
    assert "64 tecken" in bad.content.decode()
    not_pdf = client_for(None).post(
        "/verifiera/", {"file": SimpleUploadedFile("a.pdf", b"<html>x</html>", "application/pdf")}
    )
    assert not_pdf.status_code == 400
    assert "Filen är inte en PDF." in not_pdf.content.decode()
    empty = client_for(None).post("/verifiera/", {})
    assert empty.status_code == 400
    assert "Välj en PDF" in empty.content.decode()


def test_the_verification_page_is_rate_limited_and_keeps_no_file(
    settings: Any, monkeypatch: Any
) -> None:
    """Django writes an upload larger than FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary
    file; with that limit at 0, any upload would go to disk, were the page not reading
    it in memory only."""
    from django.core.files.uploadhandler import TemporaryFileUploadHandler

    from tests.files import pdf_bytes

    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0
    written: list[str] = []
    original = TemporaryFileUploadHandler.new_file

    def new_file(self: Any, *args: Any, **kwargs: Any) -> None:
        written.append(str(args))
        original(self, *args, **kwargs)

    monkeypatch.setattr(TemporaryFileUploadHandler, "new_file", new_file)
    cache.clear()
    client = client_for(None)
    data = pdf_bytes("Kontroll")
    for _ in range(30):
        response = client.post(
            "/verifiera/", {"file": SimpleUploadedFile("a.pdf", data, "application/pdf")}
        )
        assert response.status_code == 200
    response = client.post(
        "/verifiera/", {"file": SimpleUploadedFile("a.pdf", data, "application/pdf")}
    )
    assert response.status_code == 429
    assert "För många kontroller" in response.content.decode()
    assert written == []  # no upload went to a temporary file
    cache.clear()


def test_the_verification_page_is_linked_and_names_the_demo_seal() -> None:
    home = client_for(None).get("/").content.decode()
    assert 'href="/verifiera/"' in home
    page = client_for(None).get("/verifiera/").content.decode()
    assert "Demonstrationssigill" in page
    assert keys.certificates().fingerprint in page
    chain = client_for(None).get("/verifiera/sigill.pem")
    assert chain.content.count(b"BEGIN CERTIFICATE") == 2


def test_a_sealed_pdf_is_never_rendered_again_a_correction_is_a_new_version(
    held: dict[str, Any],  # noqa: F811
) -> None:
    from pypdf import PdfReader

    meeting: Meeting = held["meeting"]
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.PLANNED)
    preview = PdfReader(io.BytesIO(pdfs.kallelse_pdf(meeting, internal=False)))
    assert all("Förhandsversion" in page.extract_text() for page in preview.pages)
    Meeting.objects.filter(pk=meeting.pk).update(
        status=Meeting.Status.CALLED, kallelse_sent_at=timezone.now()
    )
    meeting.refresh_from_db()
    job = services.render_job_request(
        actor=None, kind=RenderJob.Kind.KALLELSE, meeting=meeting, internal=False
    )
    job = services.render_job_run(job_id=job.pk)
    assert job.is_sealed  # a formal body's kallelse, once sent
    data = _bytes(job)
    assert "Förhandsversion" not in PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert failures(data) == []
    again = services.render_job_request(
        actor=None, kind=RenderJob.Kind.KALLELSE, meeting=meeting, internal=False
    )
    assert again.pk == job.pk
    item = meeting.agenda_items.order_by("position").first()
    services.agenda_item_update(actor=None, item=item, title="Ändrad rubrik")
    corrected = services.render_job_request(
        actor=None, kind=RenderJob.Kind.KALLELSE, meeting=meeting, internal=False
    )
    assert corrected.pk != job.pk
    assert corrected.supersedes_id == job.pk
    corrected = services.render_job_run(job_id=corrected.pk)
    job.refresh_from_db()
    assert _bytes(job) == data
    assert job.sha256 == verify.sha256(data)  # the old one stands
    assert "Äkta och oförändrat" in _verify(data)  # and stays verifiable
    assert "Ersätter" in _verify(_bytes(corrected))


def test_the_demo_paragraph_56_protocol_its_extract_and_the_report_are_sealed(
    settings: Any, tmp_path: Path
) -> None:
    """The demo as `make run` loads it: the justerat protocol of § 56 and its extract
    validate with pyHanko (intact, chained to the demo CA, B-LT from the embedded data
    alone) and with pdfsig; the published verksamhetsberättelse says fastställd and
    never utkast; all three still pass PDF/A-2a and PDF/UA-1."""
    from pypdf import PdfReader

    from followups.models import ReportVersion
    from samverkan.demo import load_demo

    load_demo(with_accounts=True, history=False)
    paragraph = Paragraph.objects.get(body__slug="regionens-samverkansrad", year=2018, number=56)
    for pending in RenderJob.objects.filter(status=RenderJob.Status.PENDING):
        services.render_job_run(job_id=pending.pk)  # what the worker does after the load
    extract = services.render_job_request(
        actor=None, kind=RenderJob.Kind.EXTRACT, meeting=paragraph.meeting, paragraph=paragraph
    )
    services.render_job_run(job_id=extract.pk)
    version = ReportVersion.objects.get(status=ReportVersion.Status.ADOPTED, report__year=2019)
    jobs = [
        _job(kind=RenderJob.Kind.PROTOCOL, meeting=paragraph.meeting, internal=False),
        _job(kind=RenderJob.Kind.EXTRACT, paragraph=paragraph),
        _job(kind=RenderJob.Kind.REPORT, report_rendering__version=version),
    ]
    for job in jobs:
        data = _bytes(job)
        assert job.is_sealed, job
        status = _pyhanko_validates_lt(data)
        assert status.intact
        assert status.trusted
        assert failures(data) == []
        if PDFSIG:
            assert "Signature is Valid" in _pdfsig(data, tmp_path)
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
        assert "utkast" not in text.lower()
        assert "förhandsversion" not in text.lower()
    protocol_text = "\n".join(
        p.extract_text() for p in PdfReader(io.BytesIO(_bytes(jobs[0]))).pages
    )
    assert "§ 56" in protocol_text
    assert "Justeringsintyg" in protocol_text
    report_text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(_bytes(jobs[2]))).pages)
    assert "Fastställd" in report_text


@pytest.mark.skipif(SOFTHSM is None, reason="SoftHSM2 is not installed (.ci/run installs it)")
def test_the_pkcs11_path_signs_through_softhsm(tmp_path: Path, monkeypatch: Any) -> None:
    """A key in a real PKCS#11 token (SoftHSM2) signs; its certificate and chain come
    from a PEM file, as the deployment guide describes."""
    ca = tmp_path / "ca"
    demo.make_demo_ca(ca)
    (tmp_path / "tokens").mkdir()
    config = tmp_path / "softhsm2.conf"
    config.write_text(f"directories.tokendir = {tmp_path / 'tokens'}\nobjectstore.backend = file\n")
    environment = {**os.environ, "SOFTHSM2_CONF": str(config)}
    softhsm_util = shutil.which("softhsm2-util")
    assert softhsm_util is not None
    for command in (
        ["--init-token", "--free", "--label", "sigill", "--pin", "1234", "--so-pin", "5678"],
        [
            "--import",
            str(ca / "seal-key.pem"),
            "--token",
            "sigill",
            "--label",
            "sigill",
            "--id",
            "01",
            "--pin",
            "1234",
        ],
    ):
        subprocess.run(  # noqa: S603 - a fixed tool, our own arguments
            [softhsm_util, *command], check=True, env=environment, capture_output=True
        )
    (tmp_path / "chain.pem").write_bytes(
        (ca / "seal.pem").read_bytes() + (ca / "ca.pem").read_bytes()
    )
    monkeypatch.setenv("SOFTHSM2_CONF", str(config))
    for name, value in {
        "PKCS11_MODULE": SOFTHSM,
        "PKCS11_TOKEN": "sigill",
        "PKCS11_PIN": "1234",
        "PKCS11_KEY": "sigill",
        "CERTIFICATE": str(tmp_path / "chain.pem"),
        "REVOCATION_MODE": "soft-fail",  # the test CA's revocation list is not served
    }.items():
        monkeypatch.setenv(f"SAMVERKAN_SEAL_{name}", str(value))
    keys.seal_key.cache_clear()
    keys.certificates.cache_clear()
    try:
        key = keys.seal_key().certificates
        assert key.source == "pkcs11"
        assert not key.demo
        from tests.files import pdf_bytes

        sealed = sign.seal_pdf(pdf_bytes("Token"), reason="Test")
        check = verify.check_pdf(sealed)
        assert check.intact
        assert check.valid
        assert check.trusted
        assert check.authentic
        assert check.fingerprint == key.fingerprint
    finally:
        keys.seal_key.cache_clear()
        keys.certificates.cache_clear()


def test_a_signature_larger_than_its_room_is_measured_and_still_valid(monkeypatch: Any) -> None:
    from tests.files import pdf_bytes

    monkeypatch.setattr(sign, "SIGNATURE_ROOM", 1000)  # far too small for any CMS
    sealed = sign.seal_pdf(pdf_bytes("Rum"), reason="Test")
    assert verify.check_pdf(sealed).authentic


def test_a_justerare_from_outside_the_arena_reads_the_copy_to_justera(
    held: dict[str, Any],  # noqa: F811
) -> None:
    """A justerare need not sit in the arena: they read the whole copy to justera (its
    closed § too), and nobody else outside the arena does."""
    from tests.factories import PersonFactory, UserFactory

    outside = UserFactory()
    protocol = _send(held)
    services.protocol_decide(
        actor=held["member_a"], protocol=protocol, approve=False, comment="Byt justerare."
    )
    services.protocol_update(actor=None, protocol=protocol, adjusters=[PersonFactory(user=outside)])
    protocol = services.protocol_send_for_justering(actor=None, protocol=protocol)
    read_copy(protocol)
    url = f"/pdf/{protocol.reading_copy_id}/fil/"
    assert client_for(outside).get(url).status_code == 200
    assert client_for(held["outsider"]).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 404


def test_a_seal_stream_whose_data_ends_in_cr_keeps_its_length_unambiguous() -> None:
    """The seal's revision carries certificates, the CRL and OCSP answers as streams of
    DER bytes; one ending in CR (a run's demo certificate, about one run in 256) was
    read by the PDF/A checker as a CR LF line end, one byte short of /Length, and every
    seal of that run failed PDFA2A-STREAM-LENGTH-001. Such a stream ends in CR LF."""
    from pyhanko.pdf_utils import generic

    pdf_streams.pyhanko_streams()

    def written(data: bytes) -> bytes:
        out = io.BytesIO()
        generic.StreamObject(stream_data=data).write_to_stream(out)
        return out.getvalue()

    ending_in_cr = written(b"0\x82\x01\r")
    assert b"/Length 4" in ending_in_cr
    assert ending_in_cr.endswith(b"stream\n0\x82\x01\r\r\nendstream")
    assert written(b"0\x82\x01\x0a").endswith(b"stream\n0\x82\x01\n\nendstream")  # as before


def _forged_seal(
    data: bytes, *, serial: int, issuer: Any = None, subject: Any = None, also: bool = True
) -> bytes:
    """``data`` signed by a self-made CA's leaf with the serial number of our choice (and
    the issuer and subject names, if given), the portal's own seal certificate (public,
    from /verifiera/sigill.pem) added to the signature's certificates when ``also``."""
    import datetime

    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    now = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=5)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Förfalskarnas CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    leaf_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    leaf = (
        x509.CertificateBuilder()
        .subject_name(
            subject or x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Förfalskaren AB")])
        )
        .issuer_name(issuer or ca_name)
        .public_key(leaf_key.public_key())
        .serial_number(serial)
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(ca_key, hashes.SHA256())
    )

    def asn1(certificate: Any) -> Any:
        return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))

    key = keys.certificates()
    others = [asn1(ca), *([key.certificate] if also else [])]
    signer = signers.SimpleSigner(
        signing_cert=asn1(leaf),
        signing_key=asn1_keys.PrivateKeyInfo.load(
            leaf_key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        ),
        cert_registry=SimpleCertificateStore.from_certs(others),
    )
    out = signers.sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(data)),
        signers.PdfSignatureMetadata(field_name="Sigill", md_algorithm="sha256"),
        signer=signer,
    )
    return bytes(out.getvalue())


def _names(certificate: Any) -> tuple[Any, Any]:
    from cryptography import x509

    loaded = x509.load_der_x509_certificate(certificate.dump())
    return loaded.issuer, loaded.subject


@pytest.mark.parametrize(
    "copies", ["serial", "serial and issuer", "serial, issuer and subject", "name only"]
)
def test_a_forged_seal_is_unknown_and_its_names_are_not_repeated(copies: str) -> None:
    """The probe's forgery: a self-made CA's leaf with the serial number of the portal's
    seal certificate (then its issuer too, then its subject as well, so that the
    SignerInfo names both certificates the file carries), the portal's own public
    certificate added to the signature. And a leaf of another CA that only claims the
    organisation's name. Each is "Okänt", and the page repeats no name the file carries
    nor calls the signature intact (the last match by serial made the first "Äkta")."""
    from tests.files import pdf_bytes

    ours = keys.certificates().certificate
    issuer, subject = _names(ours)
    serial = ours.serial_number
    forged = {
        "serial": lambda: _forged_seal(pdf_bytes("F"), serial=serial),
        "serial and issuer": lambda: _forged_seal(pdf_bytes("F"), serial=serial, issuer=issuer),
        "serial, issuer and subject": lambda: _forged_seal(
            pdf_bytes("F"), serial=serial, issuer=issuer, subject=subject
        ),
        "name only": lambda: _forged_seal(
            pdf_bytes("F"), serial=12345, subject=subject, also=False
        ),
    }[copies]()
    check = verify.check_pdf(forged)
    assert check.signed
    assert not check.ours
    assert not check.authentic
    page = _verify(forged)
    assert "Okänt" in page
    assert "Äkta" not in page
    assert "Förfalskaren" not in page
    assert "Undertecknat av" not in page
    assert "Underskrift" not in page


def test_verifying_needs_the_certificates_only(monkeypatch: Any) -> None:
    """A web node that only verifies never reads the private key: the check and the
    verification page run on the certificates (the demo CA's from its folder, a
    configured key's from SAMVERKAN_SEAL_CERTIFICATE)."""
    from tests.files import pdf_bytes

    sealed = sign.seal_pdf(pdf_bytes("Bara certifikat"), reason="Test")
    keys.certificates.cache_clear()

    def no_key() -> Any:
        raise AssertionError("the private key was read to verify")

    monkeypatch.setattr(keys, "seal_key", no_key)
    try:
        check = verify.check_pdf(sealed)
        assert check.authentic
        assert check.fingerprint == keys.certificates().fingerprint
        assert "Äkta och oförändrat" in _verify(sealed)
        assert client_for(None).get("/verifiera/sigill.pem").status_code == 200
    finally:
        keys.certificates.cache_clear()


def test_a_web_node_verifies_with_the_chain_alone(tmp_path: Path, monkeypatch: Any) -> None:
    """Many machines (issue 33): the workers hold the seal's key (a PKCS#12 file here),
    a web node only its certificate chain; what a worker sealed is authentic on a web
    node that never had the key, and is not shown as the demo seal."""
    from samverkan.cluster import make_keys
    from tests.files import pdf_bytes

    make_keys(tmp_path)
    real_key = keys.seal_key
    monkeypatch.setenv("SAMVERKAN_SEAL_CERTIFICATE", str(tmp_path / "sigill-kedja.pem"))
    monkeypatch.setenv("SAMVERKAN_SEAL_REVOCATION_MODE", "soft-fail")  # no CRL is served
    monkeypatch.setenv("SAMVERKAN_SEAL_PKCS12", str(tmp_path / "sigill.p12"))
    keys.seal_key.cache_clear()
    keys.certificates.cache_clear()
    try:
        sealed = sign.seal_pdf(pdf_bytes("Förseglad av en arbetare"), reason="Test")  # a worker
        monkeypatch.delenv("SAMVERKAN_SEAL_PKCS12")  # a web node
        keys.seal_key.cache_clear()
        keys.certificates.cache_clear()

        def no_key() -> Any:
            raise AssertionError("a web node has no key to read")

        monkeypatch.setattr(keys, "seal_key", no_key)
        certificates = keys.certificates()
        assert not certificates.demo
        check = verify.check_pdf(sealed)
        assert check.authentic
        assert check.fingerprint == certificates.fingerprint
    finally:
        real_key.cache_clear()  # the next test's seal is its own again
        keys.certificates.cache_clear()
