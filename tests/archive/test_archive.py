"""Deliveries to the e-archive as E-ARK SIP packages (FGS Paketstruktur / CITS ERMS),
checked with what nobody here wrote: ``METS.xml`` against the METS schema and the
E-ARK CSIP and SIP Schematron rules (``tests/eark.py``, the eark-validator's files),
``erms.xml`` against ``ERMS.xsd`` and ``erms.sch``; then read back. And gallring."""

from __future__ import annotations

import datetime
import hashlib
import io
import zipfile
from typing import Any

import pytest
import xmlschema
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from archive import selectors as archive_selectors
from archive import services as archive_services
from archive.erms import NS
from archive.models import ArchiveDownload, ArchiveExport
from archive.sip import ChecksumMismatch
from councils import services
from councils.models import (
    Body,
    Case,
    Document,
    Membership,
    Paragraph,
    Protocol,
    RetentionRule,
)
from tests import eark, schematron
from tests.archive.test_erms import SCH, XSD
from tests.factories import (
    BodyFactory,
    DiariumFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
    make_agreement,
    make_case,
    make_document,
    make_kommuner,
    read_copy,
)
from tests.files import docx_bytes, pdf_bytes

pytestmark = pytest.mark.django_db

M = {"mets": "http://www.loc.gov/METS/", "xlink": "http://www.w3.org/1999/xlink"}
E = {"e": NS}


def _upload(data: bytes, name: str) -> dict[str, Any]:
    return {"upload": io.BytesIO(data), "upload_name": name, "upload_size": len(data)}


def _justerad(case: Case, *, body: Body, hour: int = 13) -> Paragraph:
    adjuster = UserFactory()
    seat = Membership.objects.filter(
        body=body, role=Membership.Role.CHAIR
    ).first() or MembershipFactory.create(
        person=PersonFactory(user=UserFactory()), body=body, role=Membership.Role.CHAIR
    )
    chair = seat.person.user
    signatory = PersonFactory(user=adjuster)
    (meeting,) = services.meeting_plan(
        actor=None, body=body, starts=[datetime.datetime(2021, 9, 14, hour, tzinfo=datetime.UTC)]
    )
    services.agenda_add_case(actor=None, meeting=meeting, case=case)
    services.paragraphs_create_for_agenda(actor=None, meeting=meeting)
    paragraph = Paragraph.objects.get(meeting=meeting)
    services.paragraph_update(
        actor=None, paragraph=paragraph, summary="Ärendet.", decision="Rådet beslutar."
    )
    protocol = Protocol.objects.get(meeting=meeting)
    services.protocol_update(actor=None, protocol=protocol, adjusters=[signatory])
    services.protocol_send_for_justering(actor=None, protocol=protocol)
    for user in (chair, adjuster):
        services.protocol_decide(
            actor=user, protocol=protocol, approve=True, read_sha256=read_copy(protocol)
        )
    paragraph.refresh_from_db()
    return paragraph


def _export(django_capture_on_commit_callbacks: Any, **scope: Any) -> ArchiveExport:
    with django_capture_on_commit_callbacks(execute=True):
        export = archive_services.archive_export_request(actor=None, **scope)
    export.refresh_from_db()
    assert export.status == ArchiveExport.Status.DONE, export.error
    return export


class Package:
    """A delivered ZIP, read back."""

    def __init__(self, export: ArchiveExport) -> None:
        with export.file.open("rb") as handle:
            data = handle.read()
        assert hashlib.sha256(data).hexdigest() == export.sha256
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        (self.root,) = {name.split("/", 1)[0] for name in self.zip.namelist()}

    def read(self, path: str) -> bytes:
        return self.zip.read(f"{self.root}/{path}")

    def valid(self) -> tuple[etree._Element, etree._Element]:
        mets = self.read("METS.xml")
        assert eark.schema_errors(mets) == []
        assert eark.rule_errors(mets) == []
        representation = self.read("representations/rep1/METS.xml")
        assert eark.schema_errors(representation) == []
        erms = self.read("metadata/descriptive/erms.xml")
        xmlschema.XMLSchema(str(XSD)).validate(etree.fromstring(erms))
        assert schematron.failures(SCH, erms) == []
        return etree.fromstring(mets), etree.fromstring(erms)

    def check_every_file(self) -> dict[str, str]:
        """Every file METS names is there with its size and checksum; the paths."""
        checked = {}
        for mets_path, prefix in (
            ("METS.xml", ""),
            ("representations/rep1/METS.xml", "representations/rep1/"),
        ):
            for file in etree.fromstring(self.read(mets_path)).iter(
                "{http://www.loc.gov/METS/}file"
            ):
                (location,) = file.iter("{http://www.loc.gov/METS/}FLocat")
                path = prefix + location.get(f"{{{M['xlink']}}}href")
                data = self.read(path)
                assert len(data) == int(file.get("SIZE"))
                assert hashlib.sha256(data).hexdigest() == file.get("CHECKSUM"), path
                checked[path] = file.get("CHECKSUM")
        return checked


def test_the_rules_can_fail() -> None:
    """The CSIP/SIP runner is not a rubber stamp: a METS without its profile and
    header breaks rules."""
    broken = b'<mets:mets xmlns:mets="http://www.loc.gov/METS/" OBJID="x"/>'
    failures = eark.rule_errors(broken)
    assert any("CSIP6" in failure for failure in failures)
    assert any("SIP2" in failure for failure in failures)


def test_an_arende_becomes_a_valid_sip_that_reads_back(
    django_capture_on_commit_callbacks: Any,
) -> None:
    body = BodyFactory(procedure=Body.Procedure.ADVISORY)
    case = make_case(body=body, title="Ansökan om medel", public_title="Ansökan")
    memo = make_document(case=case, subject="Tjänsteskrivelse", **_upload(pdf_bytes(), "ts.pdf"))
    letter = make_document(
        case=case,
        subject="Skrivelse från Krokom",
        direction=Document.Direction.INCOMING,
        counterpart="Krokoms kommun",
        kind=Document.Kind.INCOMING_LETTER,
        **_upload(docx_bytes(), "skrivelse.docx"),
    )
    secret = make_document(case=case, subject="Yttrande om enskild", confidential=True)
    _justerad(case, body=body)

    export = _export(django_capture_on_commit_callbacks, scope="arende", case=case)
    package = Package(export)
    mets, erms = package.valid()
    files = package.check_every_file()

    # Every record of the ärende, with its file where it has one.
    (aggregation,) = erms.xpath("//e:aggregation", namespaces=E)
    assert aggregation.findtext(f"{{{NS}}}objectId") == case.diarienummer
    records = {
        r.findtext(f"{{{NS}}}objectId"): r for r in aggregation.xpath("e:record", namespaces=E)
    }
    assert set(records) >= {memo.reference, letter.reference, secret.reference}
    for document in (memo, letter):
        (appendix,) = records[document.reference].xpath(".//e:appendix", namespaces=E)
        path = f"representations/rep1/data/{appendix.get('path')}"
        assert files[path] == document.sha256
    restriction = records[secret.reference].find(f"{{{NS}}}restriction")
    assert restriction.findtext(f"{{{NS}}}regulation") == "OSL 21 kap. 7 §"
    # The § as a record of the ärende: part of its protocol, justerad, its extract sealed or not.
    (paragraph_record,) = [
        r for r in records.values() if r.get("recordType") == "protokollsparagraf"
    ]
    relation = paragraph_record.find(f"{{{NS}}}relation")
    assert relation.get("relationType") == "part_of"
    assert relation.text == f"{body.slug}-protokoll-2021-09-14-1500"  # 13:00 UTC in Sweden
    assert paragraph_record.xpath("e:dates/e:date[@dateType='main_signature']", namespaces=E)
    assert paragraph_record.xpath(".//e:appendix", namespaces=E)
    # The uploaded PDF (not PDF/A) and the docx are listed as not archival, in the row
    # and the description; the extract the portal made (PDF/A-2a) is archival.
    assert sorted(item["format"] for item in export.not_archival) == sorted(
        [memo.content_type, letter.content_type]
    )
    assert not any("protokollsutdrag" in item["path"] for item in export.not_archival)
    assert b"skrivelse" in package.read("documentation/leveransbeskrivning.txt")
    assert export.records == 4
    assert export.files == 3
    assert mets.get("PROFILE") == "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml"


def test_a_file_changed_in_storage_stops_the_delivery(
    django_capture_on_commit_callbacks: Any,
) -> None:
    case = make_case()
    document = make_document(case=case, **_upload(pdf_bytes(), "a.pdf"))
    with default_storage.open(document.file.name, "wb") as handle:
        handle.write(pdf_bytes() + b"%changed")
    with (
        pytest.raises(ChecksumMismatch),
        django_capture_on_commit_callbacks(execute=True),
    ):
        archive_services.archive_export_request(actor=None, scope="arende", case=case)
    export = ArchiveExport.objects.get()
    assert export.status == ArchiveExport.Status.FAILED
    assert "ChecksumMismatch" in export.error
    assert not export.file


def test_gallring_lists_what_is_due_and_destroys_only_on_a_decision(
    django_capture_on_commit_callbacks: Any,
) -> None:
    secretariat = UserFactory(secretariat=True)
    diarium = DiariumFactory(prefix="GAL")
    old = make_case(diarium=diarium, registered_on=datetime.date(2015, 3, 1))
    services.case_update(actor=None, case=old, status=Case.Status.CLOSED)
    Case.objects.filter(pk=old.pk).update(closed_on=datetime.date(2015, 6, 1))
    copy = make_document(
        case=old, kind=Document.Kind.ANNEX, subject="Kopia", **_upload(pdf_bytes(), "k.pdf")
    )
    memo = make_document(case=old, subject="Tjänsteskrivelse")
    recent = make_case(diarium=diarium)
    services.case_update(actor=None, case=recent, status=Case.Status.CLOSED)
    recent_copy = make_document(case=recent, kind=Document.Kind.ANNEX, subject="Ny kopia")

    assert list(archive_selectors.disposal_due()) == []  # no rule: everything is kept
    rule = archive_services.retention_rule_save(
        actor=secretariat,
        rule=RetentionRule(
            diarium=diarium,
            document_kind=Document.Kind.ANNEX,
            action="gallras",
            years=2,
            basis="DHP 4.1",
        ),
    )
    copy.refresh_from_db()
    memo.refresh_from_db()
    assert copy.retention_rule == rule
    assert memo.retention_rule is None
    assert list(archive_selectors.disposal_due()) == [copy]  # not the recent one, nor the memo

    with pytest.raises(ValidationError) as refused:
        archive_services.disposal_decide(
            actor=secretariat,
            document_ids=[recent_copy.pk],
            decided_on=timezone.localdate(),
            reference="GAL/1/2026",
        )
    assert refused.value.code == "not_due"
    stored = copy.file.name
    with django_capture_on_commit_callbacks(execute=True):
        decision = archive_services.disposal_decide(
            actor=secretariat,
            document_ids=[copy.pk],
            decided_on=timezone.localdate(),
            reference="GAL/1/2026",
        )
    copy.refresh_from_db()
    assert copy.disposal_decision == decision
    assert copy.disposed_on is not None
    assert not copy.file
    assert not default_storage.exists(stored)
    assert copy.history.first().history_user == secretariat  # the trace: who, when
    # The destroyed record stays in the delivery, with when and by which decision.
    export = _export(django_capture_on_commit_callbacks, scope="arende", case=old)
    _mets, erms = Package(export).valid()
    (record,) = erms.xpath(f"//e:record[e:objectId='{copy.reference}']", namespaces=E)
    assert record.xpath("e:dates/e:date[@dateType='destroyed']", namespaces=E)
    assert "GAL/1/2026" in record.findtext(f"{{{NS}}}description")
    assert record.find(f"{{{NS}}}disposal").findtext(f"{{{NS}}}disposalMandate") == "DHP 4.1"


def test_the_secretariat_alone_asks_for_and_downloads_a_delivery(
    client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    case = make_case()
    make_document(case=case, confidential=True)
    member = UserFactory()
    MembershipFactory(person=PersonFactory(user=member), body=case.body)
    client.force_login(member)
    assert "archive-export-request" not in client.get(case.get_absolute_url()).content.decode()
    assert (
        reverse("archive:export-request")
        not in client.get(case.get_absolute_url()).content.decode()
    )
    url = reverse("archive:export-request")
    assert client.post(url, {"scope": "arende", "case": case.pk}).status_code == 403
    assert ArchiveExport.objects.count() == 0

    secretariat = UserFactory(secretariat=True)
    client.force_login(secretariat)
    page = client.get(case.get_absolute_url()).content.decode()
    assert url in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"scope": "arende", "case": case.pk})
    export = ArchiveExport.objects.get()
    assert response.status_code == 302
    assert response.url == export.get_absolute_url()
    download = reverse("archive:export-download", args=[export.pk])
    assert download in client.get(export.get_absolute_url()).content.decode()
    response = client.get(download)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"  # it holds confidential files
    assert b"".join(response.streaming_content).startswith(b"PK")
    (logged,) = ArchiveDownload.objects.all()
    assert logged.user == secretariat
    assert logged.export == export

    client.force_login(member)
    assert client.get(download).status_code == 403
    assert client.get(export.get_absolute_url()).status_code == 403
    assert ArchiveDownload.objects.count() == 1


def test_a_bad_or_empty_delivery_is_a_clear_error(client: Any) -> None:
    client.force_login(UserFactory(secretariat=True))
    diarium = DiariumFactory()
    url = reverse("archive:export-request")
    response = client.post(url, {"scope": "diarium", "diarium": diarium.pk, "year": "tjugo"})
    assert response.status_code == 200
    assert "Fyll i ett heltal." in response.content.decode()
    response = client.post(url, {"scope": "diarium", "diarium": diarium.pk, "year": "2019"})
    assert response.status_code == 200
    assert "nothing to deliver" in response.content.decode() or "inget att leverera" in (
        response.content.decode()
    )
    assert ArchiveExport.objects.count() == 0


def test_the_demo_delivers_valid_packages(django_capture_on_commit_callbacks: Any) -> None:
    """The demo's RUN/34/2018 with its documents, the diarium's closed ärenden, and the
    samverkansråd's protocols of the year of its § 56."""
    call_command("load_demo", with_accounts=True, without_history=True, stdout=io.StringIO())
    case = Case.objects.get(diarienummer="RUN/34/2018")
    export = _export(django_capture_on_commit_callbacks, scope="arende", case=case)
    package = Package(export)
    _mets, erms = package.valid()
    package.check_every_file()
    references = {r.findtext(f"{{{NS}}}objectId") for r in erms.iter(f"{{{NS}}}record")}
    assert {d.reference for d in case.documents.all()} <= references

    paragraph = Paragraph.objects.get(number=56, body__name__icontains="samverkansråd")
    export = _export(
        django_capture_on_commit_callbacks, scope="arena", body=paragraph.body, year=paragraph.year
    )
    _mets, erms = Package(export).valid()
    assert any(
        r.findtext(f"{{{NS}}}identification") == f"§ 56/{paragraph.year}"
        for r in erms.iter(f"{{{NS}}}record")
    )


def test_the_two_rules_left_out_cannot_be_met() -> None:
    """CSIP63 and SIP14, as bundled, fail a METS that does what their own texts and the
    schema ask; every other rule is applied."""
    mets = "http://www.loc.gov/METS/"
    csip = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
    no_type = (
        f'<mets:mets xmlns:mets="{mets}"><mets:fileSec ID="s">'
        '<mets:fileGrp ID="g" USE="Documentation"/></mets:fileSec></mets:mets>'
    ).encode()
    assert any("CSIP63" in f for f in eark.rule_errors(no_type, skip=frozenset()))
    # SIP14 wants the creator's note to carry NOTETYPE without a namespace: the schema
    # refuses that attribute (and without the note CSIP15/CSIP16 fail).
    header = (
        f'<mets:mets xmlns:mets="{mets}" xmlns:csip="{csip}" OBJID="x">'
        '<mets:metsHdr CREATEDATE="2026-01-01T00:00:00"><mets:agent ROLE="CREATOR" '
        'TYPE="OTHER" OTHERTYPE="SOFTWARE"><mets:name>P</mets:name>'
        '<mets:note csip:NOTETYPE="SOFTWARE VERSION" NOTETYPE="IDENTIFICATIONCODE">1'
        "</mets:note></mets:agent></mets:metsHdr>"
        "<mets:structMap><mets:div/></mets:structMap></mets:mets>"
    ).encode()
    assert not any("SIP14" in f for f in eark.rule_errors(header, skip=frozenset()))
    assert any("NOTETYPE" in error for error in eark.schema_errors(header))


def test_an_agreement_is_a_record_related_to_the_one_it_replaces(
    django_capture_on_commit_callbacks: Any,
) -> None:
    parties = list(make_kommuner().values())[:2]
    first = make_agreement(parties=parties, title="Överenskommelse 2019–2021")
    second = make_agreement(
        parties=parties,
        case=first.case,
        responsible_body=first.responsible_body,
        title="Överenskommelse 2022–2025",
        valid_from=datetime.date(2022, 1, 1),
        valid_until=datetime.date(2025, 12, 31),
        adopted_on=datetime.date(2021, 11, 20),
        replaces=first,
    )
    export = _export(django_capture_on_commit_callbacks, scope="arende", case=first.case)
    _mets, erms = Package(export).valid()
    relations = {
        (r.findtext(f"{{{NS}}}objectId"), rel.get("relationType"), rel.text)
        for r in erms.iter(f"{{{NS}}}record")
        for rel in r.findall(f"{{{NS}}}relation")
    }
    assert relations == {
        (f"overenskommelse-{second.pk}", "replaces", f"overenskommelse-{first.pk}"),
        (f"overenskommelse-{first.pk}", "is_replaced_with", f"overenskommelse-{second.pk}"),
    }


def test_the_secretariat_sets_a_rule_and_decides_gallring_in_the_browser_pages(
    client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    secretariat = UserFactory(secretariat=True)
    client.force_login(secretariat)
    diarium = DiariumFactory(prefix="WEB")
    case = make_case(diarium=diarium)
    services.case_update(actor=None, case=case, status=Case.Status.CLOSED)
    Case.objects.filter(pk=case.pk).update(closed_on=datetime.date(2010, 5, 1))
    copy = make_document(case=case, kind=Document.Kind.ANNEX, subject="Kopia")
    archive_page = client.get(reverse("archive:index")).content.decode()
    assert reverse("archive:retention-rule-add") in archive_page
    assert reverse("archive:disposal") in archive_page

    # A rule that destroys without years is refused, on the page, and nothing is saved.
    url = reverse("archive:retention-rule-add")
    response = client.post(url, {"diarium": diarium.pk, "action": "gallras", "basis": "DHP"})
    assert response.status_code == 200
    assert RetentionRule.objects.count() == 0
    response = client.post(
        url, {"diarium": diarium.pk, "action": "gallras", "years": "5", "basis": "DHP 2.1"}
    )
    assert response.status_code == 302
    copy.refresh_from_db()
    assert copy.retention_rule is not None

    disposal = reverse("archive:disposal")
    page = client.get(disposal).content.decode()
    assert copy.reference in page
    # No reference: a clear error, the handling is kept.
    response = client.post(disposal, {"documents": [copy.pk], "decided_on": "2026-12-01"})
    assert response.status_code == 200
    copy.refresh_from_db()
    assert copy.disposed_on is None
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            disposal,
            {"documents": [copy.pk], "decided_on": "2026-12-01", "reference": "WEB/9/2026"},
        )
    assert response.status_code == 302
    copy.refresh_from_db()
    assert copy.disposal_decision.reference == "WEB/9/2026"
    assert "WEB/9/2026" in client.get(copy.get_absolute_url()).content.decode()
    assert "WEB/9/2026" in client.get(disposal).content.decode()


def test_a_destroyed_handling_cannot_be_edited(client: Any) -> None:
    secretariat = UserFactory(secretariat=True)
    case = make_case()
    services.case_update(actor=None, case=case, status=Case.Status.CLOSED)
    Case.objects.filter(pk=case.pk).update(closed_on=datetime.date(2010, 5, 1))
    document = make_document(case=case, kind=Document.Kind.ANNEX, subject="Kopia")
    archive_services.retention_rule_save(
        actor=secretariat, rule=RetentionRule(action="gallras", years=1, basis="DHP")
    )
    archive_services.disposal_decide(
        actor=secretariat,
        document_ids=[document.pk],
        decided_on=datetime.date(2026, 12, 1),
        reference="X/1/2026",
    )
    client.force_login(secretariat)
    edit = reverse("councils:document-edit", args=[document.pk])
    assert edit not in client.get(document.get_absolute_url()).content.decode()
    response = client.post(
        edit,
        {
            "kind": Document.Kind.ANNEX,
            "subject": "Ändrad",
            "direction": document.direction,
            "document_date": "2021-06-02",
        },
    )
    assert response.status_code == 200
    assert "gallrad" in response.content.decode()
    document.refresh_from_db()
    assert document.subject == "Kopia"


def test_two_meetings_of_an_arena_on_one_day_are_two_protocols(
    django_capture_on_commit_callbacks: Any,
) -> None:
    """A second meeting the same day (an extra one after the ordinary) is its own
    protocol in the delivery: its own identifier, its own file, its § part of it."""
    body = BodyFactory()
    morning = _justerad(make_case(body=body, title="Ordinarie"), body=body, hour=8)
    afternoon = _justerad(make_case(body=body, title="Extra"), body=body, hour=14)
    export = _export(django_capture_on_commit_callbacks, scope="arena", body=body, year=2021)
    package = Package(export)
    _mets, erms = package.valid()
    protocols = [
        a.findtext(f"{{{NS}}}objectId")
        for a in erms.iter(f"{{{NS}}}aggregation")
        if a.get("aggregationType") == "file"
    ]
    assert len(set(protocols)) == 2
    part_of = {
        r.findtext(f"{{{NS}}}identification"): r.find(f"{{{NS}}}relation").text
        for r in erms.iter(f"{{{NS}}}record")
        if r.find(f"{{{NS}}}relation") is not None
    }
    assert part_of[f"§ {morning.number}/2021"] != part_of[f"§ {afternoon.number}/2021"]
    files = [p for p in package.check_every_file() if "/data/protokoll/" in p]
    assert len(files) == 2
