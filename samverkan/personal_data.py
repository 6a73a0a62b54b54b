"""Personal data in text that is to be published: Swedish personal identity numbers
(personnummer and samordningsnummer), and e-mail addresses and phone numbers of private
persons.

IMY (formerly Datainspektionen) and SKR: a personnummer is never published on the web.
A number is found in the forms people write it: with or without the century
(``19850709-1234``, ``850709-1234``), with a hyphen, a plus (a hundred years or older),
a space or nothing between date and the last four digits. It counts only when its date
is a real date (a samordningsnummer adds 60 to the day) and its check digit agrees
(the Luhn algorithm over the ten digits), so ordinary numbers rarely pass; a masked one
(``850709-XXXX``) is not a number at all.

An e-mail address or a Swedish phone number is a finding unless it is an official's: the
caller says who those are (``Officials``: the organisations' mail domains, the people the
portal knows). A text about an official (a registrator's address, a secretary's number)
may be published; a private person's contact details may not without a reason.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy

LABELS = {
    "personnummer": gettext_lazy("personnummer"),
    "samordningsnummer": gettext_lazy("samordningsnummer"),
    "email": gettext_lazy("e-mail address"),
    "phone": gettext_lazy("phone number"),
}

NUMBER = re.compile(
    r"(?<![\d-])(?P<century>\d{2})?(?P<yy>\d{2})(?P<mm>\d{2})(?P<dd>\d{2})"
    r"(?P<sep>[-+ ]?)(?P<serial>\d{3})(?P<check>\d)(?!\d)"
)

EMAIL = re.compile(r"(?<![\w.%+-])[A-Za-z0-9._%+-]+@(?P<domain>[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")
# A Swedish number: 0 or +46, then 7 to 10 digits, spaced or hyphenated as people do.
PHONE = re.compile(r"(?<![\w/.-])(?:\+46[ -]?|0)(?:\d[ -]?){6,9}\d(?![\w-])")

#: The kinds a finding has; the first two are identity numbers.
ID_NUMBER_KINDS = ("personnummer", "samordningsnummer")


@dataclass(frozen=True)
class Officials:
    """Whose contact details may be published: an address in one of these domains, or
    one of these addresses or phone numbers (digits only, national form)."""

    domains: frozenset[str] = field(default_factory=frozenset)
    emails: frozenset[str] = field(default_factory=frozenset)
    phones: frozenset[str] = field(default_factory=frozenset)

    def has_email(self, address: str) -> bool:
        address = address.casefold()
        domain = address.rpartition("@")[2]
        return address in self.emails or any(
            domain == d or domain.endswith("." + d) for d in self.domains
        )

    def has_phone(self, number: str) -> bool:
        return phone_digits(number) in self.phones


def officials_from(
    organisations: Iterable[tuple[str, str]], people: Iterable[tuple[str, str]]
) -> Officials:
    """The officials from the organisations' (official mailbox, website) and the people's
    (e-mail, phone)."""
    domains = set()
    for mail, website in organisations:
        if mail:
            domains.add(mail.rpartition("@")[2].casefold())
        if website:
            host = website.split("//", 1)[-1].split("/", 1)[0].casefold()
            domains.add(host.removeprefix("www."))
    emails = {email.casefold() for email, _phone in people if email}
    phones = {phone_digits(phone) for _email, phone in people if phone}
    return Officials(frozenset(domains), frozenset(emails), frozenset(phones))


def phone_digits(number: str) -> str:
    """``+46 70-123 45 67`` and ``070-1234567`` alike as ``0701234567``."""
    digits = re.sub(r"\D", "", number)
    return "0" + digits[2:] if number.lstrip().startswith("+46") else digits


@dataclass(frozen=True)
class Finding:
    kind: str  # "personnummer", "samordningsnummer", "email" or "phone"
    start: int
    end: int
    text: str

    @property
    def label(self) -> str:
        return str(LABELS[self.kind])

    @property
    def masked(self) -> str:
        """What a page may show, and what masking writes: a number with its last four
        digits hidden, an address without its local part, a phone number with only its
        area code."""
        if self.kind == "email":
            return "…@" + self.text.rpartition("@")[2]
        if self.kind == "phone":
            head = 4 if self.text.startswith("+") else 3
            return self.text[:head] + re.sub(r"\d", "X", self.text[head:])
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


def find(text: str, officials: Officials | Callable[[], Officials] | None = None) -> list[Finding]:
    """Every personnummer and samordningsnummer in ``text`` and, when ``officials`` is
    given (or a function that tells them, asked only if the text holds an address or a
    number), every e-mail address and phone number that is not an official's."""
    findings = []
    for match in NUMBER.finditer(text):
        kind = _kind(match)
        if kind is not None:
            findings.append(Finding(kind, match.start(), match.end(), match.group(0)))
    if officials is None:
        return findings
    emails = list(EMAIL.finditer(text))
    taken = [(f.start, f.end) for f in findings] + [m.span() for m in emails]
    phones = [
        m for m in PHONE.finditer(text) if not any(s < m.end() and m.start() < e for s, e in taken)
    ]
    if not emails and not phones:
        return findings
    known = officials() if callable(officials) else officials
    findings += [
        Finding("email", m.start(), m.end(), m.group(0))
        for m in emails
        if not known.has_email(m.group(0))
    ]
    findings += [
        Finding("phone", m.start(), m.end(), m.group(0))
        for m in phones
        if not known.has_phone(m.group(0))
    ]
    return sorted(findings, key=lambda f: f.start)


def mask(text: str, officials: Officials | Callable[[], Officials] | None = None) -> str:
    """``text`` with every finding replaced by its masked form."""
    for finding in reversed(find(text, officials)):
        text = text[: finding.start] + finding.masked + text[finding.end :]
    return text
