"""E-ARK SIP packages (FGS Paketstruktur 2.0 = E-ARK CSIP/SIP 2.1): a delivery's
records (``councils.erms``) with their files, written as one ZIP:

    <OBJID>/METS.xml                          the package: metadata, files, checksums
    <OBJID>/metadata/descriptive/erms.xml     FGS Ärendehantering (CITS ERMS 2.1.2)
    <OBJID>/metadata/preservation/premis.xml  PREMIS 3: each file's fixity and format,
                                              the delivery's creation event
    <OBJID>/documentation/leveransbeskrivning.txt   what the delivery holds, and which
                                              files are not in an archival format
    <OBJID>/schemas/                          ERMS, METS, XLink, the DILCIS extensions
    <OBJID>/representations/rep1/METS.xml     the representation: its files
    <OBJID>/representations/rep1/data/…       the files as filed (or as the portal made them)

Each stored file is read once, its SHA-256 compared with the one recorded when it was
filed: a file that changed in storage stops the delivery instead of being archived.
"""

from __future__ import annotations

import datetime
import hashlib
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone
from lxml import etree

from archive.erms import Aggregation, ArchiveFile, erms_xml, is_archival

METS = "http://www.loc.gov/METS/"
XLINK = "http://www.w3.org/1999/xlink"
CSIP = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
SIP = "https://DILCIS.eu/XML/METS/SIPExtensionMETS"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
PREMIS = "http://www.loc.gov/premis/v3"
PROFILE = "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml"
CONTENT_TYPE = "citserms_v2_1"
CONTENT_CATEGORY = "Textual works – Digital"
REPRESENTATION = "rep1"
SCHEMAS = {
    "ERMS.xsd": Path(__file__).parent / "erms_schema" / "ERMS.xsd",
    **{
        name: Path(__file__).parent / "eark_schema" / "schema" / name
        for name in (
            "mets.xsd",
            "xlink.xsd",
            "DILCISExtensionMETS.xsd",
            "DILCISExtensionSIPMETS.xsd",
        )
    },
}
SCHEMA_LOCATION = (
    f"{METS} schemas/mets.xsd {XLINK} schemas/xlink.xsd "
    f"{CSIP} schemas/DILCISExtensionMETS.xsd {SIP} schemas/DILCISExtensionSIPMETS.xsd"
)
NSMAP = {"mets": METS, "csip": CSIP, "sip": SIP, "xlink": XLINK, "xsi": XSI}
CHUNK = 1024 * 1024


class ChecksumMismatch(ValueError):
    """A stored file is not the one registered: its SHA-256 differs."""


@dataclass
class Written:
    """A file written into the package: its path there, size, checksum, type."""

    path: str
    size: int
    sha256: str
    mimetype: str
    created: datetime.datetime
    archival: bool = True


@dataclass
class Package:
    objid: str
    records: int = 0
    files: list[Written] = field(default_factory=list)
    not_archival: list[dict[str, str]] = field(default_factory=list)
    size: int = 0


def _q(namespace: str, tag: str) -> str:
    return f"{{{namespace}}}{tag}"


def _iso(value: datetime.datetime) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds")


class _Writer:
    def __init__(self, archive: zipfile.ZipFile, objid: str) -> None:
        self.archive = archive
        self.objid = objid

    def write_bytes(self, path: str, data: bytes, mimetype: str, now: datetime.datetime) -> Written:
        self.archive.writestr(f"{self.objid}/{path}", data)
        return Written(path, len(data), hashlib.sha256(data).hexdigest(), mimetype, now)

    def copy_stored(self, path: str, file: ArchiveFile) -> Written:
        """Stream a stored file in, checking its SHA-256 and, from its first chunk (a
        PDF's XMP packet with it), whether its format is archival."""
        digest = hashlib.sha256()
        size = 0
        head = b""
        with (
            default_storage.open(file.storage_name, "rb") as source,
            self.archive.open(f"{self.objid}/{path}", "w", force_zip64=True) as target,
        ):
            while chunk := source.read(CHUNK):
                head = head or chunk
                digest.update(chunk)
                size += len(chunk)
                target.write(chunk)
        if file.sha256 and digest.hexdigest() != file.sha256:
            raise ChecksumMismatch(
                f"{file.storage_name}: SHA-256 {digest.hexdigest()}, registered {file.sha256}"
            )
        archival = is_archival(file.mimetype, head)
        return Written(path, size, digest.hexdigest(), file.mimetype, file.created, archival)


def _file_element(parent: etree._Element, ident: str, written: Written, href: str) -> None:
    element = etree.SubElement(
        parent,
        _q(METS, "file"),
        ID=ident,
        MIMETYPE=written.mimetype,
        SIZE=str(written.size),
        CREATED=_iso(written.created),
        CHECKSUM=written.sha256,
        CHECKSUMTYPE="SHA-256",
    )
    etree.SubElement(
        element,
        _q(METS, "FLocat"),
        {"LOCTYPE": "URL", _q(XLINK, "type"): "simple", _q(XLINK, "href"): href},
    )


def _md_ref(parent: etree._Element, written: Written, mdtype: str, other: str = "") -> None:
    attributes = {
        "LOCTYPE": "URL",
        _q(XLINK, "type"): "simple",
        _q(XLINK, "href"): written.path,
        "MDTYPE": mdtype,
        "MIMETYPE": written.mimetype,
        "SIZE": str(written.size),
        "CREATED": _iso(written.created),
        "CHECKSUM": written.sha256,
        "CHECKSUMTYPE": "SHA-256",
    }
    if other:
        attributes["OTHERMDTYPE"] = other
    etree.SubElement(parent, _q(METS, "mdRef"), attributes)


def _mets_root(objid: str, label: str) -> etree._Element:
    return etree.Element(
        _q(METS, "mets"),
        {
            "OBJID": objid,
            "LABEL": label,
            "TYPE": CONTENT_CATEGORY,
            _q(CSIP, "CONTENTINFORMATIONTYPE"): CONTENT_TYPE,
            "PROFILE": PROFILE,
            _q(XSI, "schemaLocation"): SCHEMA_LOCATION,
        },
        nsmap=NSMAP,
    )


def _header(root: etree._Element, now: datetime.datetime, *, archivist: bool) -> None:
    header = etree.SubElement(
        root,
        _q(METS, "metsHdr"),
        {"CREATEDATE": _iso(now), "RECORDSTATUS": "NEW", _q(CSIP, "OAISPACKAGETYPE"): "SIP"},
    )
    software = etree.SubElement(
        header, _q(METS, "agent"), ROLE="CREATOR", TYPE="OTHER", OTHERTYPE="SOFTWARE"
    )
    etree.SubElement(software, _q(METS, "name")).text = settings.SAMVERKAN_SITE_NAME
    etree.SubElement(
        software, _q(METS, "note"), {_q(CSIP, "NOTETYPE"): "SOFTWARE VERSION"}
    ).text = settings.SAMVERKAN_VERSION
    if archivist:  # the arkivbildare
        owner = etree.SubElement(header, _q(METS, "agent"), ROLE="ARCHIVIST", TYPE="ORGANIZATION")
        etree.SubElement(owner, _q(METS, "name")).text = settings.SAMVERKAN_OWNER


def _xml(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def representation_mets(objid: str, data: list[Written], now: datetime.datetime) -> bytes:
    root = _mets_root(f"{objid}-{REPRESENTATION}", REPRESENTATION)
    _header(root, now, archivist=False)
    files = etree.SubElement(root, _q(METS, "fileSec"), ID="filesec-rep")
    group = etree.SubElement(files, _q(METS, "fileGrp"), ID="grp-data", USE="Data")
    for index, written in enumerate(data, start=1):
        _file_element(group, f"file-{index}", written, written.path.split("/", 2)[2])
    struct = etree.SubElement(
        root, _q(METS, "structMap"), ID="structmap-rep", TYPE="PHYSICAL", LABEL="CSIP"
    )
    top = etree.SubElement(struct, _q(METS, "div"), ID="div-rep", LABEL=REPRESENTATION)
    data_div = etree.SubElement(top, _q(METS, "div"), ID="div-data", LABEL="Data")
    etree.SubElement(data_div, _q(METS, "fptr"), FILEID="grp-data")
    return _xml(root)


def premis_xml(package: Package, data: list[Written], now: datetime.datetime) -> bytes:
    """PREMIS 3: each data file as an object (fixity, size, format, archival or not),
    the delivery's creation as an event, the portal as its agent."""
    root = etree.Element(_q(PREMIS, "premis"), version="3.0", nsmap={None: PREMIS})
    for written in data:
        obj = etree.SubElement(
            root, _q(PREMIS, "object"), {_q(XSI, "type"): "file"}, nsmap={"xsi": XSI}
        )
        identifier = etree.SubElement(obj, _q(PREMIS, "objectIdentifier"))
        etree.SubElement(identifier, _q(PREMIS, "objectIdentifierType")).text = "local"
        etree.SubElement(identifier, _q(PREMIS, "objectIdentifierValue")).text = written.path
        characteristics = etree.SubElement(obj, _q(PREMIS, "objectCharacteristics"))
        fixity = etree.SubElement(characteristics, _q(PREMIS, "fixity"))
        etree.SubElement(fixity, _q(PREMIS, "messageDigestAlgorithm")).text = "SHA-256"
        etree.SubElement(fixity, _q(PREMIS, "messageDigest")).text = written.sha256
        etree.SubElement(characteristics, _q(PREMIS, "size")).text = str(written.size)
        file_format = etree.SubElement(characteristics, _q(PREMIS, "format"))
        designation = etree.SubElement(file_format, _q(PREMIS, "formatDesignation"))
        etree.SubElement(designation, _q(PREMIS, "formatName")).text = written.mimetype
        if not written.archival:
            note = etree.SubElement(file_format, _q(PREMIS, "formatNote"))
            note.text = "Inte ett arkivformat"
    event = etree.SubElement(root, _q(PREMIS, "event"))
    identifier = etree.SubElement(event, _q(PREMIS, "eventIdentifier"))
    etree.SubElement(identifier, _q(PREMIS, "eventIdentifierType")).text = "local"
    etree.SubElement(
        identifier, _q(PREMIS, "eventIdentifierValue")
    ).text = f"{package.objid}-creation"
    etree.SubElement(event, _q(PREMIS, "eventType")).text = "creation"
    etree.SubElement(event, _q(PREMIS, "eventDateTime")).text = _iso(now)
    linking = etree.SubElement(event, _q(PREMIS, "linkingAgentIdentifier"))
    etree.SubElement(linking, _q(PREMIS, "linkingAgentIdentifierType")).text = "local"
    etree.SubElement(linking, _q(PREMIS, "linkingAgentIdentifierValue")).text = "samverkansportalen"
    agent = etree.SubElement(root, _q(PREMIS, "agent"))
    identifier = etree.SubElement(agent, _q(PREMIS, "agentIdentifier"))
    etree.SubElement(identifier, _q(PREMIS, "agentIdentifierType")).text = "local"
    etree.SubElement(identifier, _q(PREMIS, "agentIdentifierValue")).text = "samverkansportalen"
    etree.SubElement(agent, _q(PREMIS, "agentName")).text = settings.SAMVERKAN_SITE_NAME
    etree.SubElement(agent, _q(PREMIS, "agentType")).text = "software"
    etree.SubElement(agent, _q(PREMIS, "agentVersion")).text = settings.SAMVERKAN_VERSION
    return _xml(root)


def _description(label: str, package: Package, now: datetime.datetime) -> bytes:
    lines = [
        f"Leverans till e-arkiv: {label}",
        f"Arkivbildare: {settings.SAMVERKAN_OWNER}",
        f"Skapad: {_iso(now)} av {settings.SAMVERKAN_SITE_NAME} {settings.SAMVERKAN_VERSION}",
        f"Paket: {package.objid} (E-ARK SIP 2.1, FGS Paketstruktur 2.0)",
        "Innehåll: FGS Ärendehantering (CITS ERMS 2.1.2), metadata/descriptive/erms.xml",
        f"Poster: {package.records}",
        f"Filer i representationen: {len(package.files)}",
        "",
        "Leveransen innehåller sekretessmarkerade handlingar (se restriction i erms.xml);",
        "den lämnas endast till arkivet.",
        "",
    ]
    if package.not_archival:
        lines.append("Filer som inte är i ett arkivformat (lämnas som de registrerades):")
        lines.extend(f"- {item['path']} ({item['format']})" for item in package.not_archival)
    else:
        lines.append("Alla filer är i arkivformat.")
    return ("\n".join(lines) + "\n").encode()


def write_sip(
    target: IO[bytes],
    *,
    label: str,
    aggregations: list[Aggregation],
    classes: list[tuple[str, str]],
    progress: Callable[[int, int], None] | None = None,
    now: datetime.datetime | None = None,
) -> Package:
    """Write the SIP of ``aggregations`` (with their records' files) as a ZIP into
    ``target``; ``progress(done, total)`` is told after each file."""
    now = now or timezone.now()
    package = Package(objid=f"samverkan-sip-{uuid.uuid4()}")
    files = [r.file for a in aggregations for r in a.records if r.file is not None]
    if len({file.path for file in files}) != len(files):
        raise ValueError("Two files of the delivery under one path")
    package.records = sum(len(a.records) for a in aggregations)
    total = len(files)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        writer = _Writer(archive, package.objid)
        data: list[Written] = []
        for done, file in enumerate(files, start=1):
            written = writer.copy_stored(f"representations/{REPRESENTATION}/data/{file.path}", file)
            data.append(written)
            if not written.archival:
                package.not_archival.append({"path": written.path, "format": written.mimetype})
            if progress is not None:
                progress(done, total)
        package.files = data
        erms = writer.write_bytes(
            "metadata/descriptive/erms.xml",
            erms_xml(aggregations, classes=classes, now=now),
            "text/xml",
            now,
        )
        premis = writer.write_bytes(
            "metadata/preservation/premis.xml", premis_xml(package, data, now), "text/xml", now
        )
        documentation = writer.write_bytes(
            "documentation/leveransbeskrivning.txt",
            _description(label, package, now),
            "text/plain",
            now,
        )
        schemas = [
            writer.write_bytes(f"schemas/{name}", path.read_bytes(), "text/xml", now)
            for name, path in SCHEMAS.items()
        ]
        rep_mets = writer.write_bytes(
            f"representations/{REPRESENTATION}/METS.xml",
            representation_mets(package.objid, data, now),
            "text/xml",
            now,
        )
        writer.write_bytes(
            "METS.xml",
            _root_mets(package, label, erms, premis, documentation, schemas, rep_mets, now),
            "text/xml",
            now,
        )
    package.size = target.tell()
    return package


def sha256_of(handle: IO[bytes]) -> str:
    digest = hashlib.sha256()
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def _root_mets(
    package: Package,
    label: str,
    erms: Written,
    premis: Written,
    documentation: Written,
    schemas: list[Written],
    rep_mets: Written,
    now: datetime.datetime,
) -> bytes:
    root = _mets_root(package.objid, label)
    _header(root, now, archivist=True)
    dmd = etree.SubElement(
        root, _q(METS, "dmdSec"), ID="dmd-erms", CREATED=_iso(now), STATUS="CURRENT"
    )
    _md_ref(dmd, erms, "OTHER", "ERMS")
    amd = etree.SubElement(root, _q(METS, "amdSec"))
    digiprov = etree.SubElement(amd, _q(METS, "digiprovMD"), ID="digiprov-premis", STATUS="CURRENT")
    _md_ref(digiprov, premis, "PREMIS")
    file_sec = etree.SubElement(root, _q(METS, "fileSec"), ID="filesec")
    groups = (
        ("grp-documentation", "Documentation", [documentation]),
        ("grp-schemas", "Schemas", schemas),
        (f"grp-{REPRESENTATION}", f"Representations/{REPRESENTATION}", [rep_mets]),
    )
    for ident, use, members in groups:
        attributes = {"ID": ident, "USE": use}
        if use.startswith("Representations"):
            attributes[_q(CSIP, "CONTENTINFORMATIONTYPE")] = CONTENT_TYPE
        group = etree.SubElement(file_sec, _q(METS, "fileGrp"), attributes)
        for index, written in enumerate(members, start=1):
            _file_element(group, f"{ident}-{index}", written, written.path)
    struct = etree.SubElement(
        root, _q(METS, "structMap"), ID="structmap-csip", TYPE="PHYSICAL", LABEL="CSIP"
    )
    top = etree.SubElement(struct, _q(METS, "div"), ID="div-package", LABEL=package.objid)
    etree.SubElement(
        top,
        _q(METS, "div"),
        ID="div-metadata",
        LABEL="Metadata",
        DMDID="dmd-erms",
        ADMID="digiprov-premis",
    )
    for ident, division in (("grp-documentation", "Documentation"), ("grp-schemas", "Schemas")):
        div = etree.SubElement(top, _q(METS, "div"), ID=f"div-{division.lower()}", LABEL=division)
        etree.SubElement(div, _q(METS, "fptr"), FILEID=ident)
    representations = etree.SubElement(
        top, _q(METS, "div"), ID="div-representations", LABEL="Representations"
    )
    etree.SubElement(representations, _q(METS, "fptr"), FILEID=f"grp-{REPRESENTATION}")
    rep = etree.SubElement(
        representations, _q(METS, "div"), ID=f"div-{REPRESENTATION}", LABEL=REPRESENTATION
    )
    etree.SubElement(
        rep,
        _q(METS, "mptr"),
        {
            "LOCTYPE": "URL",
            _q(XLINK, "type"): "simple",
            _q(XLINK, "href"): rep_mets.path,
            _q(XLINK, "title"): f"grp-{REPRESENTATION}",
        },
    )
    return _xml(root)
