"""The drill over two web nodes (issue 33), with the pieces ``make cluster`` starts
(samverkan/cluster/): two gunicorn nodes with production settings, each with its own
empty folder, one worker, Redis, PostgreSQL and s3rver, the demo loaded. Everything is
asked over HTTP, as a browser behind a load balancer would: a session made on one node
works on the other; a handling uploaded on one downloads byte-identical from the other;
a PDF asked for on one is made by the worker and fetched from the other; a public page
changed through one node is fresh on the other at once; the /verifiera/ limit counts
across nodes; a node killed mid-request loses nothing that was committed and the other
keeps serving.

Run by ``make drill`` (``.ci/run`` runs it after ``make test``): it takes minutes to
bring the set-up up, so it is kept out of the ordinary suite (``-m cluster``)."""

from __future__ import annotations

import os
import re
import signal
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import lxml.html
import pytest
import requests
from django_otp.oath import totp

from samverkan import cluster as pieces
from tests.files import pdf_bytes

pytestmark = pytest.mark.cluster

PASSWORD = "samverkan2026"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Drill:
    urls: list[str]
    folder: Path
    started: pieces.Running


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Drill]:
    folder = tmp_path_factory.mktemp("cluster")
    ports = pieces.Ports(
        web=(_free_port(), _free_port()), objectstore=_free_port(), redis=_free_port()
    )
    cluster = pieces.Cluster(folder, ports=ports, database=f"drill_{uuid.uuid4().hex[:8]}")
    database = cluster.database_url()
    try:
        with pieces.up(cluster, fresh=True) as started:
            yield Drill(cluster.urls, folder, started)
    finally:
        pieces.drop_database(database)


def _form(page: str, *, field: str = "", action: str = "") -> dict[str, Any]:
    """The form that has ``field`` (or posts to an address ending in ``action``), its
    values as the browser would send them."""
    document = lxml.html.fromstring(page)
    for form in document.forms:
        names = set(form.fields.keys()) | {
            i.get("name") for i in form.inputs if i.get("type") == "file"
        }
        if (field and field in names) or (
            action and (form.get("action") or "").split("?")[0].endswith(action)
        ):
            return dict(form.form_values())
    raise AssertionError(f"no form with {field or action}")


def _post(session: requests.Session, url: str, data: dict[str, Any], **kwargs: Any) -> Any:
    return session.post(url, data=data, headers={"Referer": url}, timeout=60, **kwargs)


def _sign_in_on_one_confirm_on_other(one: str, other: str) -> requests.Session:
    """The secretariat signs in on one node; the second step (an authenticator code,
    the key shown by the setup page) is answered on the other, with the same session."""
    session = requests.Session()
    page = session.get(f"{one}/logga-in/", timeout=30).text
    fields = _form(page, field="username") | {"username": "sekretariat", "password": PASSWORD}
    answered = _post(session, f"{one}/logga-in/", fields)
    assert "/konto/tvastegs/ny/" in answered.url, answered.url
    key = re.search(r"<code>([A-Z2-7]+)</code>", answered.text)
    assert key is not None
    import base64

    padded = key.group(1) + "=" * (-len(key.group(1)) % 8)
    code = f"{totp(base64.b32decode(padded)):06d}"
    setup = session.get(f"{other}/konto/tvastegs/ny/", timeout=30).text
    done = _post(
        session, f"{other}/konto/tvastegs/ny/", _form(setup, field="code") | {"code": code}
    )
    assert done.status_code == 200, done.status_code
    return session


def test_the_drill(running: Drill) -> None:
    one, other = running.urls

    # A session made on one node works on the other.
    staff = _sign_in_on_one_confirm_on_other(one, other)
    home = staff.get(f"{other}/", timeout=30).text
    assert "Logga ut" in home
    assert "Sekretariatet" in home or "sekretariat" in home.lower()

    # A handling uploaded on one node downloads byte-identical from the other.
    listing = staff.get(f"{one}/diarium/", timeout=30).text
    case = re.search(r'href="/diarium/(\d+)/"', listing)
    assert case is not None
    case_url = f"/diarium/{case.group(1)}/"
    form_page = staff.get(f"{one}{case_url}handlingar/ny/", timeout=30).text
    fields = _form(form_page, field="subject")
    fields |= {"kind": "bilaga", "subject": "Bilaga från nod ett", "direction": "inkommande"}
    data = pdf_bytes("Uppladdad på nod ett") + os.urandom(256 * 1024)
    uploaded = _post(
        staff,
        f"{one}{case_url}handlingar/ny/",
        fields,
        files={"file": ("bilaga.pdf", data, "application/pdf")},
    )
    assert uploaded.status_code == 200
    assert "Bilaga från nod ett" in uploaded.text, uploaded.text[:3000]
    on_other = staff.get(f"{other}{case_url}", timeout=30).text
    document = re.findall(r'href="(/handlingar/\d+/fil/)"', on_other)
    assert document, "the handling is not listed on the other node"
    downloaded = staff.get(f"{other}{document[-1]}", timeout=60)
    assert downloaded.status_code == 200
    assert downloaded.content == data
    # Neither node's own folder holds it: it is in the shared bucket.
    assert not list((running.folder / "web-1").rglob("*.pdf"))
    assert not list((running.folder / "web-2").rglob("*.pdf"))

    # A PDF asked for on one node is made by the worker and fetched from the other.
    arena = staff.get(f"{one}/arenor/regionens-samverkansrad/", timeout=30).text
    meetings = re.findall(r'href="/sammantraden/(\d+)/"', arena)
    assert meetings
    meeting = f"/sammantraden/{meetings[0]}/"
    page = staff.get(f"{one}{meeting}", timeout=30).text
    asked = _post(staff, f"{one}{meeting}handlingar/pdf/", _form(page, action="handlingar/pdf/"))
    job = re.search(r"/pdf/(\d+)/", asked.url)
    assert job is not None, asked.url
    deadline = time.monotonic() + 120
    made = staff.get(f"{other}/pdf/{job.group(1)}/fil/", timeout=60)
    while made.status_code != 200 and time.monotonic() < deadline:
        time.sleep(1)
        made = staff.get(f"{other}/pdf/{job.group(1)}/fil/", timeout=60)
    assert made.status_code == 200
    assert made.content.startswith(b"%PDF")
    assert staff.get(f"{one}/pdf/{job.group(1)}/fil/", timeout=60).content == made.content

    # A public page changed through one node is fresh on the other at once.
    public = requests.Session()
    before = public.get(f"{other}{case_url}", timeout=30).text  # now in the page cache
    assert public.get(f"{other}{case_url}", timeout=30).text == before
    edit_page = staff.get(f"{one}{case_url}andra/", timeout=30).text
    edit = _form(edit_page, field="title")
    title = f"Ändrad på nod ett {uuid.uuid4().hex[:6]}"
    edit["title"] = title
    edit["public_title"] = ""
    changed = _post(staff, f"{one}{case_url}andra/", edit)
    assert changed.status_code == 200
    assert title in changed.text
    assert title in public.get(f"{other}{case_url}", timeout=30).text

    # The /verifiera/ limit counts across nodes: 30 checks in ten minutes per client,
    # wherever they land.
    statuses = []
    for attempt in range(31):
        node = running.urls[attempt % 2]
        checker = requests.Session()
        page = checker.get(f"{node}/verifiera/", timeout=30).text
        answer = _post(
            checker,
            f"{node}/verifiera/",
            _form(page, field="checksum"),
            files={"file": ("x.pdf", pdf_bytes("Kontroll"), "application/pdf")},
        )
        statuses.append(answer.status_code)
    assert 429 not in statuses[:30], statuses
    assert statuses[30] == 429, statuses

    # One node killed mid-request: what was committed stays, the other keeps serving.
    slow: dict[str, Any] = {"answered": 0}

    def ask() -> None:  # node 1 under traffic until it goes away
        while True:
            try:
                staff.get(f"{one}/api/oparl/v1/bodies", timeout=30)
                slow["answered"] += 1
            except requests.RequestException as error:
                slow["error"] = error
                return

    committed = f"Sparad före stoppet {uuid.uuid4().hex[:6]}"
    edit["title"] = committed
    assert _post(staff, f"{one}{case_url}andra/", edit).status_code == 200
    asking = threading.Thread(target=ask)
    asking.start()
    while slow["answered"] < 3:
        time.sleep(0.05)
    os.killpg(running.started.process("web-1").pid, signal.SIGKILL)
    asking.join(timeout=60)
    assert isinstance(slow.get("error"), requests.ConnectionError)
    for _ in range(5):
        answer = staff.get(f"{other}{case_url}", timeout=30)
        assert answer.status_code == 200
        assert committed in answer.text
    assert public.get(f"{other}/", timeout=30).status_code == 200
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{one}/", timeout=5)
