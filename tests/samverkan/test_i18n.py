"""Swedish by default, English on request; every UI string has a Swedish translation
and the compiled catalogue matches it."""

from __future__ import annotations

import gettext
from pathlib import Path
from typing import Any

import polib  # type: ignore[import-untyped]
import pytest
from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "sv" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def test_every_string_is_translated() -> None:
    catalogue = polib.pofile(str(PO))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []


def test_compiled_catalogue_is_current() -> None:
    catalogue = polib.pofile(str(PO))
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in catalogue.translated_entries():
        if entry.msgid_plural:
            assert compiled.ngettext(entry.msgid, entry.msgid_plural, 1) == entry.msgstr_plural[0]
        elif entry.msgctxt:
            assert compiled.pgettext(entry.msgctxt, entry.msgid) == entry.msgstr
        else:
            assert compiled.gettext(entry.msgid) == entry.msgstr, entry.msgid


@pytest.mark.django_db
def test_swedish_is_the_default_whatever_the_browser_says(client: Any) -> None:
    page = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"}).content.decode()
    assert '<html lang="sv">' in page
    assert "Utforska" in page


@pytest.mark.django_db
def test_english_when_chosen(client: Any) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert '<html lang="en">' in page
    assert "Explore" in page


@pytest.mark.django_db
def test_the_language_switch_is_a_link_that_goes_back(client: Any) -> None:
    """Every page offers the other language as a link (no form, no token); following
    it sets the language and returns to the page; a foreign next is refused."""
    page = client.get("/arenor/").content.decode()
    assert 'href="/sprak/en/?next=/arenor/"' in page
    assert "csrfmiddlewaretoken" not in page
    response = client.get("/sprak/en/", {"next": "/arenor/"})
    assert (response.status_code, response["Location"]) == (302, "/arenor/")
    page = client.get("/arenor/").content.decode()
    assert '<html lang="en">' in page
    assert 'href="/sprak/sv/?next=/arenor/"' in page
    assert client.get("/sprak/sv/", {"next": "https://evil.example/"})["Location"] == "/"
    assert client.get("/sprak/xx/").status_code == 404


PURPOSE = (
    "Rådet ska stärka samverkan mellan regionen och kommunerna i länet. Det är en arena för "
    "dialog om gemensamma frågor och för att följa upp de överenskommelser som parterna har "
    "ingått. Rådet bereder frågor om hälso- och sjukvård, socialtjänst, utbildning och "
    "regional utveckling och ger rekommendationer till parterna. Mötena hålls fyra gånger "
    "om året och protokollen publiceras på webbplatsen när de har justerats."
)


@pytest.mark.django_db
def test_record_text_keeps_its_language_in_the_english_interface(
    client: Any, tmp_path: Path
) -> None:
    """Records are written in Swedish: under the English interface their text carries
    lang="sv" (WCAG 2.1 3.1.2, language of parts), so a screen reader reads it as
    Swedish; the Nu Html Checker no longer takes the English page for a Swedish one.
    Under the Swedish interface the attribute would say nothing and is left out."""
    from tests.browser.tools import nu_messages
    from tests.factories import BodyFactory

    body = BodyFactory(purpose=PURPOSE, mandate=PURPOSE)
    page = client.get(body.get_absolute_url()).content.decode()
    assert f"<p>{PURPOSE}</p>" in page  # Swedish on a Swedish page: nothing to say
    assert 'lang="sv"' not in page.split("<body", 1)[1]
    client.get("/sprak/en/", {"next": "/"})
    page = client.get(body.get_absolute_url()).content.decode()
    assert '<html lang="en">' in page
    assert f'<p lang="sv">{PURPOSE}</p>' in page
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    findings = [m.get("message", "") for m in nu_messages([tmp_path / "page.html"])]
    assert not [f for f in findings if "appears to be written in" in f], findings
