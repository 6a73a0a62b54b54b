"""Server time and queries of the key pages at full scale, in one process (part of
``make bench``; run by bench/run.py with the bench database in the environment).

For each page: the median and p95 of the time Django takes to answer (the test
client: middleware, view, template; no network) for the public with the page cache
off (what rendering costs), for the public from the page cache, for the secretariat,
for a member of the page's arena and for a kommun's official (who records its
decisions on recommendations), rendered and, where the page is kept per permission
class, served from the class's copy; the page's size, and the same figures for the
bare view rendering a template of that size with no queries. Queries are counted at
full scale (the scale corpus) and at demo scale (the demo's objects of the same
kind). Search: ten typical queries, rendered. Writes JSON to the path given as the
only argument, with the sessions of the secretariat and the member for the load run.
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


def _load_queries() -> list[str]:
    """At least 200 different typical queries for search under load: the seed texts'
    175 most frequent words of six letters or more (what the corpus is written from),
    25 phrases of two of them, and those of the ten typical queries not among them."""
    import re
    from collections import Counter

    from samverkan.demo.councils import SEEDS

    text = " ".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    counted = Counter(w.lower() for w in re.findall(r"[A-Za-zÅÄÖåäöé]{6,}", text))
    words = [word for word, _ in counted.most_common(175)]
    phrases = [f"{words[i]} {words[i + 1]}" for i in range(0, 50, 2)]
    queries = list(dict.fromkeys([*words, *phrases, *SEARCHES]))
    assert len(queries) >= 200, len(queries)
    return queries


def _setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
    import django

    django.setup()


#: Pages only a logged-in person has (the public is sent to log in).
LOGGED_IN_ONLY = {"Mina sammanträden"}
#: Pages measured for a member of the arena too (their key pages).
MEMBER_PAGES = {"arena page", "meeting, 40 items", "protocol", "Mina sammanträden"}
#: Pages measured for a kommun's official too (who records its decisions).
KOMMUN_PAGES = {"start page", "recommendations"}


def _pages() -> list[tuple[str, str, str]]:
    """(name, URL at full scale, URL at demo scale)."""
    from django.db.models import Count

    from councils.models import Body, Case, Meeting, Membership, Organisation

    body = Body.objects.get(slug="scale-001")
    demo_body = Body.objects.get(slug="regionens-samverkansrad")  # the demo's council
    meeting = (
        Meeting.objects.filter(body=body)
        .annotate(items=Count("agenda_items"))
        .filter(items=40, protocol__isnull=False)
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
        ("arenas", "/arenor/", "/arenor/"),
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
        (
            "OParl meetings",
            f"/api/oparl/v1/bodies/{organisation.pk}/meetings",
            f"/api/oparl/v1/bodies/{demo_organisation.pk}/meetings",
        ),
        ("verksamhetsberättelse", "/verksamhetsberattelse/", "/verksamhetsberattelse/"),
        ("Mina sammanträden", "/mina-sammantraden/", "/mina-sammantraden/"),
        ("recommendations", "/rekommendationer/", "/rekommendationer/"),
    ]


def _member() -> Any:
    """A member of scale-001 (the arena of the measured meeting) with an account: the
    corpus's people have none, so the bench gives one person of it an account."""
    from django.contrib.auth import get_user_model
    from django.db.models import F

    from councils.models import Membership

    membership = (
        Membership.objects.filter(body__slug="scale-001", role=Membership.Role.MEMBER)
        .select_related("person")
        .order_by(F("end").desc(nulls_first=True), "pk")  # a sitting member
        .first()
    )
    assert membership is not None
    person = membership.person
    if person.user_id is None:
        user = get_user_model().objects.create_user(username="bench-ledamot", password=None)
        person.user = user
        person.save(update_fields=["user"])
    return person.user


def _kommun_official() -> Any:
    """A corpus kommun's beslutsansvarig (the corpus's kommuner are addressed by every
    recommendation of its arenas; the demo's are not), with an account the bench makes."""
    from django.contrib.auth import get_user_model

    from councils.models import Organisation, OrganisationRole, Person

    kommun = Organisation.objects.filter(slug="scale-kommun-1").get()
    user, made = get_user_model().objects.get_or_create(username="bench-kommun")
    if made:
        person = Person.objects.create(
            first_name="Kim", last_name="Skalkommun", organisation=kommun, user=user
        )
        OrganisationRole.objects.create(
            person=person, organisation=kommun, kind=OrganisationRole.Kind.DECISIONS
        )
    return user


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


def _logged_in(user: Any) -> Any:
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client


def main() -> None:
    _setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import override_settings

    out = Path(sys.argv[1])
    load_queries = _load_queries()
    staff = _logged_in(get_user_model().objects.get(username="sekretariat"))
    member = _logged_in(_member())
    kommun = _logged_in(_kommun_official())
    public = Client(HTTP_HOST="127.0.0.1")
    rendered = override_settings(SAMVERKAN_PAGE_CACHE="")
    rows = []
    for name, url, demo_url in _pages():
        row: dict[str, Any] = {"page": name, "url": url, "public_only": False}
        roles = {"staff": staff} | ({"member": member} if name in MEMBER_PAGES else {})
        roles |= {"kommun": kommun} if name in KOMMUN_PAGES else {}
        if name not in LOGGED_IN_ONLY:
            roles = {"public": public} | roles
        for role, client in roles.items():
            with rendered:  # what the page costs to make (the logged-in never use the cache)
                times, size = _time(client, url)
                row[role] = {
                    **_stats(times),
                    "bytes": size,
                    "queries": _queries(client, url),
                    "queries_demo": _queries(client, demo_url),
                }
        for role, client in roles.items():  # a logged-in page kept for the person's class
            if role != "public" and client.get(url).headers.get("X-Cache", "").startswith("class"):
                row[role]["kept"] = _stats(_time(client, url)[0]) | {
                    "queries": _queries(client, url)
                }
        if "public" in roles:
            row["cached"] = _stats(_time(public, url)[0])
        size = row.get("public", row["staff"])["bytes"]
        row["bare_url"] = f"/bench/bare/{size}/"
        row["bare"] = _stats(_time(public, row["bare_url"])[0])
        rows.append(row)
        print(f"{name}: {row.get('public', row['staff'])['p95']} ms p95", flush=True)
    search = []
    with rendered:
        for query in SEARCHES:
            times, _ = _time(public, f"/sok/?q={query}")
            search.extend(times)
    sessions = {
        role: client.cookies[settings.SESSION_COOKIE_NAME].value
        for role, client in (("staff", staff), ("member", member), ("kommun", kommun))
    }
    result = {
        "pages": rows,
        "search": _stats(search) | {"queries": len(SEARCHES)},
        "search_load": load_queries,
        "sessions": sessions,
    }
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
