"""The agreement and follow-up pages: reachable by links from the start page for every
role, without errors, at a number of queries that does not grow with the rows."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from agreements import services as agreement_services
from agreements.models import Activity, Purpose
from councils import services as council_services
from followups import services
from followups.models import Finding, Priority, Theme
from tests.conftest import client_for
from tests.factories import make_case
from tests.samverkan.test_pages import _crawl, _queries

pytestmark = pytest.mark.django_db


def _populate(pact: dict[str, Any], scale: int) -> dict[str, Any]:
    agreement, secretary = pact["agreement"], pact["secretariat"]
    theme, _ = Theme.objects.get_or_create(name="Samverkansarenor")
    followup = None
    for index in range(scale):
        agreement_services.record_save(
            actor=secretary,
            instance=Purpose(agreement=agreement, position=index + 10),
            text=f"Syfte {index}",
        )
        agreement_services.record_save(
            actor=secretary,
            instance=Activity(agreement=agreement, year=2020),
            kind=Activity.Kind.OTHER,
            title=f"Aktivitet {index}",
            owner=pact["region"],
            due_on=datetime.date(2020, 3, 1 + index),
        )
        followup = services.followup_create(
            actor=secretary,
            agreement=agreement,
            year=2019 + index % 3,
            title=f"Uppföljning {index}",
            body=pact["body_b"],
            case=make_case(body=pact["body_b"], title=f"Uppföljning {index}"),
            questions=["Fråga ett?", "Fråga två?"],
        )
        first = followup.questions.all()[0]
        for dialogue in followup.dialogues.all()[: index + 1]:
            services.dialogue_record(
                actor=secretary,
                dialogue=dialogue,
                held_on=datetime.date(2019, 3, 1),
                answers={first: f"Svar {index}"},
            )
        services.record_save(
            actor=secretary,
            instance=Finding(followup=followup, theme=theme),
            text=f"Iakttagelse {index}",
        )
        services.priority_save(
            actor=secretary,
            instance=Priority(followup=followup),
            label=f"Prioritering {index}",
            named_by=list(pact["kommuner"].values())[: index + 1],
        )
        services.assignment_create(
            actor=secretary,
            given_by=pact["body_b"],
            given_on=datetime.date(2020, 1, 1),
            case=followup.case,
            agreement=agreement,
            title=f"Uppdrag {index}",
            owner="Regiondirektören",
            due_on=datetime.date(2020, 6, 1),
        )
    assert followup is not None
    return {"followup": followup}


PAGES = [
    "/",
    "/overenskommelser/",
    "/overenskommelser/{agreement}/",
    "/overenskommelser/{agreement}/andringar/",
    "/overenskommelser/{agreement}/arsplan/2020/",
    "/uppfoljning/",
    "/uppfoljning/{followup}/",
    "/uppdrag/?visa=alla",
    "/statistik/",
    "/verksamhetsberattelse/",
]


@pytest.mark.parametrize("role", ["anonymous", "secretariat"])
def test_query_count_does_not_grow_with_rows(pact: dict[str, Any], role: str) -> None:
    client = client_for(None if role == "anonymous" else pact[role])
    agreement = pact["agreement"].pk

    def counts(scale: int) -> list[int]:
        rows = _populate(pact, scale)
        return [
            _queries(client, page.format(agreement=agreement, followup=rows["followup"].pk))
            for page in PAGES
        ]

    small, large = counts(2), counts(6)
    assert dict(zip(PAGES, small, strict=True)) == dict(zip(PAGES, large, strict=True))
    counted = dict(zip(PAGES, large, strict=True))
    if "/" in counted:  # the start page: a budget of its own (tests/samverkan/test_pages.py)
        from tests.samverkan.test_pages import START_PAGE_BUDGET

        assert counted.pop("/") <= START_PAGE_BUDGET, counted
    budget = 16 if role == "secretariat" else 12
    assert max(counted.values()) <= budget, counted


def test_assessment_page_query_count_is_constant(pact: dict[str, Any]) -> None:
    client = client_for(pact["secretariat"])
    url = f"/overenskommelser/{pact['agreement'].pk}/bedomning/2019/"
    before = _queries(client, url)
    for user in (pact["krokom"], pact["berg"]):
        services.assessments_save(
            actor=user,
            agreement=pact["agreement"],
            year=2019,
            scores=dict.fromkeys(pact["agreement"].areas.all(), (3, "Kommentar")),
        )
    assert _queries(client, url) == before


@pytest.mark.parametrize("role", ["anonymous", "krokom", "secretariat"])
def test_every_linked_page_answers_without_error(pact: dict[str, Any], role: str) -> None:
    rows = _populate(pact, 1)
    report = services.report_get_or_create(actor=None, agreement=pact["agreement"], year=2019)
    version = services.report_compile(actor=pact["secretariat"], report=report)
    job = services.report_version_job(version)
    assert job is not None
    council_services.render_job_run(job_id=job.pk)
    services.report_adopt(actor=pact["secretariat"], version=version, adopted_in="RUN § 1")
    final = services.report_version_job(version)  # rendered after the decision
    assert final is not None
    council_services.render_job_run(job_id=final.pk)

    seen = _crawl(client_for(None if role == "anonymous" else pact[role]), limit=400)
    errors = {url: status for url, status in seen.items() if status >= 400}
    assert errors == {}
    agreement = pact["agreement"].pk
    expected = {
        "/overenskommelser/",
        f"/overenskommelser/{agreement}/",
        f"/overenskommelser/{agreement}/andringar/",
        "/uppfoljning/",
        f"/uppfoljning/{rows['followup'].pk}/",
        "/uppdrag/",
        "/statistik/",
        "/statistik/meetings.csv",
        "/verksamhetsberattelse/",
        "/verksamhetsberattelse/2019/",
        f"/verksamhetsberattelser/versioner/{version.pk}/",
        f"/verksamhetsberattelser/versioner/{version.pk}/pdf/",
    }
    if role == "krokom":
        expected |= {"/bedomning/", f"/overenskommelser/{agreement}/bedomning/2019/"}
    if role == "secretariat":
        expected |= {
            "/overenskommelser/ny/",
            "/uppfoljning/ny/",
            f"/verksamhetsberattelser/{report.pk}/",
            f"/overenskommelser/{agreement}/bedomning/2019/",
        }
    assert expected <= set(seen), expected - set(seen)


def test_statistics_charts_span_the_page_and_the_pdf_keeps_its_width(
    pact: dict[str, Any],
) -> None:
    """The page draws its charts across the content column (1040 units, the bars
    scaled to it); the PDF's charts keep the width of an A4 column (640)."""
    from followups.charts import WIDTH, bar

    page = client_for(None).get("/statistik/").content.decode()
    assert 'viewBox="0 0 1040 ' in page
    assert 'viewBox="0 0 640 ' not in page
    narrow, wide = bar("x", [["a", 4]]), bar("x", [["a", 4]], width=1040)
    assert 'width="390.0"' in narrow  # the longest bar: the width less label and margin
    assert 'width="790.0"' in wide
    assert WIDTH == 640
