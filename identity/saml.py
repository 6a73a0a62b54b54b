"""SAML 2.0: the portal as a service provider (pysaml2, signatures checked by Debian's
``xmlsec1``), for the providers of ``identity.providers`` whose protocol is ``saml``.

A provider entry names the identity provider's metadata (``metadata_file`` or
``metadata_url``) and its ``entity_id``; the claims map SAML attributes (default: the
NameID as subject, ``mail`` and ``displayName``). The portal's own metadata is at
``/konto/saml/metadata/``; its key and certificate come from
``SAMVERKAN_SAML_KEY_FILE`` / ``SAMVERKAN_SAML_CERT_FILE``, or are made once under the
data folder. Assertions must be signed; audience, validity window, the request the
answer belongs to (InResponseTo) and the destination are checked by pysaml2.
"""

from __future__ import annotations

import datetime
import shutil
import time
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.conf import settings

from identity.providers import Provider, SignInError, providers

if TYPE_CHECKING:
    from saml2.client import Saml2Client
    from saml2.config import SPConfig

# pysaml2's names for them, written out: importing pysaml2 parses its XML schemas (half
# a second of every process's start), which only a SAML sign-in needs, so it is imported
# where one is made (a test holds these to pysaml2's own).
BINDING_HTTP_POST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
BINDING_HTTP_REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
NAMEID_FORMAT_PERSISTENT = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"

METADATA_PATH = "/konto/saml/metadata/"
ACS_PATH = "/konto/saml/acs/"
SLS_PATH = "/konto/saml/utloggning/"


def _key_pair() -> tuple[str, str]:
    """The service provider's key and certificate (made once when not configured)."""
    key_file = settings.SAMVERKAN_SAML_KEY_FILE
    cert_file = settings.SAMVERKAN_SAML_CERT_FILE
    if key_file and cert_file:
        return key_file, cert_file
    folder = Path(settings.DATA_DIR) / "saml"
    key_path, cert_path = folder / "sp.key", folder / "sp.crt"
    if not key_path.exists() or not cert_path.exists():
        make_key_pair(key_path, cert_path, settings.SAMVERKAN_SITE_NAME)
    return str(key_path), str(cert_path)


def make_key_pair(key_path: Path, cert_path: Path, common_name: str) -> None:
    """A service provider's key (RSA 2048, readable by its owner only) and its
    self-signed certificate for ten years: what SAML metadata publishes."""
    key_path.parent.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))


def _config(base: str, providers: list[Provider]) -> SPConfig:
    """The service provider's configuration, built once per site address, key pair and
    metadata (a local file again when it changes, a remote one at most hourly): loading
    it reads and checks every provider's metadata."""
    sources = tuple(
        (
            p.metadata_file,
            Path(p.metadata_file).stat().st_mtime if p.metadata_file else 0.0,
            p.metadata_url,
        )
        for p in providers
    )
    return _loaded_config(base, sources, _key_pair(), int(time.time() // 3600))


@lru_cache(maxsize=8)
def _loaded_config(
    base: str,
    sources: tuple[tuple[str, float, str], ...],
    key_pair: tuple[str, str],
    hour: int,
) -> SPConfig:
    from saml2.config import SPConfig

    key_file, cert_file = key_pair
    local = [file for file, _mtime, _url in sources if file]
    remote = [{"url": url} for _file, _mtime, url in sources if url]
    config = SPConfig()
    config.load(
        {
            "entityid": f"{base}{METADATA_PATH}",
            "xmlsec_binary": shutil.which("xmlsec1") or "/usr/bin/xmlsec1",
            "service": {
                "sp": {
                    "name": settings.SAMVERKAN_SITE_NAME,
                    "endpoints": {
                        "assertion_consumer_service": [(f"{base}{ACS_PATH}", BINDING_HTTP_POST)],
                        "single_logout_service": [(f"{base}{SLS_PATH}", BINDING_HTTP_REDIRECT)],
                    },
                    "want_assertions_signed": True,
                    "want_response_signed": False,
                    "allow_unsolicited": False,
                    "name_id_format": NAMEID_FORMAT_PERSISTENT,
                }
            },
            "metadata": {"local": local, **({"remote": remote} if remote else {})},
            "key_file": key_file,
            "cert_file": cert_file,
            "encryption_keypairs": [{"key_file": key_file, "cert_file": cert_file}],
            "allow_unknown_attributes": True,
            "accepted_time_diff": 60,
        }
    )
    return config


def saml_providers() -> list[Provider]:
    return [p for p in providers() if p.protocol == "saml"]


def client(base: str) -> Saml2Client:
    from saml2.client import Saml2Client

    return Saml2Client(config=_config(base, saml_providers()))


def sp_metadata(base: str) -> str:
    from saml2.metadata import entity_descriptor

    descriptor = entity_descriptor(_config(base, saml_providers()))
    return str(descriptor)


def saml_start(provider: Provider, base: str, relay_state: str) -> tuple[str, str]:
    """The identity provider's URL with the signed-in request, and the request's id."""
    request_id, info = client(base).prepare_for_authenticate(
        entityid=provider.entity_id, relay_state=relay_state, binding=BINDING_HTTP_REDIRECT
    )
    location = dict(info["headers"])["Location"]
    return location, request_id


def in_response_to(response: str) -> str:
    """The id of the request a posted (base64) SAMLResponse answers, read before any
    check (the checks need the request's id)."""
    import base64
    import binascii

    from defusedxml import ElementTree

    try:
        root = ElementTree.fromstring(base64.b64decode(response, validate=False))
    except (binascii.Error, ValueError, ElementTree.ParseError):
        return ""
    return str(root.get("InResponseTo", ""))[:200]


def _session_index(parsed: Any) -> str:
    for statement in parsed.assertion.authn_statement if parsed.assertion else []:
        if statement.session_index:
            return str(statement.session_index)
    return ""


def saml_finish(
    base: str, response: str, outstanding: dict[str, str]
) -> tuple[Provider, dict[str, Any], str]:
    """The provider, claims and assurance level of a posted SAMLResponse, checked."""
    try:
        parsed = client(base).parse_authn_request_response(
            response, BINDING_HTTP_POST, outstanding=outstanding
        )
    except Exception as error:  # pysaml2 raises many kinds for a response it refuses
        raise SignInError(
            f"the SAML response does not hold: {type(error).__name__}: {error}"
        ) from error
    if parsed is None:
        raise SignInError("the SAML response does not hold")
    issuer = parsed.issuer()
    provider = next((p for p in saml_providers() if p.entity_id == issuer), None)
    if provider is None:
        raise SignInError(f"no provider is configured for {issuer!r}")
    attributes = {key: values[0] if values else "" for key, values in parsed.get_identity().items()}
    subject = parsed.get_subject()
    claims: dict[str, Any] = {
        **attributes,
        "nameid": subject.text if subject is not None else "",
        # An attribute the organisation's identity provider signed is its word.
        "email_verified": True,
        "_saml_session": {
            "name_id": subject.text if subject is not None else "",
            "name_id_format": (subject.format or "") if subject is not None else "",
            "session_index": _session_index(parsed),
        },
    }
    assurance = ""
    for statement in parsed.authn_info():
        assurance = statement[0] or ""
    return provider, claims, assurance


def _name_id(text: str, name_format: str) -> Any:
    from saml2.saml import NameID

    return NameID(text=text, format=name_format or NAMEID_FORMAT_PERSISTENT)


def saml_logout_url(provider: Provider, base: str, session: dict[str, str]) -> str | None:
    """Where the browser goes so that the identity provider ends its session too
    (SP-initiated single logout, HTTP-Redirect), or None when it offers none."""
    sp = client(base)
    try:
        destinations = sp.metadata.single_logout_service(
            provider.entity_id, BINDING_HTTP_REDIRECT, "idpsso"
        )
    except Exception:  # the provider's metadata names no logout service
        return None
    if not destinations:
        return None
    destination = destinations[0]["location"]
    _request_id, request = sp.create_logout_request(
        destination,
        provider.entity_id,
        name_id=_name_id(session.get("name_id", ""), session.get("name_id_format", "")),
        session_indexes=[session["session_index"]] if session.get("session_index") else None,
    )
    info = sp.apply_binding(BINDING_HTTP_REDIRECT, str(request), destination, relay_state="")
    return str(dict(info["headers"])["Location"])


def saml_logout_message(base: str, query: dict[str, str]) -> tuple[str, str, str | None]:
    """A message at the logout service: the provider's answer to our logout request
    ("response", …), or its own logout request ("request", the NameID it ends, and the
    URL of our answer). Signatures and destination are checked by pysaml2."""
    sp = client(base)
    if "SAMLResponse" in query:
        try:
            sp.parse_logout_request_response(query["SAMLResponse"], BINDING_HTTP_REDIRECT)
        except Exception as error:
            raise SignInError(f"the logout response does not hold: {error}") from error
        return "response", "", None
    if "SAMLRequest" not in query:
        raise SignInError("no SAML message")
    if not query.get("Signature") or not query.get("SigAlg"):
        # An unsigned request could end anyone's sessions: only a signed one counts.
        raise SignInError("the logout request is not signed")
    try:
        request = sp.parse_logout_request(
            query["SAMLRequest"],
            BINDING_HTTP_REDIRECT,
            relay_state=query.get("RelayState"),
            sigalg=query.get("SigAlg"),
            signature=query.get("Signature"),
        )
    except Exception as error:
        raise SignInError(f"the logout request does not hold: {error}") from error
    message = request.message
    issuer = message.issuer.text if message.issuer is not None else ""
    name_id = message.name_id.text if message.name_id is not None else ""
    response = sp.create_logout_response(message, [BINDING_HTTP_REDIRECT])
    destinations = sp.metadata.single_logout_service(issuer, BINDING_HTTP_REDIRECT, "idpsso")
    if not destinations:
        return "request", name_id, None
    destination = destinations[0]["location"]
    info = sp.apply_binding(
        BINDING_HTTP_REDIRECT,
        str(response),
        destination,
        query.get("RelayState", ""),
        response=True,
    )
    return "request", f"{issuer}\n{name_id}", str(dict(info["headers"])["Location"])
