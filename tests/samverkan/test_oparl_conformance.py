"""OParl 1.1 conformance, judged by what nobody here wrote: the official schemas
(``samverkan/api/oparl_schema/``, copied unchanged from the specification) and the
specification's rules. The test behaves like a consumer: it starts at the System object, follows
every list and link the standard defines (with paging), validates every object it
meets, embedded ones included, against the official schema of its type, and checks
the rules the schemas cannot express: every ``id`` dereferences to the same object,
every referenced URL answers 200 to the same caller, lists keep to their filters,
answers carry CORS and ``application/json; charset=utf-8``, files' ``accessUrl`` does
not force a download while ``downloadUrl`` does, errors follow the error object.
It runs as the public and with a member's API key over the demo data."""

from __future__ import annotations

import datetime
import sys
from collections import Counter
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import pytest
from django.core.management import call_command
from django.test import Client

from base.accounts import ApiToken
from samverkan.openapi import OPARL_SCHEMAS as SCHEMAS  # the published schemas

pytestmark = pytest.mark.django_db

OPARL = "https://schema.oparl.org/1.1/"
SYSTEM = "/api/oparl/v1/system"


def _schema_of(obj: dict[str, Any]) -> str:
    kind = str(obj.get("type", ""))
    assert kind.startswith(OPARL), kind
    return kind.removeprefix(OPARL)


def _when(moment: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(moment)


class Consumer:
    """A crawling OParl client for one caller (the public, or an API key)."""

    def __init__(self, client: Client, headers: dict[str, str]) -> None:
        self.client, self.headers = client, headers
        self.objects: dict[str, dict[str, Any]] = {}
        self.validated: Counter[str] = Counter()
        self.findings: list[str] = []
        self.checked_urls: set[str] = set()
        self.lists: list[str] = []
        self.listed: dict[str, set[str]] = {}  # kind → ids met in lists of that kind

    def get(self, url: str) -> Any:
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        response = self.client.get(path, headers=self.headers)
        if response.status_code != 200:
            self.findings.append(f"{url} answers {response.status_code}")
            return None
        if response["Content-Type"] != "application/json; charset=utf-8":
            self.findings.append(f"{url}: Content-Type {response['Content-Type']}")
        if response.get("Access-Control-Allow-Origin") != "*":
            self.findings.append(f"{url}: no Access-Control-Allow-Origin: *")
        return response.json()

    def check_reference(self, url: str, where: str) -> None:
        if url in self.checked_urls or url in self.objects:
            return
        self.checked_urls.add(url)
        if self.get(url) is None:
            self.findings.append(f"{where} refers to {url}, which does not answer 200")

    def crawl_list(self, url: str, kind: str, where: str) -> None:
        self.lists.append(url)
        seen_pages = set()
        while url and url not in seen_pages:
            seen_pages.add(url)
            page = self.get(url)
            if page is None:
                self.findings.append(f"{where}: the list {url} does not answer")
                return
            for key in ("data", "pagination", "links"):
                if key not in page:
                    self.findings.append(f"{url}: list without {key!r}")
            for obj in page.get("data", []):
                if obj.get("deleted"):
                    continue
                self.listed.setdefault(kind, set()).add(obj.get("id", ""))
                self.visit(obj, kind, where=url, embedded=False)
            url = page.get("links", {}).get("next", "")

    def visit(self, obj: dict[str, Any], kind: str, *, where: str, embedded: bool) -> None:
        """Validate ``obj`` as ``kind`` and follow what its schema says it refers to."""
        schema = SCHEMAS[kind]
        for error in jsonschema.Draft4Validator(schema).iter_errors(obj):
            path = "/".join(str(p) for p in error.absolute_path)
            self.findings.append(f"{kind} {obj.get('id')} ({where}) {path}: {error.message}")
        if _schema_of(obj) != kind:
            self.findings.append(f"{obj.get('id')} is {obj.get('type')}, expected {kind}")
        self.validated[kind] += 1
        identity = obj.get("id")
        if not isinstance(identity, str):
            return
        if identity in self.objects:
            return
        self.objects[identity] = obj
        if embedded or where != identity:
            fetched = self.get(identity)
            if fetched is not None and {k: v for k, v in fetched.items() if k != "deleted"} != {
                k: v for k, v in obj.items() if k != "deleted"
            }:
                self.findings.append(f"{identity}: the object differs from its copy in {where}")
        for name, value in obj.items():
            spec = schema["properties"].get(name)
            if spec is None:
                if not name.startswith("se:"):
                    self.findings.append(f"{kind} {identity}: {name!r} is not an OParl property")
                continue
            self.follow(identity, kind, name, value, spec)

    def follow(self, identity: str, kind: str, name: str, value: Any, spec: dict[str, Any]) -> None:
        where = f"{kind}.{name} of {identity}"
        items = spec.get("items", {})
        if spec.get("references") == "externalList":
            self.crawl_list(value, items["schema"].removesuffix(".json"), where)
        elif spec.get("type") == "object" and "schema" in spec and isinstance(value, dict):
            self.visit(value, spec["schema"].removesuffix(".json"), where=where, embedded=True)
        elif spec.get("type") == "array" and "schema" in items:
            for element in value if isinstance(value, list) else []:
                if isinstance(element, dict):
                    self.visit(
                        element, items["schema"].removesuffix(".json"), where=where, embedded=True
                    )
        elif "references" in spec and spec.get("format") == "url" and isinstance(value, str):
            self.check_reference(value, where)
        elif "references" in spec and spec.get("type") == "array":
            for url in value if isinstance(value, list) else []:
                self.check_reference(url, where)

    def check_files(self) -> None:
        """accessUrl opens the file (no attachment); downloadUrl downloads it with its
        name; both give the bytes of the stated size and type (2.7)."""
        for identity, obj in self.objects.items():
            if _schema_of(obj) != "File":
                continue
            for key, attachment in (("accessUrl", False), ("downloadUrl", True)):
                url = obj.get(key)
                if url is None:
                    continue
                response = self.client.get(urlsplit(url).path, headers=self.headers)
                disposition = response.get("Content-Disposition", "")
                if response.status_code != 200:
                    self.findings.append(f"{identity} {key} answers {response.status_code}")
                    continue
                body = b"".join(response.streaming_content)
                if disposition.startswith("attachment") != attachment:
                    self.findings.append(f"{identity} {key}: Content-Disposition {disposition!r}")
                if attachment and "filename=" not in disposition:
                    self.findings.append(f"{identity} {key}: no filename")
                if len(body) != obj.get("size") or response["Content-Type"] != obj.get("mimeType"):
                    self.findings.append(f"{identity} {key}: size or type differs from the File")

    def check_conditional_get(self) -> None:
        """Files carry ``ETag`` and ``Last-Modified``; asked again with either, the server
        answers 304 without the bytes (2.7: Conditional GET recommended)."""
        for identity, obj in self.objects.items():
            if _schema_of(obj) != "File":
                continue
            path = urlsplit(obj["accessUrl"]).path
            response = self.client.get(path, headers=self.headers)
            etag, stamp = response.get("ETag"), response.get("Last-Modified")
            if not etag or not stamp:
                self.findings.append(f"{identity}: no ETag or Last-Modified")
                continue
            for header, value in (("If-None-Match", etag), ("If-Modified-Since", stamp)):
                again = self.client.get(path, headers={**self.headers, header: value})
                if again.status_code != 304:
                    self.findings.append(f"{identity} with {header} answers {again.status_code}")

    def check_embedding(self) -> None:
        """What the schemas cannot say about embedded objects: every File of a body is in
        the body's ``file`` list (ZWINGEND); a meeting's or a paper's ``modified`` is no
        older than any object it embeds (``modified`` changes with every change of the
        object); ``order`` numbers a meeting's agenda items from 0 in the order of
        ``Meeting.agendaItem``."""
        listed_files = self.listed.get("File", set())
        for identity, obj in self.objects.items():
            kind = _schema_of(obj)
            if kind == "File" and identity not in listed_files:
                self.findings.append(f"{identity} is in no body's file list")
            embedded: list[dict[str, Any]] = []
            if kind == "Meeting":
                embedded = [*obj.get("agendaItem", [])]
                embedded += [obj[key] for key in ("invitation", "resultsProtocol") if key in obj]
                orders = [item.get("order") for item in obj.get("agendaItem", [])]
                if orders != list(range(len(orders))):
                    self.findings.append(f"{identity}: agenda items ordered {orders}")
            elif kind == "Paper":
                embedded = [*obj.get("auxiliaryFile", []), *obj.get("consultation", [])]
            for inner in embedded:
                if _when(inner["modified"]) > _when(obj["modified"]):
                    self.findings.append(
                        f"{identity} modified {obj['modified']}, before {inner['id']} "
                        f"modified {inner['modified']}"
                    )

    def check_filters(self, list_urls: list[str]) -> None:
        """Every list refuses a date it cannot read, with the error object and CORS, and
        keeps to ``created_since``/``modified_since`` (2.5, 2.9)."""
        for url in list_urls:
            path = urlsplit(url).path
            bad = self.client.get(path, {"modified_since": "yesterday"}, headers=self.headers)
            if bad.status_code != 400 or bad.json().get("type") != OPARL + "Error":
                self.findings.append(f"{url}?modified_since=yesterday answers {bad.status_code}")
            if bad.get("Access-Control-Allow-Origin") != "*":
                self.findings.append(f"{url}: an error without CORS")
            future = self.client.get(
                path, {"created_since": "2999-01-01T00:00:00+01:00"}, headers=self.headers
            ).json()
            if "data" not in future:
                self.findings.append(f"{url}?created_since=2999-01-01 is no list")
            elif [o for o in future["data"] if not o.get("deleted")]:
                self.findings.append(f"{url}: created_since in the future still lists objects")


def _crawl(client: Client, headers: dict[str, str]) -> Consumer:
    consumer = Consumer(client, headers)
    system = consumer.get(SYSTEM)
    assert system is not None
    consumer.visit(system, "System", where=SYSTEM, embedded=False)
    return consumer


@pytest.fixture
def demo(db: Any) -> dict[str, Any]:
    import io

    call_command("load_demo", with_accounts=True, without_history=True, stdout=io.StringIO())
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from councils import services
    from councils.models import Meeting, RenderJob

    # The secretariat sends the kallelse to the demo's coming meeting (its public items
    # become public); the worker makes the PDF of each kallelse sent and each justerat
    # protocol: here, the first of each.
    coming = Meeting.objects.filter(starts_at__gte=timezone.now()).order_by("starts_at").first()
    assert coming is not None
    services.kallelse_send(actor=None, meeting=coming)
    for kind in (RenderJob.Kind.PROTOCOL, RenderJob.Kind.KALLELSE):
        first = RenderJob.objects.filter(kind=kind, internal=False).order_by("pk").first()
        assert first is not None, kind
        services.render_job_run(job_id=first.pk)

    member = get_user_model().objects.get(username="ledamot")
    _token, key = ApiToken.issue(user=member, name="konsument")
    return {"key": key}


@pytest.mark.parametrize("caller", ["public", "member"])
def test_a_consumer_finds_every_object_valid_against_the_official_schemas(
    demo: dict[str, Any], caller: str
) -> None:
    headers = {"Authorization": f"Bearer {demo['key']}"} if caller == "member" else {}
    consumer = _crawl(Client(), headers)
    consumer.check_files()
    consumer.check_conditional_get()
    consumer.check_embedding()
    consumer.check_filters(consumer.lists)
    preflight = Client().options(SYSTEM, headers={"Access-Control-Request-Method": "GET"})
    if preflight.status_code >= 300 or preflight.get("Access-Control-Allow-Origin") != "*":
        consumer.findings.append(f"the CORS preflight answers {preflight.status_code}")
    assert not consumer.findings, "\n".join(sorted(set(consumer.findings))[:80])
    for kind in (
        "System",
        "Body",
        "Organization",
        "Person",
        "Membership",
        "Meeting",
        "AgendaItem",
        "Paper",
        "Consultation",
        "File",
        "Location",
        "LegislativeTerm",
    ):
        assert consumer.validated[kind] > 0, (kind, consumer.validated)
    distinct = Counter(_schema_of(obj) for obj in consumer.objects.values())
    if caller == "public":  # every public object is reachable from the System
        from councils import selectors

        assert distinct["Person"] == selectors.people_for_user(None).count()
        assert distinct["Paper"] == selectors.cases_for_user(None).count()
        meetings = list(selectors.meetings_for_user(None).values_list("pk", flat=True))
        protocols = selectors.final_protocol_pdfs(meetings)
        invitations = selectors.sent_kallelse_pdfs(meetings)
        assert len(protocols) == 1  # the justerat protocol's sealed PDF, as resultsProtocol
        assert len(invitations) == 1  # a kallelse as sent, as invitation
        assert distinct["File"] == (
            selectors.documents_for_user(None).exclude(file="").count()
            + len(protocols)
            + len(invitations)
        )
        assert distinct["Meeting"] == selectors.meetings_for_user(None).count()
        # The decisions: every public item whose § is justerad carries the §'s kind of
        # decision and its text; no other item does (not a draft's, not a closed one's).
        from councils.models import Paragraph

        decided = {
            f"http://testserver/api/oparl/v1/agendaitems/{p.agenda_item_id}": p
            for p in Paragraph.objects.filter(
                approved_at__isnull=False, public=True, agenda_item__isnull=False
            )
        }
        items = {i: o for i, o in consumer.objects.items() if _schema_of(o) == "AgendaItem"}
        with_result = {i for i, o in items.items() if "result" in o}
        assert with_result == set(decided) & set(items)
        assert len(with_result) >= 5, len(with_result)
        for identity in with_result:
            paragraph = decided[identity]
            assert items[identity]["result"] == paragraph.get_decision_kind_display()
            assert items[identity].get("resolutionText", "") == paragraph.decision
        assert not [o for o in items.values() if "resolutionText" in o and "result" not in o]
    sys.stderr.write(  # the figures for a report (pytest -s)
        f"{caller}: validated {dict(sorted(consumer.validated.items()))}, "
        f"distinct {dict(sorted(distinct.items()))}\n"
    )
