"""``make run`` and ``make run-prod`` stop cleanly (issue 13, finding 12): a SIGTERM
to the make command's process group (what Ctrl-C and a service manager send) ends the
web server and the real Celery worker with its pool and embedded beat, promptly, and
the supervisor exits with 0, leaving no process behind."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

pytestmark = [pytest.mark.worker, pytest.mark.xdist_group("celery-worker")]

SUPERVISOR = """
import sys
from pathlib import Path
from samverkan import supervise
folder, port = Path(sys.argv[1]), sys.argv[2]
web = [sys.executable, "-m", "http.server", port, "--bind", "127.0.0.1"]
sys.exit(supervise.run(
    [supervise.worker(schedule=folder / "schedule", concurrency=2), supervise.Service("web", web)],
    env=dict(__import__("os").environ), cwd=Path.cwd(),
))
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _children(pid: int) -> set[int]:
    """Every live descendant of ``pid`` (read from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait(predicate: Any, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_a_sigterm_to_the_group_stops_the_web_server_and_the_worker_promptly(
    tmp_path: Path,
) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "CELERY_BROKER_URL": "",  # a broker folder of this test's own
        "SAMVERKAN_BROKER_DIR": str(tmp_path / "broker"),
    }
    supervisor = subprocess.Popen(  # noqa: S603 - as make starts it, in a group of its own
        [sys.executable, "-c", SUPERVISOR, str(tmp_path), str(port)],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:

        def up() -> bool:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
            except OSError:
                return False
            return len(_children(supervisor.pid)) >= 5  # web; worker, its pool and beat

        assert _wait(up, 90), "the web server and the worker did not start"
        time.sleep(2)  # the worker's pool and beat are running
        started = _children(supervisor.pid)
        os.killpg(supervisor.pid, signal.SIGTERM)  # as Ctrl-C or a service manager does
        began = time.monotonic()
        code = supervisor.wait(timeout=40)
        took = time.monotonic() - began
    finally:
        if supervisor.poll() is None:
            os.killpg(supervisor.pid, signal.SIGKILL)
        for pid in _children(supervisor.pid):
            os.kill(pid, signal.SIGKILL)
    output = supervisor.stdout.read().decode() if supervisor.stdout else ""
    assert code == 0, output
    assert "Traceback" not in output, output
    assert "not stopped after" not in output, output  # the warm shutdown sufficed
    assert took < 30
    assert _wait(lambda: not any(_alive(pid) for pid in started), 5), [
        pid for pid in started if _alive(pid)
    ]


def test_make_run_starts_a_priority_worker_and_shows_the_portals_own_error_pages(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``make run`` (serve_dev): the web server, the worker with beat on the
    installation's queue and the priority worker on its priority queue; no DEBUG unless
    asked for, so a 404 is the portal's page, as in production (issue 31)."""
    from samverkan import serve_dev, supervise

    started: dict[str, Any] = {}

    def run(services: list[Any], *, env: dict[str, str], cwd: Any) -> int:
        started.update(services=services, env=env)
        return 0

    monkeypatch.setattr(supervise, "run", run)
    monkeypatch.delenv("DJANGO_DEBUG", raising=False)
    monkeypatch.delenv("SAMVERKAN_TASK_QUEUE", raising=False)
    assert serve_dev.main("127.0.0.1:8999") == 0
    assert "DJANGO_DEBUG" not in started["env"]
    commands = {service.name: " ".join(service.command) for service in started["services"]}
    assert "--queues=celery " in commands["worker"] + " "
    assert "--queues=celery-priority" in commands["priority worker"]
    assert "--beat" not in commands["priority worker"]
