"""The organisation seal: a PAdES signature on every PDF the portal issues as final
(the justerat protocol, each protokollsutdrag, a formal body's kallelse, the
fastställd verksamhetsberättelse), and the check of such a PDF on /verifiera/.

Where the key lives is configured by the environment (``docs/deployment.md``):

- ``SAMVERKAN_SEAL_PKCS12`` (+ ``SAMVERKAN_SEAL_PKCS12_PASSWORD``): a PKCS#12 file
  with the seal's key, its certificate and the chain;
- ``SAMVERKAN_SEAL_PKCS11_MODULE`` (+ ``_TOKEN``, ``_PIN``, ``_KEY``, and
  ``SAMVERKAN_SEAL_CERTIFICATE`` when the certificate is not on the token): a
  hardware security module through PKCS#11;
- neither: a demonstration CA, a seal certificate and a timestamp unit made on the
  first start under ``DATA_DIR/seal/``, announced as a demo seal wherever the seal
  is shown.

``SAMVERKAN_SEAL_REVOCATION_MODE`` is pyHanko's revocation policy for a configured
key (default ``hard-fail``: no seal without fresh revocation data).
``SAMVERKAN_SEAL_TRUST_ROOTS`` names the roots a signature must chain to (default:
the top of the seal's own chain); ``SAMVERKAN_SEAL_TSA_URL`` an RFC 3161 timestamp
authority, which makes the seal PAdES B-LTA (a document timestamp over the
validation data). Every seal embeds the chain and the revocation data (B-LT), so it
validates years later without asking anyone.

The personal signatures of the future (BankID, Freja through a signing service that
receives only a hash) are a different signer of the same ``seal_pdf`` step; see
``docs/architecture.md``."""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime
import functools
import hashlib
import io
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings

T = TypeVar("T")

SIGNATURE_FIELD = "Sigill"
DEMO_DIR_NAME = "seal"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- The key -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SealKey:
    """What signs: a pyHanko signer, the certificates a verifier needs, and whence."""

    signer: Any
    certificate: Any  # asn1crypto x509.Certificate
    chain: tuple[Any, ...]
    trust_roots: tuple[Any, ...]
    crls: tuple[Any, ...] = ()
    timestamper: Any = None
    document_timestamps: bool = False
    demo: bool = False
    source: str = ""

    @property
    def holder(self) -> str:
        """The seal holder as its certificate names it (organisation, else name)."""
        subject = self.certificate.subject.native
        return str(subject.get("organization_name") or subject.get("common_name") or "")

    @property
    def fingerprint(self) -> str:
        return hashlib.sha256(self.certificate.dump()).hexdigest()

    @property
    def subject(self) -> str:
        return distinguished_name(self.certificate, issuer=False)

    @property
    def issuer(self) -> str:
        return distinguished_name(self.certificate, issuer=True)

    @property
    def level(self) -> str:
        if self.document_timestamps:
            return "PAdES B-LTA"
        return "PAdES B-LT" if self.timestamper is not None else "PAdES B-B"


def distinguished_name(certificate: Any, *, issuer: bool) -> str:
    """A certificate's subject (or issuer) as RFC 4514 writes it: CN=…,O=…,C=SE."""
    from cryptography import x509

    loaded = x509.load_der_x509_certificate(certificate.dump())
    return (loaded.issuer if issuer else loaded.subject).rfc4514_string()


def _env(name: str) -> str:
    return os.environ.get(f"SAMVERKAN_SEAL_{name}", "")


def _load_pem_certificates(path: str) -> list[Any]:
    from asn1crypto import pem, x509

    data = Path(path).read_bytes()
    if not pem.detect(data):
        return [x509.Certificate.load(data)]
    return [x509.Certificate.load(der) for _kind, _headers, der in pem.unarmor(data, multiple=True)]


def _trust_roots(chain: list[Any]) -> tuple[Any, ...]:
    configured = _env("TRUST_ROOTS")
    if configured:
        return tuple(_load_pem_certificates(configured))
    roots = [c for c in chain if c.self_signed]
    return tuple(roots or chain[-1:])


@functools.cache
def seal_key() -> SealKey:
    """The configured seal (read once per process)."""
    if _env("PKCS11_MODULE"):
        return _pkcs11_key()
    if _env("PKCS12"):
        return _pkcs12_key()
    return _demo_key(Path(settings.DATA_DIR) / DEMO_DIR_NAME)


def _pkcs12_key() -> SealKey:
    from pyhanko.sign import signers

    password = _env("PKCS12_PASSWORD").encode() or None
    signer = signers.SimpleSigner.load_pkcs12(_env("PKCS12"), passphrase=password)
    if signer is None:
        raise ValueError("SAMVERKAN_SEAL_PKCS12 could not be read (file or password)")
    return _configured_key(signer, [signer.signing_cert, *signer.cert_registry], "pkcs12")


def _pkcs11_key() -> SealKey:
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign import pkcs11

    session = pkcs11.open_pkcs11_session(
        _env("PKCS11_MODULE"),
        token_criteria=TokenCriteria(label=_env("PKCS11_TOKEN") or None),
        user_pin=_env("PKCS11_PIN") or None,
    )
    certificates = _load_pem_certificates(_env("CERTIFICATE")) if _env("CERTIFICATE") else []
    label = _env("PKCS11_KEY") or "sigill"
    signer = pkcs11.PKCS11Signer(
        session,
        key_label=label,
        cert_label=None if certificates else label,
        signing_cert=certificates[0] if certificates else None,
        ca_chain=certificates[1:],
    )
    return _configured_key(signer, [signer.signing_cert, *certificates[1:]], "pkcs11")


def _configured_key(signer: Any, chain: list[Any], source: str) -> SealKey:
    """A configured (not demo) key: its chain, trust roots and timestamp authority."""
    from pyhanko.sign import timestamps

    url = _env("TSA_URL")
    return SealKey(
        signer=signer,
        certificate=signer.signing_cert,
        chain=tuple(chain),
        trust_roots=_trust_roots(chain),
        timestamper=timestamps.HTTPTimeStamper(url) if url else None,
        document_timestamps=bool(url),
        source=source,
    )


# --- The demonstration CA ----------------------------------------------------------------------

DEMO_FILES = ("ca.pem", "ca-key.pem", "seal.pem", "seal-key.pem", "tsa.pem", "tsa-key.pem")


def _demo_key(folder: Path) -> SealKey:
    from asn1crypto import keys
    from pyhanko.sign import signers
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    if not all((folder / name).exists() for name in DEMO_FILES):
        make_demo_ca(folder)
    # The demo CA's revocation list is made here and embedded, never fetched: pyHanko's
    # warning that fetching is off says nothing the demo does not mean.
    logging.getLogger("pyhanko.sign.signers.pdf_signer").setLevel(logging.ERROR)

    def certificate(name: str) -> Any:
        return _load_pem_certificates(str(folder / name))[0]

    def private_key(name: str) -> Any:
        from asn1crypto import pem

        _kind, _headers, der = pem.unarmor((folder / name).read_bytes())
        return keys.PrivateKeyInfo.load(der)

    ca, seal_certificate, tsa = (
        certificate("ca.pem"),
        certificate("seal.pem"),
        certificate("tsa.pem"),
    )
    signer = signers.SimpleSigner(
        signing_cert=seal_certificate,
        signing_key=private_key("seal-key.pem"),
        cert_registry=SimpleCertificateStore.from_certs([ca]),
    )
    timestamper = DummyTimeStamper(
        tsa_cert=tsa,
        tsa_key=private_key("tsa-key.pem"),
        certs_to_embed=SimpleCertificateStore.from_certs([ca]),
    )
    return SealKey(
        signer=signer,
        certificate=seal_certificate,
        chain=(seal_certificate, ca),
        trust_roots=(ca,),
        crls=(_demo_crl(folder),),
        timestamper=timestamper,
        demo=True,
        source="demo",
    )


def make_demo_ca(folder: Path) -> None:
    """A demonstration CA with a seal certificate and a timestamp unit's certificate,
    written once (a second process that races here keeps the first one's files)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    owner = str(getattr(settings, "SAMVERKAN_OWNER", "Samverkansportalen"))
    now = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=5)

    def name(common: str) -> x509.Name:
        return x509.Name(
            [
                x509.NameAttribute(NameOID.COUNTRY_NAME, "SE"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, owner),
                x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "DEMO – ej för skarp drift"),
                x509.NameAttribute(NameOID.COMMON_NAME, common),
            ]
        )

    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = name("Samverkansportalen demo-CA")
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=365 * 20))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    crl_point = x509.CRLDistributionPoints(
        [
            x509.DistributionPoint(
                full_name=[x509.UniformResourceIdentifier(DEMO_CRL_URL)],
                relative_name=None,
                reasons=None,
                crl_issuer=None,
            )
        ]
    )

    def leaf(common: str, *, timestamping: bool) -> tuple[Any, Any]:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        builder = (
            x509.CertificateBuilder()
            .subject_name(name(common))
            .issuer_name(ca_name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now)
            .not_valid_after(now + datetime.timedelta(days=365 * 10))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=not timestamping,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=False,
                    crl_sign=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
            )
            .add_extension(crl_point, critical=False)
        )
        if timestamping:
            builder = builder.add_extension(
                x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
            )
        return builder.sign(ca_key, hashes.SHA256()), key

    seal_certificate, seal_key_ = leaf(f"{owner} – organisationssigill (demo)", timestamping=False)
    tsa, tsa_key = leaf("Samverkansportalen demo-tidsstämpel", timestamping=True)

    def key_pem(key: Any) -> bytes:
        return bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )

    def cert_pem(certificate: Any) -> bytes:
        return bytes(certificate.public_bytes(serialization.Encoding.PEM))

    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".seal-", dir=folder.parent))
    for file_name, content in {
        "ca.pem": cert_pem(ca),
        "ca-key.pem": key_pem(ca_key),
        "seal.pem": cert_pem(seal_certificate),
        "seal-key.pem": key_pem(seal_key_),
        "tsa.pem": cert_pem(tsa),
        "tsa-key.pem": key_pem(tsa_key),
    }.items():
        path = staging / file_name
        path.write_bytes(content)
        path.chmod(0o600)
    try:
        staging.rename(folder)
    except OSError:  # another process was first: its CA stands
        shutil.rmtree(staging, ignore_errors=True)


#: Where the demo CA says its revocation list is (``make run``'s address); nothing needs
#: to fetch it, as each sealed PDF embeds the list, but /verifiera/demo-ca.crl serves it.
DEMO_CRL_URL = "http://127.0.0.1:8000/verifiera/demo-ca.crl"


def _demo_crl(folder: Path) -> Any:
    """A fresh, empty revocation list of the demo CA (nothing is ever revoked)."""
    from asn1crypto import crl as asn1_crl
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization

    ca = x509.load_pem_x509_certificate((folder / "ca.pem").read_bytes())
    ca_key = serialization.load_pem_private_key((folder / "ca-key.pem").read_bytes(), None)
    now = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=5)
    revocations = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca.subject)
        .last_update(now)
        .next_update(now + datetime.timedelta(days=30))
        .add_extension(x509.CRLNumber(int(now.timestamp())), critical=False)
        .sign(ca_key, hashes.SHA256())  # type: ignore[arg-type]
    )
    return asn1_crl.CertificateList.load(revocations.public_bytes(serialization.Encoding.DER))


def demo_crl_der() -> bytes:
    key = seal_key()
    return bytes(key.crls[0].dump()) if key.crls else b""


# --- Sealing -----------------------------------------------------------------------------------


def _validation_context(key: SealKey, *, moment: datetime.datetime | None = None) -> Any:
    from pyhanko_certvalidator import ValidationContext

    return ValidationContext(
        trust_roots=list(key.trust_roots),
        other_certs=list(key.chain),
        crls=list(key.crls),
        allow_fetching=not key.demo,
        revocation_mode="soft-fail" if key.demo else (_env("REVOCATION_MODE") or "hard-fail"),
        moment=moment,
    )


def _outside_event_loop(function: Callable[..., T]) -> Callable[..., T]:
    """pyHanko's synchronous calls start an asyncio loop of their own, which Python
    refuses in a thread that already runs one (an async server, a test driving a
    browser): there the call runs in a thread of its own."""

    @functools.wraps(function)
    def call(*args: Any, **kwargs: Any) -> T:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return function(*args, **kwargs)
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(function, *args, **kwargs).result()

    return call


@_outside_event_loop
def seal_pdf(data: bytes, *, reason: str, location: str = "") -> bytes:
    """The PDF sealed with the organisation's key: an invisible PAdES signature over
    the whole file with its chain, its timestamp and the revocation data embedded in
    the same revision (B-LT), and a document timestamp when a timestamp authority is
    configured (B-LTA). The document's own metadata is left as it was (PDF/A), and
    the signature field is tagged, with a description (PDF/UA)."""
    from pyhanko.sign import fields, signers
    from pyhanko.sign.general import SigningError
    from pyhanko.sign.signers.pdf_signer import DSSContentSettings, SigDSSPlacementPreference

    key = seal_key()
    metadata = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        reason=reason,
        location=location or None,
        name=key.holder,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        embed_validation_info=True,
        use_pades_lta=key.document_timestamps,
        validation_context=_validation_context(key),
        dss_settings=DSSContentSettings(
            include_vri=False, placement=SigDSSPlacementPreference.TOGETHER_WITH_SIGNATURE
        ),
    )
    signer = signers.PdfSigner(metadata, signer=key.signer, timestamper=key.timestamper)
    try:
        # A fixed room for the signature spares pyHanko a trial signing to measure it
        # (half the sealing time); a chain too large for it is measured after all.
        return _sign(signer, data, reason, bytes_reserved=SIGNATURE_ROOM)
    except SigningError:  # the signature did not fit
        return _sign(signer, data, reason, bytes_reserved=None)


#: Room for the CMS signature, in hex digits (two a byte): the demo's is about 6 KB; a
#: bigger chain falls back to pyHanko's own measuring.
SIGNATURE_ROOM = 2 * 12 * 1024


def _sign(signer: Any, data: bytes, reason: str, *, bytes_reserved: int | None) -> bytes:
    writer = _writer(data)
    _tagged_signature_field(writer, description=reason)
    return bytes(signer.sign_pdf(writer, bytes_reserved=bytes_reserved).getvalue())


def _unambiguous_stream_ends() -> None:
    """pyHanko, like pydyf (``councils.pdfs._unambiguous_stream_ends``), writes a single
    LF between a stream's data and ``endstream``. The revision a seal adds carries the
    chain, the CRL and the OCSP answers as streams of DER bytes; one that ends in CR
    (a certificate of a run's demo CA does so one run in about 256, and then every seal
    of that run fails PDF/A's PDFA2A-STREAM-LENGTH-001) reads as CR LF line end with a
    /Length one byte too long. Such a stream gets CR LF as its own line end; the
    offsets stay right, as pyHanko records an object's position before writing it."""
    from pyhanko.pdf_utils import generic

    if getattr(generic.StreamObject, "_samverkan_stream_ends", False):
        return
    written = generic.StreamObject.write_to_stream

    def write_to_stream(
        self: Any, stream: Any, handler: Any = None, container_ref: Any = None
    ) -> None:
        buffer = io.BytesIO()
        written(self, buffer, handler, container_ref)
        raw = buffer.getvalue()
        if raw.endswith(b"\r\nendstream"):
            raw = raw[: -len(b"\nendstream")] + b"\r\nendstream"
        stream.write(raw)

    generic.StreamObject.write_to_stream = write_to_stream  # type: ignore[method-assign]
    generic.StreamObject._samverkan_stream_ends = True  # type: ignore[attr-defined]


def _writer(data: bytes) -> Any:
    """An incremental writer that leaves the document's Info and XMP metadata as the
    renderer wrote them (pyHanko would rewrite the XMP packet without the PDF/UA
    extension schema that PDF/A asks for)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    _unambiguous_stream_ends()

    class MetadataKeepingWriter(IncrementalPdfFileWriter):
        def _update_meta(self) -> None:
            return None

    return MetadataKeepingWriter(io.BytesIO(data), strict=False)


def _tagged_signature_field(writer: Any, *, description: str) -> None:
    """The invisible signature field on the last page, with a description (/TU) and
    a Form element in the structure tree that holds its widget (PDF/UA-1, 7.18)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.sign import fields

    last_page = int(writer.root["/Pages"]["/Count"]) - 1
    fields.append_signature_field(
        writer, fields.SigFieldSpec(sig_field_name=SIGNATURE_FIELD, on_page=last_page)
    )
    form = writer.root["/AcroForm"]
    field_ref = next(f for f in form["/Fields"] if f.get_object().get("/T") == SIGNATURE_FIELD)
    widget = field_ref.get_object()  # pyHanko merges the field and its widget
    widget["/TU"] = generic.TextStringObject(description)
    writer.update_container(widget)
    root = writer.root
    if "/StructTreeRoot" not in root:
        return
    page_ref, _ = writer.find_page_for_modification(last_page)
    page = page_ref.get_object()
    page["/Tabs"] = generic.NameObject("/S")
    writer.update_container(page)
    tree = root["/StructTreeRoot"]
    top = tree.raw_get("/K")
    top = top[0] if isinstance(top, generic.ArrayObject) else top
    document = top.get_object()
    parent_tree = tree["/ParentTree"]
    nums = parent_tree["/Nums"]
    numbered = [int(nums[i]) for i in range(0, len(nums), 2)]
    key = max([*numbered, int(tree.get("/ParentTreeNextKey", 0)) - 1]) + 1
    element_ref = writer.add_object(
        generic.DictionaryObject(
            {
                generic.NameObject("/Type"): generic.NameObject("/StructElem"),
                generic.NameObject("/S"): generic.NameObject("/Form"),
                generic.NameObject("/P"): top,
                generic.NameObject("/Pg"): page_ref,
                generic.NameObject("/Alt"): generic.TextStringObject(description),
                generic.NameObject("/K"): generic.DictionaryObject(
                    {
                        generic.NameObject("/Type"): generic.NameObject("/OBJR"),
                        generic.NameObject("/Obj"): field_ref,
                        generic.NameObject("/Pg"): page_ref,
                    }
                ),
            }
        )
    )
    kids = document.raw_get("/K")
    if not isinstance(kids, generic.ArrayObject):
        kids = generic.ArrayObject([kids])
        document["/K"] = kids
    kids.append(element_ref)
    writer.update_container(document)
    nums.extend([generic.NumberObject(key), element_ref])
    writer.update_container(parent_tree)
    tree["/ParentTreeNextKey"] = generic.NumberObject(key + 1)
    writer.update_container(tree)
    widget["/StructParent"] = generic.NumberObject(key)
    writer.update_container(widget)


# --- Checking ------------------------------------------------------------------------------------


@dataclass
class SealCheck:
    """What a look at a PDF's seal found. ``signer`` and ``fingerprint`` are those of
    the certificate the signature's SignerInfo names (issuer and serial number together,
    or subject key identifier: pyHanko's own rule), never of another certificate the
    file happens to carry; a page repeats the signer's name only when the seal is ours
    (it is text whoever made the file chose)."""

    signed: bool = False
    intact: bool = False
    valid: bool = False
    trusted: bool = False
    covers_whole_file: bool = False
    signer: str = ""
    fingerprint: str = ""
    signed_at: datetime.datetime | None = None
    timestamped: bool = False
    message_digest: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def ours(self) -> bool:
        """Made with the key of a seal certificate the portal holds: the signer is one
        of its certificates (by fingerprint, not by name) and the signature over the
        signed attributes verifies with that certificate's key. Whether the document
        is still as it was signed is ``intact``."""
        return self.valid and bool(self.fingerprint) and self.fingerprint in known_fingerprints()

    @property
    def authentic(self) -> bool:
        """Ours, the document unchanged, and the chain validated by pyHanko to the
        configured trust roots."""
        return self.ours and self.intact and self.trusted and self.covers_whole_file


def known_fingerprints() -> frozenset[str]:
    """The seal certificates this portal signs or signed with."""
    return frozenset({seal_key().fingerprint}) | _previous_fingerprints(
        _env("PREVIOUS_CERTIFICATES")
    )


@functools.cache
def _previous_fingerprints(paths: str) -> frozenset[str]:
    """The certificates of ``SAMVERKAN_SEAL_PREVIOUS_CERTIFICATES`` (read once)."""
    return frozenset(
        hashlib.sha256(c.dump()).hexdigest()
        for path in filter(None, paths.split(os.pathsep))
        for c in _load_pem_certificates(path)
    )


def check_ready() -> None:
    """Load what ``check_pdf`` needs (the key, the certificates, pyHanko's modules) in
    this process, once: a child forked to check a file (``samverkan.bounded``) then
    starts with them instead of loading them for each file."""
    import pyhanko.pdf_utils.reader
    import pyhanko.sign.diff_analysis
    import pyhanko.sign.general
    import pyhanko.sign.validation
    import pyhanko.sign.validation.generic_cms  # noqa: F401

    known_fingerprints()


@_outside_event_loop
def check_pdf(data: bytes) -> SealCheck:
    """Validate the seal of a PDF with pyHanko (the signature's digest against the
    bytes, its certificate against the trust roots with the embedded revocation data);
    never trusts what the file says of itself. A file too broken to read is still
    searched for a signature, so a changed copy of a sealed PDF is recognised."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature

    check = SealCheck()
    key = seal_key()
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = list(reader.embedded_regular_signatures)
    except Exception as error:  # a damaged file: find the signature by its bytes
        check.problems.append(f"{type(error).__name__}: {error}")
        return _check_raw(data, check)
    if not signatures:
        return check
    signature = signatures[0]
    check.signed = True
    _read_signer_info(check, signature.signer_info, signature.signed_data)
    try:
        status = validate_pdf_signature(signature, _validation_context(key))
    except Exception as error:
        check.problems.append(f"{type(error).__name__}: {error}")
        check.intact = False
        return check
    _name_signer(check, status.signing_cert)
    check.intact = bool(status.intact)
    check.valid = bool(status.valid)
    check.trusted = bool(status.trusted)
    check.covers_whole_file = _covers_whole_file(reader, signature, status)
    check.signed_at = (
        status.timestamp_validity.timestamp
        if status.timestamp_validity is not None
        else status.signer_reported_dt
    )
    check.timestamped = status.timestamp_validity is not None
    return check


def _covers_whole_file(reader: Any, signature: Any, status: Any) -> bool:
    """The signature covers the file but for the validation data and document
    timestamps that PAdES adds after it (nothing a reader would see as content)."""
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return True
    return (
        status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
        and status.modification_level is not None
        and status.modification_level <= ModificationLevel.LTA_UPDATES
    )


def _name_signer(check: SealCheck, certificate: Any) -> None:
    check.signer = distinguished_name(certificate, issuer=False)
    check.fingerprint = hashlib.sha256(certificate.dump()).hexdigest()


def _read_signer_info(check: SealCheck, signer_info: Any, signed_data: Any) -> None:
    """The signed digest, the certificate the SignerInfo names, and whether the
    signature over the signed attributes verifies with that certificate's key (whatever
    became of the document since: a changed copy of our seal is still ours)."""
    from pyhanko.sign.general import extract_certificate_info
    from pyhanko.sign.validation.generic_cms import validate_sig_integrity

    digest = b""
    for attribute in signer_info["signed_attrs"]:
        if attribute["type"].native == "message_digest":
            digest = attribute["values"][0].native
    check.message_digest = digest.hex()
    try:
        certificate = extract_certificate_info(signed_data).signer_cert
    except Exception as error:  # no certificate the SignerInfo names, or several SignerInfos
        check.problems.append(f"{type(error).__name__}: {error}")
        return
    _name_signer(check, certificate)
    try:
        content_type = signed_data["encap_content_info"]["content_type"].native
        _digest_ok, check.valid = validate_sig_integrity(
            signer_info, certificate, content_type, digest
        )
    except Exception as error:
        check.problems.append(f"{type(error).__name__}: {error}")
        check.valid = False


_CONTENTS = re.compile(rb"/Contents\s*<([0-9A-Fa-f]{200,})>")


def _check_raw(data: bytes, check: SealCheck) -> SealCheck:
    """A signature found in the raw bytes of a file no reader accepts: it names the
    document (by the digest it signed), but the file is not intact."""
    from asn1crypto import cms

    for match in _CONTENTS.finditer(data):
        try:
            content = cms.ContentInfo.load(bytes.fromhex(match.group(1).decode()).rstrip(b"\0"))
            signed_data = content["content"]
            signer_info = signed_data["signer_infos"][0]
        except Exception:  # noqa: S112 - not a signature; look on
            continue
        check.signed = True
        _read_signer_info(check, signer_info, signed_data)
        return check
    return check
