"""What a seal is made of: the certificates a verifier needs (``SealCertificates``:
the seal's certificate, its chain, the trust roots, revocation lists) and the key that
signs (``SealKey``: a pyHanko signer beside those certificates); and what signing and
verifying share (the environment's settings, a validation context, a way out of a
running event loop)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime
import functools
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

SIGNATURE_FIELD = "Sigill"


@dataclass(frozen=True)
class SealCertificates:
    """What anyone who verifies a seal needs, and what a page tells of it: public."""

    certificate: Any  # asn1crypto x509.Certificate
    chain: tuple[Any, ...]
    trust_roots: tuple[Any, ...]
    crls: tuple[Any, ...] = ()
    level: str = "PAdES B-B"
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


@dataclass(frozen=True)
class SealKey:
    """What signs: a pyHanko signer and timestamper beside the seal's certificates."""

    signer: Any
    certificates: SealCertificates
    timestamper: Any = None
    document_timestamps: bool = False


def level(*, timestamper: bool, document_timestamps: bool) -> str:
    if document_timestamps:
        return "PAdES B-LTA"
    return "PAdES B-LT" if timestamper else "PAdES B-B"


def distinguished_name(certificate: Any, *, issuer: bool) -> str:
    """A certificate's subject (or issuer) as RFC 4514 writes it: CN=…,O=…,C=SE."""
    from cryptography import x509

    loaded = x509.load_der_x509_certificate(certificate.dump())
    return (loaded.issuer if issuer else loaded.subject).rfc4514_string()


def env(name: str) -> str:
    return os.environ.get(f"SAMVERKAN_SEAL_{name}", "")


def load_pem_certificates(path: str) -> list[Any]:
    from asn1crypto import pem, x509

    data = Path(path).read_bytes()
    if not pem.detect(data):
        return [x509.Certificate.load(data)]
    return [x509.Certificate.load(der) for _kind, _headers, der in pem.unarmor(data, multiple=True)]


def trust_roots(chain: list[Any]) -> tuple[Any, ...]:
    configured = env("TRUST_ROOTS")
    if configured:
        return tuple(load_pem_certificates(configured))
    roots = [c for c in chain if c.self_signed]
    return tuple(roots or chain[-1:])


def validation_context(key: SealCertificates, *, moment: datetime.datetime | None = None) -> Any:
    from pyhanko_certvalidator import ValidationContext

    return ValidationContext(
        trust_roots=list(key.trust_roots),
        other_certs=list(key.chain),
        crls=list(key.crls),
        allow_fetching=not key.demo,
        revocation_mode="soft-fail" if key.demo else (env("REVOCATION_MODE") or "hard-fail"),
        moment=moment,
    )


def outside_event_loop(function: Callable[..., T]) -> Callable[..., T]:
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
