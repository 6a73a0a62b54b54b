"""Security headers on every response, and a production configuration that passes
Django's deployment check."""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import sys
from typing import Any

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

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
        # and what every node shares (samverkan/checks.py): nothing here is opened
        "SAMVERKAN_CACHE_URL": "redis://cache.example.org:6379/1",
        "CELERY_BROKER_URL": "redis://cache.example.org:6379/2",
        "SAMVERKAN_S3_BUCKET": "samverkan",
        "SAMVERKAN_SEAL_PKCS12": "/etc/samverkan/sigill.p12",
        "SAMVERKAN_SEAL_CERTIFICATE": "/etc/samverkan/sigill-kedja.pem",
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


# --- 8. Malformed URL parts (the probe of issue 13) ----------------------------------------


PART = re.compile(r"<(?:(\w+):)?\w+>")
SAMPLES = {
    "id": ["2147483648", "99999999999999999999"],
    "secret": ["%00", "%00" * 20, "a" * 43],
    "signed": ["%00", "x:y"],
    "slug": ["x"],
    "str": ["%00"],
    "path": ["%00"],
}


def _urls() -> list[str]:
    """Every URL the portal routes, with each part filled with a malformed value: an
    id past PostgreSQL's integer, a NUL in a token, a slug that names nothing."""
    urls: set[str] = set()

    def walk(patterns: Any, prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                if not route.startswith(("admin/", "^")):
                    walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and "<" in route and "^" not in route:
                kinds = [kind or "str" for kind in PART.findall(route)]
                for combo in itertools.product(*(SAMPLES[kind] for kind in kinds)):
                    parts = route.split("<")
                    filled = parts[0] + "".join(
                        value + part.split(">", 1)[1]
                        for value, part in zip(combo, parts[1:], strict=True)
                    )
                    urls.add("/" + filled)

    walk(get_resolver().url_patterns, "")
    return sorted(urls)


def test_no_url_answers_a_malformed_part_with_a_server_error(world: dict[str, Any]) -> None:
    urls = _urls()
    assert "/kalender/privat/%00.ics" in urls
    assert len(urls) > 100
    for who in (None, world["secretariat"]):
        client = client_for(who)
        client.raise_request_exception = False
        for url in urls:
            assert client.get(url).status_code < 500, url
        for url in ("/sok/?q=%00", "/diarium/?q=%00&year=%00", "/beslut/?q=%00&year=%00"):
            assert client.get(url).status_code < 500, url


# --- 13. A secret key of the installation's own (the probe of issue 13) --------------------


PRINT_KEY = [sys.executable, "-c", "from samverkan import settings; print(settings.SECRET_KEY)"]


def _environment(data_dir: Any, **env: str) -> dict[str, str]:
    """A clean process's environment: no key, this data folder, and a database URL so
    that reading the settings starts no embedded server (nothing connects to it)."""
    return {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"},
        "SAMVERKAN_DATA_DIR": str(data_dir),
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/unused",
        **env,
    }


def _key_in(data_dir: Any, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own settings in a clean interpreter
        PRINT_KEY,
        env=_environment(data_dir, **env),
        capture_output=True,
        text=True,
        check=False,
        cwd=settings.BASE_DIR,
    )


def test_each_development_install_makes_its_own_random_secret_key(tmp_path: Any) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    starts = [  # several processes starting at once agree on one key
        subprocess.Popen(  # noqa: S603
            PRINT_KEY,
            env=_environment(first),
            stdout=subprocess.PIPE,
            text=True,
            cwd=settings.BASE_DIR,
        )
        for _ in range(4)
    ]
    keys = {process.communicate()[0].strip() for process in starts}
    assert len(keys) == 1
    (key,) = keys
    assert len(key) >= 50
    assert key != "development-only-key-not-for-production"
    assert _key_in(first).stdout.strip() == key  # kept for the next start
    assert (first / "secret-key").stat().st_mode & 0o777 == 0o600
    assert _key_in(second).stdout.strip() not in ("", key)  # another install, another key


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Any) -> None:
    result = _key_in(tmp_path, DJANGO_ENV="production", DJANGO_ALLOWED_HOSTS="portal.example")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set in production" in result.stderr
    assert not (tmp_path / "secret-key").exists()
