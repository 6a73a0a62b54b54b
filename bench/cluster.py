"""One web node against two (issue 33), on this machine: the pieces of ``make cluster``
(samverkan/cluster/: gunicorn nodes with production settings, Redis as the shared cache
and broker, s3rver for the files, the demo loaded into a database of its own), each
node with 2 gunicorn workers. 20 users for 4 s per page (bench/run.py's load), all on
node 1, then spread over both nodes as a load balancer would; the public start and
arena pages (from the shared page cache), a member's Mina sammanträden and an arena
page for the member (rendered), and search with 204 different queries (never cached).

Run on its own: ``.venv/bin/python bench/cluster.py`` (with ``DATABASE_URL`` for the
server, else the embedded PostgreSQL). Two cores carry every node, the worker, Redis,
PostgreSQL, s3rver and the load generator, so a second node adds no CPU: what it shows
is that the nodes share everything they must (the same answers, the same cache) at
about the same rate, not that they scale.
"""

from __future__ import annotations

import os
import sys
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")


def _session(url: str) -> str:
    """The demo member's session cookie, signed in through ``url``."""
    import lxml.html
    import requests

    browser = requests.Session()
    page = browser.get(f"{url}/logga-in/", timeout=30).text
    form = next(f for f in lxml.html.fromstring(page).forms if "username" in f.fields)
    fields = dict(form.form_values()) | {"username": "ledamot", "password": "samverkan2026"}
    browser.post(f"{url}/logga-in/", data=fields, headers={"Referer": url}, timeout=30)
    return f"sessionid={browser.cookies['sessionid']}"


def _drained(broker: str, seconds: float = 600) -> None:
    """Wait until the worker has taken every task the demo's loading sent (both
    queues empty for three seconds in a row)."""
    import time

    import redis

    client = redis.Redis.from_url(broker)
    quiet, deadline = 0, time.monotonic() + seconds
    while quiet < 3 and time.monotonic() < deadline:
        waiting = client.llen("celery") + client.llen("celery-priority")
        quiet = quiet + 1 if waiting == 0 else 0
        time.sleep(1)
    time.sleep(5)  # the last task taken is finished


def main() -> None:
    from bench import run as load
    from samverkan import cluster as pieces

    folder = ROOT / ".data" / "bench" / "cluster"
    ports = pieces.Ports(
        web=(load._free_port(), load._free_port()),
        objectstore=load._free_port(),
        redis=load._free_port(),
    )
    database = f"bench_cluster_{uuid.uuid4().hex[:6]}"
    cluster = pieces.Cluster(folder, ports=ports, database=database)
    url = cluster.database_url()
    try:
        with pieces.up(cluster, fresh=True) as running:
            _measure(cluster, running.env, ports)
    finally:
        pieces.drop_database(url)


def _measure(cluster: Any, env: dict[str, str], ports: Any) -> None:
    """One node, then both, under 20 users: each page, then search."""
    from bench import run as load
    from bench.pages import _load_queries, _setup

    _drained(env["CELERY_BROKER_URL"])  # the demo's PDFs made: a quiet worker
    member = _session(cluster.urls[0])
    _setup()
    queries = [f"/sok/?q={quote(q)}" for q in _load_queries()]
    arena = "/arenor/regionens-samverkansrad/"
    cases = [
        ("start page, public (cached)", ["/"], ""),
        ("arena page, public (cached)", [arena], ""),
        ("Mina sammanträden, member", ["/mina-sammantraden/"], member),
        ("arena page, member", [arena], member),
    ]
    one, both = [ports.web[0]], list(ports.web)
    print(f"{'page':<30}{'one node req/s p99':>22}{'two nodes req/s p99':>24}")
    for name, paths, cookie in cases:
        figures = []
        for nodes in (one, both):
            load._throughput(nodes, paths, cookie, seconds=1)  # warm
            got = load._throughput(nodes, paths, cookie)
            figures.append(f"{got.rps:>9.0f} {got.p99:>7.0f} ms")
        print(f"{name:<30}{figures[0]:>22}{figures[1]:>24}")
    figures = []
    for nodes in (one, both):
        got = load._throughput(nodes, queries, unique=True)
        figures.append(f"{got.rps:>9.0f} {got.p99:>7.0f} ms")
    print(f"{'search, 204 queries':<30}{figures[0]:>22}{figures[1]:>24}")


if __name__ == "__main__":
    main()
