"""Identity providers of the organisations, and the OpenID Connect protocol.

Providers are declared in a JSON file whose path is ``SAMVERKAN_SSO_PROVIDERS`` (none:
local accounts only). Each entry::

    {"slug": "krokom", "organisation": "krokoms-kommun", "protocol": "oidc",
     "issuer": "https://login.krokom.se", "client_id": "samverkan",
     "client_secret_env": "SSO_KROKOM_SECRET", "scopes": ["openid", "email", "profile"],
     "claims": {"subject": "sub", "email": "email", "name": "name"},
     "link_by": "email", "two_factor": ["http://schemas.microsoft.com/claims/multipleauthn"]}

The secret is read from the named environment variable, never from the file. The code
flow with PKCE (S256), a state and a nonce per sign-in kept in the session; the ID
token's signature checked against the provider's published keys, and its issuer,
audience, expiry and nonce (joserfc). Logout both ways: RP-initiated (the portal sends
the browser to the provider) and back-channel (the provider posts a logout token to
``/konto/inloggning/<slug>/utloggning/``, and the subject's portal sessions end).
"""

from __future__ import annotations

import json
import os
import secrets
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from django.conf import settings
from django.core.cache import cache as django_cache
from django.core.exceptions import ImproperlyConfigured
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet

TIMEOUT = 10


#: How a first sign-in finds the registered person: the e-mail address the provider
#: vouches for, or a claim holding the username the secretariat gave the account.
LINK_BY = {"email", "username"}
OIDC_CLAIMS = {
    "subject": "sub",
    "email": "email",
    "name": "name",
    "username": "preferred_username",
}
SAML_CLAIMS = {"subject": "nameid", "email": "mail", "name": "displayName", "username": "uid"}


class SignInError(Exception):
    """A sign-in the portal refuses: the message is for the person (translated by the
    caller), the reason for the log."""


@dataclass(frozen=True)
class Provider:
    slug: str
    organisation: str
    protocol: str
    issuer: str = ""
    client_id: str = ""
    client_secret_env: str = ""
    scopes: tuple[str, ...] = ("openid", "email", "profile")
    claims: dict[str, str] = field(default_factory=dict)
    link_by: str = "email"
    two_factor: tuple[str, ...] = ()
    #: The assurance levels asked for (``acr_values``); by default the two-factor ones:
    #: a voluntary request, the provider tells which one it used.
    acr_values: tuple[str, ...] = ()
    label: str = ""
    # SAML: the identity provider's entity id and its metadata (a file or a URL).
    entity_id: str = ""
    metadata_file: str = ""
    metadata_url: str = ""

    @property
    def client_secret(self) -> str:
        return os.environ.get(self.client_secret_env, "") if self.client_secret_env else ""

    def claim(self, claims: dict[str, Any], name: str) -> str:
        defaults = SAML_CLAIMS if self.protocol == "saml" else OIDC_CLAIMS
        value = claims.get(self.claims.get(name, defaults.get(name, name)))
        return "" if value is None else str(value)

    def counts_as_two_factor(self, assurance: str) -> bool:
        return bool(assurance) and assurance in self.two_factor


@cache
def _load(path: str, mtime: float) -> tuple[Provider, ...]:
    entries = json.loads(Path(path).read_text())
    providers = []
    for entry in entries:
        entry = dict(entry)
        if entry.get("link_by", "email") not in LINK_BY:
            raise ImproperlyConfigured(
                f"{path}: provider {entry.get('slug')!r} links by {entry['link_by']!r}; "
                f"choose one of {sorted(LINK_BY)}"
            )
        for key in ("scopes", "two_factor", "acr_values"):
            if key in entry:
                entry[key] = tuple(entry[key])
        providers.append(Provider(**entry))
    return tuple(providers)


def providers() -> tuple[Provider, ...]:
    """The configured providers (the file is read again when it changes)."""
    path = settings.SAMVERKAN_SSO_PROVIDERS
    if not path:
        return ()
    return _load(path, Path(path).stat().st_mtime)


def provider(slug: str) -> Provider | None:
    return next((p for p in providers() if p.slug == slug), None)


# --- OpenID Connect ------------------------------------------------------------------------


@cache
def _discovery(issuer: str, fetched: int) -> dict[str, Any]:
    response = requests.get(
        f"{issuer.rstrip('/')}/.well-known/openid-configuration", timeout=TIMEOUT
    )
    response.raise_for_status()
    document: dict[str, Any] = response.json()
    if document.get("issuer") != issuer:
        raise SignInError(f"the discovery document names issuer {document.get('issuer')!r}")
    return document


def discovery(issuer: str) -> dict[str, Any]:
    """The provider's metadata, fetched at most once an hour."""
    return _discovery(issuer, int(time.time() // 3600))


def _session(provider: Provider, redirect_uri: str) -> OAuth2Session:
    return OAuth2Session(
        client_id=provider.client_id,
        client_secret=provider.client_secret,
        scope=" ".join(provider.scopes),
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
    )


def oidc_start(provider: Provider, redirect_uri: str) -> tuple[str, dict[str, str]]:
    """The provider's authorisation URL, and what the session keeps until the return:
    state, nonce and the PKCE verifier."""
    metadata = discovery(provider.issuer)
    pending = {
        "provider": provider.slug,
        "state": secrets.token_urlsafe(24),
        "nonce": secrets.token_urlsafe(24),
        "verifier": generate_token(64),
    }
    extra = {}
    if provider.acr_values or provider.two_factor:
        extra["acr_values"] = " ".join(provider.acr_values or provider.two_factor)
    url, _state = _session(provider, redirect_uri).create_authorization_url(
        metadata["authorization_endpoint"],
        state=pending["state"],
        nonce=pending["nonce"],
        code_verifier=pending["verifier"],
        **extra,
    )
    return url, pending


def oidc_finish(
    provider: Provider, redirect_uri: str, pending: dict[str, str], params: dict[str, str]
) -> dict[str, Any]:
    """Exchange the code for tokens and return the ID token's claims, checked."""
    if "error" in params:
        raise SignInError(f"the provider answered {params['error']}")
    if not pending or pending.get("provider") != provider.slug:
        raise SignInError("no sign-in was started here")
    if not secrets.compare_digest(params.get("state", ""), pending["state"]):
        raise SignInError("the state does not match")
    if params.get("iss") and params["iss"] != provider.issuer:
        raise SignInError("the response names another issuer")
    metadata = discovery(provider.issuer)
    try:
        token = _session(provider, redirect_uri).fetch_token(
            metadata["token_endpoint"],
            code=params.get("code", ""),
            code_verifier=pending["verifier"],
            timeout=TIMEOUT,
        )
    except Exception as error:  # the provider refused the code (or was not reachable)
        raise SignInError(f"the token request failed: {error}") from error
    id_token = token.get("id_token")
    if not id_token:
        raise SignInError("no ID token")
    claims = validate_id_token(provider, id_token, nonce=pending["nonce"])
    if metadata.get("userinfo_endpoint") and token.get("access_token"):
        # Claims of the scopes (e-mail, name) may come only from the userinfo endpoint;
        # they count only for the subject the ID token names.
        response = requests.get(
            metadata["userinfo_endpoint"],
            headers={"Authorization": f"Bearer {token['access_token']}"},
            timeout=TIMEOUT,
        )
        if response.ok:
            info = response.json()
            if info.get("sub") != claims["sub"]:
                raise SignInError("the userinfo names another subject")
            claims = {**info, **claims}
    claims["_id_token"] = id_token
    return claims


def _now() -> float:
    return time.time()


#: The provider's published keys are kept in the shared cache for five minutes, so every
#: node signs in with the same keys and a rotation fetched by one is seen by all.
KEYS_SECONDS = 300
#: At most one fetch a minute per provider for a key id not among them, across every
#: node: anyone may post a token naming any key.
KEYS_REFRESH_SECONDS = 60


def _fetch_keys(jwks_uri: str) -> Any:
    keys = requests.get(jwks_uri, timeout=TIMEOUT)
    keys.raise_for_status()
    published = keys.json()
    django_cache.set(f"oidc:keys:{jwks_uri}", published, KEYS_SECONDS)
    return published


def _key_set(jwks_uri: str) -> KeySet:
    published = django_cache.get(f"oidc:keys:{jwks_uri}")
    return KeySet.import_key_set(published if published is not None else _fetch_keys(jwks_uri))


def _decode(provider: Provider, token: str) -> Any:
    """A JWT of the provider with its signature checked against the published keys
    (a token signed with a key not among them fetches them anew, at most once a minute
    across all nodes: the provider rotated its keys)."""
    uri = discovery(provider.issuer)["jwks_uri"]
    try:
        return jwt.decode(token, _key_set(uri))
    except InvalidKeyIdError:  # not a bad signature: only a key we have not seen
        # SET NX in the shared cache: one fetch a minute, whichever node asks.
        if not django_cache.add(f"oidc:keys-refreshed:{uri}", True, KEYS_REFRESH_SECONDS):
            return jwt.decode(token, _key_set(uri))  # another node's fetch, if any
        return jwt.decode(token, KeySet.import_key_set(_fetch_keys(uri)))


def validate_id_token(provider: Provider, id_token: str, *, nonce: str) -> dict[str, Any]:
    """The claims of an ID token whose signature, issuer, audience, times and nonce hold."""
    try:
        decoded = _decode(provider, id_token)
        jwt.JWTClaimsRegistry(
            now=int(_now()),
            leeway=settings.SAMVERKAN_SSO_CLOCK_SKEW_SECONDS,
            iss={"essential": True, "value": provider.issuer},
            aud={"essential": True, "value": provider.client_id},
            sub={"essential": True},
            exp={"essential": True},
            nonce={"essential": True, "value": nonce},
        ).validate(decoded.claims)
    except (JoseError, ValueError) as error:
        raise SignInError(f"the ID token does not hold: {error}") from error
    claims: dict[str, Any] = dict(decoded.claims)
    return claims


#: The event a logout token carries (OpenID Connect Back-Channel Logout 1.0, 2.4).
BACKCHANNEL_LOGOUT = "http://schemas.openid.net/event/backchannel-logout"
#: How old a logout token may be (its ``iat``), besides the clock skew allowed.
LOGOUT_TOKEN_SECONDS = 300


def validate_logout_token(provider: Provider, token: str) -> dict[str, Any]:
    """The claims of a logout token the provider sent to end the sessions of a subject
    (Back-Channel Logout 1.0, 2.6): signed by the provider, for us, recent, with an id
    (``jti``), the logout event and no nonce; and naming the subject (``sub``: the
    portal knows its accounts by subject; a token with only a session id is refused)."""
    try:
        decoded = _decode(provider, token)
        now = int(_now())
        jwt.JWTClaimsRegistry(
            now=now,
            leeway=settings.SAMVERKAN_SSO_CLOCK_SKEW_SECONDS,
            iss={"essential": True, "value": provider.issuer},
            aud={"essential": True, "value": provider.client_id},
            sub={"essential": True},
            iat={"essential": True},
            jti={"essential": True},
        ).validate(decoded.claims)
    except (JoseError, ValueError) as error:
        raise SignInError(f"the logout token does not hold: {error}") from error
    claims: dict[str, Any] = dict(decoded.claims)
    events = claims.get("events")
    if not isinstance(events, dict) or BACKCHANNEL_LOGOUT not in events:
        raise SignInError("the logout token carries no logout event")
    if "nonce" in claims:
        raise SignInError("a logout token must not carry a nonce")
    age = now - int(claims["iat"])
    if age > LOGOUT_TOKEN_SECONDS + settings.SAMVERKAN_SSO_CLOCK_SKEW_SECONDS:
        raise SignInError(f"the logout token is {age} seconds old")
    return claims


def oidc_logout_url(provider: Provider, id_token: str, after: str) -> str | None:
    """Where the browser goes to end the provider's session too (RP-initiated logout)."""
    endpoint = discovery(provider.issuer).get("end_session_endpoint")
    if not endpoint:
        return None
    request = requests.Request(
        "GET",
        endpoint,
        params={
            "id_token_hint": id_token,
            "post_logout_redirect_uri": after,
            "client_id": provider.client_id,
        },
    )
    return str(request.prepare().url)
