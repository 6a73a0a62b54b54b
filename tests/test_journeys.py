"""The three user journeys, end to end in headless Chromium against a live server
with the demo data, each at desktop and at phone size; the secretariat's journey
also with the keyboard alone. Every page visited, in every state (logged in or not,
after an htmx update, with a form's errors), is checked by axe-core against the WCAG
2.1 A and AA rules and kept for the Nu Html Checker, which runs once at the end of
the module. Screenshots go to ``test-artifacts/screenshots/``.

The journeys share one demo database, loaded once for the module (the data they add
carry a run label so the runs do not meet) and emptied afterwards."""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test.utils import override_settings
from pypdf import PdfReader

from tests.browser.tools import (
    CHROMIUM_ARGS,
    DESKTOP,
    PHONE,
    Audit,
    chromium_path,
)

pytestmark = pytest.mark.browser

PASSWORD = "samverkan2026"  # the demo accounts' password (README)


# --- The site, the browser ------------------------------------------------------------


@pytest.mark.django_db
def test_the_readme_lists_each_demo_account_once() -> None:
    """(Also makes pytest-django create the test database when this module runs alone.)"""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\|[^|\n]+\|\s*`?([a-z]+)`?\s*\|\s*`?samverkan2026`?\s*\|$", readme, re.M)
    assert "sekretariat" in rows
    assert "kommun" in rows
    assert len(rows) == len(set(rows))


@pytest.fixture(scope="module")
def site(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[str]:
    """A live server over the demo data (loaded once, removed at the end)."""
    from pytest_django.live_server_helper import LiveServer

    from samverkan.celery import app

    media = tmp_path_factory.mktemp("media")
    settings = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        STORAGES={
            "default": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": media},
            },
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        SAMVERKAN_REQUIRE_2FA=False,
    )
    settings.enable()
    app.conf.task_always_eager = True
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's loop in this thread
    blocker = django_db_blocker.unblock()
    blocker.__enter__()
    server = None
    try:
        call_command("load_demo", with_accounts=True, stdout=io.StringIO())
        server = LiveServer("127.0.0.1:0")
        yield server.url
    finally:
        if server is not None:
            server.stop()
        call_command("flush", interactive=False, verbosity=0)
        blocker.__exit__(None, None, None)
        app.conf.task_always_eager = False
        settings.disable()
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture(scope="module")
def audit(tmp_path_factory: Any) -> Iterator[Audit]:
    """Collects every page's checks; at the end the HTML goes to the Nu Html Checker."""
    collected = Audit()
    yield collected
    findings = collected.html_findings(tmp_path_factory.mktemp("html"))
    assert findings == [], "\n".join(findings)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class Visit:
    """One person's browser session at one viewport, checking each page it shows."""

    def __init__(self, chromium: Any, site: str, audit: Audit, label: str, viewport: dict) -> None:
        self.context = chromium.new_context(
            viewport=viewport,
            locale="sv-SE",
            bypass_csp=True,  # only so that axe-core can be injected; the CSP is tested apart
            accept_downloads=True,
        )
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.site = site
        self.audit = audit
        self.label = label
        self.phone = viewport == PHONE

    def open(self, path: str = "/") -> Any:
        self.page.goto(self.site + path)
        return self.page

    def check(self, what: str) -> None:
        name = f"{self.label} {what}"
        self.page.wait_for_load_state("load")
        self.audit.keep_html(name, self.page.content())
        self.audit.check(self.page, name)

    def nav(self, name: str) -> None:
        """Follow a link of the main menu (behind the menu button on a phone)."""
        menu = self.page.get_by_role("navigation", name="Huvudmeny")
        toggle = self.page.get_by_role("button", name=re.compile("Meny"))
        if self.phone and toggle.count() and toggle.is_visible():
            toggle.click()
        menu.get_by_role("link", name=name, exact=True).click()

    def login(self, username: str) -> None:
        self.page.get_by_role("link", name="Logga in").first.click()
        self.check("inloggning")
        self.page.get_by_label("Användarnamn").fill(username)
        self.page.get_by_label("Lösenord").fill(PASSWORD)
        self.page.get_by_role("button", name="Logga in").click()
        self.page.wait_for_load_state("load")

    def logout(self) -> None:
        self.page.get_by_role("button", name="Logga ut").first.click()
        self.page.wait_for_load_state("load")

    def download(self, click: Any) -> bytes:
        with self.page.expect_download() as info:
            click()
        path = info.value.path()
        return Path(path).read_bytes()

    def close(self) -> None:
        self.context.close()


VIEWPORTS = [pytest.param(DESKTOP, id="desktop"), pytest.param(PHONE, id="phone")]


@pytest.fixture
def visits(chromium: Any, site: str, audit: Audit) -> Iterator[Any]:
    opened: list[Visit] = []

    def make(label: str, viewport: dict) -> Visit:
        visit = Visit(chromium, site, audit, label, viewport)
        opened.append(visit)
        return visit

    yield make
    for visit in opened:
        visit.close()


def assert_clean(audit: Audit) -> None:
    """axe-core found nothing on the pages this test visited."""
    new, audit.violations = audit.violations, []
    assert new == [], "\n".join(new)


def _pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())


# --- Journey 2: a council member prepares -------------------------------------------


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_member_prepares_for_the_next_meeting(visits: Any, viewport: dict) -> None:
    size = "telefon" if viewport == PHONE else "dator"
    member = visits(f"2 ledamot {size}", viewport)
    page = member.open("/")
    member.login("ledamot")
    member.check("startsida")
    member.nav("Mina sammanträden")
    member.check("mina sammanträden")
    page.get_by_role("link", name=re.compile("Regionens samverkansråd")).first.click()
    member.check("nästa sammanträde")

    # A closed item's confidential document: shown to the member, and downloadable.
    item = page.locator("li.agenda-item", has_text="Förordnande av processledare")
    document_link = item.get_by_role(
        "link", name="Tjänsteskrivelse om förordnande av processledare", exact=True
    )
    document_url = document_link.get_attribute("href")
    document_link.click()
    member.check("sekretessbelagd handling")
    assert "OSL 39 kap. 3 §" in page.content()
    data = member.download(lambda: page.get_by_role("link", name=re.compile(r"\.pdf$")).click())
    assert "personliga förhållanden" in _pdf_text(data)
    page.go_back()

    # A private note, saved in place (htmx), then seen again after a reload.
    item = page.locator("li.agenda-item", has_text="Förordnande av processledare")
    note = f"Fråga om kostnaden ({size})."
    item.get_by_label(re.compile("Min privata anteckning")).fill(note)
    item.get_by_role("button", name=re.compile("Spara anteckningen")).click()
    item.get_by_role("status").get_by_text("Sparad.").wait_for()
    member.check("anteckning sparad")
    page.reload()
    item = page.locator("li.agenda-item", has_text="Förordnande av processledare")
    assert item.get_by_label(re.compile("Min privata anteckning")).input_value() == note

    # The meeting packet, rendered by the worker.
    page.get_by_role("button", name=re.compile("som en PDF")).click()
    page.get_by_role("link", name=re.compile("Ladda ner PDF")).wait_for()
    member.check("handlingar som pdf")
    data = member.download(
        lambda: page.get_by_role("link", name=re.compile("Ladda ner PDF")).click()
    )
    assert "personliga förhållanden" in _pdf_text(data)

    # The public sees neither the closed item's title nor its document.
    public = visits(f"2 allmänheten {size}", viewport)
    page = public.open(document_url or "/")
    assert page.get_by_role("heading", name="Sidan hittades inte").is_visible()
    public.check("dold handling")
    assert_clean(member.audit)


# --- Journey 3: a kommun and the public -----------------------------------------------


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_kommun_and_public(visits: Any, viewport: dict) -> None:
    size = "telefon" if viewport == PHONE else "dator"
    public = visits(f"3 allmänheten {size}", viewport)
    page = public.open("/")
    public.check("startsida")

    # The published verksamhetsberättelse, from the start page.
    page.get_by_role("link", name="Verksamhetsberättelser").first.click()
    public.check("verksamhetsberättelser")
    page.get_by_role("link", name=re.compile("2019")).first.click()
    public.check("verksamhetsberättelse 2019")
    pdf = public.download(lambda: page.get_by_role("link", name=re.compile("PDF")).first.click())
    assert "Verksamhetsberättelse" in _pdf_text(pdf)

    # Search for a diarienummer (the header's search box) and open the ärende.
    search = page.get_by_role("search").get_by_role("searchbox")
    if not search.is_visible():
        page.get_by_role("button", name=re.compile("Sök")).first.click()
    search.fill("RUN/34/2018")
    search.press("Enter")
    page.wait_for_load_state("load")
    public.check("sökresultat")
    page.get_by_role("link", name="RUN/34/2018").first.click()
    public.check("ärende")
    assert "RUN/34/2018" in page.content()

    # A body's calendar: the arena page's subscription link serves iCalendar.
    public.nav("Arenor")
    public.check("arenor")
    page.get_by_role("link", name=re.compile("Regionala utvecklingsnämnden")).first.click()
    public.check("arena")
    calendar = page.get_by_role("link", name=re.compile("som kalender")).first
    href = calendar.get_attribute("href")
    assert href is not None
    response = page.request.get(public.site + href if href.startswith("/") else href)
    assert response.ok
    assert response.headers["content-type"].startswith("text/calendar")
    assert "BEGIN:VCALENDAR" in response.text()

    # A kommun official logs in and finds the same report and its own assessment page.
    kommun = visits(f"3 kommun {size}", viewport)
    page = kommun.open("/")
    kommun.login("kommun")
    kommun.check("startsida inloggad")
    page.get_by_role("link", name="Verksamhetsberättelser").first.click()
    page.get_by_role("link", name=re.compile("2019")).first.click()
    kommun.check("verksamhetsberättelse 2019")
    pdf = kommun.download(lambda: page.get_by_role("link", name=re.compile("PDF")).first.click())
    assert "Verksamhetsberättelse" in _pdf_text(pdf)
    kommun.logout()
    kommun.check("utloggad")
    assert_clean(public.audit)


def test_axe_ran_its_wcag_rules(audit: Audit) -> None:
    """Last in the module: the journeys checked pages, with the WCAG 2.1 A/AA rules."""
    assert len(audit.pages) > 10
    assert len(audit.rules_checked) > 50
