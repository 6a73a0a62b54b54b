"""The personnummer and samordningsnummer detector (samverkan/personal_data.py)."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone

from samverkan.personal_data import find, luhn_ok, mask

# Skatteverket's example number 811218-9876 (check digit 6 by the Luhn algorithm).
VALID = "811218-9876"


@pytest.mark.parametrize(
    "written",
    [
        "811218-9876",
        "8112189876",
        "19811218-9876",
        "198112189876",
        "811218+9876",  # a hundred years or older
        "811218 9876",
    ],
)
def test_a_valid_personnummer_is_found_however_it_is_written(written: str) -> None:
    (finding,) = find(f"Sökande: Anna Andersson, {written}, Östersund.")
    assert finding.kind == "personnummer"
    assert finding.text == written
    assert finding.masked.endswith("XXXX")


def test_a_samordningsnummer_is_found() -> None:
    number = next(
        f"701063-{serial:03d}{check}"
        for serial in range(1000)
        for check in range(10)
        if luhn_ok(f"701063{serial:03d}{check}")
    )
    (finding,) = find(f"Samordningsnummer {number}")
    assert finding.kind == "samordningsnummer"


@pytest.mark.parametrize(
    "text",
    [
        "811218-9875",  # the check digit is wrong
        "811318-9876",  # month 13
        "811232-9876",  # day 32
        "811218-XXXX",  # masked
        "811218-****",
        "RUN/12/2020 och SKA/12/2020",
        "Telefon 063-14 75 00",
        "Beslutet fattades 2020-12-18 av rådet; 1234567890123 är ett ordernummer.",
    ],
)
def test_no_finding_in_what_is_not_a_number(text: str) -> None:
    assert find(text) == []


def test_masking_hides_the_last_four_digits_of_each_number() -> None:
    assert mask(f"{VALID} och 19811218-9876.") == "811218-XXXX och 19811218-XXXX."
    assert mask("Inget här.") == "Inget här."


@pytest.mark.django_db
def test_a_document_with_a_personnummer_is_hidden_until_the_secretariat_confirms() -> None:
    """The worker reads the file's text; a personnummer in it hides the document from
    the public (its page, the case's list, search) until the secretariat masks it or
    confirms it with a reason, which the history keeps. The page never shows it."""
    from councils import services
    from councils.pdfs import html_to_pdf
    from tests.conftest import client_for
    from tests.factories import UserFactory, make_case, make_document

    case = make_case(title="Ansökan", public_title="Ansökan om bidrag")
    data = html_to_pdf(f'<html lang="sv"><body><p>Sökande Anna, {VALID}, Berg.</p></body></html>')
    document = make_document(
        case=case,
        subject="Ansökan från privatperson",
        upload=io.BytesIO(data),
        upload_name="ansokan.pdf",
        upload_size=len(data),
    )
    services.document_text_extract(document_id=document.pk)  # what the worker does
    document.refresh_from_db()
    assert document.personal_data == 1
    public = client_for(None)
    assert public.get(document.get_absolute_url()).status_code == 404
    assert "Ansökan från privatperson" not in public.get(case.get_absolute_url()).content.decode()
    secretariat = client_for(UserFactory(secretariat=True))
    html = secretariat.get(document.get_absolute_url()).content.decode()
    assert "811218-XXXX (personnummer)" in html
    assert VALID not in html  # the page itself never shows the number
    assert "Allmänheten ser den inte" in html
    url = f"/personuppgifter/document/{document.pk}/"
    assert secretariat.post(url, {"reason": "  "}).status_code == 302
    assert public.get(document.get_absolute_url()).status_code == 404  # no reason: no
    secretariat.post(url, {"reason": "Sökanden har själv begärt publicering."})
    assert public.get(document.get_absolute_url()).status_code == 200
    latest = document.history.first()
    assert latest is not None
    assert latest.personal_data_reason == "Sökanden har själv begärt publicering."


@pytest.mark.django_db
def test_a_personnummer_in_the_subject_is_found_on_saving() -> None:
    from tests.factories import make_case, make_document

    document = make_document(case=make_case(), subject=f"Skrivelse från {VALID}")
    assert document.personal_data == 1
    assert not document.publishable


@pytest.mark.django_db
def test_the_document_page_shows_the_secretariat_a_personnummer_in_the_text() -> None:
    from tests.conftest import client_for
    from tests.factories import UserFactory, make_case, make_document

    document = make_document(case=make_case(), subject="Ansökan från privatperson")
    type(document).objects.filter(pk=document.pk).update(
        text=f"Sökande {VALID}, Berg", personal_data=1, personal_data_reason="Begärt."
    )
    page = client_for(UserFactory(secretariat=True)).get(document.get_absolute_url())
    html = page.content.decode()
    assert "811218-XXXX (personnummer)" in html
    assert VALID not in html  # the page itself never shows the number
    assert "Allmänheten kan läsa den nu." in html  # confirmed
    public = client_for(None).get(document.get_absolute_url()).content.decode()
    assert "811218-XXXX" not in public


@pytest.mark.django_db
def test_a_new_paragraph_s_basis_names_only_documents_the_public_reads() -> None:
    """The § is public text: a document whose subject holds an unconfirmed personnummer
    is not named in its default beslutsunderlag, as a confidential one is not."""
    from councils import services
    from councils.models import AgendaItem, Meeting
    from tests.factories import BodyFactory, make_case, make_document

    case = make_case(title="Bidrag")
    named = make_document(case=case, subject="Tjänsteskrivelse om bidrag")
    hidden = make_document(case=case, subject=f"Ansökan från {VALID}")
    meeting = Meeting.objects.create(body=BodyFactory(), starts_at=timezone.now())
    item = AgendaItem.objects.create(meeting=meeting, position=1, case=case, title="Bidrag")
    item.documents.set([named, hidden])
    assert services.paragraph_default_basis(item) == "Tjänsteskrivelse om bidrag"
    hidden.personal_data_reason = "Sökanden har begärt det."
    hidden.save()
    assert services.paragraph_default_basis(item).splitlines() == [
        "Tjänsteskrivelse om bidrag",
        f"Ansökan från {VALID}",
    ]
