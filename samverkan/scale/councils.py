"""A corpus at the scale of ten years of regional collaboration, for the benchmarks
(``manage.py generate_scale_data``, used by ``make bench``).

Deterministic from a seed: the same seed gives the same rows. Bodies with members,
substitutes and a secretary; 8–12 meetings per body and year, each held, with an
attendance list, an agenda of 20–40 items, each item a § (most about an ärende with a
document: a small real PDF whose text is also stored, as the worker would have read
it); a justerat protocol per meeting; agreements with a follow-up, dialogues and
assessments for every year. Rows go in with ``bulk_create`` in batches, and so do
their first history rows (django-simple-history's ``bulk_create_with_history``), so
ten years load in minutes rather than hours.
"""

from __future__ import annotations

import datetime
import hashlib
import random
import re
import textwrap
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from councils.models import (
    AgendaItem,
    Attendance,
    Body,
    Case,
    Diarium,
    DiariumSequence,
    Document,
    Meeting,
    Membership,
    Organisation,
    Paragraph,
    ParagraphSequence,
    Person,
    Protocol,
)
from samverkan.demo.councils import SEEDS

BATCH = 2000
MARK = "scale"  # slugs of generated bodies start with it: the corpus is found again by it
T = TypeVar("T")

#: Records an app above adds to the corpus: ``(plan, rng, words, bodies, organisations,
#: first_year) -> counts``, called in order after the councils' records.
Extension = Callable[..., dict[str, int]]


@dataclass(frozen=True)
class Plan:
    seed: int = 2026
    bodies: int = 70
    years: int = 10
    last_year: int = 2025
    meetings_per_year: tuple[int, int] = (8, 12)
    items_per_meeting: tuple[int, int] = (20, 40)
    members_per_body: int = 9
    share_with_case: float = 0.6  # items about an ärende, each with a document


def exists() -> bool:
    return Body.objects.filter(slug__startswith=f"{MARK}-").exists()


def _batches(rows: Iterable[T], size: int = BATCH) -> Iterator[list[T]]:
    batch: list[T] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def save_rows(model: Any, rows: list[Any], *, history: bool = True) -> list[Any]:
    saved: list[Any] = []
    for batch in _batches(rows):
        if history:
            saved += bulk_create_with_history(batch, model, batch_size=BATCH)
        else:
            saved += model.objects.bulk_create(batch, batch_size=BATCH)
    return saved


def copy_rows(model: Any, rows: list[dict[str, Any]], *, history: bool = True) -> None:
    """Write ``rows`` (dicts by attribute name) with PostgreSQL's COPY, giving each an
    ``id``; missing fields take their model default. With ``history``, the first
    history row of each ("+", created now, no user) goes in the same way."""
    if not rows:
        return
    table = model._meta.db_table
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {quote(table)}")  # noqa: S608
        first = cursor.fetchone()[0] + 1
    for offset, row in enumerate(rows):
        row["id"] = first + offset
    now = timezone.now()
    _copy(model, rows, {})
    if history:
        extra = {"history_date": now, "history_type": "+", "history_change_reason": None}
        _copy(model.history.model, rows, extra)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, first + len(rows) - 1]
        )


def _copy(model: Any, rows: list[dict[str, Any]], extra: dict[str, Any]) -> None:
    quote = connection.ops.quote_name
    fields = [
        f
        for f in model._meta.concrete_fields
        if not getattr(f, "generated", False) and f.attname != "history_id"
    ]
    now = timezone.now()
    defaults = {
        f.attname: now if getattr(f, "auto_now_add", False) else f.get_default() for f in fields
    }
    defaults.update(extra)
    names = [f.attname for f in fields]
    columns = ", ".join(quote(f.column) for f in fields)
    with connection.cursor() as cursor:
        sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
        with cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row([row.get(name, defaults[name]) for name in names])


class Words:
    """Swedish text from the seed documents, drawn deterministically."""

    def __init__(self, rng: random.Random) -> None:
        text = " ".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
        self.words = [w for w in re.findall(r"[A-Za-zÅÄÖåäöé]{4,}", text) if not w.isupper()]
        self.rng = rng

    def sentence(self, n: int) -> str:
        words = self.rng.choices(self.words, k=n)
        return (" ".join(words)).capitalize() + "."

    def text(self, sentences: int, words: int = 14) -> str:
        return " ".join(self.sentence(words) for _ in range(sentences))


def tiny_pdf(text: str) -> bytes:
    """A small, valid one-page PDF carrying ``text`` (Latin-1, Helvetica)."""
    lines = [
        line.encode("latin-1", "replace").translate(None, b"\\()")
        for line in textwrap.wrap(text[:900], 90)
    ]
    stream = b"BT /F1 10 Tf 50 780 Td 12 TL " + b" ".join(b"(" + line + b") '" for line in lines)
    stream += b" ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


@transaction.atomic
def generate(
    plan: Plan, *, log: Any = print, extensions: Sequence[Extension] = ()
) -> dict[str, int]:
    """Write the corpus; returns the number of rows per kind."""
    rng = random.Random(plan.seed)  # noqa: S311 - test data, not secrets
    words = Words(rng)
    tz = timezone.get_current_timezone()
    first_year = plan.last_year - plan.years + 1
    counts: dict[str, int] = {}

    organisations = list(Organisation.objects.filter(kind__in=["region", "kommun"]))
    if not organisations:
        organisations = save_rows(
            Organisation,
            [
                Organisation(name=f"Skalkommun {i}", slug=f"{MARK}-kommun-{i}", kind="kommun")
                for i in range(1, 9)
            ],
        )
    diaria = save_rows(
        Diarium,
        [
            Diarium(prefix=f"SK{letter}", name=f"Skaldiarium {letter}", active=True)
            for letter in "ABCDEFGH"
        ],
    )

    bodies = save_rows(
        Body,
        [
            Body(
                name=f"Samverkansgrupp {i:03d} för {words.sentence(2)[:-1].lower()}",
                slug=f"{MARK}-{i:03d}",
                kind=rng.choice(["rad", "namnd", "beredningsgrupp", "utskott"]),
                organisation=rng.choice(organisations),
                purpose=words.text(2),
                procedure="formal",
                posts_notices=True,
                established=datetime.date(first_year - 1, 1, 1),
            )
            for i in range(1, plan.bodies + 1)
        ],
    )
    log(f"bodies: {len(bodies)}")

    people = save_rows(
        Person,
        [
            Person(
                first_name=rng.choice(["Anna", "Erik", "Maria", "Lars", "Karin", "Per", "Eva"]),
                last_name=f"{rng.choice(['Berg', 'Lind', 'Ström', 'Holm', 'Sund'])}{i}",
                organisation=rng.choice(organisations),
                title="Ledamot",
            )
            for i in range(plan.bodies * (plan.members_per_body + 3))
        ],
    )
    memberships = []
    seats: dict[int, list[Person]] = {}
    start = datetime.date(first_year - 1, 1, 1)
    for index, body in enumerate(bodies):
        size = plan.members_per_body + 3
        group = people[index * size : (index + 1) * size]
        seats[body.pk] = group
        roles = ["ordforande", "vice_ordforande"] + ["ledamot"] * (plan.members_per_body - 2)
        roles += ["ersattare", "ersattare", "sekreterare"]
        for person, role in zip(group, roles, strict=True):
            memberships.append(Membership(person=person, body=body, role=role, start=start))
    save_rows(Membership, memberships)
    counts["people"] = len(people)
    log(f"people: {len(people)}, memberships: {len(memberships)}")

    meetings: list[dict[str, Any]] = []
    for body in bodies:
        for year in range(first_year, plan.last_year + 1):
            n = rng.randint(*plan.meetings_per_year)
            for month in sorted(rng.sample(range(1, 13), n)):
                starts = datetime.datetime(year, month, rng.randint(1, 27), 13, 0, tzinfo=tz)
                meetings.append(
                    {
                        "body_id": body.pk,
                        "starts_at": starts,
                        "ends_at": starts + datetime.timedelta(hours=3),
                        "place": "Regionens hus, Östersund",
                        "status": Meeting.Status.APPROVED,
                        "kallelse_sent_at": starts - datetime.timedelta(days=10),
                        "kallelse_delivered_at": starts - datetime.timedelta(days=10),
                    }
                )
    copy_rows(Meeting, meetings)
    counts["meetings"] = len(meetings)
    log(f"meetings: {len(meetings)}")

    attendance = []
    protocols = []
    attendance_roles = ["ledamot"] * plan.members_per_body + ["ersattare"] * 2 + ["sekreterare"]
    for meeting in meetings:
        group = seats[meeting["body_id"]]
        for person, role in zip(group, attendance_roles, strict=True):
            attendance.append(
                {
                    "meeting_id": meeting["id"],
                    "person_id": person.pk,
                    "role": role,
                    "presence": "franvarande" if rng.random() < 0.1 else "plats",
                }
            )
        protocols.append(
            {
                "meeting_id": meeting["id"],
                "status": Protocol.Status.APPROVED,
                "chair_id": group[0].pk,
                "secretary_id": group[-1].pk,
                "kept_at": "Regionens kansli",
                "approved_on": (meeting["starts_at"] + datetime.timedelta(days=7)).date(),
            }
        )
    copy_rows(Attendance, attendance)
    copy_rows(Protocol, protocols)
    counts["attendance"] = len(attendance)
    log(f"attendance: {len(attendance)}, protocols: {len(protocols)}")

    case_numbers: dict[tuple[int, int], int] = {}
    paragraph_numbers: dict[tuple[int, int], int] = {}
    councils = {body.pk for body in bodies if body.kind == Body.Kind.COUNCIL}
    total = {"cases": 0, "documents": 0, "paragraphs": 0}
    month_before = datetime.timedelta(days=30)
    for chunk in _batches(meetings, 500):
        cases: list[dict[str, Any]] = []
        items: list[dict[str, Any]] = []
        item_cases: list[dict[str, Any] | None] = []
        for meeting in chunk:
            year = meeting["starts_at"].year
            for position in range(1, rng.randint(*plan.items_per_meeting) + 1):
                case = None
                if rng.random() < plan.share_with_case:
                    diarium = diaria[meeting["body_id"] % len(diaria)]
                    key = (diarium.pk, year)
                    case_numbers[key] = case_numbers.get(key, 0) + 1
                    number = case_numbers[key]
                    case = {
                        "diarium_id": diarium.pk,
                        "year": year,
                        "number": number,
                        "diarienummer": f"{diarium.prefix}/{number}/{year}",
                        "title": words.sentence(rng.randint(5, 10))[:-1],
                        "description": words.text(2),
                        "status": Case.Status.DECIDED,
                        "registered_on": (meeting["starts_at"] - month_before).date(),
                        "body_id": meeting["body_id"],
                    }
                    cases.append(case)
                items.append(
                    {
                        "meeting_id": meeting["id"],
                        "position": position,
                        "kind": AgendaItem.Kind.CASE if case else AgendaItem.Kind.OPENING,
                        "title": "" if case else words.sentence(5)[:-1],
                        "public": rng.random() > 0.05,
                    }
                )
                item_cases.append(case)
        copy_rows(Case, cases)
        for item, case in zip(items, item_cases, strict=True):
            item["case_id"] = case["id"] if case else None
        copy_rows(AgendaItem, items)

        documents = []
        for case in cases:
            text = words.text(6)
            data = tiny_pdf(f"{case['diarienummer']} {case['title']}. {text}")
            name = default_storage.save(
                f"scale/{case['year']}/{case['diarium_id']}/{case['number']}.pdf",
                ContentFile(data),
            )
            secret = rng.random() < 0.03
            documents.append(
                {
                    "case_id": case["id"],
                    "sequence": 1,
                    "kind": Document.Kind.MEMO,
                    "subject": f"Tjänsteskrivelse {case['title'][:120]}",
                    "direction": Document.Direction.DRAWN_UP,
                    "document_date": case["registered_on"],
                    "file": name,
                    "file_name": f"{case['number']}.pdf",
                    "content_type": "application/pdf",
                    "size": len(data),
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "confidential": secret,
                    "secrecy_provision": "OSL 21 kap. 7 §" if secret else "",
                    "secrecy_date": case["registered_on"] if secret else None,
                    "secrecy_authority": "Regionstyrelsen" if secret else "",
                    "registered_at": datetime.datetime.combine(
                        case["registered_on"], datetime.time(9), tzinfo=tz
                    ),
                    "text": f"{case['title']}. {text}",
                    "text_state": Document.TextState.READ,  # read, as the worker would
                }
            )
        copy_rows(Document, documents)

        paragraphs = []
        by_meeting = {m["id"]: m for m in chunk}
        for item, case in zip(items, item_cases, strict=True):
            meeting = by_meeting[item["meeting_id"]]
            key = (meeting["body_id"], meeting["starts_at"].year)
            paragraph_numbers[key] = paragraph_numbers.get(key, 0) + 1
            paragraphs.append(
                {
                    "meeting_id": meeting["id"],
                    "body_id": meeting["body_id"],
                    "year": meeting["starts_at"].year,
                    "number": paragraph_numbers[key],
                    "agenda_item_id": item["id"],
                    "case_id": item["case_id"],
                    "title": (case["title"] if case else item["title"])[:300],
                    "public": item["public"],
                    "summary": words.text(3),
                    "decision": words.text(1, 16),
                    # About one in thirty of a council's public ärenden recommends
                    # (samverkan/scale/recommendations.py asks the organisations).
                    "decision_kind": Paragraph.DecisionKind.RECOMMENDATION
                    if meeting["body_id"] in councils
                    and item["public"]
                    and case
                    and paragraph_numbers[key] % 30 == 0
                    else Paragraph.DecisionKind.DECISION,
                    "approved_at": meeting["starts_at"] + datetime.timedelta(days=7),
                }
            )
        copy_rows(Paragraph, paragraphs)
        total["cases"] += len(cases)
        total["documents"] += len(documents)
        total["paragraphs"] += len(paragraphs)
        log(f"… {total['paragraphs']} §, {total['documents']} documents")
    counts.update(total)

    # One ärende with 30 documents (the benchmarks' ärende page).
    big = Case.objects.filter(diarium__in=diaria).order_by("pk").first()
    if big is not None:
        extra = []
        for sequence in range(2, 31):
            data = tiny_pdf(f"{big.diarienummer} bilaga {sequence}. {words.text(3)}")
            name = default_storage.save(
                f"scale/{big.year}/{big.diarium_id}/{big.number}-{sequence}.pdf",
                ContentFile(data),
            )
            extra.append(
                {
                    "case_id": big.pk,
                    "sequence": sequence,
                    "kind": Document.Kind.ANNEX,
                    "subject": f"Bilaga {sequence}: {words.sentence(6)[:-1]}",
                    "direction": Document.Direction.INCOMING,
                    "document_date": big.registered_on,
                    "file": name,
                    "file_name": f"bilaga-{sequence}.pdf",
                    "content_type": "application/pdf",
                    "size": len(data),
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "text": words.text(3),
                    "text_state": Document.TextState.READ,
                }
            )
        copy_rows(Document, extra)
        counts["documents"] += len(extra)

    for extension in extensions:  # the apps above add their records (samverkan/scale.py)
        counts.update(extension(plan, rng, words, bodies, organisations, first_year))

    DiariumSequence.objects.bulk_create(
        [
            DiariumSequence(diarium_id=diarium_id, year=year, last_number=last)
            for (diarium_id, year), last in case_numbers.items()
        ]
    )
    ParagraphSequence.objects.bulk_create(
        [
            ParagraphSequence(body_id=body_id, year=year, last_number=last)
            for (body_id, year), last in paragraph_numbers.items()
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return counts
