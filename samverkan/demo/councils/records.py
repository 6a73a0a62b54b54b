"""The demo's building blocks: the seed folder, the accounts, and small helpers that
get or create one record each (so loading twice changes nothing)."""

from __future__ import annotations

import datetime
import html
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.text import slugify

from base.actors import Actor
from councils import services
from councils.models import (
    Body,
    Case,
    Diarium,
    Membership,
    Organisation,
    Person,
    SeatAllocation,
)

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
DEMO_PASSWORD = "samverkan2026"  # noqa: S105 - documented demo password, refused in production

KOMMUNER = [
    ("Bergs kommun", "Berg"),
    ("Bräcke kommun", "Bräcke"),
    ("Härjedalens kommun", "Härjedalen"),
    ("Krokoms kommun", "Krokom"),
    ("Ragunda kommun", "Ragunda"),
    ("Strömsunds kommun", "Strömsund"),
    ("Åre kommun", "Åre"),
    ("Östersunds kommun", "Östersund"),
]

SAMVERKANSRAD_SUBJECTS = [
    "Regionalt utvecklingsprogram",
    "Länstransportplan",
    "Regionalt tillväxtprogram",
    "Kollektivtrafik",
    "Regional kulturpolitik",
    "Folkhälsa",
    "Gemensamma EU-frågor",
]


@dataclass(frozen=True)
class DemoAccount:
    role: str
    username: str
    password: str


DEMO_ACCOUNTS = [
    DemoAccount("Administratör", "admin", DEMO_PASSWORD),
    DemoAccount("Sekretariat", "sekretariat", DEMO_PASSWORD),
    DemoAccount("Ordförande, regionens samverkansråd (justerar)", "ordforande", DEMO_PASSWORD),
    DemoAccount("Ledamot, regionens samverkansråd", "ledamot", DEMO_PASSWORD),
    DemoAccount("Ersättare, regionens samverkansråd", "ersattare", DEMO_PASSWORD),
    DemoAccount("Ledamot, regionstyrelsen", "styrelseledamot", DEMO_PASSWORD),
    DemoAccount("Kommuntjänsteperson (Krokoms kommun)", "kommun", DEMO_PASSWORD),
]


def _org(name: str, kind: str, short: str = "", **extra: Any) -> Organisation:
    org, _ = Organisation.objects.get_or_create(
        slug=slugify(name), defaults={"name": name, "kind": kind, "short_name": short, **extra}
    )
    return org


def _body(name: str, **fields: Any) -> Body:
    slug = slugify(name.replace("–", " "))[:80].rstrip("-")
    body, _ = Body.objects.get_or_create(name=name, defaults={"slug": slug, **fields})
    return body


def _seats(body: Body, org: Organisation, seats: int, substitutes: int = 0, note: str = "") -> None:
    SeatAllocation.objects.get_or_create(
        body=body,
        organisation=org,
        defaults={"seats": seats, "substitutes": substitutes, "note": note},
    )


def _person(first: str, last: str, **fields: Any) -> Person:
    email = fields.pop("email", "") or f"{slugify(first + '.' + last)}@example.org"
    person, _ = Person.objects.get_or_create(
        first_name=first, last_name=last, defaults={"email": email, **fields}
    )
    return person


def _member(person: Person, body: Body, role: str, **fields: Any) -> Membership:
    membership, _ = Membership.objects.get_or_create(
        person=person, body=body, role=role, defaults=fields
    )
    return membership


def _seed_pdf(title: str, seed: str, text: str | None = None) -> bytes:
    """A PDF of a seed text (or of ``text``), so the demo documents are real (and
    tagged) files."""
    from councils.pdfs import html_to_pdf

    text = text if text is not None else (SEEDS / seed).read_text(encoding="utf-8")
    paragraphs = "".join(
        f"<p>{html.escape(block.strip())}</p>" for block in text.split("\n\n") if block.strip()
    )
    document = (
        f'<html lang="sv"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        "<style>body{font-family:'DejaVu Sans',sans-serif;font-size:10pt}"
        "p{white-space:pre-wrap}</style></head>"
        f"<body><h1>{html.escape(title)}</h1>{paragraphs}</body></html>"
    )
    return html_to_pdf(document)


def _document(
    case: Case, actor: Actor, *, seed: str | None = None, text: str | None = None, **fields: Any
) -> None:
    if case.documents.filter(subject=fields["subject"]).exists():
        return
    upload: io.BytesIO | None = None
    name = ""
    if seed or text:
        upload = io.BytesIO(_seed_pdf(fields["subject"], seed or "", text))
        name = f"{slugify(fields['subject'])[:80]}.pdf"
    services.document_register(
        actor=actor,
        case=case,
        upload=upload,
        upload_name=name,
        upload_size=len(upload.getvalue()) if upload else 0,
        **fields,
    )


def _case(actor: Actor, diarium: Diarium, number: int, year: int, **fields: Any) -> Case:
    existing = Case.objects.filter(diarium=diarium, number=number, year=year).first()
    if existing:
        return existing
    return services.case_register(actor=actor, diarium=diarium, number=number, **fields)


def _aware(year: int, month: int, day: int, hour: int, minute: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))  # noqa: DTZ001
