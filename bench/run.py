"""``make bench``: every benchmark in one run, printed as one table.

1. A database of its own (``<name>_bench`` beside ``DATABASE_URL``, or
   ``samverkan_bench`` in the embedded server) with the demo and the scale corpus
   (``manage.py generate_scale_data``, made once and kept; its load time is printed).
2. Key pages at full scale (bench/pages.py): server time for one user (the public
   rendered and from the page cache, the secretariat, a member), queries at full and
   at demo scale, and the bare view of the same size.
3. Throughput and p99 with 20 concurrent users against the production configuration
   (gunicorn, 4 workers, production settings; the page cache in Redis when
   ``SAMVERKAN_CACHE_URL`` is set, else in files), each page per role and its bare
   view in turn. 4. Search: ten typical queries rendered, and over 200 different ones
   under load. 5. PDFs (bench/pdfs.py, bench/report.py): ours and
   raw WeasyPrint. 6. ``make run``'s warm restart to the first page (bench/startup.py).
7. What each organisation needs (bench/organisations.py): the reminders' check, the
   arvode report, the personal-data check. 8. Parsing within bounds (bench/bounds.py):
   the probe's decompression bombs, and the fork's price on an ordinary file.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / ".data" / "bench"
USERS = 20
#: Who each page is measured for: the public, the secretariat, a member of the arena, a
#: kommun's official.
ROLES = ("public", "staff", "member", "kommun")
SECONDS = 4.0


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    url = env.get("DATABASE_URL")
    if url:
        parts = urlsplit(url)
        name = parts.path.lstrip("/") or "samverkan"
        env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}_bench"))
        _create_database(env["DATABASE_URL"])
    else:
        env["SAMVERKAN_EMBEDDED_DATABASE"] = "samverkan_bench"
    env["SAMVERKAN_MEDIA_ROOT"] = str(DATA / "media")
    env["SAMVERKAN_BENCH"] = "1"
    # Tasks the demo loader sends wait in a broker of the bench's own: no running
    # worker of another database takes them.
    env.pop("CELERY_BROKER_URL", None)
    env["SAMVERKAN_BROKER_DIR"] = str(DATA / "broker")
    return env


def _create_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _manage(env: dict[str, str], *args: str) -> str:
    run = subprocess.run(  # noqa: S603 - our own commands
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return run.stdout


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Load:
    """Requests per second and the 99th percentile of the answer time, with USERS
    threads each on its own keep-alive connection for SECONDS."""

    def __init__(self, rps: float, p99: float) -> None:
        self.rps, self.p99 = rps, p99


def _throughput(
    port: int | list[int],
    paths: list[str],
    cookie: str = "",
    *,
    unique: bool = False,
    seconds: float = SECONDS,
) -> Load:
    """``paths`` cycled through by all the users together; ``unique`` adds a counter
    to each URL, so no request is answered by the page cache. With several ports (web
    nodes) the users are spread over them, as a load balancer would."""
    ports = port if isinstance(port, list) else [port]
    done = [0] * USERS
    times: list[list[float]] = [[] for _ in range(USERS)]
    sent = iter(range(10**9))
    until = time.perf_counter() + seconds
    headers = {"Host": "127.0.0.1", **({"Cookie": cookie} if cookie else {})}

    def user(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", ports[index % len(ports)], timeout=30)
        while time.perf_counter() < until:
            n = next(sent)
            path = paths[n % len(paths)]
            if unique:
                path += f"{'&' if '?' in path else '?'}n={n}"
            started = time.perf_counter()
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            times[index].append((time.perf_counter() - started) * 1000)
            if response.status == 200:
                done[index] += 1
        connection.close()

    threads = [threading.Thread(target=user, args=(i,)) for i in range(USERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ordered = sorted(t for per_user in times for t in per_user)
    p99 = ordered[max(0, int(len(ordered) * 0.99) - 1)] if ordered else 0.0
    return Load(sum(done) / seconds, p99)


def _production(env: dict[str, str], figures: dict[str, Any]) -> dict[str, Load]:
    """Each page under load as the public (the page cache answering), as the
    secretariat, a member and a kommun's official (from their permission class's copy
    where the page is kept per class, else rendered), each beside its bare view; search
    with over 200 different queries, none answered by the cache."""
    from samverkan import serve_prod

    os.environ.update({k: v for k, v in env.items() if k.startswith(("DATABASE", "SAMVERKAN"))})
    prod = {**serve_prod._environment(), **{k: env[k] for k in env if k.startswith("SAMVERKAN")}}
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=prod,
        check=True,
    )
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 - our own server
        [
            sys.executable,
            "-m",
            "gunicorn",
            "samverkan.wsgi",
            "--workers",
            "4",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=prod,
    )
    cookies = {role: f"sessionid={key}" for role, key in figures["sessions"].items()}
    try:
        for _ in range(300):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/healthz")
                break
            except OSError:
                time.sleep(0.1)
        results = {}
        for row in figures["pages"]:
            url = [row["url"]]
            results[f"{row['page']}:bare"] = _throughput(port, [row["bare_url"]])
            for role in ROLES:
                if role in row:
                    cookie = cookies.get(role, "")
                    _throughput(port, url, cookie, seconds=1)  # warm the workers (and the cache)
                    results[f"{row['page']}:{role}"] = _throughput(port, url, cookie)
        queries = [f"/sok/?q={quote(q)}" for q in figures["search_load"]]
        results["search:load"] = _throughput(port, queries, unique=True)
        return results
    finally:
        server.terminate()
        server.wait(timeout=30)


def _script(name: str, env: dict[str, str]) -> str:
    """Run another bench script and return what it printed."""
    return subprocess.run(  # noqa: S603 - our own scripts
        [sys.executable, f"bench/{name}"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def _pair(figures: dict[str, Any] | None, key: str = "p") -> str:
    if figures is None:
        return "–"
    return f"{figures[key + '50']:.1f}/{figures[key + '95']:.1f}"


def _print_pages(pages: list[dict[str, Any]]) -> None:
    """One user: server time (ms, p50/p95) and queries (full scale, demo scale)."""
    head = (
        f"{'page':<22}{'public':>12}{'cached':>10}{'staff':>12}{'member':>12}{'kommun':>12}"
        f"{'bare':>10}{'queries pub/staff/member/kommun (demo)':>42}"
    )
    print("One user, server ms p50/p95 (public rendered with the page cache off)")
    print(head)
    print("-" * len(head))
    for row in pages:
        roles = [row.get(role) for role in ROLES]
        full = "/".join(str(r["queries"]) if r else "–" for r in roles)
        demo = "/".join(str(r["queries_demo"]) if r else "–" for r in roles)
        print(
            f"{row['page']:<22}{_pair(row.get('public')):>12}{_pair(row.get('cached')):>10}"
            f"{_pair(row['staff']):>12}{_pair(row.get('member')):>12}"
            f"{_pair(row.get('kommun')):>12}{_pair(row['bare']):>10}"
            f"{f'{full} ({demo})':>42}"
        )


def _print_kept(pages: list[dict[str, Any]]) -> None:
    """One user, a logged-in page served from its permission class's copy."""
    logged_in = ROLES[1:]
    head = f"{'page':<22}" + "".join(f"{role:>18}" for role in logged_in)
    print("One user, logged in, from the permission class's copy: ms p50/p95, queries")
    print(head)
    print("-" * len(head))
    for row in pages:
        kept = [(row.get(role) or {}).get("kept") for role in logged_in]
        if any(kept):
            cells = [f"{_pair(k)} {k['queries']}" if k else "–" for k in kept]
            print(f"{row['page']:<22}" + "".join(f"{c:>18}" for c in cells))


def _print_load(pages: list[dict[str, Any]], load: dict[str, Load]) -> None:
    """20 users: req/s, the ratio to the bare view's req/s and p99 ms, per role."""
    head = f"{'page':<22}{'bare req/s':>11}" + "".join(
        f"{role + ' req/s ratio p99':>26}" for role in ROLES
    )
    print("20 users against gunicorn (4 workers, production settings)")
    print(head)
    print("-" * len(head))
    for row in pages:
        bare = load[f"{row['page']}:bare"]
        cells = []
        for role in ROLES:
            got = load.get(f"{row['page']}:{role}")
            cells.append(
                f"{got.rps:>9.0f} {got.rps / bare.rps if bare.rps else 0:>6.2f} {got.p99:>7.0f} ms"
                if got
                else f"{'–':>26}"
            )
        print(f"{row['page']:<22}{bare.rps:>11.0f}" + "".join(f"{c:>26}" for c in cells))


#: Issue 34's pages for the people who log in, and its targets.
LOGGED_IN_PAGES = (
    "start page",
    "arena page",
    "meeting, 40 items",
    "protocol",
    "Mina sammanträden",
    "ärende, 30 documents",
    "OParl papers",
    "OParl meetings",
)


def _figure(text: str, pattern: str) -> float | None:
    found = re.search(pattern, text)
    return float(found.group(1)) if found else None


def _print_targets(
    figures: dict[str, Any], load: dict[str, Load], startup: str, organisations: str
) -> None:
    """Every figure issue 34 sets a target for, beside its target: met or not."""
    rows: list[tuple[str, str, str, bool | None]] = []
    pages = {row["page"]: row for row in figures["pages"]}
    for name in LOGGED_IN_PAGES:
        row = pages[name]
        bare = load[f"{name}:bare"]
        for role in ROLES[1:]:
            got = load.get(f"{name}:{role}")
            if got is None:
                continue
            ratio = got.rps / bare.rps if bare.rps else 0.0
            rows.append(
                (
                    f"{name}, {role}, 20 users",
                    "≥ 0.25 of bare, p99 < 500 ms",
                    f"{ratio:.2f}, p99 {got.p99:.0f} ms",
                    ratio >= 0.25 and got.p99 < 500,
                )
            )
            rendered = row[role]["p95"]
            kept = row[role].get("kept")
            shown = f"{rendered} ms rendered" + (f", {kept['p95']} ms kept" if kept else "")
            rows.append((f"{name}, {role}, one user p95", "< 40 ms", shown, rendered < 40))
    search, under_load = figures["search"], load["search:load"]
    rows.append(
        (
            "search, ten typical queries",
            "p50 < 40, p95 < 100 ms",
            f"p50 {search['p50']}, p95 {search['p95']} ms",
            search["p50"] < 40 and search["p95"] < 100,
        )
    )
    rows.append(
        (
            "search, 204 queries, 20 users",
            "p99 < 300 ms",
            f"p99 {under_load.p99:.0f} ms",
            under_load.p99 < 300,
        )
    )
    oparl = pages["OParl meetings"]["public"]["p95"]
    rows.append(("OParl meetings, rendered p95", "< 150 ms", f"{oparl} ms", oparl < 150))
    restart = _figure(startup, r"make run, warm restart\s+([0-9.]+)")
    rows.append(
        ("make run, warm restart", "< 5 s", f"{restart} s", restart is not None and restart < 5)
    )
    for what in ("page", "XLSX"):
        ms = _figure(organisations, rf"the year of \d+ \({what}\): ([0-9.]+) ms")
        rows.append(
            (f"arvoden, worst-case year, {what}", "< 1 s", f"{ms} ms", ms is not None and ms < 1000)
        )
    rows.append(
        (
            "rendered public pages against Meine Stadt Transparent",
            "≥ the peer's rate",
            "bench/peer/compare.py (README)",
            None,
        )
    )
    head = f"{'figure':<56}{'target':<30}{'measured':<40}met"
    print("Issue 34's targets")
    print(head)
    print("-" * len(head))
    for figure, target, measured, met in rows:
        verdict = "–" if met is None else ("yes" if met else "no")
        print(f"{figure:<56}{target:<30}{measured:<40}{verdict}")


def main() -> None:
    sys.path.insert(0, str(ROOT))
    DATA.mkdir(parents=True, exist_ok=True)
    env = _environment()
    _manage(env, "migrate", "--noinput")
    started = time.perf_counter()
    made = _manage(env, "generate_scale_data", "--if-missing")
    generated = (
        "kept from an earlier run"
        if "already" in made
        else f"{time.perf_counter() - started:.0f} s"
    )
    summary = re.search(r"Generated in .*", made)
    _manage(env, "load_demo", "--with-accounts")

    out = DATA / "pages.json"
    subprocess.run([sys.executable, "bench/pages.py", str(out)], cwd=ROOT, env=env, check=True)  # noqa: S603
    figures = json.loads(out.read_text())
    load = _production(env, figures)
    pdfs = _script("pdfs.py", env)
    report = _script("report.py", env)
    startup = _script("startup.py", env)  # make run over the ten years of records
    organisations = _script("organisations.py", env)  # reminders, arvoden, personal data
    bounds = _script("bounds.py", env)  # the decompression bombs, the fork's price

    print(f"Scale corpus: {summary.group(0) if summary else generated}")
    print()
    _print_pages(figures["pages"])
    print()
    _print_kept(figures["pages"])
    print()
    _print_load(figures["pages"], load)
    search, under_load = figures["search"], load["search:load"]
    print()
    print(
        f"Search, {search['queries']} typical queries × 25: "
        f"p50 {search['p50']} ms, p95 {search['p95']} ms; under load, "
        f"{len(figures['search_load'])} different queries, 20 users: "
        f"{under_load.rps:.0f} req/s, p99 {under_load.p99:.0f} ms"
    )
    print()
    print(pdfs.rstrip())
    print(report.rstrip())
    print()
    print(startup.rstrip())
    print()
    print(organisations.rstrip())
    print()
    print(bounds.rstrip())
    print()
    _print_targets(figures, load, startup, organisations)


if __name__ == "__main__":
    main()
