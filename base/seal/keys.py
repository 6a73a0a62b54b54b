"""Reading the seal from the configuration (``docs/deployment.md``): ``certificates()``
for anyone who verifies or shows the seal, ``seal_key()`` for the worker that signs."""

from __future__ import annotations

import functools
from typing import Any

from base.seal import demo
from base.seal.material import (
    SealCertificates,
    SealKey,
    env,
    level,
    load_pem_certificates,
    trust_roots,
)


@functools.cache
def certificates() -> SealCertificates:
    """The seal's certificates (read once per process), without its key where the
    configuration allows: ``SAMVERKAN_SEAL_CERTIFICATE`` names the chain (the seal's
    certificate first), all a web node that only verifies is given; the demo CA's are
    read from its folder. A PKCS#12 file or a
    token without that setting is opened for its certificates."""
    if env("CERTIFICATE"):  # with the key (a worker) or without it (a node that verifies)
        return _configured_certificates(load_pem_certificates(env("CERTIFICATE")), "")
    if env("PKCS11_MODULE") or env("PKCS12"):
        return seal_key().certificates
    return demo.demo_certificates(demo.folder())


@functools.cache
def seal_key() -> SealKey:
    """The configured seal with its key (read once per process): for signing only."""
    if env("PKCS11_MODULE"):
        return _pkcs11_key()
    if env("PKCS12"):
        return _pkcs12_key()
    return demo.demo_key(demo.folder())


def _pkcs12_key() -> SealKey:
    from pyhanko.sign import signers

    password = env("PKCS12_PASSWORD").encode() or None
    signer = signers.SimpleSigner.load_pkcs12(env("PKCS12"), passphrase=password)
    if signer is None:
        raise ValueError("SAMVERKAN_SEAL_PKCS12 could not be read (file or password)")
    return _configured_key(signer, [signer.signing_cert, *signer.cert_registry], "pkcs12")


def _pkcs11_key() -> SealKey:
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign import pkcs11

    session = pkcs11.open_pkcs11_session(
        env("PKCS11_MODULE"),
        token_criteria=TokenCriteria(label=env("PKCS11_TOKEN") or None),
        user_pin=env("PKCS11_PIN") or None,
    )
    certificates = load_pem_certificates(env("CERTIFICATE")) if env("CERTIFICATE") else []
    label = env("PKCS11_KEY") or "sigill"
    signer = pkcs11.PKCS11Signer(
        session,
        key_label=label,
        cert_label=None if certificates else label,
        signing_cert=certificates[0] if certificates else None,
        ca_chain=certificates[1:],
    )
    return _configured_key(signer, [signer.signing_cert, *certificates[1:]], "pkcs11")


def _configured_certificates(chain: list[Any], source: str) -> SealCertificates:
    return SealCertificates(
        certificate=chain[0],
        chain=tuple(chain),
        trust_roots=trust_roots(chain),
        level=level(timestamper=bool(env("TSA_URL")), document_timestamps=bool(env("TSA_URL"))),
        source=source,
    )


def _configured_key(signer: Any, chain: list[Any], source: str) -> SealKey:
    """A configured (not demo) key: its chain, trust roots and timestamp authority."""
    from pyhanko.sign import timestamps

    url = env("TSA_URL")
    return SealKey(
        signer=signer,
        certificates=_configured_certificates([signer.signing_cert, *chain[1:]], source),
        timestamper=timestamps.HTTPTimeStamper(url) if url else None,
        document_timestamps=bool(url),
    )
