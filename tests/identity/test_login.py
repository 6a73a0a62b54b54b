"""Login: throttled after five failures (a pause, not a lockout), logged; a password
reset by e-mail; the password rules of OWASP ASVS level 2."""

from __future__ import annotations

import re
from typing import Any

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _login(client: Client, username: str, password: str) -> Any:
    return client.post("/logga-in/", {"username": username, "password": password})


def test_five_failures_pause_the_account_and_a_success_clears_them(
    settings: Any,
) -> None:
    user = UserFactory(username="anna")
    client = Client()
    for _attempt in range(4):
        response = _login(client, "anna", "fel-losenord")
        assert response.status_code == 200
        assert "Användarnamnet eller lösenordet är fel" in response.content.decode()
    assert _login(client, "anna", PASSWORD).status_code == 302  # the fifth try succeeds
    assert not AccessAttempt.objects.filter(username="anna").exists()  # the count is reset

    client = Client()
    for _attempt in range(5):
        _login(client, "anna", "fel-losenord")
    locked = _login(client, "anna", PASSWORD)  # even the right password waits now
    assert locked.status_code == 429
    assert "Vänta 15 minuter" in locked.content.decode()
    assert AccessLog.objects.filter(username="anna").exists()  # logins are logged
    other = UserFactory(username="bertil")  # other accounts are not affected
    assert _login(Client(), other.username, PASSWORD).status_code == 302
    assert user.is_active  # a pause, not a deactivated account


def test_a_forgotten_password_is_reset_by_mail(db: Any) -> None:
    user = UserFactory(username="cecilia", email="cecilia@example.org")
    client = Client()
    page = client.get("/logga-in/").content.decode()
    assert 'href="/glomt-losenord/"' in page
    response = client.post("/glomt-losenord/", {"email": "cecilia@example.org"})
    assert response.status_code == 302
    (message,) = mail.outbox
    link = re.search(r"https?://[^/]+(/nytt-losenord/\S+/)", message.body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    weak = client.post(form.redirect_chain[-1][0], {"new_password1": "123", "new_password2": "123"})
    assert "Det här lösenordet är för kort" in weak.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "en lång fras om fjällen", "new_password2": "en lång fras om fjällen"},
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("en lång fras om fjällen")
    assert client.post("/glomt-losenord/", {"email": "okand@example.org"}).status_code == 302
    assert len(mail.outbox) == 1  # nothing tells whether an address has an account


@pytest.mark.parametrize(
    ("password", "ok"),
    [("kort", False), ("password123", False), ("12345678", False), ("tre ord om samverkan", True)],
)
def test_password_rules(db: Any, password: str, ok: bool) -> None:
    try:
        validate_password(password)
    except ValidationError:
        assert not ok
    else:
        assert ok


def _logged_in(client: Client) -> bool:
    return "Logga ut" in client.get("/").content.decode()


def test_log_out_everywhere_ends_every_session(db: Any) -> None:
    user = UserFactory()
    phone, desktop = Client(), Client()
    phone.force_login(user)
    desktop.force_login(user)
    assert _logged_in(phone)
    assert 'href="/konto/"' in desktop.get("/").content.decode()
    response = desktop.post("/konto/logga-ut-overallt/")
    assert response.status_code == 302
    assert not _logged_in(desktop)
    assert not _logged_in(phone)
    again = Client()
    user.refresh_from_db()
    again.force_login(user)  # a new login works as before
    assert _logged_in(again)


def test_a_session_ends_idle_after_30_minutes_and_at_12_hours_in_any_case(
    db: Any, settings: Any
) -> None:
    from base.middleware import LOGIN_AT, SEEN_AT

    assert settings.SESSION_COOKIE_AGE == 30 * 60
    client = Client()
    client.force_login(UserFactory())
    session = client.session
    session[SEEN_AT] = session[SEEN_AT] - 120  # the last request two minutes ago
    session.save()
    client.get("/")
    assert client.session[SEEN_AT] > session[SEEN_AT]  # the idle clock moved: renewed
    client = Client()
    client.force_login(UserFactory())
    assert _logged_in(client)
    session = client.session
    session[LOGIN_AT] = session[LOGIN_AT] - 13 * 60 * 60
    session.save()
    assert not _logged_in(client)


def test_changing_the_password_ends_the_other_sessions(db: Any) -> None:
    user = UserFactory()
    other, here = Client(), Client()
    other.force_login(user)
    here.force_login(user)
    response = here.post(
        "/konto/losenord/",
        {
            "old_password": PASSWORD,
            "new_password1": "ett nytt lösenord i fjällen",
            "new_password2": "ett nytt lösenord i fjällen",
        },
    )
    assert response.status_code == 302
    assert _logged_in(here)
    assert not _logged_in(other)
