"""The benchmark corpus: deterministic from its seed, consistent (every § on an agenda
item, every ärende with a real PDF), and the portal's pages work on it."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count
from pypdf import PdfReader

from councils.models import (
    AgendaItem,
    Attendance,
    Case,
    Document,
    Meeting,
    Organisation,
    Paragraph,
)
from recommendations.models import OrganisationDecision, Recommendation
from samverkan.scale import councils as scale
from samverkan.scale import generate
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

SMALL = scale.Plan(bodies=2, years=1, meetings_per_year=(2, 3), items_per_meeting=(20, 40))


def _titles() -> list[str]:
    return list(
        Paragraph.objects.order_by("body__slug", "year", "number").values_list("title", flat=True)
    )


def test_the_same_seed_gives_the_same_corpus() -> None:
    class Rollback(Exception):
        pass

    runs = []
    for _ in range(2):
        try:
            with transaction.atomic():
                counts = generate(SMALL, log=lambda *_: None)
                runs.append((counts, _titles()))
                raise Rollback
        except Rollback:
            pass
    assert runs[0] == runs[1]
    assert runs[0][0]["paragraphs"] >= 2 * 2 * 20


def test_the_corpus_hangs_together_and_its_pages_answer(settings: Any) -> None:
    counts = generate(SMALL, log=lambda *_: None)
    assert scale.exists()
    assert Paragraph.objects.count() == AgendaItem.objects.count() == counts["paragraphs"]
    for held in Meeting.objects.all():
        assert Attendance.objects.filter(meeting=held).count() == SMALL.members_per_body + 3
    assert Document.objects.filter(case__isnull=True).count() == 0
    busiest = Case.objects.annotate(n=Count("documents")).order_by("-n").first()
    assert busiest is not None
    assert busiest.documents.count() == 30
    assert Recommendation.objects.count() == counts["recommendations"]
    assert OrganisationDecision.objects.count() == counts["recommendations"] * len(
        Organisation.objects.filter(kind__in=["region", "kommun"])
    )
    document = Document.objects.filter(case__diarium__prefix__startswith="SK").first()
    assert document is not None
    with default_storage.open(document.file.name, "rb") as stored:
        text = PdfReader(stored).pages[0].extract_text()
    assert document.text.split(".")[0] in " ".join(text.split())
    meeting = Meeting.objects.filter(body__slug__startswith="scale-").first()
    assert meeting is not None
    public = client_for(None)
    for url in (
        meeting.get_absolute_url(),
        f"/sammantraden/{meeting.pk}/protokoll/",
        busiest.get_absolute_url(),
        f"/arenor/{meeting.body.slug}/",
        "/anslagstavla/",
        "/rekommendationer/",
    ):
        assert public.get(url).status_code == 200, url


def test_the_demo_loads_beside_the_corpus(settings: Any) -> None:
    """``make bench`` loads the demo into the corpus's database: the corpus's own
    kommuner get the demo's follow-ups too, and are left as the seeds do not say."""
    from followups.models import Dialogue
    from samverkan.demo import load_demo

    generate(SMALL, log=lambda *_: None)
    load_demo(with_accounts=True, history=False)
    held_2021 = Dialogue.objects.filter(followup__year=2021, held_on__isnull=False)
    assert held_2021.count() == 8
    assert not held_2021.filter(organisation__name__startswith="Skalkommun").exists()
