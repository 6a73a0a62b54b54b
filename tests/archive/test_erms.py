"""The ärenden as CITS ERMS 2.1.2 (FGS Ärendehantering): every ``erms.xml`` the
portal writes is valid against the official ``ERMS.xsd`` and its Schematron rules
(``erms.sch``), neither of which we wrote: copied unchanged into
``archive/erms_schema/`` from the DILCIS Board's files."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
import xmlschema
from django.conf import settings
from lxml import etree

from archive.erms import NS, erms_document
from councils.models import Case
from tests import schematron
from tests.factories import PersonFactory, make_case, make_document

STANDARD = Path(settings.BASE_DIR) / "archive" / "erms_schema"
XSD = STANDARD / "ERMS.xsd"
SCH = STANDARD / "erms.sch"


def _valid(document: bytes) -> None:
    xmlschema.XMLSchema(str(XSD)).validate(etree.fromstring(document))
    assert schematron.failures(SCH, document) == []


def test_the_schematron_runner_reports_a_broken_rule() -> None:
    """The runner can fail: a date of type "Other" without its otherDateType."""
    broken = (
        f'<erms xmlns="{NS}"><control><dates><date dateType="Other">2020-01-01T00:00:00</date>'
        "</dates></control></erms>"
    ).encode()
    (failure,) = schematron.failures(SCH, broken)
    assert "otherDateType" in failure


@pytest.mark.django_db
def test_an_arende_with_its_handlingar_is_valid_erms() -> None:
    case = make_case(
        title="Ansökan om medel för samverkan kring barn och unga",
        public_title="Ansökan om medel",
        description="Kommunernas gemensamma ansökan.",
        handler=PersonFactory(first_name="Elin", last_name="Nirjens"),
    )
    make_document(case=case, subject="Tjänsteskrivelse", direction="upprattad")
    make_document(
        case=case,
        subject="Ansökan från Krokoms kommun",
        direction="inkommande",
        counterpart="Krokoms kommun",
    )
    make_document(
        case=case,
        subject="Yttrande med uppgifter om enskild",
        direction="inkommande",
        counterpart="Socialtjänsten",
        confidential=True,
        secrecy_provision="OSL 26 kap. 1 §",
        secrecy_date=datetime.date(2021, 3, 1),
        secrecy_authority="Region Jämtland Härjedalen",
    )
    cases = Case.objects.filter(pk=case.pk).select_related("diarium", "handler")
    document = erms_document(cases.prefetch_related("documents"))
    _valid(document)
    root = etree.fromstring(document)
    ns = {"e": NS}
    (aggregation,) = root.xpath("//e:aggregation", namespaces=ns)
    assert aggregation.get("aggregationType") == "caseFile"
    assert aggregation.findtext(f"{{{NS}}}objectId") == case.diarienummer
    assert aggregation.findtext(f"{{{NS}}}otherTitle") == "Ansökan om medel"
    records = aggregation.xpath("e:record", namespaces=ns)
    assert [r.findtext(f"{{{NS}}}title") for r in records] == [
        "Tjänsteskrivelse",
        "Ansökan från Krokoms kommun",
        "Yttrande med uppgifter om enskild",
    ]
    (restriction,) = root.xpath("//e:restriction", namespaces=ns)
    assert restriction.get("restrictionType") == "confidential"
    assert restriction.findtext(f"{{{NS}}}regulation") == "OSL 26 kap. 1 §"
