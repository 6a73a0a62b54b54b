"""A SAML 2.0 identity provider for the tests: pysaml2's identity-provider side
(``saml2.server.Server``, assertions signed with xmlsec1) behind a small WSGI server on
127.0.0.1. Its configuration comes as JSON in SAML_TEST_CONFIG: port, entity id, key and
certificate, the service provider's metadata, the accounts, and where to write its own
metadata. Signing in is a form (the account and the authentication context class); the
answer is the HTTP-POST binding's auto-submitting form, as a browser would receive it.
A form field may ask for an assertion valid for another number of minutes (negative:
already expired), or for another audience, to show the portal refuses them."""

from __future__ import annotations

import html
import json
import os
import secrets
import shutil
import sys
from typing import Any
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, make_server

from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server
from saml2.xmldsig import SIG_RSA_SHA256

CONFIG = json.loads(os.environ["SAML_TEST_CONFIG"])
BASE = f"http://127.0.0.1:{CONFIG['port']}"
PENDING: dict[str, Any] = {}
LOGGED_OUT: list[str] = []


def _config(lifetime: int) -> IdPConfig:
    config = IdPConfig()
    config.load(
        {
            "entityid": CONFIG["entity_id"],
            "xmlsec_binary": shutil.which("xmlsec1"),
            "service": {
                "idp": {
                    "endpoints": {
                        "single_sign_on_service": [(f"{BASE}/sso/redirect", BINDING_HTTP_REDIRECT)],
                        "single_logout_service": [(f"{BASE}/slo", BINDING_HTTP_REDIRECT)],
                    },
                    "policy": {"default": {"lifetime": {"minutes": lifetime}}},
                    "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                }
            },
            "metadata": {"local": [CONFIG["sp_metadata"]]},
            "key_file": CONFIG["key_file"],
            "cert_file": CONFIG["cert_file"],
        }
    )
    return config


SERVERS: dict[int, Server] = {}


def _server(lifetime: int = 5) -> Server:
    if lifetime not in SERVERS:
        SERVERS[lifetime] = Server(config=_config(lifetime))
    return SERVERS[lifetime]


def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    path = environ["PATH_INFO"]
    query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
    if path == "/sso/redirect":
        request = _server().parse_authn_request(query["SAMLRequest"], BINDING_HTTP_REDIRECT)
        uid = secrets.token_urlsafe(8)
        PENDING[uid] = (request.message, query.get("RelayState", ""))
        body = (
            f'<!doctype html><title>IdP</title><form method="post" action="/login">'
            f'<input type="hidden" name="uid" value="{uid}">'
            '<input name="account"><input name="acr"><button>Sign in</button></form>'
        )
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        return [body.encode()]
    if path == "/login" and environ["REQUEST_METHOD"] == "POST":
        size = int(environ.get("CONTENT_LENGTH") or 0)
        form = {k: v[0] for k, v in parse_qs(environ["wsgi.input"].read(size).decode()).items()}
        request, relay_state = PENDING.pop(form["uid"])
        account = CONFIG["accounts"].get(form.get("account", ""))
        if account is None:
            start_response("401 Unauthorized", [("Content-Type", "text/plain")])
            return [b"unknown account"]
        server = _server(int(form.get("minutes", "5")))
        response = server.create_authn_response(
            identity={key: [value] for key, value in account.items()},
            in_response_to=request.id,
            destination=request.assertion_consumer_service_url,
            sp_entity_id=form.get("audience") or request.issuer.text,
            name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=form["account"]),
            authn={"class_ref": form.get("acr", ""), "authn_auth": CONFIG["entity_id"]},
            sign_assertion=True,
        )
        binding = server.apply_binding(
            BINDING_HTTP_POST,
            str(response),
            request.assertion_consumer_service_url,
            relay_state,
            response=True,
        )
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        return [str(binding["data"]).encode()]
    if path == "/slo" and "SAMLRequest" in query:  # the portal's logout request
        server = _server()
        request = server.parse_logout_request(
            query["SAMLRequest"],
            BINDING_HTTP_REDIRECT,
            relay_state=query.get("RelayState"),
            sigalg=query.get("SigAlg"),
            signature=query.get("Signature"),
        )
        LOGGED_OUT.append(request.message.name_id.text)
        response = server.create_logout_response(request.message, [BINDING_HTTP_REDIRECT])
        destination = server.metadata.single_logout_service(
            request.message.issuer.text, BINDING_HTTP_REDIRECT, "spsso"
        )[0]["location"]
        info = server.apply_binding(
            BINDING_HTTP_REDIRECT,
            str(response),
            destination,
            query.get("RelayState", ""),
            response=True,
        )
        start_response("303 See Other", [("Location", dict(info["headers"])["Location"])])
        return [b""]
    if path == "/logged-out":  # who the portal logged out here (for the tests)
        start_response("200 OK", [("Content-Type", "application/json")])
        return [json.dumps(LOGGED_OUT).encode()]
    if path == "/initiate-logout":  # another application ends the person's session
        server = _server()
        destination = server.metadata.single_logout_service(
            query["sp"], BINDING_HTTP_REDIRECT, "spsso"
        )[0]["location"]
        _id, request = server.create_logout_request(
            destination,
            query["sp"],
            name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=query["account"]),
        )
        signed = query.get("unsigned") != "1"
        info = server.apply_binding(
            BINDING_HTTP_REDIRECT,
            str(request),
            destination,
            "",
            sign=signed,
            sigalg=SIG_RSA_SHA256 if signed else None,
        )
        start_response("303 See Other", [("Location", dict(info["headers"])["Location"])])
        return [b""]
    start_response("404 Not Found", [("Content-Type", "text/plain")])
    return [html.escape(path).encode()]


class Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


if __name__ == "__main__":
    with open(CONFIG["idp_metadata_out"], "w") as out:
        out.write(create_metadata_string(None, config=_config(5)).decode())
    server = make_server("127.0.0.1", CONFIG["port"], app, handler_class=Quiet)
    print("listening", flush=True)
    sys.stdout.flush()
    server.serve_forever()
