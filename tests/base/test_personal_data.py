"""The personnummer and samordningsnummer detector (base/personal_data.py)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.utils import timezone

from base.personal_data import Officials, find, luhn_ok, mask

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


@pytest.mark.parametrize(
    ("written", "masked"),
    [
        ("811218\u20139876", "811218\u2013XXXX"),  # en dash, as Word writes it
        ("811218\u00a09876", "811218\u00a0XXXX"),  # a no-break space
        ("811218\u22129876", "811218\u2212XXXX"),  # the minus sign
        ("811218\u20119876", "811218\u2011XXXX"),  # a non-breaking hyphen
        ("811218 - 9876", "811218 - XXXX"),
        ("811218\t9876", "811218\tXXXX"),
        ("811218\n9876", "811218\nXXXX"),  # a line break, as a PDF's text has it
        ("811218.9876", "811218.XXXX"),
        ("811218/9876", "811218/XXXX"),
        ("811218_9876", "811218_XXXX"),
        ("81 12 18-9876", "81 12 18-XXXX"),
        ("1981-12-18-9876", "1981-12-18-XXXX"),
        ("811\u00ad218-9876", "811218-XXXX"),  # a soft hyphen inside
        ("811218-98\u200b76", "811218-XXXX"),  # a zero-width space inside
        ("\uff18\uff11\uff11\uff12\uff11\uff18\uff0d\uff19\uff18\uff17\uff16", None),
    ],
)
def test_a_personnummer_is_found_whatever_dash_space_or_invisible_is_in_it(
    written: str, masked: str | None
) -> None:
    """The probe's variants, in running text and after a label ("pnr-"): each is found
    where it stands, and masking hides its last four digits."""
    for text in (f"Sökande: Anna, {written}, Östersund.", f"Anna pnr-{written}."):
        (finding,) = find(text)
        assert finding.kind == "personnummer"
        assert text[finding.start : finding.end] == finding.text
        assert finding.text.replace("\u00ad", "").replace("\u200b", "") == written.replace(
            "\u00ad", ""
        ).replace("\u200b", "")
        if masked is not None:
            assert finding.masked == masked
        assert "9876" not in mask(text)
        assert find(mask(text)) == []


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


# --- Contact details of private persons -----------------------------------------------


OFFICIALS = Officials(
    domains=frozenset({"regionjh.se"}),
    emails=frozenset({"anna.sekreterare@gmail.com"}),
    phones=frozenset({"063147500"}),
)


def test_a_private_persons_address_and_number_are_found_an_officials_are_not() -> None:
    text = (
        "Skrivelse från Per Persson, per.persson@gmail.com, 070-123 45 67. Svar till "
        "registrator@regionjh.se, telefon 063-14 75 00; sekreterare "
        "anna.sekreterare@gmail.com. Diarienummer RUN/29/2021, beslut 2021-05-15, "
        "belopp 1 250 000 kronor."
    )
    found = [(f.kind, f.text) for f in find(text, OFFICIALS)]
    assert found == [("email", "per.persson@gmail.com"), ("phone", "070-123 45 67")]
    assert find(text) == []  # without the officials: identity numbers only
    masked = mask(text, OFFICIALS)
    assert "…@gmail.com, 070-XXX XX XX." in masked
    assert "registrator@regionjh.se" in masked
    assert "063-14 75 00" in masked
    assert find(masked, OFFICIALS) == []  # masking is final


@pytest.mark.parametrize("number", ["+46 70 123 45 67", "0701234567", "08-123 456 78"])
def test_phone_numbers_are_found_as_people_write_them(number: str) -> None:
    (finding,) = find(f"Ring {number} efter fem.", OFFICIALS)
    assert (finding.kind, finding.text) == ("phone", number)


def test_an_officials_number_is_known_however_it_is_written() -> None:
    assert find("Växeln: +46 63 14 75 00.", OFFICIALS) == []


# --- The gate on each kind of public text ----------------------------------------------


@pytest.mark.django_db
def test_a_case_with_a_private_phone_number_is_kept_from_the_public_until_masked() -> None:
    """The ärende's public text (its title and description, or its public title): the
    public neither reads nor finds it until the secretariat masks or confirms; the
    masking is a change in the case's history."""
    from councils.models import Case
    from tests.conftest import client_for
    from tests.factories import UserFactory, make_case

    case = make_case(title="Klagomål på färdtjänst", description="Klagande nås på 070-123 45 67.")
    assert case.personal_data == 1
    public = client_for(None)
    assert public.get(case.get_absolute_url()).status_code == 404
    assert case.diarienummer not in public.get("/diarium/").content.decode()
    secretariat_user = UserFactory(secretariat=True)
    secretariat = client_for(secretariat_user)
    listing = secretariat.get("/personuppgifter/").content.decode()
    assert case.get_absolute_url() in listing
    assert "/personuppgifter/" in secretariat.get("/").content.decode()  # linked
    page = secretariat.get(case.get_absolute_url()).content.decode()
    assert "070-XXX XX XX (telefonnummer)" in page
    response = secretariat.post(f"/personuppgifter/case/{case.pk}/", {"action": "mask"})
    assert response.status_code == 302
    case = Case.objects.get(pk=case.pk)
    assert case.description == "Klagande nås på 070-XXX XX XX."
    assert case.personal_data == 0
    page = public.get(case.get_absolute_url()).content.decode()
    assert "070-XXX XX XX" in page
    assert "123 45 67" not in page
    changes = case.history.order_by("-history_date")
    assert changes[0].history_user == secretariat_user
    assert "123 45 67" in changes[1].description  # the history keeps what was there


@pytest.mark.django_db
def test_a_paragraph_with_a_personnummer_cannot_be_justerad_until_confirmed() -> None:
    from django.core.exceptions import ValidationError

    from councils import services
    from councils.models import Membership, Paragraph, Protocol
    from tests.conftest import client_for
    from tests.factories import BodyFactory, MembershipFactory, PersonFactory, UserFactory
    from tests.factories import make_case as case_for

    body = BodyFactory()
    MembershipFactory(person=PersonFactory(), body=body, role=Membership.Role.CHAIR)
    (meeting,) = services.meeting_plan(actor=None, body=body, starts=[timezone.now()])
    services.agenda_add_case(actor=None, meeting=meeting, case=case_for(body=body))
    (paragraph,) = services.paragraphs_create_for_agenda(actor=None, meeting=meeting)
    services.paragraph_update(
        actor=None, paragraph=paragraph, summary=f"Ansökan från sökande {VALID}."
    )
    paragraph.refresh_from_db()
    assert paragraph.personal_data == 1
    protocol = Protocol.objects.get(meeting=meeting)
    services.protocol_update(actor=None, protocol=protocol, adjusters=[PersonFactory()])
    with pytest.raises(ValidationError, match=f"Personuppgifter .* i § {paragraph.number}:"):
        services.protocol_send_for_justering(actor=None, protocol=protocol)
    with pytest.raises(ValidationError):
        services.paragraph_approve_immediately(actor=None, paragraph=paragraph)
    secretariat = client_for(UserFactory(secretariat=True))
    page = secretariat.get(f"/paragrafer/{paragraph.pk}/andra/").content.decode()
    assert "811218-XXXX (personnummer)" in page  # the form itself holds the text to edit
    url = f"/personuppgifter/paragraph/{paragraph.pk}/"
    secretariat.post(url, {"action": "confirm", "reason": "Sökanden har begärt det."})
    services.protocol_send_for_justering(actor=None, protocol=protocol)
    protocol.refresh_from_db()
    assert protocol.status == Protocol.Status.FOR_APPROVAL
    # Sent for justering, the § can no longer be masked: it is a form error, not a 500.
    Paragraph.objects.filter(pk=paragraph.pk).update(personal_data_reason="")
    response = secretariat.post(url, {"action": "mask"}, follow=True)
    assert "Texten kan inte längre ändras" in response.content.decode()


@pytest.mark.django_db
def test_a_verksamhetsberattelse_section_with_an_address_is_not_compiled_until_masked(
    pact: dict,
) -> None:
    from django.core.exceptions import ValidationError

    from followups import services
    from followups.models import Report, Section
    from tests.conftest import client_for

    report = Report.objects.create(agreement=pact["agreement"], year=2020)
    section = services.section_save(
        actor=None,
        report=report,
        heading="Dialogerna",
        body="Synpunkter kan lämnas till kalle.karlsson@hotmail.com.",
    )
    assert section.personal_data == 1
    with pytest.raises(ValidationError, match="Dialogerna"):
        services.report_compile(actor=None, report=report)
    secretariat = client_for(pact["secretariat"])
    page = secretariat.get(report.get_absolute_url()).content.decode()
    assert "…@hotmail.com (e-postadress)" in page
    response = secretariat.post(f"/personuppgifter/section/{section.pk}/", {"action": "mask"})
    assert response["Location"].endswith(f"#personal-data-section-{section.pk}")
    section = Section.objects.get(pk=section.pk)
    assert section.body == "Synpunkter kan lämnas till …@hotmail.com."
    assert services.report_compile(actor=None, report=report).number == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "name", "xml"),
    [
        # Word splits a number over runs; the en dash is Word's own.
        (
            "docx",
            "ansokan.docx",
            "<w:p><w:r><w:t>Sökande Anna, 811218</w:t></w:r><w:r><w:t>\u20139876</w:t></w:r></w:p>",
        ),
        ("xlsx", "lista.xlsx", "<si><t>Anna</t></si><si><t>811218 - 9876</t></si>"),
        ("odt", "brev.odt", "<text:p>Anna<text:s/>811218\u00a09876</text:p>"),
    ],
)
def test_a_personnummer_in_an_office_file_keeps_it_from_the_public(
    kind: str, name: str, xml: str
) -> None:
    """Only a PDF's text was read: a DOCX (ODT, XLSX) holding a personnummer stayed
    downloadable by anyone. Now every format's text is read and checked, and until it
    has been, the file is not public (the page says so to the secretariat)."""
    from councils import services
    from tests.conftest import client_for
    from tests.factories import UserFactory, make_case, make_document
    from tests.files import text_office_bytes

    case = make_case(title="Ansökan", public_title="Ansökan om bidrag")
    data = text_office_bytes(kind, xml)
    document = make_document(
        case=case,
        subject="Bilaga från privatperson",
        upload=io.BytesIO(data),
        upload_name=name,
        upload_size=len(data),
        read=False,
    )
    public = client_for(None)
    secretariat = client_for(UserFactory(secretariat=True))
    assert document.text_state == "vantar"
    assert public.get(document.get_absolute_url()).status_code == 404
    assert public.get(f"/handlingar/{document.pk}/fil/").status_code == 404
    assert "läses och kontrolleras" in secretariat.get(document.get_absolute_url()).content.decode()

    services.document_text_extract(document_id=document.pk)  # what the worker does
    document.refresh_from_db()
    assert document.text_state == "last"
    assert "811218" in document.text
    assert document.personal_data == 1
    assert public.get(document.get_absolute_url()).status_code == 404
    assert "Bilaga från privatperson" not in public.get(case.get_absolute_url()).content.decode()
    assert "Bilaga från privatperson" in secretariat.get("/personuppgifter/").content.decode()


@pytest.mark.django_db
def test_an_office_file_without_personal_data_is_public_once_read() -> None:
    from tests.conftest import client_for
    from tests.factories import make_case, make_document
    from tests.files import text_office_bytes

    case = make_case(title="Remiss", public_title="Remiss")
    data = text_office_bytes("docx", "<w:p><w:r><w:t>Remissvar från Krokom</w:t></w:r></w:p>")
    document = make_document(
        case=case, upload=io.BytesIO(data), upload_name="svar.docx", upload_size=len(data)
    )
    assert document.text == "Remissvar från Krokom"
    assert document.public
    assert client_for(None).get(document.get_absolute_url()).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("why", ["time", "broken"])
def test_a_file_whose_text_cannot_be_read_stays_from_the_public(
    why: str, settings: Any, monkeypatch: Any
) -> None:
    """A reading stopped at the worker's bounds, or a file no reader accepts: nobody
    knows what it holds, so the public does not see it, and the page says why."""
    from councils import filetext
    from tests.conftest import client_for
    from tests.factories import UserFactory, make_case, make_document
    from tests.files import pdf_bytes

    settings.SAMVERKAN_WORKER_PARSE_SECONDS = 1
    data = pdf_bytes("Remiss")
    if why == "time":

        def endless(data: bytes, content_type: str) -> str:
            while True:
                pass

        monkeypatch.setattr(filetext, "read_text", endless)
    else:
        data = data[: len(data) // 2]  # cut in the middle: no reader takes it
    case = make_case(title="Remiss", public_title="Remiss")
    document = make_document(
        case=case, upload=io.BytesIO(data), upload_name="remiss.pdf", upload_size=len(data)
    )
    assert document.text_state == "olasbar"
    assert client_for(None).get(document.get_absolute_url()).status_code == 404
    page = client_for(UserFactory(secretariat=True)).get(document.get_absolute_url())
    assert "Filens text kunde inte läsas" in page.content.decode()


@pytest.mark.django_db
def test_agenda_items_show_the_public_no_personal_data(world: dict[str, Any]) -> None:
    """The probe: an ärende hidden for a personnummer in its title was shown on the
    meeting's public agenda and as OParl AgendaItem.name, and a personnummer in the
    proposed decision was public on the meeting page. Now the title is withheld from
    the public until confirmed, the item's own title and proposal are checked too, and
    the secretariat is pointed to them."""
    import datetime

    from councils import services
    from councils.models import Meeting
    from tests.conftest import client_for
    from tests.factories import UserFactory, make_case

    (meeting,) = services.meeting_plan(
        actor=None,
        body=world["body_a"],
        starts=[timezone.now() + datetime.timedelta(days=10)],
    )
    hidden = make_case(body=world["body_a"], title="Ansökan från Anna 811218\u20139876")
    assert hidden.personal_data == 1
    by_title = services.agenda_add_case(actor=None, meeting=meeting, case=hidden, public=True)
    clean = make_case(body=world["body_a"], title="Regional cykelplan")
    by_proposal = services.agenda_add_case(actor=None, meeting=meeting, case=clean, public=True)
    by_proposal = services.agenda_item_update(
        actor=None, item=by_proposal, proposal="Bidrag beviljas 81 12 18-9876 (Anna)."
    )
    assert by_proposal.personal_data == 1
    services.meeting_update(actor=None, meeting=meeting, status=Meeting.Status.CALLED)

    public = client_for(None)
    page = public.get(f"/sammantraden/{meeting.pk}/").content.decode()
    assert "9876" not in page
    assert "Ansökan från Anna" not in page
    assert "Regional cykelplan" in page
    assert "visas när den har granskats" in page
    name = public.get(f"/api/oparl/v1/agendaitems/{by_title.pk}").json()["name"]
    assert "9876" not in name
    assert "Anna" not in name
    assert "9876" not in public.get(f"/api/oparl/v1/agendaitems/{by_proposal.pk}").content.decode()

    secretariat = client_for(UserFactory(secretariat=True))
    page = secretariat.get(f"/sammantraden/{meeting.pk}/").content.decode()
    assert "Personuppgifter att granska" in page
    assert "811218\u20139876" in page  # the secretariat reads the record as it is
    listed = secretariat.get("/personuppgifter/").content.decode()
    assert by_proposal.review_url() in listed
    edit = secretariat.get(by_proposal.review_url()).content.decode()
    assert "81 12 18-XXXX (personnummer)" in edit
    secretariat.post(f"/personuppgifter/agendaitem/{by_proposal.pk}/", {"action": "mask"})
    page = public.get(f"/sammantraden/{meeting.pk}/").content.decode()
    assert "Bidrag beviljas 81 12 18-XXXX (Anna)." in page


def _public_crawl(client: Any, starts: list[str], limit: int = 600) -> dict[str, bytes]:
    """Every page, feed, file and API object the public reaches from ``starts`` by links
    (``href`` and ``src`` in HTML and feeds, every address in the API's JSON): {url: body}."""
    import json
    import re
    from collections import deque

    links = re.compile(r'(?:href|src)="(/[^"#]*)"')
    seen: dict[str, bytes] = {}
    queue = deque(starts)
    while queue and len(seen) < limit:
        url = queue.popleft().replace("&amp;", "&")
        if url in seen or url.startswith(
            ("/admin/", "/static/", "/logga-ut/", "/logga-in/", "/i18n/")
        ):
            continue
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        seen[url] = body if response.status_code == 200 else b""
        if response.status_code != 200:
            continue
        kind = response.get("Content-Type", "")
        if kind.startswith(("text/html", "application/rss", "application/atom", "text/xml")):
            queue.extend(links.findall(body.decode()))
        elif kind.startswith("application/json"):
            text = json.dumps(json.loads(body))
            queue.extend(
                m.removeprefix("http://testserver")
                for m in re.findall(r'"(http://testserver/[^"]*)"', text)
            )
    return seen


@pytest.mark.django_db
def test_no_written_form_of_a_personnummer_reaches_the_public(world: dict[str, Any]) -> None:
    """The probe's variants put where the public reads: an ärende's title, a handling's
    subject and its DOCX's text, an agenda item's proposal, on a called meeting. A crawl
    of the public site, its feeds, calendars and CSV, the search and the OParl API from
    its system object finds the number nowhere (its last four digits, 9876, in no
    answer), and the DOCX's file is not downloadable."""
    import datetime

    from councils import services
    from councils.models import Meeting
    from tests.conftest import client_for
    from tests.factories import make_case, make_document
    from tests.files import text_office_bytes

    body = world["body_a"]
    hidden = make_case(body=body, title="Ansökan från Anna 811218\u20139876")
    case = make_case(body=body, title="Bidrag till föreningar", public_title="Föreningsbidrag")
    make_document(case=case, subject="Yttrande, pnr-811218\u22129876")
    data = text_office_bytes(
        "docx", "<w:p><w:r><w:t>Sökande 811218</w:t></w:r><w:r><w:t>\u00a09876</w:t></w:r></w:p>"
    )
    with_file = make_document(
        case=case,
        subject="Ansökan om föreningsbidrag",
        upload=io.BytesIO(data),
        upload_name="ansokan.docx",
        upload_size=len(data),
    )
    (meeting,) = services.meeting_plan(
        actor=None, body=body, starts=[timezone.now() + datetime.timedelta(days=10)]
    )
    services.agenda_add_case(actor=None, meeting=meeting, case=hidden, public=True)
    item = services.agenda_add_case(actor=None, meeting=meeting, case=case, public=True)
    services.agenda_item_update(
        actor=None, item=item, proposal="Bidrag beviljas 81\u00a012\u00a018\u200b-9876."
    )
    services.meeting_update(actor=None, meeting=meeting, status=Meeting.Status.CALLED)

    public = client_for(None)
    reached = _public_crawl(
        public,
        [
            "/",
            f"/sammantraden/{meeting.pk}/",
            f"/diarium/{case.pk}/",
            "/diarium/export.csv",
            "/sok/?q=ansökan",
            "/sok/?q=Anna",
            "/sok/?q=yttrande",
            "/api/oparl/v1/system",
            f"/api/oparl/v1/agendaitems/{item.pk}",
        ],
    )
    assert len(reached) > 100
    assert f"/sammantraden/{meeting.pk}/" in reached
    assert "/api/oparl/v1/system" in reached
    leaks = {
        url
        for url, content in reached.items()
        if b"9876" in content.replace("\u00ad".encode(), b"").replace("\u200b".encode(), b"")
    }
    assert leaks == set()
    assert public.get(f"/handlingar/{with_file.pk}/fil/").status_code == 404
    assert "Föreningsbidrag" in reached[f"/sammantraden/{meeting.pk}/"].decode()
