"""The demo data: the real arenas of the seeds, loaded idempotently."""

from __future__ import annotations

from typing import Any

import pytest

from councils.models import Body, Case, Document, Membership, Organisation
from samverkan.demo import load_demo

pytestmark = pytest.mark.django_db


def test_demo_builds_the_seeded_arenas_and_cases(settings: Any) -> None:
    counts = load_demo(with_accounts=True)
    assert Organisation.objects.filter(kind="kommun").count() == 8
    council = Body.objects.get(slug="regionens-samverkansrad")
    assert council.seat_count == 11
    assert council.memberships.filter(role__in=Membership.Role.seated()).count() == 11
    assert council.memberships.filter(role=Membership.Role.SUBSTITUTE).count() == 8
    assert set(Case.objects.values_list("diarienummer", flat=True)) >= {
        "RS/2797/2017",
        "RUN/29/2021",
        "RUN/60/2019",
        "RS/668/2021",
        "RUN/34/2018",
        "LS/1345/2014",
    }
    # The regional survey's answers, and the closed item's memo on the coming meeting.
    assert Document.objects.filter(confidential=True).count() == 2
    # The five seed texts as PDFs, and the closed item's memo.
    assert Document.objects.exclude(sha256="").count() == 6
    again = load_demo(with_accounts=True)
    assert again == counts


def test_demo_accounts_are_refused_in_production(settings: Any) -> None:
    settings.SAMVERKAN_ALLOW_DEMO_ACCOUNTS = False
    with pytest.raises(RuntimeError):
        load_demo(with_accounts=True)


def test_the_demo_verksamhetsberattelse_counts_what_the_database_holds(settings: Any) -> None:
    """The seeded year 2019: every figure of the fastställd report equals a count made
    here independently, and its PDF names every kommun and every area."""
    import io
    import re
    from collections import Counter

    from pypdf import PdfReader

    from agreements.models import Agreement
    from councils.models import Attendance, Meeting, Paragraph
    from followups.models import Assessment, FollowUp, ReportVersion
    from followups.services import report_version_job

    load_demo(with_accounts=True)
    version = ReportVersion.objects.get(status=ReportVersion.Status.ADOPTED)
    snapshot, year = version.snapshot, version.report.year
    agreement = Agreement.objects.get(pk=version.report.agreement_id)
    assert (year, agreement.case.diarienummer) == (2019, "RUN/34/2018")
    figures = snapshot["figures"]

    parties = set(agreement.parties.all())
    held = [
        m
        for m in Meeting.objects.filter(starts_at__year=year).select_related("body")
        if m.status in ("genomfort", "justerat", "anslaget")
        and (
            m.body == agreement.responsible_body
            or parties & {s.organisation for s in m.body.seat_allocations.all()}
        )
    ]
    per_body = Counter(m.body.name for m in held)
    assert dict(figures["meetings"]["rows"]) == dict(per_body)
    assert sum(per_body.values()) == 2

    kommuner = sorted(agreement.kommuner, key=lambda k: k.name)
    expected_attendance = []
    for kommun in kommuner:
        rows = [
            a
            for a in Attendance.objects.filter(meeting__in=held, represents=kommun)
            if a.role == "ledamot" or a.serving_for_id
        ]
        presence = Counter(a.presence for a in rows)
        expected_attendance.append(
            [kommun.label, presence["plats"], presence["distans"], presence["franvarande"]]
        )
    assert figures["attendance"]["rows"] == expected_attendance
    assert ["Berg", 1, 0, 1] in expected_attendance  # Berg missed the March meeting

    for (name, count), area in zip(
        figures["decisions"]["rows"], agreement.areas.all(), strict=True
    ):
        decided = Paragraph.objects.filter(meeting__in=held, case__in=area.cases.all()).exclude(
            decision_kind="bordlagt"
        )
        assert (name, count) == (area.name, decided.count())

    areas = list(agreement.areas.all())
    for row in figures["assessments"]["rows"]:
        kommun = next(k for k in kommuner if k.label == row[0])
        for area, score in zip(areas, row[1:], strict=True):
            stored = Assessment.objects.filter(area=area, organisation=kommun, year=year).first()
            assert score == (stored.score if stored else None)

    followup = FollowUp.objects.get(case__diarienummer="RUN/60/2019")
    (data,) = snapshot["followups"]
    assert (data["held"], data["total"], data["remaining"]) == (6, 8, ["Berg", "Ragunda"])
    assert data["held"] == followup.dialogues.exclude(held_on=None).count()
    named = {p.label: p.named_by.count() for p in followup.priorities.all()}
    assert dict(map(tuple, figures["priorities"]["rows"])) == named

    job = report_version_job(version)
    assert job is not None
    with job.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    for kommun in kommuner:
        assert kommun.name in text, kommun.name
    for area in areas:
        assert area.name in text, area.name
    assert "Innehåll" in text
    assert "Sida 3 av" in text
