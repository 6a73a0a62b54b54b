"""Two-step verification (TOTP): required for the secretariat where the setting says
so, set up by scanning a code, asked for at every login after; optional for others."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import client_for
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _login(client: Client, username: str) -> Any:
    return client.post("/logga-in/", {"username": username, "password": PASSWORD})


def test_the_secretariat_sets_up_and_then_uses_a_second_factor(settings: Any) -> None:
    settings.SAMVERKAN_REQUIRE_2FA = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp slows retries after a wrong code
    staff = UserFactory(username="sekr", secretariat=True)
    client = Client()
    _login(client, "sekr")
    response = client.get("/diarium/nytt/")
    assert response.status_code == 302
    assert response.url.startswith("/konto/tvastegs/ny/")
    page = client.get(response.url).content.decode()
    assert 'src="data:image/svg+xml;base64,' in page
    key = re.search(r"<code>([A-Z2-7]+)</code>", page)
    assert key is not None
    device = TOTPDevice.objects.get(user=staff, confirmed=False)

    wrong = client.post("/konto/tvastegs/ny/", {"code": "000000"})
    assert "Koden stämmer inte" in wrong.content.decode()
    done = client.post("/konto/tvastegs/ny/?next=/diarium/nytt/", {"code": _code(device)})
    assert done.status_code == 302
    assert client.get("/diarium/nytt/").status_code == 200

    again = Client()  # the next login asks for a code
    _login(again, "sekr")
    response = again.get("/diarium/")
    assert response.url.startswith("/konto/tvastegs/?")
    device.refresh_from_db()
    # a code is accepted once; the next time step gives the next one
    device.last_t = -1
    device.save()
    verified = again.post(response.url, {"code": _code(device)})
    assert verified.status_code == 302
    assert again.get("/diarium/nytt/").status_code == 200


def test_a_member_is_not_forced_but_may_turn_it_on(settings: Any) -> None:
    settings.SAMVERKAN_REQUIRE_2FA = True
    UserFactory(username="ledamot2")
    client = Client()
    _login(client, "ledamot2")
    assert client.get("/mina-sammantraden/").status_code == 200
    page = client.get("/konto/").content.decode()
    assert 'href="/konto/tvastegs/ny/"' in page


def test_without_the_requirement_the_demo_secretariat_logs_in_with_a_password(
    settings: Any,
) -> None:
    settings.SAMVERKAN_REQUIRE_2FA = False
    UserFactory(username="sekr2", secretariat=True)
    client = Client()
    _login(client, "sekr2")
    assert client.get("/diarium/nytt/").status_code == 200


# --- 7. No open redirect (the probe of issue 13) -------------------------------------------


def test_setting_up_two_step_verification_does_not_follow_a_foreign_next(
    world: dict[str, Any],
) -> None:
    from django_otp.oath import totp

    from base import two_factor

    user = world["member_a"]
    client = client_for(user)
    client.get("/konto/tvastegs/ny/")
    device = two_factor.pending_device(user)
    code = f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"
    response = client.post("/konto/tvastegs/ny/?next=https://evil.example/", {"code": code})
    assert response.status_code == 302
    assert response["Location"] == "/konto/"
