"""OParl with the decisions in it (issue 30): an agenda item carries what was decided
on it once its § is justerad (never a draft's text, never a closed item's to the
public); a syncing client learns of every change through ``modified_since`` (a new
file on a paper, a justering on a meeting); ``omit_internal`` spares the embedded
lists; files answer a client that already holds them with 304."""

from __future__ import annotations

import datetime
import io
import time
from typing import Any

import jsonschema
import pytest
from django.utils import timezone

from base.accounts import ApiToken
from councils import services
from councils.models import Paragraph, Protocol
from samverkan.openapi import OPARL_SCHEMAS
from tests.conftest import client_for
from tests.councils.test_accessible_pdfs import _justerat
from tests.councils.test_protocol_pages import _start, held  # noqa: F401 - the fixture
from tests.factories import make_document
from tests.files import pdf_bytes

pytestmark = pytest.mark.django_db

HOST = "http://testserver"
API = "/api/oparl/v1"


def _item(meeting_pk: int, case: Any, headers: dict[str, str]) -> dict[str, Any] | None:
    """The meeting's agenda item of ``case`` as the caller gets it (None: not listed)."""
    meeting = client_for(None).get(f"{API}/meetings/{meeting_pk}", headers=headers).json()
    ids = {p.agenda_item_id for p in Paragraph.objects.filter(case=case)}
    wanted = {f"{HOST}{API}/agendaitems/{pk}" for pk in ids}
    found = [item for item in meeting.get("agendaItem", []) if item["id"] in wanted]
    return found[0] if found else None


def _decide(meeting: Any) -> None:
    """The secretariat writes the decisions into the draft protocol."""
    for paragraph in Paragraph.objects.filter(meeting=meeting):
        paragraph.decision_kind = Paragraph.DecisionKind.RECOMMENDATION
        paragraph.decision = f"Rådet rekommenderar: {paragraph.title}."
        paragraph.save()


def test_an_agenda_item_carries_its_decision_once_justerad(held: dict[str, Any]) -> None:  # noqa: F811
    meeting = held["meeting"]
    _start(held)
    _decide(meeting)
    _token, secretariat_key = ApiToken.issue(user=held["secretariat"], name="sekretariatet")
    _token, member_key = ApiToken.issue(user=held["member_a"], name="ledamot")
    callers = {
        "public": {},
        "secretariat": {"Authorization": f"Bearer {secretariat_key}"},
        "member": {"Authorization": f"Bearer {member_key}"},
    }
    # A draft's text is no decision: not even the secretariat's key reads it as one.
    for headers in callers.values():
        for case in (held["case"], held["closed"]):
            item = _item(meeting.pk, case, headers)
            assert item is None or ("result" not in item and "resolutionText" not in item)
    before = timezone.now().replace(microsecond=0)
    protocol = _justerat(held)
    assert protocol.status == Protocol.Status.APPROVED
    open_one = Paragraph.objects.get(meeting=meeting, case=held["case"])
    closed_one = Paragraph.objects.get(meeting=meeting, case=held["closed"])
    for name, headers in callers.items():
        item = _item(meeting.pk, held["case"], headers)
        assert item is not None
        assert item["result"] == "Rekommendation", name
        assert item["resolutionText"] == open_one.decision
        # The object on its own says the same, its modified stamp no older than the
        # justering: a client that asks what changed since then is told.
        alone = client_for(None).get(item["id"].removeprefix(HOST), headers=headers).json()
        assert alone == item
        assert datetime.datetime.fromisoformat(item["modified"]) >= before
        closed = _item(meeting.pk, held["closed"], headers)
        if name == "public":  # a closed item, its decision included, never to the public
            assert closed is None
            listed = client_for(None).get(
                f"{API}/bodies/{meeting.body.organisation_id}/agendaitems"
            )
            assert closed_one.decision not in listed.content.decode()
        else:
            assert closed is not None
            assert closed["resolutionText"] == closed_one.decision
    # The meetings list with modified_since names the meeting (its items changed), before
    # the worker has made any PDF of the protocol.
    changed = client_for(None).get(
        f"{API}/bodies/{meeting.body.organisation_id}/meetings",
        {"modified_since": before.isoformat()},
    )
    assert [m["id"] for m in changed.json()["data"]] == [f"{HOST}{API}/meetings/{meeting.pk}"]
    assert changed.json()["data"][0]["agendaItem"][0]["order"] == 0


def _sync(client: Any, url: str, since: datetime.datetime) -> list[dict[str, Any]]:
    return list(client.get(url, {"modified_since": since.isoformat()}).json()["data"])


def _tick() -> datetime.datetime:
    """A moment after everything so far, as a client keeps it (whole seconds)."""
    moment = timezone.now().replace(microsecond=0) + datetime.timedelta(seconds=1)
    while timezone.now() < moment:
        time.sleep(0.05)
    return moment


def test_a_syncing_client_sees_a_new_file_on_a_paper(world: dict[str, Any]) -> None:
    """A consumer's sync as Meine Stadt Transparent's importer does it: import every
    paper of the body, then ask only for what changed since; the ärende put on an
    agenda (a new consultation) and a file registered on it come back, each time
    embedded in its paper, the file also in the body's files."""
    org = world["body_a"].organisation_id
    papers = f"{API}/bodies/{org}/papers"
    client = client_for(None)
    imported = {p["id"]: p for p in client.get(papers).json()["data"]}
    paper_id = f"{HOST}{API}/papers/{world['case'].pk}"
    assert paper_id in imported
    synced_at = _tick()
    assert _sync(client, papers, synced_at) == []  # nothing changed: nothing to import
    (meeting,) = services.meeting_plan(
        actor=None, body=world["body_a"], starts=[timezone.now() + datetime.timedelta(days=9)]
    )
    services.agenda_add_case(actor=None, meeting=meeting, case=world["case"], public=True)
    services.kallelse_send(actor=None, meeting=meeting)
    changed = _sync(client, papers, synced_at)
    assert [p["id"] for p in changed] == [paper_id]
    assert len(changed[0]["consultation"]) == len(imported[paper_id]["consultation"]) + 1
    synced_at = _tick()
    data = pdf_bytes("Ny bilaga")
    added = make_document(
        case=world["case"],
        subject="Ny bilaga till ärendet",
        upload=io.BytesIO(data),
        upload_name="bilaga.pdf",
        upload_size=len(data),
    )
    changed = _sync(client, papers, synced_at)
    assert [p["id"] for p in changed] == [paper_id]
    files = [f["id"] for f in changed[0]["auxiliaryFile"]]
    assert f"{HOST}{API}/files/{added.pk}" in files
    assert len(files) == len(imported[paper_id]["auxiliaryFile"]) + 1
    listed = _sync(client, f"{API}/bodies/{org}/files", synced_at)
    assert [f["id"] for f in listed] == [f"{HOST}{API}/files/{added.pk}"]


def test_omit_internal_leaves_out_the_embedded_lists(held: dict[str, Any]) -> None:  # noqa: F811
    """OParl 1.1's omit_internal=true: a meeting without its agenda items, a person
    without memberships, a paper without its files; each object still valid against
    its official schema (which requires a body's ``legislativeTerm``: it stays), and
    the links keep the parameter."""
    org = held["meeting"].body.organisation_id
    omitted = {
        f"{API}/bodies/{org}/meetings": ("Meeting", "agendaItem"),
        f"{API}/bodies/{org}/persons": ("Person", "membership"),
        f"{API}/bodies/{org}/papers": ("Paper", "auxiliaryFile"),
    }
    _token, key = ApiToken.issue(user=held["secretariat"], name="sekretariatet")
    headers = {"Authorization": f"Bearer {key}"}
    for url, (kind, key_name) in omitted.items():
        full = client_for(None).get(url, headers=headers).json()
        assert full["data"], url
        assert all(key_name in obj for obj in full["data"]), url
        lean = client_for(None).get(url, {"omit_internal": "true"}, headers=headers).json()
        assert [o["id"] for o in lean["data"]] == [o["id"] for o in full["data"]]
        for obj in lean["data"]:
            assert key_name not in obj, url
            jsonschema.Draft4Validator(OPARL_SCHEMAS[kind]).validate(obj)
        assert "omit_internal=true" in lean["links"]["first"]


def test_files_answer_304_to_a_client_that_holds_them(world: dict[str, Any]) -> None:
    """ETag (the file's SHA-256) and Last-Modified on a document's file; asked again
    with either, 304 without the bytes; the gate first: a confidential file's tag
    earns an outsider nothing but 404."""
    data = pdf_bytes("Bilaga")
    public = make_document(
        case=world["case"],
        subject="Bilaga",
        upload=io.BytesIO(data),
        upload_name="bilaga.pdf",
        upload_size=len(data),
    )
    url = f"/handlingar/{public.pk}/fil/"
    response = client_for(None).get(url)
    assert response.status_code == 200
    assert response["ETag"] == f'"{public.sha256}"'
    modified = response["Last-Modified"]
    for header in ({"If-None-Match": response["ETag"]}, {"If-Modified-Since": modified}):
        again = client_for(None).get(url, headers=header)
        assert again.status_code == 304
        assert again["ETag"] == response["ETag"]
        assert not again.content
    other = client_for(None).get(url, headers={"If-None-Match": '"another-version"'})
    assert other.status_code == 200
    secret = make_document(
        case=world["case"],
        subject="Hemlig bilaga",
        confidential=True,
        upload=io.BytesIO(data),
        upload_name="hemlig.pdf",
        upload_size=len(data),
    )
    asked = client_for(world["outsider"]).get(
        f"/handlingar/{secret.pk}/fil/", headers={"If-None-Match": f'"{secret.sha256}"'}
    )
    assert asked.status_code == 404


def test_the_portals_own_api_lists_the_decisions(held: dict[str, Any]) -> None:  # noqa: F811
    """/api/v1/decisions: the justerade § the caller may read, as the OpenAPI
    description says; none while the protocol is a draft (not even to the secretariat),
    the closed § to the arena's members only."""
    from tests.samverkan.test_api import _check

    spec = client_for(None).get("/api/openapi.json").json()
    meeting = held["meeting"]
    _start(held)
    _decide(meeting)
    _token, secretariat_key = ApiToken.issue(user=held["secretariat"], name="sekretariatet")
    _token, member_key = ApiToken.issue(user=held["member_a"], name="ledamot")
    _token, other_key = ApiToken.issue(user=held["member_b"], name="annan")

    def listed(key: str | None) -> list[dict[str, Any]]:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        answer = client_for(None).get("/api/v1/decisions", headers=headers).json()
        _check(spec, "/api/v1/decisions", answer)
        return list(answer["data"])

    assert listed(secretariat_key) == []
    _justerat(held)
    open_one = Paragraph.objects.get(meeting=meeting, case=held["case"])
    closed_one = Paragraph.objects.get(meeting=meeting, case=held["closed"])
    public = listed(None)
    assert [d["text"] for d in public] == [open_one.decision]
    assert public[0]["kindLabel"] == "Rekommendation"
    assert public[0]["reference"] == held["case"].diarienummer
    assert public[0]["agendaItem"].endswith(f"/agendaitems/{open_one.agenda_item_id}")
    one = client_for(None).get(public[0]["id"].removeprefix(HOST)).json()
    _check(spec, "/api/v1/decisions/{pk}", one)
    assert one == public[0]
    assert {d["text"] for d in listed(member_key)} == {open_one.decision, closed_one.decision}
    assert [d["text"] for d in listed(other_key)] == [open_one.decision]
    hidden = client_for(None).get(f"/api/v1/decisions/{closed_one.pk}")
    assert hidden.status_code == 404
    later = client_for(None).get("/api/v1/decisions", {"modified_since": "2999-01-01"}).json()
    assert later["data"] == []
