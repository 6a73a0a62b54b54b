"""The E-ARK validator's checks of a package's ``METS.xml``, run offline on the files
the ``eark-validator`` wheel bundles (``archive/eark_schema/``): the METS schema with
the CSIP/SIP extensions, and the CSIP and SIP 2.1.0 Schematron rules run the way that
validator runs them (lxml's ISO Schematron; each ``…_vocabulary_test`` placeholder
replaced by the vocabulary's terms, read from the bundled vocabulary files instead of
downloaded; ``@MIMETYPE_IANA_test`` by IANA's media types). Rules of role ERROR fail."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from django.conf import settings
from lxml import etree, isoschematron

RESOURCES = Path(settings.BASE_DIR) / "archive" / "eark_schema"
SVRL = "http://purl.oclc.org/dsdl/svrl"
VOCABULARIES = {
    "@TYPE": "CSIPVocabularyContentCategory.xml",
    "@csip:CONTENTINFORMATIONTYPE": "CSIPVocabularyContentInformationType.xml",
    "@csip:OAISPACKAGETYPE": "CSIPVocabularyOAISPackageType.xml",
    "@STATUS": "CSIPVocabularyStatus.xml",
}


def _terms(name: str) -> list[str]:
    text = (RESOURCES / "vocabs" / name).read_text()
    return re.findall(r"<Term[^>]*>([^<]*)<", text)


@cache
def _tests() -> dict[str, str]:
    tests = {
        f"{attribute}_vocabulary_test": " or ".join(
            f"({attribute} = '{term}')" for term in _terms(file)
        )
        for attribute, file in VOCABULARIES.items()
    }
    types = (RESOURCES / "vocabs" / "IANA.txt").read_text().split()
    tests["@MIMETYPE_IANA_test"] = " or ".join(f"(@MIMETYPE = '{t}')" for t in types)
    return tests


@cache
def _rulesets() -> list[tuple[str, isoschematron.Schematron]]:
    found = []
    for profile in ("CSIP", "SIP"):
        for path in sorted((RESOURCES / "schematron" / "V2.1.0" / profile).glob("*.xml")):
            text = path.read_text()
            for placeholder, test in _tests().items():
                text = text.replace(placeholder, test)
            found.append(
                (
                    f"{profile}/{path.name}",
                    isoschematron.Schematron(etree.XML(text.encode()), store_report=True),
                )
            )
    return found


@cache
def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(file=str(RESOURCES / "schema" / "mets.sip.local.v2-0.xsd"))


def schema_errors(mets: bytes) -> list[str]:
    schema = _schema()
    if schema.validate(etree.fromstring(mets)):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


#: Two rules of the bundled 2.1.0 files no METS can meet (tests/archive/test_archive.py proves
#: each): CSIP63 fails every file group that has no content information type, though
#: its own text asks for the "other" type only when the type is OTHER; SIP14 demands an
#: unqualified @NOTETYPE on the creator agent's note, which the METS schema forbids
#: (only attributes of other namespaces, e.g. csip:NOTETYPE), while CSIP15 and CSIP16
#: demand that note.
DEFECTIVE = frozenset({"CSIP63", "SIP14"})


def rule_errors(mets: bytes, *, role: str = "ERROR", skip: frozenset[str] = DEFECTIVE) -> list[str]:
    """Every failed assert and fired report of ``role`` in the CSIP and SIP rules, but
    the defective ones (``skip``)."""
    document = etree.fromstring(mets).getroottree()
    found = []
    for name, ruleset in _rulesets():
        ruleset.validate(document)
        report = ruleset.validation_report
        for failure in report.iter(f"{{{SVRL}}}failed-assert", f"{{{SVRL}}}successful-report"):
            if failure.get("role", "ERROR") != role or failure.get("id") in skip:
                continue
            text = " ".join("".join(failure.itertext()).split())
            found.append(f"{name} {failure.get('id')} at {failure.get('location')}: {text}")
    return found
