"""The anonymous page cache (base/pagecache.py): the public's pages are kept and
served again until a write changes what they show; nobody logged in, nothing
personal and nothing confidential ever goes in or comes out."""

from __future__ import annotations

import datetime
import pickle
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from base import pagecache
from councils import services
from councils.models import Body, Membership, Protocol
from tests.conftest import client_for
from tests.factories import (
    BodyFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
    make_case,
    make_document,
    read_copy,
)

pytestmark = pytest.mark.django_db


def _stored_pages() -> list[bytes]:
    """Every page in the (test's local-memory) cache, as stored."""
    store = cache._cache
    return [
        pickle.loads(value)["content"]  # noqa: S301 - the test's own cache
        for key, value in store.items()
        if "pagecache:" in key and key != cache.make_key(pagecache.GENERATION_KEY)
    ]


def test_an_anonymous_page_is_kept_and_served_again(world: dict[str, Any]) -> None:
    public = Client()
    first = public.get("/arenor/")
    second = public.get("/arenor/")
    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second["Content-Language"] == "sv"
    # Another language, or htmx asking for a fragment, is another page.
    assert public.get("/arenor/", headers={"HX-Request": "true"})["X-Cache"] == "miss"
    english = Client()
    english.cookies["django_language"] = "en"
    assert english.get("/arenor/")["X-Cache"] == "miss"


def test_a_logged_in_person_never_gets_or_makes_a_cached_page(world: dict[str, Any]) -> None:
    """Not the public's copy: a logged-in person's pages are kept, if at all, for their
    permission class (``base.classcache``, ``X-Cache: class-…``), apart from these."""
    Client().get(f"/diarium/{world['case'].pk}/")  # the public's copy is now kept
    member = client_for(world["member_a"])
    page = member.get(f"/diarium/{world['case'].pk}/")
    assert page.get("X-Cache", "") not in ("hit", "miss")
    text = page.content.decode()
    assert "Hemlig bilaga med personuppgifter" in text  # the member's own view
    assert all(b"Hemlig bilaga" not in stored for stored in _stored_pages())


def test_nothing_confidential_enters_the_cache(world: dict[str, Any]) -> None:
    """The public's pages over the world's case, arena and search are kept; none of
    them holds the confidential document or the case's internal title."""
    public = Client()
    for url in (
        "/",
        "/arenor/",
        f"/arenor/{world['body_a'].slug}/",
        "/diarium/",
        f"/diarium/{world['case'].pk}/",
        "/sok/?q=tjänsteskrivelse",
        "/sok/?q=hemlig",
    ):
        assert public.get(url).status_code == 200, url
    for role in ("member_a", "secretariat"):
        client_for(world[role]).get(f"/diarium/{world['case'].pk}/")
    stored = _stored_pages()
    assert len(stored) == 7
    for page in stored:
        assert b"Hemlig bilaga" not in page
        assert b"Intern titel om enskild" not in page


def test_a_new_public_document_shows_on_the_next_request(world: dict[str, Any]) -> None:
    public = Client()
    url = f"/diarium/{world['case'].pk}/"
    assert b"Yttrande fr\xc3\xa5n Krokom" not in public.get(url).content
    assert public.get(url)["X-Cache"] == "hit"
    make_document(case=world["case"], subject="Yttrande från Krokom")
    fresh = public.get(url)
    assert fresh["X-Cache"] == "miss"
    assert "Yttrande från Krokom" in fresh.content.decode()


def test_a_justering_posts_the_anslag_on_the_next_request(
    django_capture_on_commit_callbacks: Any,
) -> None:
    body = BodyFactory(procedure=Body.Procedure.FORMAL)
    chair, adjuster = PersonFactory(user=UserFactory()), PersonFactory(user=UserFactory())
    MembershipFactory(person=chair, body=body, role=Membership.Role.CHAIR)
    MembershipFactory(person=adjuster, body=body, role=Membership.Role.MEMBER)
    (meeting,) = services.meeting_plan(
        actor=None, body=body, starts=[timezone.now() - datetime.timedelta(days=1)]
    )
    services.agenda_add_case(actor=None, meeting=meeting, case=make_case(body=body))
    services.paragraphs_create_for_agenda(actor=None, meeting=meeting)
    protocol = Protocol.objects.get(meeting=meeting)
    services.protocol_update(actor=None, protocol=protocol, adjusters=[adjuster])
    public = Client()
    assert body.name not in public.get("/anslagstavla/").content.decode()
    assert public.get("/anslagstavla/")["X-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        services.protocol_send_for_justering(actor=None, protocol=protocol)
    for user in (chair.user, adjuster.user):
        services.protocol_decide(
            actor=user, protocol=protocol, approve=True, read_sha256=read_copy(protocol)
        )
    assert body.name in public.get("/anslagstavla/").content.decode()


def test_the_generation_moves_again_when_the_write_commits(world: dict[str, Any]) -> None:
    """A write moves the generation at once and once more on commit (one hook for the
    whole transaction), so a page another worker rendered from the old rows in
    between is not served after the commit."""
    from django.db import connection

    before = pagecache.generation()
    make_document(case=world["case"], subject="Ny handling")
    make_document(case=world["case"], subject="En till")
    during = pagecache.generation()
    assert during >= before + 2
    hooks = [hook for _ids, hook, _robust in connection.run_on_commit]
    (on_commit,) = [hook for hook in hooks if hook is pagecache._bump_on_commit]
    on_commit()
    assert pagecache.generation() == during + 1


def test_a_lost_generation_is_made_anew_never_an_old_one(world: dict[str, Any]) -> None:
    """A full cache culls entries, the generation among them: pages kept under an old
    generation stay unreachable, as the new one starts past every earlier value."""
    public = Client()
    assert public.get("/anslagstavla/")["X-Cache"] == "miss"
    before = pagecache.generation()
    cache.delete(pagecache.GENERATION_KEY)
    assert pagecache.generation() > before
    assert public.get("/anslagstavla/")["X-Cache"] == "miss"
    cache.delete(pagecache.GENERATION_KEY)
    pagecache.bump()
    assert pagecache.generation() > before


def test_pages_with_a_form_token_an_api_key_or_a_session_are_not_kept(
    world: dict[str, Any],
) -> None:
    public = Client()
    assert "X-Cache" not in public.get("/logga-in/")  # the form's CSRF token is personal
    assert public.get("/logga-in/").status_code == 200
    assert "X-Cache" not in public.get("/api/oparl/v1/system", HTTP_AUTHORIZATION="Bearer x")
    assert public.get("/api/oparl/v1/system")["X-Cache"] == "miss"
    assert public.get("/api/oparl/v1/system")["Access-Control-Allow-Origin"] == "*"
    member = client_for(world["member_a"])  # kept for its class, never the public's copy
    assert member.get("/api/oparl/v1/system").get("X-Cache", "") not in ("hit", "miss")


#: Pages that are a form by nature: they carry a form token and are never kept.
FORMS = ("/logga-in/", "/glomt-losenord/", "/verifiera/")


def test_every_public_page_the_start_page_leads_to_is_kept_and_carries_no_token() -> None:
    """A crawl of the demo as the public, from the start page by links: every page is
    kept for the next visitor (nothing per visitor on it: no form token, no cookie),
    save the forms that are pages of their own. Asking for a PDF from a kept page
    works without a token for the public, and still wants one from a logged-in person."""
    import re
    from collections import Counter

    from councils.models import Paragraph
    from samverkan.demo import load_demo

    load_demo(with_accounts=True, history=False)
    public = Client()
    seen: set[str] = set()
    per_kind: Counter[str] = Counter()
    todo = ["/"]
    while todo:
        url = todo.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = public.get(url)
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        html = response.content.decode()
        if url.split("?")[0] in FORMS:
            assert "X-Cache" not in response
            continue
        assert "csrfmiddlewaretoken" not in html, url
        assert not response.cookies, url
        assert response["X-Cache"] == "miss", url
        assert public.get(url)["X-Cache"] == "hit", url
        for href in re.findall(r'href="(/[^"#]*)', html):
            href = href.replace("&amp;", "&")
            kind = re.sub(r"[0-9]+", "N", href.split("?")[0])
            if re.search(
                r"/fil/|/visa/|\.(ics|rss|atom|csv|pdf|pem|crl)$|^/(static|media|api)/", href
            ):
                continue
            if href not in seen and per_kind[kind] < 3:
                per_kind[kind] += 1
                todo.append(href)
    assert len(seen) > 60
    assert any(url.endswith("/protokoll/") for url in seen)
    paragraph = Paragraph.objects.filter(approved_at__isnull=False, public=True).first()
    assert paragraph is not None
    asked = Client(enforce_csrf_checks=True).post(f"/paragrafer/{paragraph.pk}/utdrag/")
    assert asked.status_code == 302  # to the PDF's page
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(UserFactory())
    assert strict.post(f"/paragrafer/{paragraph.pk}/utdrag/").status_code == 403


def test_a_page_kept_for_one_host_is_not_served_for_another(
    world: dict[str, Any], settings: Any
) -> None:
    """The API answers with absolute addresses: what was kept for one host name (or
    scheme) would send a client of another to the wrong place."""
    settings.ALLOWED_HOSTS = ["portal.example.se", "www.portal.example.se"]
    url = "/api/oparl/v1/system"
    first = Client(HTTP_HOST="portal.example.se").get(url)
    assert first["X-Cache"] == "miss"
    assert Client(HTTP_HOST="portal.example.se").get(url)["X-Cache"] == "hit"
    other = Client(HTTP_HOST="www.portal.example.se").get(url)
    assert other["X-Cache"] == "miss"
    assert "//www.portal.example.se/" in other.content.decode()
    secure = Client(HTTP_HOST="portal.example.se").get(url, secure=True)
    assert secure["X-Cache"] == "miss"
    assert "https://portal.example.se/" in secure.content.decode()


def test_the_cache_and_the_views_agree_on_what_an_htmx_request_is(world: dict[str, Any]) -> None:
    """The probe: ``HX-Request: 1`` was kept as the fragment although the views answer
    it with the whole page (django-htmx takes only ``true``), so real htmx requests got
    the whole page from the cache."""
    public = Client()
    whole = public.get("/diarium/", headers={"HX-Request": "1"})
    assert b"<html" in whole.content
    fragment = public.get("/diarium/", headers={"HX-Request": "true"})
    assert fragment["X-Cache"] == "miss"
    assert b"<html" not in fragment.content
    assert public.get("/diarium/")["X-Cache"] == "hit"  # the whole page, kept once


@pytest.mark.parametrize("write", ["update", "delete", "bulk_update", "raw"])
def test_a_write_that_bypasses_save_moves_the_generation(world: dict[str, Any], write: str) -> None:
    """The worker hides a handling with a queryset's ``update`` (no ``post_save``): the
    public ärende page kept listing it for up to 300 s. Every statement that writes to
    a record's table now moves the generation."""
    from django.db import connection

    from councils.models import Document

    case = world["case"]
    document = make_document(case=case, subject="Yttrande från Berg")
    public = Client()
    url = f"/diarium/{case.pk}/"
    assert "Yttrande från Berg" in public.get(url).content.decode()
    assert public.get(url)["X-Cache"] == "hit"
    if write == "update":
        Document.objects.filter(pk=document.pk).update(personal_data=1)
    elif write == "delete":
        Document.objects.filter(pk=document.pk).delete()
    elif write == "bulk_update":
        document.personal_data = 1
        Document.objects.bulk_update([document], ["personal_data"])
    else:
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Document._meta.db_table} SET personal_data = 1 WHERE id = %s",  # noqa: S608 - our own table name
                [document.pk],
            )
    page = public.get(url)
    assert page["X-Cache"] == "miss"
    assert "Yttrande från Berg" not in page.content.decode()


def test_reading_moves_no_generation(world: dict[str, Any]) -> None:
    Client().get("/arenor/")
    before = pagecache.generation()
    Client().get("/arenor/")
    services_free = Client().get(f"/diarium/{world['case'].pk}/")
    assert services_free.status_code == 200
    assert pagecache.generation() == before
