"""Swedish personal identity numbers in text: personnummer and samordningsnummer.

IMY (formerly Datainspektionen) and SKR: a personnummer is never published on the web.
A number is found in the forms people write it: with or without the century
(``19850709-1234``, ``850709-1234``), with a hyphen, a plus (a hundred years or older),
a space or nothing between date and the last four digits. It counts only when its date
is a real date (a samordningsnummer adds 60 to the day) and its check digit agrees
(the Luhn algorithm over the ten digits), so ordinary numbers rarely pass; a masked one
(``850709-XXXX``) is not a number at all.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.utils import timezone

NUMBER = re.compile(
    r"(?<![\d-])(?P<century>\d{2})?(?P<yy>\d{2})(?P<mm>\d{2})(?P<dd>\d{2})"
    r"(?P<sep>[-+ ]?)(?P<serial>\d{3})(?P<check>\d)(?!\d)"
)


@dataclass(frozen=True)
class Finding:
    kind: str  # "personnummer" or "samordningsnummer"
    start: int
    end: int
    text: str

    @property
    def masked(self) -> str:
        """The number with its last four digits hidden: what a page may show."""
        return self.text[:-4] + "XXXX"


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _kind(match: re.Match[str]) -> str | None:
    century, yy, mm, dd = match["century"], match["yy"], int(match["mm"]), int(match["dd"])
    kind = "personnummer"
    if dd > 60:
        kind, dd = "samordningsnummer", dd - 60
    year = int((century or "20") + yy)
    if century is None and year > timezone.localdate().year:
        year -= 100
    if match["sep"] == "+":  # a hundred years or older
        year -= 100
    try:
        datetime.date(year, mm, dd)
    except ValueError:
        return None
    if not luhn_ok(f"{yy}{match['mm']}{match['dd']}{match['serial']}{match['check']}"):
        return None
    return kind


def find(text: str) -> list[Finding]:
    """Every personnummer and samordningsnummer in ``text``."""
    findings = []
    for match in NUMBER.finditer(text):
        kind = _kind(match)
        if kind is not None:
            findings.append(Finding(kind, match.start(), match.end(), match.group(0)))
    return findings


def mask(text: str) -> str:
    """``text`` with the last four digits of every number found replaced by XXXX."""
    for finding in reversed(find(text)):
        text = text[: finding.start] + finding.masked + text[finding.end :]
    return text
