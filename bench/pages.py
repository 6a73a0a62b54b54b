"""Server time and queries of the key pages at full scale, in one process (part of
``make bench``; run by bench/run.py with the bench database in the environment).

For each page: the median and p95 of the time Django takes to answer (the test
client: middleware, view, template; no network), for the public and for the
secretariat; the page's size, and the same figures for the bare view rendering a
template of that size with no queries. Queries are counted at full scale (the scale
corpus) and at demo scale (the demo's objects of the same kind). Search: ten typical
queries. Writes JSON to the path given as the only argument.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RUNS = 25
SEARCHES = [
    "samverkan",
    "överenskommelse",
    "uppföljning",
    "folkhälsa",
    "kommunerna",
    "regionala utvecklingsstrategin",
    "samverkansrådet",
    "strategiska frågor",
    "SKA/12/2020",
    "Berg",
]


def _setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
    import django

    django.setup()


def _pages() -> list[tuple[str, str, str]]:
    """(name, URL at full scale, URL at demo scale)."""
    from django.db.models import Count

    from councils.models import Body, Case, Meeting, Membership, Organisation

    body = Body.objects.get(slug="scale-001")
    demo_body = Body.objects.get(slug="regionens-samverkansrad")  # the demo's council
    meeting = (
        Meeting.objects.filter(body__slug__startswith="scale-")
        .annotate(items=Count("agenda_items"))
        .filter(items=40)
        .order_by("pk")
        .first()
    )
    demo_meeting = (
        Meeting.objects.filter(body=demo_body, protocol__isnull=False).order_by("pk").first()
    )
    assert meeting is not None
    assert demo_meeting is not None
    case = Case.objects.annotate(n=Count("documents")).order_by("-n", "pk").first()
    demo_case = Case.objects.exclude(diarium__prefix__startswith="SK").order_by("pk").first()
    assert case is not None
    assert demo_case is not None
    person = Membership.objects.filter(body=body).order_by("pk").first()
    demo_person = Membership.objects.filter(body=demo_body).order_by("pk").first()
    assert person is not None
    assert demo_person is not None
    organisation = body.organisation
    demo_organisation = Organisation.objects.exclude(pk=organisation.pk).order_by("pk").first()
    assert demo_organisation is not None
    return [
        ("start page", "/", "/"),
        ("arena page", f"/arenor/{body.slug}/", f"/arenor/{demo_body.slug}/"),
        ("person page", f"/personer/{person.person_id}/", f"/personer/{demo_person.person_id}/"),
        ("meeting, 40 items", f"/sammantraden/{meeting.pk}/", f"/sammantraden/{demo_meeting.pk}/"),
        ("ärende, 30 documents", f"/diarium/{case.pk}/", f"/diarium/{demo_case.pk}/"),
        (
            "protocol",
            f"/sammantraden/{meeting.pk}/protokoll/",
            f"/sammantraden/{demo_meeting.pk}/protokoll/",
        ),
        ("anslagstavla", "/anslagstavla/", "/anslagstavla/"),
        ("search results", "/sok/?q=samverkan", "/sok/?q=samverkan"),
        (
            "OParl papers",
            f"/api/oparl/v1/bodies/{organisation.pk}/papers",
            f"/api/oparl/v1/bodies/{demo_organisation.pk}/papers",
        ),
    ]


def _time(client: Any, url: str) -> tuple[list[float], int]:
    for _ in range(3):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    return times, len(response.content)


def _stats(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "p50": round(statistics.median(ordered), 1),
        "p95": round(ordered[int(len(ordered) * 0.95) - 1], 1),
    }


def _queries(client: Any, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries)


def main() -> None:
    _setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    out = Path(sys.argv[1])
    staff = Client(HTTP_HOST="127.0.0.1")
    staff.force_login(get_user_model().objects.get(username="sekretariat"))
    roles = {"public": Client(HTTP_HOST="127.0.0.1"), "staff": staff}
    rows = []
    for name, url, demo_url in _pages():
        row: dict[str, Any] = {"page": name, "url": url}
        for role, client in roles.items():
            times, size = _time(client, url)
            row[role] = {
                **_stats(times),
                "bytes": size,
                "queries": _queries(client, url),
                "queries_demo": _queries(client, demo_url),
            }
        bare = f"/bench/bare/{row['public']['bytes']}/"
        row["bare_url"] = bare
        row["bare"] = _stats(_time(roles["public"], bare)[0])
        rows.append(row)
        print(f"{name}: {row['public']['p95']} ms p95", flush=True)
    search = []
    for query in SEARCHES:
        times, _ = _time(roles["public"], f"/sok/?q={query}")
        search.extend(times)
    result = {"pages": rows, "search": _stats(search) | {"queries": len(SEARCHES)}}
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
