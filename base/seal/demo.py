"""The demonstration CA: made on the first start under ``DATA_DIR/seal/`` when no key is
configured, with a seal certificate and a timestamp unit; its revocation list is made
by whoever holds its key (the signer) and written beside it, so a verifier reads it
with the certificates, never the key."""

from __future__ import annotations

import datetime
import logging
import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings

from base.seal.material import (
    SealCertificates,
    SealKey,
    level,
    load_pem_certificates,
)

DEMO_DIR_NAME = "seal"
CRL_FILE = "ca.crl"


def folder() -> Path:
    return Path(settings.DATA_DIR) / DEMO_DIR_NAME


DEMO_FILES = ("ca.pem", "ca-key.pem", "seal.pem", "seal-key.pem", "tsa.pem", "tsa-key.pem")


def demo_certificates(folder: Path) -> SealCertificates:
    """The demo's certificates and its last revocation list (no key is read)."""
    if not all((folder / name).exists() for name in DEMO_FILES):
        make_demo_ca(folder)
    ca = load_pem_certificates(str(folder / "ca.pem"))[0]
    seal_certificate = load_pem_certificates(str(folder / "seal.pem"))[0]
    from asn1crypto import crl as asn1_crl

    crl_path = folder / CRL_FILE
    if not crl_path.exists():  # nothing has signed yet: the demo CA's first list
        write_crl(folder)
    crls = (asn1_crl.CertificateList.load(crl_path.read_bytes()),)
    return SealCertificates(
        certificate=seal_certificate,
        chain=(seal_certificate, ca),
        trust_roots=(ca,),
        crls=crls,
        level=level(timestamper=True, document_timestamps=False),
        demo=True,
        source="demo",
    )


def demo_key(folder: Path) -> SealKey:
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
        return load_pem_certificates(str(folder / name))[0]

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
    write_crl(folder)  # fresh for each process that signs; verifiers read it
    return SealKey(signer=signer, certificates=demo_certificates(folder), timestamper=timestamper)


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


def write_crl(folder: Path) -> None:
    """A fresh revocation list of the demo CA, written beside its certificates (in one
    step: a reader never sees half a file)."""
    data = make_crl(folder).dump()
    with tempfile.NamedTemporaryFile(dir=folder, delete=False, suffix=".crl") as handle:
        handle.write(data)
    Path(handle.name).replace(folder / CRL_FILE)


def crl_der() -> bytes:
    """The demo CA's revocation list as served at /verifiera/demo-ca.crl."""
    return bytes(demo_certificates(folder()).crls[0].dump())


def make_crl(folder: Path) -> Any:
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
