"""``make bench``: every benchmark in one run, printed as one table.

1. A database of its own (``<name>_bench`` beside ``DATABASE_URL``, or
   ``samverkan_bench`` in the embedded server) with the demo and the scale corpus
   (``manage.py generate_scale_data``, made once and kept; its load time is printed).
2. Key pages at full scale (bench/pages.py): server time for one user, queries at full
   and at demo scale, and the bare view of the same size.
3. Throughput with 20 concurrent users against the production configuration
   (gunicorn, 4 workers, production settings), each page and its bare view in turn.
4. Search: ten typical queries. 5. PDFs (bench/pdfs.py, bench/report.py): ours and
   raw WeasyPrint. 6. ``make run``'s warm restart to the first page (bench/startup.py).
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
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / ".data" / "bench"
USERS = 20
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


def _throughput(port: int, path: str) -> float:
    """Requests per second with USERS threads, each on its own keep-alive connection."""
    done = [0] * USERS
    until = time.perf_counter() + SECONDS

    def user(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.perf_counter() < until:
            connection.request("GET", path, headers={"Host": "127.0.0.1"})
            response = connection.getresponse()
            response.read()
            if response.status == 200:
                done[index] += 1
        connection.close()

    threads = [threading.Thread(target=user, args=(i,)) for i in range(USERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / SECONDS


def _production(env: dict[str, str], pages: list[dict[str, Any]]) -> dict[str, tuple[float, float]]:
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
    try:
        for _ in range(300):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/healthz")
                break
            except OSError:
                time.sleep(0.1)
        results = {}
        for row in pages:
            _throughput(port, row["url"])  # warm each worker
            results[row["page"]] = (
                _throughput(port, row["url"]),
                _throughput(port, row["bare_url"]),
            )
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
    throughput = _production(env, figures["pages"])
    pdfs = _script("pdfs.py", env)
    report = _script("report.py", env)
    startup = _script("startup.py", env)  # make run over the ten years of records

    print(f"Scale corpus: {summary.group(0) if summary else generated}")
    print()
    head = (
        f"{'page':<22}{'public p50/p95 ms':>19}{'staff p50/p95 ms':>18}{'bare p50/p95':>14}"
        f"{'queries pub/staff (demo)':>27}{'req/s page':>12}{'req/s bare':>12}{'ratio':>7}"
    )
    print(head)
    print("-" * len(head))
    for row in figures["pages"]:
        pub, staff, bare = row["public"], row["staff"], row["bare"]
        page_rps, bare_rps = throughput[row["page"]]
        queries = (
            f"{pub['queries']}/{staff['queries']} ({pub['queries_demo']}/{staff['queries_demo']})"
        )
        print(
            f"{row['page']:<22}{pub['p50']:>10.1f}/{pub['p95']:<8.1f}{staff['p50']:>9.1f}/{staff['p95']:<8.1f}"
            f"{bare['p50']:>7.1f}/{bare['p95']:<6.1f}{queries:>27}{page_rps:>12.0f}{bare_rps:>12.0f}"
            f"{page_rps / bare_rps if bare_rps else 0:>7.2f}"
        )
    search = figures["search"]
    print()
    print(
        f"Search, {search['queries']} typical queries × 25: "
        f"p50 {search['p50']} ms, p95 {search['p95']} ms"
    )
    print()
    print(pdfs.rstrip())
    print(report.rstrip())
    print()
    print(startup.rstrip())


if __name__ == "__main__":
    main()
