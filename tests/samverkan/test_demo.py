"""The demo data: the real arenas of the seeds, loaded idempotently."""

from __future__ import annotations

from typing import Any

import pytest

from councils.models import Body, Case, Document, Membership, Organisation
from samverkan.demo import load_demo

pytestmark = pytest.mark.django_db


def test_demo_builds_the_seeded_arenas_and_cases(settings: Any) -> None:
    counts = load_demo(with_accounts=True, history=False)
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
    again = load_demo(with_accounts=True, history=False)
    assert again == counts


def test_the_demo_history_is_a_plausible_record_of_earlier_years(settings: Any) -> None:
    """Eight meetings a year of the samverkansråd 2019–2021 and of the primärkommunala
    rådet 2020–2021, each justerat a week after the meeting (nothing of it on today's
    anslagstavla), decisions in every area of the agreement, two follow-up years with
    dialogues and two fastställda reports: what the statistics page shows."""
    import datetime

    from django.test import Client

    from councils.models import Meeting, Notice, Protocol
    from councils.selectors import notices_current
    from followups.selectors import statistics

    counts = load_demo(with_accounts=True)
    assert load_demo(with_accounts=True) == counts  # idempotent, the history too
    figures = statistics()
    assert figures["meetings"]["rows"] == [[2018, 1], [2019, 8], [2020, 16], [2021, 16]]
    areas = {row[1] for row in figures["decisions"]["rows"] if row[0] == 2021}
    assert len(areas) == 5
    assert figures["dialogues"]["rows"] == [[2019, 6, 2], [2021, 8, 0]]
    assert {row[0] for row in figures["assessments"]["rows"]} == {2019, 2020}
    # Each kommun's seat at the eight meetings of 2019 was filled, by the member or by the
    # ersättare serving for them: eight of eight, whoever sat in it.
    rows_2019 = [row[2:] for row in figures["attendance"]["rows"] if row[0] == 2019]
    assert rows_2019 == [[8, 8]] * 8
    assert all(filled <= seats for _year, _kommun, filled, seats in figures["attendance"]["rows"])

    history = Protocol.objects.filter(meeting__starts_at__year__in=(2019, 2020, 2021))
    assert history.count() == 40
    assert not history.exclude(status=Protocol.Status.APPROVED).exists()
    for protocol in history.select_related("meeting"):
        held_on = protocol.meeting.starts_at.date()
        assert protocol.approved_on == held_on + datetime.timedelta(days=7)
    assert not Notice.objects.filter(protocol__in=history, pk__in=notices_current()).exists()
    assert Meeting.objects.filter(body__slug="regionens-samverkansrad").count() == 26

    page = Client().get("/statistik/")
    assert page.status_code == 200
    assert "2020" in page.content.decode()


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
    version = ReportVersion.objects.get(status=ReportVersion.Status.ADOPTED, report__year=2019)
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
    assert dict(per_body) == {"Regionens samverkansråd": 8}  # the history's 2019

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
    # Every kommun's seat was filled at each of the eight meetings, by the member or
    # (when the member was away) by the ersättare serving: both rows count.
    for label, on_site, remote, _absent in expected_attendance:
        assert on_site + remote == 8, label
    assert sum(row[3] for row in expected_attendance) == 5

    for (name, count), area in zip(
        figures["decisions"]["rows"], agreement.areas.all(), strict=True
    ):
        decided = Paragraph.objects.filter(meeting__in=held, case__in=area.cases.all()).exclude(
            decision_kind="bordlagt"
        )
        assert (name, count) == (area.name, decided.count())
        assert count >= 4, name  # every area had decisions in 2019

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
