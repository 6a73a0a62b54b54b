"""A small ISO Schematron runner for the tests: the official rule files (the ERMS
``erms.sch``, the E-ARK CSIP/SIP rules), their contexts and tests evaluated by
elementpath's XPath 3.1 (the rules declare ``queryBinding="xslt2"``, which lxml's
XSLT-1 Schematron cannot run). Patterns, rules (the first rule of a pattern that
matches a node fires), asserts and reports, ``ns`` declarations and rule ``let``s."""

from __future__ import annotations

from pathlib import Path

import elementpath
from elementpath.xpath3 import XPath3Parser
from lxml import etree

SCH = "http://purl.oclc.org/dsdl/schematron"


def _text(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


def failures(schema: Path, document: bytes) -> list[str]:
    """Every failed assert and every fired report: "rule id or context: message"."""
    sch = etree.parse(str(schema)).getroot()
    namespaces = {ns.get("prefix"): ns.get("uri") for ns in sch.iter(f"{{{SCH}}}ns")}
    root = etree.fromstring(document)
    tree = root.getroottree()
    found = []
    for pattern in sch.iter(f"{{{SCH}}}pattern"):
        fired: set[etree._Element] = set()
        for rule in pattern.iter(f"{{{SCH}}}rule"):
            context = rule.get("context", "")
            path = context if context.startswith("/") else f"//{context}"
            nodes = elementpath.select(tree, path, namespaces, parser=XPath3Parser)
            for node in nodes:
                if not isinstance(node, etree._Element) or node in fired:
                    continue
                fired.add(node)
                variables = {
                    let.get("name"): elementpath.select(
                        node, let.get("value"), namespaces, parser=XPath3Parser
                    )
                    for let in rule.iter(f"{{{SCH}}}let")
                }
                for check in rule:
                    kind = etree.QName(check).localname
                    if kind not in ("assert", "report"):
                        continue
                    result = elementpath.select(
                        node,
                        f"boolean({check.get('test')})",
                        namespaces,
                        parser=XPath3Parser,
                        variables=variables,
                    )
                    if (kind == "assert" and not result) or (kind == "report" and result):
                        label = check.get("id") or rule.get("id") or context
                        found.append(f"{label} at {tree.getpath(node)}: {_text(check)}")
    return found
