"""Time from starting the web server to the first served start page.

Usage: .venv/bin/python bench/startup.py
Prints the rows: the web server alone with the embedded PostgreSQL stopped (cold) and
running (warm), and ``make run`` restarted with everything in place (venv, database,
demo data: it still migrates, checks the demo and starts the worker and the server).
With DATABASE_URL set the cold row is left out.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _until_served(port: int, started: float, *, limit: float) -> float:
    """Seconds from ``started`` until the start page answers 200 on ``port``."""
    while time.perf_counter() - started < limit:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                if response.status == 200:
                    return time.perf_counter() - started
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing served within {limit:.0f} s")


def time_to_first_page() -> float:
    port = free_port()
    started = time.perf_counter()
    server = subprocess.Popen(  # noqa: S603 - our own server
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_DEBUG": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        return _until_served(port, started, limit=60)
    finally:
        server.terminate()
        server.wait(timeout=10)


def make_run_to_first_page() -> float:
    """``make run`` from the start, as a person restarts it, until the start page."""
    port = free_port()
    started = time.perf_counter()
    run = subprocess.Popen(  # noqa: S603 - our own make target
        ["make", "run", f"PORT={port}"],  # noqa: S607
        cwd=ROOT,
        env=dict(os.environ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        return _until_served(port, started, limit=300)
    finally:
        os.killpg(run.pid, signal.SIGTERM)
        run.wait(timeout=30)
        time.sleep(5)  # make run's supervisor has stopped its processes; nothing may stay
        with contextlib.suppress(ProcessLookupError):
            os.killpg(run.pid, signal.SIGKILL)


def main() -> None:
    rows = []
    if not os.environ.get("DATABASE_URL"):
        subprocess.run(
            [sys.executable, "-m", "samverkan.embedded_db", "stop"],
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        rows.append(("cold (database stopped)", time_to_first_page()))
    make_run_to_first_page()  # the first may still set things up (migrate, demo)
    rows.append(("make run, warm restart", make_run_to_first_page()))
    rows.append(("warm (database running)", time_to_first_page()))
    print(f"{'start':<28}{'seconds to first page':>24}")
    for label, seconds in rows:
        print(f"{label:<28}{seconds:>24.2f}")


if __name__ == "__main__":
    main()
