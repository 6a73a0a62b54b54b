"""Follow-up rules: dialogue progress, assessment permissions and what the public
sees of them, uppdrag due logic and the report-back on an agenda, the annual focus
limit, and frozen verksamhetsberättelse versions."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone

from councils import services as council_services
from councils.models import AgendaItem, Attendance, Meeting, RenderJob
from followups import selectors, services
from followups.models import Assessment, Assignment, ReportVersion, Section, StrategicQuestion
from tests.conftest import client_for, csv_text
from tests.factories import (
    BodyFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    make_case,
)

pytestmark = pytest.mark.django_db

D = datetime.date


def _followup(pact: dict[str, Any]) -> Any:
    return services.followup_create(
        actor=pact["secretariat"],
        agreement=pact["agreement"],
        year=2019,
        title="Uppföljning samverkan med kommunerna",
        body=pact["body_b"],
        questions=["Har regionen genomfört sitt uppdrag?", "Vilka prioriteringar är viktigast?"],
    )


def test_a_follow_up_plans_one_dialogue_per_kommun_and_shows_progress(
    pact: dict[str, Any],
) -> None:
    followup = _followup(pact)
    assert followup.dialogues.count() == 8
    first, _second = followup.questions.all()
    for dialogue in followup.dialogues.select_related("organisation"):
        if dialogue.organisation.label not in ("Berg", "Ragunda"):
            services.dialogue_record(
                actor=pact["secretariat"],
                dialogue=dialogue,
                held_on=D(2019, 3, 5),
                answers={first: "Samverkan fungerar bra."},
            )
    progress = selectors.dialogue_progress(followup)
    assert (progress.held, progress.total, progress.remaining) == (6, 8, ["Berg", "Ragunda"])
    page = client_for(None).get(followup.get_absolute_url()).content.decode()
    assert "6 av 8 dialoger genomförda" in page
    assert "återstår: Berg, Ragunda" in page


def test_an_emptied_answer_is_removed_and_a_future_dialogue_refused(pact: dict[str, Any]) -> None:
    followup = _followup(pact)
    question = followup.questions.first()
    dialogue = followup.dialogues.first()
    services.dialogue_record(actor=None, dialogue=dialogue, answers={question: "Ja."})
    assert dialogue.answers.get().text == "Ja."
    services.dialogue_record(actor=None, dialogue=dialogue, answers={question: "  "})
    assert not dialogue.answers.exists()
    with pytest.raises(ValidationError):
        services.dialogue_record(
            actor=None, dialogue=dialogue, held_on=timezone.localdate() + datetime.timedelta(1)
        )


def _assess(pact: dict[str, Any], user: Any, score: int, year: int = 2019) -> list[Assessment]:
    areas = list(pact["agreement"].areas.all())
    return services.assessments_save(
        actor=user,
        agreement=pact["agreement"],
        year=year,
        scores=dict.fromkeys(areas, (score, "")),
    )


def test_a_kommun_assesses_only_for_itself(pact: dict[str, Any]) -> None:
    saved = _assess(pact, pact["krokom"], 3)
    assert {a.organisation for a in saved} == {pact["kommuner"]["Krokom"]}
    for outsider in (pact["secretariat"], pact["member_a"], UserFactory()):
        with pytest.raises(PermissionDenied):
            _assess(pact, outsider, 1)
    _assess(pact, pact["berg"], 1)
    # Berg's assessment did not touch Krokom's.
    assert set(
        Assessment.objects.filter(organisation=pact["kommuner"]["Krokom"]).values_list(
            "score", flat=True
        )
    ) == {3}


def test_the_assessment_page_shows_each_role_its_own_share(pact: dict[str, Any]) -> None:
    _assess(pact, pact["krokom"], 4)
    _assess(pact, pact["berg"], 2)
    url = f"/overenskommelser/{pact['agreement'].pk}/bedomning/2019/"

    region = client_for(pact["secretariat"]).get(url).content.decode()
    assert "Krokoms kommun" in region
    assert "Bergs kommun" in region
    assert "<strong>3,0</strong>" in region  # the average of 4 and 2

    krokom = client_for(pact["krokom"]).get(url).content.decode()
    assert "Krokoms kommun" in krokom
    assert "Bergs kommun" not in krokom
    assert 'name="score_' in krokom

    public = client_for(None).get(url)
    assert public.status_code == 302
    assert public.url == "/verksamhetsberattelse/2019/"
    member = client_for(pact["member_a"]).post(url, {})
    assert member.status_code == 302  # sent to what was published, nothing saved


def test_a_kommun_fills_in_its_assessment_in_the_browser(pact: dict[str, Any]) -> None:
    area = pact["agreement"].areas.first()
    url = f"/overenskommelser/{pact['agreement'].pk}/bedomning/2019/"
    client = client_for(pact["krokom"])
    response = client.post(url, {f"score_{area.pk}": "9"})
    assert response.status_code == 200  # an invalid choice: the page says so
    assert not Assessment.objects.exists()
    response = client.post(url, {f"score_{area.pk}": "3", f"comment_{area.pk}": "Bra dialog."})
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert (assessment.organisation, assessment.score, assessment.comment) == (
        pact["kommuner"]["Krokom"],
        3,
        "Bra dialog.",
    )


def test_the_public_sees_only_published_aggregates(pact: dict[str, Any]) -> None:
    _assess(pact, pact["krokom"], 4)
    stats = client_for(None).get("/statistik/").content.decode()
    assert "Krokom" not in stats
    csv = csv_text(client_for(None).get("/statistik/assessments.csv"))
    assert csv.strip().count("\n") == 0  # the header only: nothing published yet

    version = _compiled(pact)
    _render(version)
    services.report_adopt(actor=pact["secretariat"], version=version, adopted_in="RUN § 1")
    csv = csv_text(client_for(None).get("/statistik/assessments.csv"))
    assert "2019;EU och övergripande regional utveckling;4" in csv
    assert "Krokom" not in csv


def _compiled(pact: dict[str, Any]) -> ReportVersion:
    report = services.report_get_or_create(actor=None, agreement=pact["agreement"], year=2019)
    services.section_save(actor=None, report=report, heading="Inledning", body="Text.")
    return services.report_compile(actor=pact["secretariat"], report=report)


def _render(version: ReportVersion) -> None:
    job = services.report_version_job(version)
    assert job is not None
    council_services.render_job_run(job_id=job.pk)


def test_a_version_is_adopted_only_with_its_pdf_and_then_frozen(pact: dict[str, Any]) -> None:
    _assess(pact, pact["krokom"], 3)
    version = _compiled(pact)
    with pytest.raises(ValidationError):
        services.report_adopt(actor=pact["secretariat"], version=version, adopted_in="RUN § 1")
    _render(version)
    services.report_adopt(actor=pact["secretariat"], version=version, adopted_in="RUN § 1")
    version.refresh_from_db()
    assert version.is_adopted

    report = version.report
    with pytest.raises(ValidationError):
        services.report_compile(actor=pact["secretariat"], report=report)
    with pytest.raises(ValidationError):
        services.section_save(actor=None, report=report, section=Section.objects.get(), body="Ny.")
    with pytest.raises(ValidationError):
        _assess(pact, pact["krokom"], 1)
    # Not even a direct write gets past the database.
    with pytest.raises(DatabaseError), transaction.atomic():
        ReportVersion.objects.filter(pk=version.pk).update(snapshot={})
    with pytest.raises(DatabaseError), transaction.atomic():
        ReportVersion.objects.filter(pk=version.pk).delete()
    version.refresh_from_db()
    assert version.snapshot["year"] == 2019


def test_a_draft_version_keeps_its_content(pact: dict[str, Any]) -> None:
    version = _compiled(pact)
    with pytest.raises(DatabaseError), transaction.atomic():
        ReportVersion.objects.filter(pk=version.pk).update(snapshot={"year": 1999})


def test_drafts_are_for_the_secretariat_and_adopted_versions_for_everyone(
    pact: dict[str, Any],
) -> None:
    version = _compiled(pact)
    _render(version)
    job = services.report_version_job(version)
    assert job is not None
    assert job.status == RenderJob.Status.DONE
    for user in (None, pact["krokom"], pact["member_a"]):
        client = client_for(user)
        assert client.get(version.get_absolute_url()).status_code == 404
        assert client.get(f"/pdf/{job.pk}/fil/").status_code == 404
    services.report_adopt(actor=pact["secretariat"], version=version, adopted_in="RUN § 1")
    public = client_for(None)
    assert public.get(version.get_absolute_url()).status_code == 200
    year_page = public.get("/verksamhetsberattelse/2019/").content.decode()
    assert f"/versioner/{version.pk}/pdf/" not in year_page  # the final PDF is being made
    _render(version)  # the worker renders the final PDF after the decision
    download = public.get(f"/verksamhetsberattelser/versioner/{version.pk}/pdf/", follow=True)
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    year_page = public.get("/verksamhetsberattelse/2019/").content.decode()
    assert pact["agreement"].title in year_page
    assert f"/versioner/{version.pk}/pdf/" in year_page


def test_uppdrag_fall_due_and_go_on_a_later_agenda(pact: dict[str, Any]) -> None:
    body = pact["body_b"]
    case = make_case(body=body, title="Samverkansrådets roll")
    today = timezone.localdate()
    late = services.assignment_create(
        actor=None,
        given_by=body,
        given_on=today - datetime.timedelta(days=200),
        case=case,
        title="Se över rådets roll",
        owner="Regiondirektören",
        due_on=today - datetime.timedelta(days=1),
    )
    later = services.assignment_create(
        actor=None,
        given_by=body,
        given_on=today,
        case=case,
        title="Återkom om mötesformer",
        owner="Regional utveckling",
        due_on=today + datetime.timedelta(days=300),
    )
    assert late.is_overdue
    assert not later.is_overdue
    with pytest.raises(ValidationError):
        services.assignment_create(
            actor=None,
            given_by=body,
            given_on=today,
            title="Bakvänt",
            owner="X",
            due_on=today - datetime.timedelta(days=1),
        )

    starts = timezone.now() + datetime.timedelta(days=14)
    (meeting,) = council_services.meeting_plan(
        actor=None, body=body, starts=[starts], place="Östersund"
    )
    assert list(selectors.assignments_to_report(meeting=meeting)) == [late]

    page = client_for(pact["secretariat"]).get(meeting.get_absolute_url()).content.decode()
    assert "Se över rådets roll" in page
    assert "Återkom om mötesformer" not in page

    response = client_for(pact["secretariat"]).post(
        f"/uppdrag/{late.pk}/dagordning/", {"meeting": meeting.pk}
    )
    assert response.status_code == 302
    late.refresh_from_db()
    item = AgendaItem.objects.get(pk=late.report_item_id)
    assert item.meeting == meeting
    assert item.case == case
    assert "Se över rådets roll" in item.title
    assert list(selectors.assignments_to_report(meeting=meeting)) == []

    services.assignment_update(actor=None, assignment=late, status=Assignment.Status.REPORTED)
    assert not late.is_overdue
    listing = client_for(None).get("/uppdrag/").content.decode()
    assert "Återkom om mötesformer" in listing
    assert "Se över rådets roll" not in listing


def test_a_held_meeting_takes_no_report_back(pact: dict[str, Any]) -> None:
    body = pact["body_b"]
    assignment = services.assignment_create(
        actor=None,
        given_by=body,
        given_on=D(2020, 1, 1),
        case=make_case(body=body),
        title="Uppdrag",
        owner="X",
        due_on=D(2020, 6, 1),
    )
    (meeting,) = council_services.meeting_plan(
        actor=None, body=body, starts=[timezone.now()], place="Östersund"
    )
    council_services.meeting_update(actor=None, meeting=meeting, status=Meeting.Status.HELD)
    meeting.refresh_from_db()
    with pytest.raises(ValidationError):
        services.assignment_put_on_agenda(actor=None, assignment=assignment, meeting=meeting)


def test_a_council_concentrates_on_at_most_four_questions(db: Any) -> None:
    body = BodyFactory()
    for position in range(1, 5):
        services.strategic_question_save(
            actor=None, body=body, year=2027, position=position, title=f"Fråga {position}"
        )
    with pytest.raises(ValidationError):
        services.strategic_question_save(actor=None, body=body, year=2027, title="En femte")
    assert StrategicQuestion.objects.filter(body=body, year=2027).count() == 4
    services.strategic_question_save(actor=None, body=body, year=2028, title="Nästa år")


def test_statistics_offer_every_figure_as_csv(pact: dict[str, Any]) -> None:
    page = client_for(None).get("/statistik/").content.decode()
    for key in ("meetings", "decisions", "attendance", "dialogues", "assessments"):
        assert f"/statistik/{key}.csv" in page
        response = client_for(None).get(f"/statistik/{key}.csv")
        assert response["Content-Type"].startswith("text/csv")
    assert client_for(None).get("/statistik/okand.csv").status_code == 404


def test_statistics_count_each_kommun_seat_once(db: Any) -> None:
    """A seat is filled by its member or by the ersättare serving for the absent member
    (one filled seat, not one present and one absent); an absence nobody filled is an
    empty seat; an ersättare who only listens holds no seat."""
    krokom = OrganisationFactory(name="Krokoms kommun", short_name="Krokom")
    berg = OrganisationFactory(name="Bergs kommun", short_name="Berg")
    meeting = Meeting.objects.create(
        body=BodyFactory(),
        starts_at=datetime.datetime(2026, 3, 4, 9, tzinfo=datetime.UTC),
        status=Meeting.Status.HELD,
    )
    member, substitute = Attendance.Role.MEMBER, Attendance.Role.SUBSTITUTE
    on_site, absent = Attendance.Presence.ON_SITE, Attendance.Presence.ABSENT
    people = {key: PersonFactory() for key in ("anna", "bo", "cecilia", "david", "erik")}
    for key, kommun, role, presence, serving_for in (
        ("anna", krokom, member, on_site, None),
        ("bo", krokom, member, absent, None),
        ("cecilia", krokom, substitute, on_site, people["bo"]),
        ("david", berg, member, absent, None),
        ("erik", berg, substitute, on_site, None),
    ):
        Attendance.objects.create(
            meeting=meeting,
            person=people[key],
            role=role,
            presence=presence,
            serving_for=serving_for,
            represents=kommun,
        )
    figure = selectors.statistics()["attendance"]
    assert figure["rows"] == [[2026, "Berg", 0, 1], [2026, "Krokom", 2, 2]]


def test_a_finding_can_bring_a_new_theme(pact: dict[str, Any]) -> None:
    followup = _followup(pact)
    client = client_for(pact["secretariat"])
    url = f"/uppfoljning/{followup.pk}/iakttagelse/ny/"
    response = client.post(url, {"kind": "iakttagelse", "text": "Utan tema", "position": 1})
    assert "Ange ett tema för iakttagelsen." in response.content.decode()
    response = client.post(
        url, {"kind": "iakttagelse", "new_theme": "Dialog", "text": "Mer dialog", "position": 1}
    )
    assert response.status_code == 302
    (finding,) = followup.findings.all()
    assert finding.theme is not None
    assert finding.theme.name == "Dialog"
    page = client_for(None).get(followup.get_absolute_url()).content.decode()
    assert "Mer dialog" in page


def test_the_narrative_is_markdown_without_scripts(pact: dict[str, Any]) -> None:
    report = services.report_get_or_create(actor=None, agreement=pact["agreement"], year=2019)
    services.section_save(
        actor=None,
        report=report,
        heading="Inledning",
        body="Text med *betoning*.\n\n<script>alert(1)</script>\n\n"
        '[länk](javascript:alert(2)) <img src=x onerror="alert(3)">\n\n- en punkt',
    )
    version = services.report_compile(actor=None, report=report)
    (section,) = version.snapshot["sections"]
    html = section["html"]
    assert "<em>betoning</em>" in html
    assert "<li>en punkt</li>" in html
    assert "<script" not in html
    assert "javascript:" not in html
    assert "onerror" not in html


@pytest.mark.parametrize(
    "url",
    ["/arenor/{slug}/fokus/0/", "/arenor/{slug}/fokus/99999/", "/verksamhetsberattelse/1/"],
)
def test_an_impossible_year_is_not_found(pact: dict[str, Any], url: str) -> None:
    response = client_for(None).get(url.format(slug=pact["body_a"].slug))
    assert response.status_code == 404


def test_a_dialogues_notes_are_for_the_secretariat_only(pact: dict[str, Any]) -> None:
    dialogue = _followup(pact).dialogues.first()
    services.dialogue_record(actor=None, dialogue=dialogue, notes="Intern anteckning")
    url = dialogue.get_absolute_url()
    assert "Intern anteckning" in client_for(pact["secretariat"]).get(url).content.decode()
    for user in (None, pact["krokom"], pact["member_a"]):
        assert "Intern anteckning" not in client_for(user).get(url).content.decode()


def _pdf_pages(job: Any) -> list[str]:

    from pypdf import PdfReader

    with job.file.open("rb") as handle:
        return [page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages]


def test_a_fastställd_report_says_so_and_its_draft_is_never_published(
    pact: dict[str, Any],
) -> None:
    """Issue 16: the draft's PDF says "utkast" on every page; fastställande renders the
    final PDF after the decision, saying by which decision, and only that PDF reaches
    the public."""
    version = _compiled(pact)
    _render(version)
    draft = services.report_version_job(version)
    assert draft is not None
    pages = _pdf_pages(draft)
    assert all("Utkast – inte fastställd" in text for text in pages), len(pages)
    with pytest.raises(ValidationError):  # the decision must be named
        services.report_adopt(actor=pact["secretariat"], version=version, adopted_in=" ")
    services.report_adopt(
        actor=pact["secretariat"], version=version, adopted_in="RUN 2020-02-12 § 12"
    )
    version.refresh_from_db()
    final = services.report_version_job(version)
    assert final is not None
    assert final.pk != draft.pk
    public = client_for(None)
    assert public.get(f"/pdf/{draft.pk}/fil/").status_code == 404  # never the draft
    page = public.get(f"/verksamhetsberattelser/versioner/{version.pk}/pdf/")
    assert page.status_code == 404  # until the final PDF is made
    _render(version)
    final.refresh_from_db()
    text = "\n".join(_pdf_pages(final))
    adopted = timezone.localtime(version.adopted_at)  # the PDF says the Swedish day
    assert f"Fastställd {adopted:%Y-%m-%d} av RUN 2020-02-12 § 12" in text
    assert "tkast" not in text
    assert public.get(f"/verksamhetsberattelser/versioner/{version.pk}/pdf/").status_code == 302


# --- 5. Who sets a kommun's assessment (the probe of issue 13) -----------------------------


def test_only_a_designated_bedomningsansvarig_sets_the_kommuns_assessment(
    pact: dict[str, Any],
) -> None:
    from django.core.exceptions import PermissionDenied

    from councils.models import Membership
    from followups import services as followup_services
    from followups.models import Assessment
    from tests.factories import MembershipFactory, PersonFactory, UserFactory

    berg = pact["kommuner"]["Berg"]
    agreement = pact["agreement"]
    area = agreement.areas.first()
    member = UserFactory(username="ledamot_berg")
    person = PersonFactory(user=member, organisation=berg)
    MembershipFactory(person=person, body=pact["body_a"], role=Membership.Role.MEMBER)
    followup_services.assessments_save(
        actor=pact["berg"], agreement=agreement, year=2019, scores={area: (2, "")}
    )
    with pytest.raises(PermissionDenied):
        followup_services.assessments_save(
            actor=member, agreement=agreement, year=2019, scores={area: (4, "")}
        )
    url = f"/overenskommelser/{agreement.pk}/bedomning/2019/"
    client = client_for(member)
    page = client.get(url).content.decode()
    assert "Bergs kommun" in page  # the kommun's own row, to read
    assert f'name="score_{area.pk}"' not in page
    assert client.post(url, {f"score_{area.pk}": "4"}).status_code == 403
    assert Assessment.objects.get(organisation=berg, area=area).score == 2

    # The secretariat names the member on the kommun's page; then the member may assess.
    secretariat = client_for(pact["secretariat"])
    organisation_page = secretariat.get(f"/organisationer/{berg.slug}/").content.decode()
    assert f"/organisationer/{berg.slug}/bedomningsansvarig/" in organisation_page
    assert (
        client_for(None)
        .get(f"/organisationer/{berg.slug}/")
        .content.decode()
        .count("bedomningsansvarig/")
        == 0
    )
    assert client.post(
        f"/organisationer/{berg.slug}/bedomningsansvarig/", {"person": person.pk}
    ).status_code in (302, 403)
    assert not person.organisation_roles.exists()  # a member cannot name themselves
    secretariat.post(f"/organisationer/{berg.slug}/bedomningsansvarig/", {"person": person.pk})
    role = person.organisation_roles.get()
    assert client.post(url, {f"score_{area.pk}": "4", f"comment_{area.pk}": ""}).status_code == 302
    assert Assessment.objects.get(organisation=berg, area=area).score == 4
    secretariat.post(f"/organisationer/bedomningsansvarig/{role.pk}/ta-bort/")
    assert not person.organisation_roles.exists()
    assert role.history.count() == 2  # granted and removed, each recorded
