"""Security headers on every response, and a production configuration that passes
Django's deployment check."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest
from django.conf import settings

from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/", "/diarium/", "/sok/?q=samverkan", "/api/oparl/v1/system"])
def test_every_response_carries_the_security_headers(world: dict[str, Any], url: str) -> None:
    response = client_for(None).get(url)
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_pages_have_no_inline_script_or_style(world: dict[str, Any]) -> None:
    """The policy forbids them, so the pages must not need them."""
    for url in ("/", "/diarium/", f"/diarium/{world['case'].pk}/", "/arenor/oversikt/"):
        page = client_for(world["secretariat"]).get(url).content.decode()
        assert "<script>" not in page, url
        assert "<script type" not in page, url
        assert " style=" not in page, url
        assert " onclick=" not in page, url


def test_the_production_settings_pass_the_deployment_check(db: Any) -> None:
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": "x" * 20 + "production-check-key-with-enough-entropy-9f8e7d6c5b4a",
        "DJANGO_ALLOWED_HOSTS": "portal.example.org",
        # production demands a database address; the check itself does not connect
        "DATABASE_URL": "postgres://samverkan@db.example.org:5432/samverkan",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_translated_text_with_angle_brackets_is_escaped_and_help_lists_are_not_in_paragraphs(
    world: Any,
) -> None:
    """A translated string is text, not HTML: the open-data page shows "Bearer <nyckel>"
    (it was swallowed as an unknown element); and the password help list (Django's
    validators give a <ul>) sits in a <div>, not a <p> the list would break."""
    page = client_for(world["member_a"]).get("/oppna-data/").content.decode()
    assert "Bearer &lt;nyckel&gt;" in page
    assert "<nyckel>" not in page
    form = client_for(world["member_a"]).get("/konto/losenord/").content.decode()
    assert '<div class="help" id="id_new_password1_helptext"><ul>' in form
    assert "</ul></p>" not in form
