"""The open-data API: OParl lists and objects valid against the served OpenAPI
description, paging and date filters, deleted objects marked, keys that give their
owner's rights and can be revoked, and JSON errors only."""

from __future__ import annotations

import datetime
import io
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from jsonschema import Draft202012Validator

from base import pagecache
from base.accounts import ApiToken
from councils import services
from samverkan.openapi import ENDPOINTS
from tests.conftest import client_for
from tests.councils.test_protocol_pages import held  # noqa: F401 - the fixture is reused
from tests.factories import (
    BodyFactory,
    MembershipFactory,
    make_agreement,
    make_case,
    make_document,
)
from tests.files import pdf_bytes

pytestmark = pytest.mark.django_db

HOST = "http://testserver"


@pytest.fixture
def spec(db: Any) -> dict[str, Any]:
    response = client_for(None).get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


def _check(spec: dict[str, Any], path: str, data: Any) -> None:
    """Validate ``data`` against the 200 response schema of ``path`` (OpenAPI form)."""
    operation = spec["paths"][path]["get"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    validator = Draft202012Validator({**schema, "components": spec["components"]})
    errors = sorted(validator.iter_errors(data), key=lambda e: e.path)
    assert not errors, (path, [f"{list(e.path)}: {e.message}" for e in errors[:5]])


def _template(url: str) -> str:
    """The OpenAPI path of a concrete URL."""
    path = url.removeprefix(HOST).split("?")[0]
    path = re.sub(r"/legislativeterms/\d+$", "/legislativeterms/{start}", path)
    path = re.sub(r"/assessments/\d+$", "/assessments/{year}", path)
    return re.sub(r"/\d+(?=/|$)", "/{pk}", path)


def _get(client: Any, spec: dict[str, Any], url: str) -> Any:
    response = client.get(url.removeprefix(HOST))
    assert response.status_code == 200, (url, response.content[:300])
    assert response["Content-Type"] == "application/json; charset=utf-8"
    data = response.json()
    _check(spec, _template(url), data)
    return data


@pytest.fixture
def world_with_meeting(world: dict[str, Any]) -> dict[str, Any]:
    body = world["body_a"]
    (meeting,) = services.meeting_plan(
        actor=None, body=body, starts=[timezone.now() + datetime.timedelta(days=3)]
    )
    services.agenda_add_standard_items(actor=None, meeting=meeting)
    services.agenda_add_case(actor=None, meeting=meeting, case=world["case"], public=False)
    services.agenda_add_case(
        actor=None, meeting=meeting, case=make_case(body=body, title="Öppen fråga")
    )
    services.kallelse_send(actor=None, meeting=meeting)
    return {**world, "meeting": meeting}


def test_every_endpoint_answers_as_the_description_says(
    world_with_meeting: dict[str, Any], spec: dict[str, Any]
) -> None:
    world = world_with_meeting
    client = client_for(None)
    system = _get(client, spec, "/api/oparl/v1/system")
    bodies = _get(client, spec, system["body"])
    assert bodies["pagination"]["totalElements"] >= 1
    seen: set[str] = set()
    for body in bodies["data"]:
        _get(client, spec, body["id"])
        for key in ("organization", "person", "meeting", "paper", "legislativeTermList"):
            listing = _get(client, spec, body[key])
            for item in listing["data"][:3]:
                _get(client, spec, item["id"])
                seen.add(item["type"].rsplit("/", 1)[1])
                embedded = item.get("membership", [])[:2] + item.get("auxiliaryFile", [])[:2]
                for link in [e["id"] if isinstance(e, dict) else e for e in embedded]:
                    _get(client, spec, link)
                    seen.add(_template(link).split("/")[4])
    assert {"Organization", "Person", "Meeting", "Paper", "LegislativeTerm"} <= seen
    meeting = _get(client, spec, f"/api/oparl/v1/meetings/{world['meeting'].pk}")
    names = [item["name"] for item in meeting["agendaItem"]]
    assert "Öppen fråga" in names
    assert "Intern titel om enskild" not in names
    assert "Samverkansfråga" not in names
    case_item = next(i for i in meeting["agendaItem"] if i["name"] == "Öppen fråga")
    consultation = _get(client, spec, case_item["consultation"])
    paper = _get(client, spec, consultation["paper"])
    assert case_item["consultation"] in [c["id"] for c in paper["consultation"]]
    _get(client, spec, meeting["location"]["id"])

    region = world["body_a"].organisation
    agreement = make_agreement(parties=[region], areas=["Folkhälsa"])
    agreements = _get(client, spec, "/api/v1/agreements")
    assert agreements["data"][0]["reference"] == agreement.case.diarienummer
    _get(client, spec, f"/api/v1/agreements/{agreement.pk}")
    _get(client, spec, "/api/v1/followups")
    assert set(spec["paths"]) == set(ENDPOINTS)


def test_the_public_never_gets_what_it_may_not_see(
    world_with_meeting: dict[str, Any], spec: dict[str, Any]
) -> None:
    world = world_with_meeting
    anonymous = client_for(None)
    data = pdf_bytes("Hemlig bilaga")
    secret = make_document(  # an OParl File is a document with its file
        case=world["case"],
        subject="Hemlig bilaga med fil",
        confidential=True,
        upload=io.BytesIO(data),
        upload_name="bilaga.pdf",
        upload_size=len(data),
    )
    assert anonymous.get(f"/api/oparl/v1/files/{secret.pk}").status_code == 404
    paper = anonymous.get(f"/api/oparl/v1/papers/{world['case'].pk}").json()
    assert paper["name"] == "Samverkansfråga"
    assert f"{HOST}/api/oparl/v1/files/{secret.pk}" not in [f["id"] for f in paper["auxiliaryFile"]]
    closed = next(
        item for item in world["meeting"].agenda_items.all() if item.case_id == world["case"].pk
    )
    assert anonymous.get(f"/api/oparl/v1/agendaitems/{closed.pk}").status_code == 404
    assert anonymous.get(f"/api/oparl/v1/consultations/{closed.pk}").status_code == 404

    token, key = ApiToken.issue(user=world["member_a"], name="Mitt skript")
    member = client_for(None)
    headers = {"Authorization": f"Bearer {key}"}
    response = member.get(f"/api/oparl/v1/files/{secret.pk}", headers=headers)
    assert response.status_code == 200
    _check(spec, "/api/oparl/v1/files/{pk}", response.json())
    paper = member.get(f"/api/oparl/v1/papers/{world['case'].pk}", headers=headers).json()
    assert paper["name"] == "Intern titel om enskild"
    token.refresh_from_db()
    assert token.last_used_at is not None

    other_key = ApiToken.issue(user=world["member_b"], name="B")[1]
    response = member.get(
        f"/api/oparl/v1/files/{secret.pk}", headers={"Authorization": f"Bearer {other_key}"}
    )
    assert response.status_code == 404

    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    response = member.get("/api/oparl/v1/system", headers=headers)
    assert response.status_code == 401
    assert response.json()["type"] == "https://schema.oparl.org/1.1/Error"


def test_paging_filters_and_deleted_objects(world: dict[str, Any], spec: dict[str, Any]) -> None:
    client = client_for(None)
    region = world["body_a"].organisation
    for index in range(5):
        BodyFactory(organisation=region, name=f"Nätverk {index}")
    url = f"/api/oparl/v1/bodies/{region.pk}/organizations"
    first = _get(client, spec, f"{url}?limit=3")
    assert first["pagination"] == {
        "totalElements": 6,  # body A and the five networks
        "elementsPerPage": 3,
        "currentPage": 1,
        "totalPages": 2,
    }
    second = _get(client, spec, first["links"]["next"])
    assert second["pagination"]["currentPage"] == 2
    assert "limit=3" in second["links"]["prev"]
    assert "next" not in second["links"]
    assert {o["id"] for o in first["data"]}.isdisjoint({o["id"] for o in second["data"]})

    mark = timezone.now()
    changed = BodyFactory(organisation=region, name="Nytt nätverk")
    doomed = BodyFactory(organisation=region, name="Kortlivat nätverk")
    doomed_id = doomed.pk
    doomed.delete()
    since = _get(client, spec, f"{url}?modified_since={mark.isoformat().replace('+', '%2B')}")
    ids = {item["id"]: item for item in since["data"]}
    assert f"{HOST}/api/oparl/v1/organizations/{changed.pk}" in ids
    deleted = ids[f"{HOST}/api/oparl/v1/organizations/{doomed_id}"]
    assert deleted["deleted"] is True
    assert f"{HOST}/api/oparl/v1/organizations/{world['body_a'].pk}" not in ids
    before = _get(client, spec, f"{url}?created_until={mark.date().isoformat()}")
    assert before["pagination"]["totalElements"] == 0  # all made today, after midnight

    bad = client.get(f"{url}?modified_since=igår")
    assert bad.status_code == 400
    assert "ISO 8601" in bad.json()["message"]
    assert client.get(f"{url}?page=x").status_code == 400
    beyond = client.get(f"{url}?page={'9' * 40}")  # far past the end: the last page
    assert beyond.status_code == 200
    pagination = beyond.json()["pagination"]
    assert pagination["currentPage"] == pagination["totalPages"]
    missing = client.get("/api/oparl/v1/papers/999999")
    assert missing.status_code == 404
    assert missing.json()["type"] == "https://schema.oparl.org/1.1/Error"
    assert missing["Access-Control-Allow-Origin"] == "*"  # errors carry CORS too
    assert client.get("/api/finns-inte").status_code == 404
    assert client.get("/api/finns-inte")["Content-Type"] == "application/json; charset=utf-8"
    preflight = client.options("/api/oparl/v1/system")  # a browser's CORS preflight
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "Authorization" in preflight["Access-Control-Allow-Headers"]
    assert client.post("/api/oparl/v1/system").status_code == 405


def test_list_queries_do_not_grow_with_rows(world: dict[str, Any]) -> None:
    client = client_for(None)
    body = world["body_a"]
    url = f"/api/oparl/v1/bodies/{body.organisation_id}/persons"

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    before = queries()
    for _index in range(10):
        MembershipFactory(body=body)
    assert queries() == before


def test_assessments_endpoint_keeps_the_pages_rule(pact: dict[str, Any]) -> None:
    from followups import services as followup_services

    agreement = pact["agreement"]
    followup_services.assessments_save(
        actor=pact["krokom"],
        agreement=agreement,
        year=2019,
        scores=dict.fromkeys(agreement.areas.all(), (3, "")),
    )
    url = f"/api/v1/agreements/{agreement.pk}/assessments/2019"
    assert client_for(None).get(url).status_code == 404  # nothing published
    key = ApiToken.issue(user=pact["secretariat"], name="Region")[1]
    data = client_for(None).get(url, headers={"Authorization": f"Bearer {key}"}).json()
    assert data["published"] is False
    assert len(data["municipalities"]) == 8


def test_open_data_page_makes_and_revokes_keys(world: dict[str, Any]) -> None:
    page = client_for(None).get("/").content.decode()
    assert 'href="/oppna-data/"' in page
    client = client_for(world["member_a"])
    response = client.post("/oppna-data/", {"name": "Kalenderskript"})
    key = re.search(r'id="new-key" type="text" readonly value="([^"]+)"', response.content.decode())
    assert key is not None
    token = ApiToken.objects.get(user=world["member_a"])
    assert token.key_hash == ApiToken.hash(key.group(1))  # only the hash is kept
    assert key.group(1) not in client.get("/oppna-data/").content.decode()
    client_for(world["member_b"]).post("/oppna-data/", {"revoke": token.pk})
    token.refresh_from_db()
    assert token.revoked_at is None  # not theirs
    client.post("/oppna-data/", {"revoke": token.pk})
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_a_justerat_protocol_is_its_meetings_results_protocol(
    held: dict[str, Any],  # noqa: F811 - the fixture
    spec: dict[str, Any],
) -> None:
    """OParl's Meeting.resultsProtocol: none while the protocol is a draft or waits for
    justering; once justerat, the public version's sealed PDF as a File (never the
    version with the closed §), opening and downloading the very bytes the worker
    sealed, for the public and with a member's key alike."""
    import hashlib

    from councils.models import RenderJob
    from tests.councils.test_accessible_pdfs import _justerat

    meeting = held["meeting"]
    url = f"/api/oparl/v1/meetings/{meeting.pk}"
    assert "resultsProtocol" not in client_for(None).get(url).json()
    protocol = _justerat(held)
    # Justerat, the PDFs not yet made by the worker: nothing to point at yet.
    assert "resultsProtocol" not in client_for(None).get(url).json()
    assert client_for(None).get(f"{url}/protocol").status_code == 404
    justerat = timezone.now()
    for job in RenderJob.objects.filter(meeting=meeting, kind=RenderJob.Kind.PROTOCOL):
        services.render_job_run(job_id=job.pk)
    # A client that asks what changed since the justering learns of the PDF: the meeting
    # counts as modified when its resultsProtocol appeared.
    changed = client_for(None).get(
        f"/api/oparl/v1/bodies/{meeting.body.organisation_id}/meetings",
        {"modified_since": justerat.isoformat()},
    )
    assert [m["id"] for m in changed.json()["data"]] == [f"http://testserver{url}"]
    public = RenderJob.objects.get(
        meeting=meeting, kind=RenderJob.Kind.PROTOCOL, internal=False, sealed_at__isnull=False
    )
    # The version with the closed § ("Personalfråga") is sealed too, and never offered.
    assert RenderJob.objects.filter(meeting=meeting, internal=True, sealed_at__isnull=False)
    _token, key = ApiToken.issue(user=held["member_a"], name="konsument")
    _get(client_for(None), spec, f"{url}/protocol")  # as the OpenAPI description says
    for headers in ({}, {"Authorization": f"Bearer {key}"}):
        client = client_for(None)
        data = client.get(url, headers=headers).json()["resultsProtocol"]
        assert data == client.get(f"{url}/protocol", headers=headers).json()
        assert data["id"].endswith(f"{url}/protocol")
        assert data["date"] == protocol.approved_on.isoformat()
        assert data["downloadUrl"].endswith(f"/pdf/{public.pk}/fil/")
        for key_name, disposition in (("accessUrl", "inline"), ("downloadUrl", "attachment")):
            response = client.get(data[key_name].split("testserver", 1)[1], headers=headers)
            assert response["Content-Disposition"].startswith(disposition)
            body = b"".join(response.streaming_content)
            assert hashlib.sha256(body).hexdigest() == public.sha256
            assert len(body) == data["size"]
    # Its file lost from storage: the meeting is listed without it, never an error.
    public.file.storage.delete(public.file.name)
    meetings = client_for(None).get(f"/api/oparl/v1/bodies/{meeting.body.organisation_id}/meetings")
    assert meetings.status_code == 200
    assert all("resultsProtocol" not in m for m in meetings.json()["data"])
    # A keyed answer is kept for the key owner's permission class (issue 34) until the
    # next write to the records, as the public's is; a file lost from storage is no
    # write: the next one (or 300 s) makes the answer anew, without it.
    keyed = {"Authorization": f"Bearer {key}"}
    pagecache.bump()
    assert client_for(None).get(f"{url}/protocol", headers=keyed).status_code == 404


def test_a_sent_kallelse_is_its_meetings_invitation(
    held: dict[str, Any],  # noqa: F811 - the fixture
    django_capture_on_commit_callbacks: Any,
) -> None:
    """OParl's Meeting.invitation: none before the kallelse is sent; sending asks the
    worker for the public kallelse (the closed item left out), which then is the
    invitation, dated by the sending; sent again, the earlier PDF no longer counts
    until the new one is made."""
    import io

    from pypdf import PdfReader

    from councils.models import RenderJob

    meeting = held["meeting"]
    url = f"/api/oparl/v1/meetings/{meeting.pk}"
    keyed = {"Authorization": f"Bearer {ApiToken.issue(user=held['member_a'], name='k')[1]}"}

    def invitation() -> Any:  # asked with a key: an answer no page cache keeps
        return client_for(None).get(url, headers=keyed).json().get("invitation")

    assert invitation() is None
    with django_capture_on_commit_callbacks(execute=False):
        services.kallelse_send(actor=None, meeting=meeting)
    (job,) = RenderJob.objects.filter(meeting=meeting, kind=RenderJob.Kind.KALLELSE)
    assert not job.internal
    assert invitation() is None  # not made yet
    services.render_job_run(job_id=job.pk)
    data = invitation()
    assert data["id"].endswith(f"{url}/invitation")
    assert data["date"] == timezone.localdate().isoformat()
    assert data["downloadUrl"].endswith(f"/pdf/{job.pk}/fil/")
    assert client_for(None).get(f"{url}/invitation").json() == data
    response = client_for(None).get(data["downloadUrl"].split("testserver", 1)[1])
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(b"".join(response))).pages)
    assert "Kallelse" in text
    assert "Personalfråga" not in text  # the closed item's title
    # The meeting changes (its place) and someone asks for its kallelse again: a new one,
    # but the invitation stays the kallelse as it was sent.
    services.meeting_update(actor=None, meeting=meeting, place="Rådhuset, Krokom")
    later = services.render_job_request(actor=None, kind=RenderJob.Kind.KALLELSE, meeting=meeting)
    services.render_job_run(job_id=later.pk)
    assert later.pk != job.pk
    assert invitation()["downloadUrl"].endswith(f"/pdf/{job.pk}/fil/")
    with django_capture_on_commit_callbacks(execute=False):
        services.kallelse_send(actor=None, meeting=meeting)  # sent again
    assert invitation() is None
    again = RenderJob.objects.filter(meeting=meeting, kind=RenderJob.Kind.KALLELSE).latest("pk")
    services.render_job_run(job_id=again.pk)
    assert invitation()["downloadUrl"].endswith(f"/pdf/{again.pk}/fil/")


# --- 9. OParl references (the probe of issue 13) -------------------------------------------


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
