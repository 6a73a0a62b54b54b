"""Confidential documents and internal titles reach only secretariat staff and the
members of the arena handling the case: never the public, an outsider, an observer
or a member of another arena. Every page that lists documents, the document page
and the file download are checked."""

from __future__ import annotations

import io
from typing import Any

import pytest

from tests.conftest import client_for
from tests.factories import make_document
from tests.files import pdf_bytes

pytestmark = pytest.mark.django_db

SECRET = "Hemlig bilaga med personuppgifter"
INTERNAL_TITLE = "Intern titel om enskild"

DENIED = ["anonymous", "outsider", "observer_a", "member_b"]
ALLOWED = ["member_a", "substitute_a", "secretariat"]


def _client(world: dict[str, Any], role: str) -> Any:
    return client_for(None if role == "anonymous" else world[role])


@pytest.fixture
def secret_file(world: dict[str, Any]) -> Any:
    pdf = pdf_bytes()
    return make_document(
        case=world["case"],
        subject="Hemlig fil",
        confidential=True,
        upload=io.BytesIO(pdf),
        upload_name="hemlig.pdf",
        upload_size=len(pdf),
    )


def _listing_pages(world: dict[str, Any]) -> list[str]:
    return [
        "/",
        "/diarium/",
        f"/diarium/{world['case'].pk}/",
        f"/arenor/{world['body_a'].slug}/",
        f"/handlingar/{world['public_doc'].pk}/",
    ]


@pytest.mark.parametrize("role", DENIED)
def test_confidential_documents_and_internal_titles_are_hidden(
    world: dict[str, Any], role: str
) -> None:
    client = _client(world, role)
    for url in _listing_pages(world):
        page = client.get(url).content.decode()
        assert SECRET not in page, url
        assert INTERNAL_TITLE not in page, url
    case_page = client.get(f"/diarium/{world['case'].pk}/").content.decode()
    assert "Samverkansfråga" in case_page  # the public title stands in
    assert "Offentlig tjänsteskrivelse" in case_page


@pytest.mark.parametrize("role", DENIED)
def test_confidential_document_page_and_file_answer_404(
    world: dict[str, Any], role: str, secret_file: Any
) -> None:
    client = _client(world, role)
    assert client.get(f"/handlingar/{world['secret_doc'].pk}/").status_code == 404
    assert client.get(f"/handlingar/{secret_file.pk}/fil/").status_code == 404


@pytest.mark.parametrize("role", ALLOWED)
def test_members_of_the_arena_and_secretariat_see_them(
    world: dict[str, Any], role: str, secret_file: Any
) -> None:
    client = _client(world, role)
    case_page = client.get(f"/diarium/{world['case'].pk}/").content.decode()
    assert SECRET in case_page
    assert INTERNAL_TITLE in case_page
    assert client.get(f"/handlingar/{world['secret_doc'].pk}/").status_code == 200
    response = client.get(f"/handlingar/{secret_file.pk}/fil/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_diarium_search_cannot_probe_internal_titles(world: dict[str, Any]) -> None:
    """Searching for words of the hidden title finds nothing for the public."""
    public = _client(world, "anonymous").get("/diarium/", {"q": "enskild"}).content.decode()
    assert world["case"].diarienummer not in public
    member = _client(world, "member_a").get("/diarium/", {"q": "enskild"}).content.decode()
    assert world["case"].diarienummer in member


def test_download_is_an_attachment_with_the_stored_type(world: dict[str, Any]) -> None:
    pdf = pdf_bytes()
    document = make_document(
        case=world["case"], upload=io.BytesIO(pdf), upload_name="<script>.pdf", upload_size=len(pdf)
    )
    response = _client(world, "anonymous").get(f"/handlingar/{document.pk}/fil/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_missing_and_forbidden_look_the_same(world: dict[str, Any]) -> None:
    client = _client(world, "anonymous")
    missing = client.get("/handlingar/999999/")
    forbidden = client.get(f"/handlingar/{world['secret_doc'].pk}/")
    assert missing.status_code == forbidden.status_code == 404

    def main(response: Any) -> str:
        page = response.content.decode()
        return page[page.index("<main") : page.index("</main>")]

    assert main(missing) == main(forbidden)


@pytest.mark.parametrize(
    "url_name",
    [
        "/diarium/nytt/",
        "/diarium/{case}/andra/",
        "/diarium/{case}/handlingar/ny/",
        "/handlingar/{doc}/andra/",
    ],
)
def test_secretariat_pages_refuse_others(world: dict[str, Any], url_name: str) -> None:
    url = url_name.format(case=world["case"].pk, doc=world["public_doc"].pk)
    anonymous = _client(world, "anonymous").get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/logga-in/")
    for role in ("outsider", "member_a"):
        assert _client(world, role).get(url).status_code == 403
        assert _client(world, role).post(url, {}).status_code == 403
    assert _client(world, "secretariat").get(url).status_code == 200


def test_a_document_without_a_stored_file_answers_404(world: dict[str, Any]) -> None:
    pdf = pdf_bytes()
    document = make_document(
        case=world["case"], upload=io.BytesIO(pdf), upload_name="a.pdf", upload_size=len(pdf)
    )
    document.file.storage.delete(document.file.name)
    assert _client(world, "secretariat").get(f"/handlingar/{document.pk}/fil/").status_code == 404
    assert (
        _client(world, "secretariat").get(f"/handlingar/{world['public_doc'].pk}/fil/").status_code
        == 404
    )


@pytest.mark.parametrize(
    "query",
    [{"year": "abc"}, {"page": "x"}, {"page": "99999"}, {"diarium": "NOPE"}, {"q": "%' OR 1=1"}],
)
def test_bad_diarium_filters_never_fail(world: dict[str, Any], query: dict[str, str]) -> None:
    assert _client(world, "anonymous").get("/diarium/", query).status_code == 200
