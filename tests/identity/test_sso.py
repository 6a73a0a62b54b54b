"""Signing in through an organisation's identity provider, against a real OpenID
Connect provider started here (the certified ``oidc-provider`` package from npm, run
with Node: tests/idp/oidc.mjs): discovery, the code flow with PKCE, ID tokens signed
with its keys, RP-initiated logout. Nothing of the protocol is mocked; the test plays
the browser between the portal (Django's test client) and the provider (requests)."""

from __future__ import annotations

import base64
import html
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urljoin, urlparse

import pytest
import requests
from django.conf import settings
from django.test import Client
from joserfc.errors import JoseError

from base.accounts import User
from councils.models import Person
from identity import providers as identity
from identity.models import ExternalIdentity
from tests.factories import OrganisationFactory, PersonFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("identity-providers")]

IDP = Path(settings.BASE_DIR) / "tests" / "idp"
PASSWORD = "urn:samverkan:test:password"
MFA = "urn:samverkan:test:mfa"
CALLBACK = "http://testserver/konto/inloggning/{slug}/tillbaka/"
ACCOUNTS = {
    "anna": {"email": "anna.berg@krokom.se", "email_verified": True, "name": "Anna Berg"},
    "bo": {
        "email": "bo.ek@krokom.se",
        "email_verified": False,
        "name": "Bo Ek",
        "preferred_username": "e1042",
    },
    "cia": {"email": "cia.ny@krokom.se", "email_verified": True, "name": "Cia Ny"},
    "sara": {"email": "sara.kansli@krokom.se", "email_verified": True, "name": "Sara Kansli"},
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start_idp(config: dict[str, Any]) -> subprocess.Popen[bytes]:
    node = shutil.which("node")
    if node is None or not (IDP / "node_modules" / "oidc-provider").exists():
        pytest.fail("Node and tests/idp/node_modules are needed: make idp-tools")
    process = subprocess.Popen(  # noqa: S603 - our own test provider
        [node, str(IDP / "oidc.mjs")],
        env={**os.environ, "OIDC_TEST_CONFIG": json.dumps(config)},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            requests.get(f"{config['issuer']}/.well-known/openid-configuration", timeout=1)
            return process
        except requests.ConnectionError:
            time.sleep(0.2)
    process.kill()
    pytest.fail("the OpenID provider did not start")


class _LogoutTokens(BaseHTTPRequestHandler):
    """Where the provider posts its logout tokens (the portal's back-channel logout
    address stands here: the portal runs in Django's test client, which the provider
    cannot reach; the test hands each token on to the portal as the provider would)."""

    server: Any

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        self.server.tokens.append(parse_qs(body)["logout_token"][0])
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def idp() -> Iterator[dict[str, Any]]:
    port = _free_port()
    issuer = f"http://127.0.0.1:{port}"
    catcher = ThreadingHTTPServer(("127.0.0.1", 0), _LogoutTokens)
    catcher.tokens = []
    threading.Thread(target=catcher.serve_forever, daemon=True).start()
    clients = [
        {
            "client_id": client_id,
            "client_secret": f"{client_id}-secret",
            "redirect_uris": [CALLBACK.format(slug=slug)],
            "post_logout_redirect_uris": ["http://testserver/"],
            "backchannel_logout_uri": f"http://127.0.0.1:{catcher.server_port}/{slug}",
        }
        for client_id, slug in (("samverkan", "krokom"), ("other-app", "other"))
    ]
    config = {
        "issuer": issuer,
        "port": port,
        "acrValues": [PASSWORD, MFA],
        "clients": clients,
        "accounts": ACCOUNTS,
    }
    process = _start_idp(config)
    try:
        yield {**config, "logout_tokens": catcher.tokens}
    finally:
        process.terminate()
        process.wait(timeout=10)
        catcher.shutdown()


@pytest.fixture
def providers(idp: dict[str, Any], tmp_path: Path, settings: Any, monkeypatch: Any) -> Any:
    """The portal's providers file: Krokom's provider, and a second client of the same
    provider (another application) to show a token for it is not one for us."""
    krokom = OrganisationFactory(name="Krokoms kommun", slug="krokoms-kommun", kind="kommun")
    entries = [
        {
            "slug": slug,
            "organisation": "krokoms-kommun",
            "protocol": "oidc",
            "issuer": idp["issuer"],
            "client_id": client_id,
            "client_secret_env": f"SSO_{slug.upper()}_SECRET",
            "two_factor": [MFA],
            "acr_values": [MFA, PASSWORD],
        }
        for slug, client_id in (("krokom", "samverkan"), ("other", "other-app"))
    ]
    path = tmp_path / "providers.json"
    path.write_text(json.dumps(entries))
    settings.SAMVERKAN_SSO_PROVIDERS = str(path)
    monkeypatch.setenv("SSO_KROKOM_SECRET", "samverkan-secret")
    monkeypatch.setenv("SSO_OTHER_SECRET", "other-app-secret")
    return krokom


def _at_the_idp(
    start: str, issuer: str, account: str, acr: str, browser: requests.Session | None = None
) -> str:
    """A browser at the provider: signs in as ``account`` and returns the URL the
    provider sends it back to (the portal's callback)."""
    browser = browser or requests.Session()
    location = start
    for _ in range(10):
        if location.startswith("http://testserver"):
            return location
        if "/interaction/" in location:
            browser.get(location, timeout=10)
            response = browser.post(
                location, data={"account": account, "acr": acr}, allow_redirects=False, timeout=10
            )
        else:
            response = browser.get(location, allow_redirects=False, timeout=10)
        assert response.status_code in (302, 303), (response.status_code, response.text[:300])
        location = urljoin(issuer, response.headers["Location"])
    raise AssertionError("the provider never sent the browser back")


def _sign_in(
    client: Client, idp: dict[str, Any], account: str, acr: str = PASSWORD, slug: str = "krokom"
) -> Any:
    response = client.get(f"/konto/inloggning/{slug}/")
    assert response.status_code == 302
    query = parse_qs(urlparse(response.url).query)
    assert query["code_challenge_method"] == ["S256"]  # PKCE
    assert query["nonce"]
    assert query["state"]
    return client.get(_at_the_idp(response.url, idp["issuer"], account, acr))


def _user(client: Client) -> Any:
    return client.get("/konto/").wsgi_request.user


def test_the_login_page_offers_the_provider(client: Client, providers: Any) -> None:
    page = client.get("/logga-in/").content.decode()
    assert "Logga in via Krokoms kommun" in page
    assert "/konto/inloggning/krokom/" in page


def test_a_first_sign_in_links_the_registered_person(
    client: Client, idp: dict[str, Any], providers: Any
) -> None:
    user = UserFactory(username="anna")
    anna = PersonFactory(organisation=providers, email="Anna.Berg@krokom.se", user=user)
    response = _sign_in(client, idp, "anna")
    assert response.status_code == 302
    assert _user(client) == user
    (linked,) = ExternalIdentity.objects.all()
    assert (linked.user, linked.subject, linked.linked_by) == (user, "anna", "email")
    assert linked.last_assurance == PASSWORD
    # The next time the same subject finds the account without the e-mail rule.
    Person.objects.filter(pk=anna.pk).update(email="")
    client.logout()
    _sign_in(client, idp, "anna")
    assert _user(client) == user


def test_an_unknown_or_unverified_person_is_refused_until_self_registration(
    client: Client, idp: dict[str, Any], providers: Any
) -> None:
    PersonFactory(organisation=providers, email="bo.ek@krokom.se")  # unverified at the IdP
    for account in ("cia", "bo"):
        response = _sign_in(client, idp, account)
        assert response.url == "/logga-in/"
        assert not _user(client).is_authenticated
    assert ExternalIdentity.objects.count() == 0
    providers.self_registration = True
    providers.save()
    _sign_in(client, idp, "cia")
    user = _user(client)
    assert user.is_authenticated
    person = Person.objects.get(user=user)
    assert person.organisation == providers
    assert not person.memberships.exists()
    assert not user.groups.exists()
    assert not user.is_staff


def test_a_deactivated_account_is_refused_whatever_the_provider_says(
    client: Client, idp: dict[str, Any], providers: Any
) -> None:
    user = UserFactory(is_active=False)
    PersonFactory(organisation=providers, email="anna.berg@krokom.se", user=user)
    response = _sign_in(client, idp, "anna")
    assert response.url == "/logga-in/"
    assert not _user(client).is_authenticated


def test_a_token_for_another_audience_a_tampered_one_or_a_replayed_answer_is_refused(
    client: Client, idp: dict[str, Any], providers: Any
) -> None:
    PersonFactory(organisation=providers, email="anna.berg@krokom.se", user=UserFactory())
    ours = identity.provider("krokom")
    other = identity.provider("other")
    assert ours is not None
    assert other is not None
    # A real ID token the provider issued to the other application.
    start, pending = identity.oidc_start(other, CALLBACK.format(slug="other"))
    back = _at_the_idp(start, idp["issuer"], "anna", PASSWORD)
    params = {k: v[0] for k, v in parse_qs(urlparse(back).query).items()}
    claims = identity.oidc_finish(other, CALLBACK.format(slug="other"), pending, params)
    token = claims["_id_token"]
    with pytest.raises(identity.SignInError, match="aud"):
        identity.validate_id_token(ours, token, nonce=pending["nonce"])
    # The same token with one character of its signature changed.
    head, body, signature = token.split(".")
    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]
    with pytest.raises(identity.SignInError):
        identity.validate_id_token(other, f"{head}.{body}.{flipped}", nonce=pending["nonce"])
    # A nonce that is not this sign-in's.
    with pytest.raises(identity.SignInError, match="nonce"):
        identity.validate_id_token(other, token, nonce="another")
    # The provider's answer replayed: its code is spent, and the state no longer waits.
    response = client.get(
        _at_the_idp(client.get("/konto/inloggning/krokom/").url, idp["issuer"], "anna", PASSWORD)
    )
    assert _user(client).is_authenticated
    client.logout()
    replay = client.get(back.replace("/other/", "/krokom/"))
    assert replay.url == "/logga-in/"
    assert not _user(client).is_authenticated
    assert response.status_code == 302


def test_an_expired_token_is_refused(providers: Any, settings: Any, tmp_path: Path) -> None:
    """A provider whose ID tokens live one second; the token is checked three seconds
    later, with no allowance for clock skew: refused for its expiry."""
    port = _free_port()
    issuer = f"http://127.0.0.1:{port}"
    process = _start_idp(
        {
            "issuer": issuer,
            "port": port,
            "acrValues": [PASSWORD, MFA],
            "idTokenSeconds": 1,
            "clients": [
                {
                    "client_id": "samverkan",
                    "client_secret": "samverkan-secret",
                    "redirect_uris": [CALLBACK.format(slug="short")],
                }
            ],
            "accounts": ACCOUNTS,
        }
    )
    try:
        short = identity.Provider(
            slug="short",
            organisation="krokoms-kommun",
            protocol="oidc",
            issuer=issuer,
            client_id="samverkan",
            client_secret_env="SSO_KROKOM_SECRET",
        )
        start, pending = identity.oidc_start(short, CALLBACK.format(slug="short"))
        back = _at_the_idp(start, issuer, "anna", PASSWORD)
        params = {k: v[0] for k, v in parse_qs(urlparse(back).query).items()}
        token = identity.oidc_finish(short, CALLBACK.format(slug="short"), pending, params)
        settings.SAMVERKAN_SSO_CLOCK_SKEW_SECONDS = 0
        time.sleep(3)
        with pytest.raises(identity.SignInError, match="exp"):
            identity.validate_id_token(short, token["_id_token"], nonce=pending["nonce"])
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_the_assurance_level_decides_about_the_portals_own_code(
    idp: dict[str, Any], providers: Any, settings: Any
) -> None:
    settings.SAMVERKAN_REQUIRE_2FA = True
    user = UserFactory(secretariat=True)
    PersonFactory(organisation=providers, email="sara.kansli@krokom.se", user=user)
    with_password = Client()
    _sign_in(with_password, idp, "sara", PASSWORD)
    response = with_password.get("/")
    assert response.status_code == 302
    assert response.url.startswith("/konto/tvastegs/")
    with_mfa = Client()
    _sign_in(with_mfa, idp, "sara", MFA)
    assert with_mfa.get("/").status_code == 200
    assert ExternalIdentity.objects.get(user=user).last_assurance == MFA


def test_logging_out_ends_the_portal_session_and_the_providers(
    client: Client, idp: dict[str, Any], providers: Any
) -> None:
    PersonFactory(organisation=providers, email="anna.berg@krokom.se", user=UserFactory())
    _sign_in(client, idp, "anna")
    assert _user(client).is_authenticated
    response = client.post("/logga-ut/")
    assert response.status_code == 302
    assert response.url.startswith(f"{idp['issuer']}/session/end")
    assert "id_token_hint=" in response.url
    assert not _user(client).is_authenticated
    # The provider accepts the hint (its logout page answers, not an error).
    assert requests.get(response.url, timeout=10).status_code == 200


def test_a_logout_at_the_provider_ends_the_portal_sessions(
    client: Client, idp: dict[str, Any], providers: Any
) -> None:
    """Back-channel logout: the person signs out at the provider (its own end-session
    page, where another application would send them); the provider posts a logout
    token, which the portal checks and takes: every portal session of the account ends.
    The same token again, one with a changed signature, one sent to the other
    application's address (another audience) and an ID token are refused with 400."""
    user = UserFactory()
    PersonFactory(organisation=providers, email="anna.berg@krokom.se", user=user)
    browser = requests.Session()
    start = client.get("/konto/inloggning/krokom/").url
    client.get(_at_the_idp(start, idp["issuer"], "anna", PASSWORD, browser=browser))
    other_device = Client()
    _sign_in(other_device, idp, "anna")
    assert _user(client) == user
    assert _user(other_device) == user
    tokens = idp["logout_tokens"]
    tokens.clear()
    page = browser.get(f"{idp['issuer']}/session/end", timeout=10).text
    xsrf = re.search(r'name="xsrf" value="([^"]+)"', page)
    assert xsrf is not None, page[:300]
    browser.post(
        f"{idp['issuer']}/session/end/confirm",
        data={"xsrf": xsrf.group(1), "logout": "yes"},
        allow_redirects=False,
        timeout=10,
    )
    deadline = time.monotonic() + 10
    while not tokens and time.monotonic() < deadline:
        time.sleep(0.05)
    (token,) = tokens  # one application was signed in at that browser: the portal
    url = "/konto/inloggning/krokom/utloggning/"
    head, body, signature = token.split(".")
    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]
    refused = [
        Client().post(url, {"logout_token": f"{head}.{body}.{flipped}"}),
        Client().post("/konto/inloggning/other/utloggning/", {"logout_token": token}),
    ]
    assert _user(client) == user  # nothing ended yet
    response = Client().post(url, {"logout_token": token})
    assert (response.status_code, response["Cache-Control"]) == (200, "no-store")
    assert not _user(client).is_authenticated
    assert not _user(other_device).is_authenticated
    refused.append(Client().post(url, {"logout_token": token}))  # taken once
    for answer in refused:
        assert (answer.status_code, answer.json()) == (400, {"error": "invalid_request"})
    ours = identity.provider("krokom")
    assert ours is not None
    start, pending = identity.oidc_start(ours, CALLBACK.format(slug="krokom"))
    back = _at_the_idp(start, idp["issuer"], "anna", PASSWORD)
    params = {k: v[0] for k, v in parse_qs(urlparse(back).query).items()}
    id_token = identity.oidc_finish(ours, CALLBACK.format(slug="krokom"), pending, params)
    with pytest.raises(identity.SignInError, match=r"jti|event|nonce"):
        identity.validate_logout_token(ours, id_token["_id_token"])
    assert Client().get(url).status_code == 405


def test_nothing_configured_leaves_the_local_login_alone(client: Client) -> None:
    assert "inloggning" not in client.get("/logga-in/").content.decode()
    assert client.get("/konto/inloggning/krokom/").status_code == 404
    assert User.objects.count() == 0


def test_the_person_page_shows_how_the_person_signs_in(
    client: Client, idp: dict[str, Any], providers: Any
) -> None:
    user = UserFactory()
    anna = PersonFactory(organisation=providers, email="anna.berg@krokom.se", user=user)
    _sign_in(client, idp, "anna", MFA)
    page = client.get(anna.get_absolute_url()).content.decode()  # the person herself
    assert "identitetsleverantören krokom" in page
    assert MFA in page
    client.logout()
    assert (
        "identitetsleverantören krokom" not in client.get(anna.get_absolute_url()).content.decode()
    )
    client.force_login(UserFactory(secretariat=True))
    assert "identitetsleverantören krokom" in client.get(anna.get_absolute_url()).content.decode()


# --- SAML 2.0 --------------------------------------------------------------------------
# pysaml2's identity-provider side (tests/idp/saml_idp.py), in its own process on
# 127.0.0.1, signing with xmlsec1; the portal as service provider checks with xmlsec1.

SAML_ACCOUNTS = {
    "anna": {"mail": "anna.berg@krokom.se", "displayName": "Anna Berg"},
    "sara": {"mail": "sara.kansli@krokom.se", "displayName": "Sara Kansli"},
    "cia": {"mail": "cia.ny@krokom.se", "displayName": "Cia Ny"},
}
SAML_MFA = "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract"
SAML_PASSWORD = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"


@pytest.fixture(scope="module")
def saml_idp(tmp_path_factory: Any) -> Iterator[dict[str, Any]]:
    from django.test import override_settings

    from identity import saml

    folder = tmp_path_factory.mktemp("saml")
    with override_settings(DATA_DIR=folder / "idp", SAMVERKAN_SSO_PROVIDERS=""):
        idp_key, idp_cert = saml._key_pair()  # the IdP's own pair, made the same way
    with override_settings(DATA_DIR=folder / "sp", SAMVERKAN_SSO_PROVIDERS=""):
        (folder / "sp.xml").write_text(saml.sp_metadata("http://testserver"))
    port = _free_port()
    config = {
        "port": port,
        "entity_id": f"http://127.0.0.1:{port}/idp",
        "key_file": idp_key,
        "cert_file": idp_cert,
        "sp_metadata": str(folder / "sp.xml"),
        "idp_metadata_out": str(folder / "idp.xml"),
        "accounts": SAML_ACCOUNTS,
    }
    process = subprocess.Popen(  # noqa: S603 - our own test provider
        [sys.executable, str(IDP / "saml_idp.py")],
        env={**os.environ, "SAML_TEST_CONFIG": json.dumps(config)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    line = process.stdout.readline().decode()
    if "listening" not in line:
        process.kill()
        error = process.stderr.read().decode() if process.stderr else ""
        pytest.fail(f"the SAML provider did not start: {error}")
    try:
        yield {**config, "folder": folder}
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def saml_provider(saml_idp: dict[str, Any], tmp_path: Path, settings: Any) -> Any:
    krokom = OrganisationFactory(name="Krokoms kommun", slug="krokoms-kommun", kind="kommun")
    path = tmp_path / "providers.json"
    path.write_text(
        json.dumps(
            [
                {
                    "slug": "krokom-saml",
                    "organisation": "krokoms-kommun",
                    "protocol": "saml",
                    "entity_id": saml_idp["entity_id"],
                    "metadata_file": str(saml_idp["folder"] / "idp.xml"),
                    "two_factor": [SAML_MFA],
                }
            ]
        )
    )
    settings.SAMVERKAN_SSO_PROVIDERS = str(path)
    settings.DATA_DIR = saml_idp["folder"] / "sp"  # the pair the metadata above holds
    return krokom


def _saml_response(
    client: Client, saml_idp: dict[str, Any], account: str, acr: str, **extra: str
) -> str:
    """The browser's way to the IdP and its signed answer (the SAMLResponse it posts)."""
    response = client.get("/konto/inloggning/krokom-saml/")
    assert response.status_code == 302
    assert response.url.startswith(f"http://127.0.0.1:{saml_idp['port']}/sso/redirect?SAMLRequest=")
    browser = requests.Session()
    page = browser.get(response.url, timeout=10).text
    uid = re.search(r'name="uid" value="([^"]+)"', page)
    assert uid is not None
    answer = browser.post(
        f"http://127.0.0.1:{saml_idp['port']}/login",
        data={"uid": uid.group(1), "account": account, "acr": acr, **extra},
        timeout=10,
    ).text
    found = re.search(r'name="SAMLResponse" value="([^"]+)"', answer)
    assert found is not None, answer[:500]
    return html.unescape(found.group(1))


def test_saml_sign_in_links_the_registered_person_and_the_level_decides_totp(
    saml_idp: dict[str, Any], saml_provider: Any, settings: Any
) -> None:
    settings.SAMVERKAN_REQUIRE_2FA = True
    user = UserFactory(secretariat=True)
    PersonFactory(organisation=saml_provider, email="sara.kansli@krokom.se", user=user)
    with_password = Client()
    posted = _saml_response(with_password, saml_idp, "sara", SAML_PASSWORD)
    response = with_password.post("/konto/saml/acs/", {"SAMLResponse": posted})
    assert response.status_code == 302
    assert _user(with_password) == user
    assert with_password.get("/").url.startswith("/konto/tvastegs/")
    linked = ExternalIdentity.objects.get(user=user)
    assert (linked.provider, linked.subject, linked.linked_by) == ("krokom-saml", "sara", "email")
    # The same response posted again: its request is spent.
    replay = Client().post("/konto/saml/acs/", {"SAMLResponse": posted})
    assert replay.url == "/logga-in/"
    with_mfa = Client()
    posted = _saml_response(with_mfa, saml_idp, "sara", SAML_MFA)
    with_mfa.post("/konto/saml/acs/", {"SAMLResponse": posted})
    assert with_mfa.get("/").status_code == 200


def test_saml_refuses_a_tampered_an_expired_or_a_misaddressed_assertion(
    client: Client, saml_idp: dict[str, Any], saml_provider: Any, caplog: Any
) -> None:
    """Each refused for its own reason (the log says which), not for a spent request."""
    PersonFactory(organisation=saml_provider, email="anna.berg@krokom.se", user=UserFactory())
    PersonFactory(organisation=saml_provider, email="cia.ny@krokom.se", user=UserFactory())
    # Tampered: the signed assertion names Anna; changed to Cia after signing.
    posted = _saml_response(client, saml_idp, "anna", SAML_PASSWORD)
    xml = base64.b64decode(posted).decode()
    assert "anna.berg@krokom.se" in xml
    forged = base64.b64encode(xml.replace("anna.berg@krokom.se", "cia.ny@krokom.se").encode())
    assert client.post("/konto/saml/acs/", {"SAMLResponse": forged.decode()}).url == "/logga-in/"
    assert "Failed to verify signature" in caplog.text
    assert not _user(client).is_authenticated
    # Expired: valid until five minutes ago.
    posted = _saml_response(client, saml_idp, "anna", SAML_PASSWORD, minutes="-5")
    assert client.post("/konto/saml/acs/", {"SAMLResponse": posted}).url == "/logga-in/"
    assert "Condition not OK" in caplog.text
    # Another audience: an assertion for another service.
    posted = _saml_response(
        client, saml_idp, "anna", SAML_PASSWORD, audience="https://other.example.org/sp"
    )
    assert client.post("/konto/saml/acs/", {"SAMLResponse": posted}).url == "/logga-in/"
    assert "AudienceRestrictions conditions not satisfied" in caplog.text
    assert "no request waits" not in caplog.text
    assert not _user(client).is_authenticated
    assert ExternalIdentity.objects.count() == 0
    # And unchanged, it signs Anna in.
    posted = _saml_response(client, saml_idp, "anna", SAML_PASSWORD)
    assert client.post("/konto/saml/acs/", {"SAMLResponse": posted}).status_code == 302
    assert _user(client).is_authenticated


def test_saml_metadata_is_served_for_the_providers_administrators(
    client: Client, saml_provider: Any
) -> None:
    response = client.get("/konto/saml/metadata/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/samlmetadata+xml"
    body = response.content.decode()
    assert 'entityID="http://testserver/konto/saml/metadata/"' in body
    assert "http://testserver/konto/saml/acs/" in body


def test_the_justeringsintyg_names_the_provider_and_assurance_level(
    client: Client, idp: dict[str, Any], providers: Any
) -> None:
    """A justerare signed in through Krokom's provider with two factors approves: the
    approval (and the justeringsintyg printed from it) says so."""
    import datetime

    from django.utils import timezone

    from councils import services
    from councils.models import Approval, Body, Membership, Paragraph, Protocol
    from tests.factories import BodyFactory, MembershipFactory, make_case, read_copy

    body = BodyFactory(procedure=Body.Procedure.ADVISORY)
    MembershipFactory(
        person=PersonFactory(user=UserFactory()), body=body, role=Membership.Role.CHAIR
    )
    adjuster = PersonFactory(
        organisation=providers, email="anna.berg@krokom.se", user=UserFactory()
    )
    (meeting,) = services.meeting_plan(
        actor=None, body=body, starts=[timezone.now() - datetime.timedelta(days=1)]
    )
    services.agenda_add_case(actor=None, meeting=meeting, case=make_case(body=body))
    services.paragraphs_create_for_agenda(actor=None, meeting=meeting)
    paragraph = Paragraph.objects.get(meeting=meeting)
    services.paragraph_update(actor=None, paragraph=paragraph, summary="S.", decision="B.")
    protocol = Protocol.objects.get(meeting=meeting)
    services.protocol_update(actor=None, protocol=protocol, adjusters=[adjuster])
    services.protocol_send_for_justering(actor=None, protocol=protocol)
    read = read_copy(protocol)
    _sign_in(client, idp, "anna", MFA)
    response = client.post(
        f"/sammantraden/{meeting.pk}/protokoll/beslut/",
        {"decision": "approve", "read_sha256": read, "confirmed": "on"},
    )
    assert response.status_code == 302
    approval = Approval.objects.get(person=adjuster)
    assert approval.decision == Approval.Decision.APPROVED
    assert approval.authentication == Approval.Authentication.IDENTITY_PROVIDER
    assert approval.authentication_detail == f"krokom, acr {MFA}"


def test_saml_single_logout_both_ways(saml_idp: dict[str, Any], saml_provider: Any) -> None:
    """Logging out of the portal sends a logout request the provider accepts and
    answers; a logout the provider starts (another application) ends every portal
    session of the account."""
    user = UserFactory()
    PersonFactory(organisation=saml_provider, email="anna.berg@krokom.se", user=user)
    idp = f"http://127.0.0.1:{saml_idp['port']}"
    portal = Client()
    portal.post(
        "/konto/saml/acs/",
        {"SAMLResponse": _saml_response(portal, saml_idp, "anna", SAML_PASSWORD)},
    )
    assert _user(portal) == user
    response = portal.post("/logga-ut/")
    assert not _user(portal).is_authenticated
    assert response.url.startswith(f"{idp}/slo?SAMLRequest=")
    answer = requests.get(response.url, allow_redirects=False, timeout=10)
    assert answer.status_code == 303
    assert requests.get(f"{idp}/logged-out", timeout=10).json()[-1] == "anna"
    back = answer.headers["Location"]
    assert back.startswith("http://testserver/konto/saml/utloggning/?SAMLResponse=")
    assert portal.get(back).url == "/"

    # Signed in on two devices; the provider ends the person's session.
    first, second = Client(), Client()
    for device in (first, second):
        device.post(
            "/konto/saml/acs/",
            {"SAMLResponse": _saml_response(device, saml_idp, "anna", SAML_PASSWORD)},
        )
        assert _user(device) == user
    # An unsigned logout request (anyone could send one) ends nothing.
    unsigned = requests.get(
        f"{idp}/initiate-logout",
        params={"account": "anna", "sp": "http://testserver/konto/saml/metadata/", "unsigned": "1"},
        allow_redirects=False,
        timeout=10,
    ).headers["Location"]
    assert "Signature=" not in unsigned
    Client().get(unsigned)
    assert _user(first) == user
    started = requests.get(
        f"{idp}/initiate-logout",
        params={"account": "anna", "sp": "http://testserver/konto/saml/metadata/"},
        allow_redirects=False,
        timeout=10,
    )
    request_url = started.headers["Location"]
    assert request_url.startswith("http://testserver/konto/saml/utloggning/?SAMLRequest=")
    handled = Client().get(request_url)
    assert handled.url.startswith(f"{idp}/slo?SAMLResponse=")
    assert not _user(first).is_authenticated
    assert not _user(second).is_authenticated


def test_a_provider_may_link_by_the_accounts_username_instead(
    client: Client, idp: dict[str, Any], providers: Any, settings: Any, tmp_path: Path
) -> None:
    """`link_by: username`: the provider's preferred_username (an employee id, say) is
    the username the secretariat gave the account; the e-mail plays no part."""
    entries = json.loads(Path(settings.SAMVERKAN_SSO_PROVIDERS).read_text())
    entries[0]["link_by"] = "username"
    path = tmp_path / "by-username.json"
    path.write_text(json.dumps(entries))
    settings.SAMVERKAN_SSO_PROVIDERS = str(path)
    user = UserFactory(username="E1042")
    PersonFactory(organisation=providers, email="", user=user)
    _sign_in(client, idp, "bo")  # bo's e-mail is not verified: it does not matter here
    assert _user(client) == user
    assert ExternalIdentity.objects.get().linked_by == "username"
    entries[0]["link_by"] = "phone"
    path.write_text(json.dumps(entries))
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="phone"):
        identity.providers()


def test_the_providers_keys_are_fetched_again_only_for_a_key_not_seen(
    monkeypatch: Any,
) -> None:
    """The published keys are kept (no fetch per token: the logout address is public);
    a token signed with a new key (the provider rotated) fetches them again, a token
    with a bad signature does not, and tokens naming unknown keys fetch at most once a
    minute."""
    from joserfc import jwt as jose_jwt
    from joserfc.jwk import KeySet, RSAKey

    old = RSAKey.generate_key(2048, parameters={"kid": "old"})
    new = RSAKey.generate_key(2048, parameters={"kid": "new"})
    published = [old]
    fetched = []

    class Keys:
        def raise_for_status(self) -> None:
            pass

        def json(self) -> dict[str, Any]:
            return dict(KeySet(published).as_dict())

    def get(url: str, timeout: int) -> Keys:
        fetched.append(url)
        return Keys()

    from django.core.cache import cache

    shared = ["oidc:keys:https://idp/jwks", "oidc:keys-refreshed:https://idp/jwks"]
    cache.delete_many(shared)
    monkeypatch.setattr(identity, "discovery", lambda issuer: {"jwks_uri": "https://idp/jwks"})
    monkeypatch.setattr(identity.requests, "get", get)
    provider = identity.Provider(
        slug="k", organisation="k", protocol="oidc", issuer="https://idp", client_id="c"
    )

    def token(key: RSAKey) -> str:
        return jose_jwt.encode({"alg": "RS256", "kid": key.kid}, {"sub": "anna"}, key)

    for _ in range(3):
        assert identity._decode(provider, token(old)).claims["sub"] == "anna"
    assert len(fetched) == 1
    bad = token(old)
    with pytest.raises(JoseError):
        identity._decode(provider, bad[:-3] + ("A" if bad[-3] != "A" else "B") + bad[-2:])
    assert len(fetched) == 1
    published.append(new)  # rotated
    assert identity._decode(provider, token(new)).claims["sub"] == "anna"
    assert len(fetched) == 2
    forged = RSAKey.generate_key(2048, parameters={"kid": "forged"})
    for _ in range(3):  # keys nobody published, posted again and again within the minute
        with pytest.raises(JoseError):
            identity._decode(provider, token(forged))
    assert len(fetched) == 2
    cache.delete_many(shared)


def test_a_logout_token_while_the_providers_keys_cannot_be_fetched_is_a_503(
    client: Client, settings: Any, tmp_path: Path
) -> None:
    """The provider's discovery or keys do not answer: the portal says it could not
    check the token now (the provider may send it again), never a server error."""
    OrganisationFactory(name="Krokoms kommun", slug="krokoms-kommun", kind="kommun")
    path = tmp_path / "providers.json"
    path.write_text(
        json.dumps(
            [
                {
                    "slug": "down",
                    "organisation": "krokoms-kommun",
                    "protocol": "oidc",
                    "issuer": f"http://127.0.0.1:{_free_port()}",
                    "client_id": "samverkan",
                    "client_secret_env": "SSO_DOWN_SECRET",
                }
            ]
        )
    )
    settings.SAMVERKAN_SSO_PROVIDERS = str(path)
    response = client.post("/konto/inloggning/down/utloggning/", {"logout_token": "a.b.c"})
    assert (response.status_code, response.json()) == (503, {"error": "temporarily_unavailable"})


def test_saml_names_are_pysaml2_s_own() -> None:
    """identity.saml writes pysaml2's binding and NameID names out, so that pysaml2 (and
    its schemas) is imported only where a SAML exchange is made."""
    import saml2
    import saml2.saml

    from identity import saml

    assert saml.BINDING_HTTP_POST == saml2.BINDING_HTTP_POST
    assert saml.BINDING_HTTP_REDIRECT == saml2.BINDING_HTTP_REDIRECT
    assert saml.NAMEID_FORMAT_PERSISTENT == saml2.saml.NAMEID_FORMAT_PERSISTENT


def test_a_process_starts_without_parsing_pysaml2_s_schemas() -> None:
    """Every process of the portal (the web server, the worker, make run's preparation)
    loads the URLconf; pysaml2 parses its XML schemas when imported (half a second)."""
    code = (
        "import sys, django; django.setup();"
        "from django.urls import get_resolver; get_resolver().url_patterns;"
        "import samverkan.celery;"
        "print(sorted(m for m in ('saml2', 'xmlschema') if m in sys.modules))"
    )
    done = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
    )
    assert done.stdout.strip().splitlines()[-1] == "[]"
