"""Checking a PDF's seal: pyHanko validates the signature against the bytes and the
signer's chain against the trust roots, with the certificates only (``keys.certificates``);
"ours" is decided by the fingerprint of the certificate the signature names."""

from __future__ import annotations

import datetime
import functools
import hashlib
import io
import os
import re
from dataclasses import dataclass, field
from typing import Any

from base.seal.keys import certificates
from base.seal.material import (
    distinguished_name,
    env,
    load_pem_certificates,
    outside_event_loop,
    validation_context,
)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


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
    return frozenset({certificates().fingerprint}) | _previous_fingerprints(
        env("PREVIOUS_CERTIFICATES")
    )


@functools.cache
def _previous_fingerprints(paths: str) -> frozenset[str]:
    """The certificates of ``SAMVERKAN_SEAL_PREVIOUS_CERTIFICATES`` (read once)."""
    return frozenset(
        hashlib.sha256(c.dump()).hexdigest()
        for path in filter(None, paths.split(os.pathsep))
        for c in load_pem_certificates(path)
    )


def check_ready() -> None:
    """Load what ``check_pdf`` needs (the key, the certificates, pyHanko's modules) in
    this process, once: a child forked to check a file (``base.bounded``) then
    starts with them instead of loading them for each file."""
    import pyhanko.pdf_utils.reader
    import pyhanko.sign.diff_analysis
    import pyhanko.sign.general
    import pyhanko.sign.validation
    import pyhanko.sign.validation.generic_cms  # noqa: F401

    known_fingerprints()


@outside_event_loop
def check_pdf(data: bytes) -> SealCheck:
    """Validate the seal of a PDF with pyHanko (the signature's digest against the
    bytes, its certificate against the trust roots with the embedded revocation data);
    never trusts what the file says of itself. A file too broken to read is still
    searched for a signature, so a changed copy of a sealed PDF is recognised."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature

    check = SealCheck()
    key = certificates()
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = list(reader.embedded_regular_signatures)
    except MemoryError:  # past the caller's bound (base.bounded): never "no seal"
        raise
    except Exception as error:  # a damaged file: find the signature by its bytes
        check.problems.append(f"{type(error).__name__}: {error}")
        return _check_raw(data, check)
    if not signatures:
        return check
    signature = signatures[0]
    check.signed = True
    _read_signer_info(check, signature.signer_info, signature.signed_data)
    try:
        status = validate_pdf_signature(signature, validation_context(key))
    except MemoryError:
        raise
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
