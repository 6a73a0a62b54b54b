"""Personal data in text that is to be published: Swedish personal identity numbers
(personnummer and samordningsnummer), and e-mail addresses and phone numbers of private
persons.

IMY (formerly Datainspektionen) and SKR: a personnummer is never published on the web.
A number is found in the forms people write (and word processors and PDF readers
rewrite) it: with or without the century (``19850709-1234``, ``850709-1234``), the date
written whole or in parts (``85 07 09``, ``1985-07-09``), and between date and the last
four digits a hyphen of any kind (en dash, minus sign, non-breaking hyphen …), a plus
(a hundred years or older), spaces around either, a space, tab or line break, a full
stop, slash or underscore, or nothing; invisible characters (soft hyphen, zero-width
space and joiners) inside it are passed over, and a text that is not in Unicode NFKC
(fullwidth digits, a no-break space) is read normalised, its findings placed on the
original text. A number counts only when its date is a real date (a samordningsnummer
adds 60 to the day) and its check digit agrees (the Luhn algorithm over the ten digits),
so ordinary numbers rarely pass; a masked one (``850709-XXXX``) is not a number at all.

An e-mail address or a Swedish phone number is a finding unless it is an official's: the
caller says who those are (``Officials``: the organisations' mail domains, the people the
portal knows). A text about an official (a registrator's address, a secretary's number)
may be published; a private person's contact details may not without a reason.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
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

#: Characters nobody sees, passed over inside a number: soft hyphen, zero-width space,
#: non-joiner and joiner, word joiner, zero-width no-break space.
_INVISIBLE = "[\u00ad\u200b-\u200d\u2060\ufeff]*"
#: Every dash and minus: hyphen-minus, hyphen, non-breaking hyphen, figure dash, en and
#: em dash, horizontal bar, minus sign, and their small and fullwidth forms.
_DASH = "[-\u2010-\u2015\u2212\ufe58\ufe63\uff0d]"
_DIGIT = rf"\d{_INVISIBLE}"
_PAIR = rf"{_DIGIT}{_DIGIT}"
#: Between the parts of the date: nothing, or one space, dash, full stop or slash.
_DATE_SEP = rf"(?:[ ./]|{_DASH})?{_INVISIBLE}"
NUMBER = re.compile(
    rf"(?<!\d)(?:(?P<century>{_PAIR}){_DATE_SEP})?(?P<yy>{_PAIR}){_DATE_SEP}(?P<mm>{_PAIR})"
    rf"{_DATE_SEP}(?P<dd>{_PAIR})"
    rf"(?P<sep>\s{{0,3}}(?:{_DASH}|\+)\s{{0,3}}|[./_]|\s{{1,3}})?{_INVISIBLE}"
    rf"(?P<serial>{_DIGIT}{_DIGIT}{_DIGIT})(?P<check>\d)(?!{_INVISIBLE}\d)"
)
_NOT_DIGIT = re.compile(r"\D")

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
        return _mask_last_digits(self.text, 4)


def _mask_last_digits(text: str, count: int) -> str:
    """``text`` with its last ``count`` digits as X and no invisible character left."""
    out = []
    for char in reversed(re.sub(_INVISIBLE, "", text)):
        if count and char.isdigit():
            out.append("X")
            count -= 1
        else:
            out.append(char)
    return "".join(reversed(out))


def _digits(value: str | None) -> str:
    """The ASCII digits of a part of a match (any script's digits, invisibles dropped)."""
    return "".join(str(int(char)) for char in _NOT_DIGIT.sub("", value or ""))


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _kind(match: re.Match[str]) -> str | None:
    century, yy = _digits(match["century"]), _digits(match["yy"])
    mm, dd = _digits(match["mm"]), _digits(match["dd"])
    kind = "personnummer"
    day = int(dd)
    if day > 60:
        kind, day = "samordningsnummer", day - 60
    year = int((century or "20") + yy)
    if not century and year > timezone.localdate().year:
        year -= 100
    if "+" in (match["sep"] or ""):  # a hundred years or older
        year -= 100
    try:
        datetime.date(year, int(mm), day)
    except ValueError:
        return None
    if not luhn_ok(f"{yy}{mm}{dd}{_digits(match['serial'])}{_digits(match['check'])}"):
        return None
    return kind


_NFKC: dict[str, str] = {}


def _normalised(text: str) -> tuple[str, list[int] | None]:
    """``text`` in Unicode NFKC, and where each of its characters came from in ``text``
    (None when it already was: the common case, checked at C speed)."""
    if unicodedata.is_normalized("NFKC", text):
        return text, None
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        normal = _NFKC.get(char)
        if normal is None:
            normal = _NFKC.setdefault(char, unicodedata.normalize("NFKC", char))
        out.append(normal)
        origin.extend([index] * len(normal))
    origin.append(len(text))
    return "".join(out), origin


def _numbers(text: str) -> list[Finding]:
    """The identity numbers in ``text``, placed on ``text`` itself."""
    normal, origin = _normalised(text)
    findings = []
    for match in NUMBER.finditer(normal):
        kind = _kind(match)
        if kind is None:
            continue
        start, end = match.span()
        if origin is not None:
            start, end = origin[start], origin[end - 1] + 1
        findings.append(Finding(kind, start, end, text[start:end]))
    return findings


def find(text: str, officials: Officials | Callable[[], Officials] | None = None) -> list[Finding]:
    """Every personnummer and samordningsnummer in ``text`` and, when ``officials`` is
    given (or a function that tells them, asked only if the text holds an address or a
    number), every e-mail address and phone number that is not an official's."""
    findings = _numbers(text)
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
