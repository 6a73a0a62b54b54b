"""Run the portal's processes side by side (``make run``, ``make run-prod``) and stop
them cleanly.

Each process starts in a session of its own, so a Ctrl-C or a SIGTERM to the make
command's process group reaches only this supervisor, never the processes' own
children (a Celery worker whose pool children and embedded beat are killed under it
hangs in its warm shutdown). The supervisor then asks each main process to stop, as
its documentation says: SIGTERM, a warm shutdown in which a running task may finish.
A worker still running after its grace period gets SIGQUIT (Celery's cold shutdown:
an unfinished task is not acknowledged, so the broker delivers it again and the
render-job sweep re-sends its job), and whatever is left in its process group after
that is killed. Stopping always ends every process started here and exits with 0.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from base.queue import PRIORITY_SUFFIX


@dataclass(frozen=True)
class Service:
    name: str
    command: Sequence[str]
    #: Seconds between the warm stop (SIGTERM) and the cold one (SIGQUIT).
    grace: float = 20.0


def _wait(process: subprocess.Popen[bytes], seconds: float) -> bool:
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        return False
    return True


def _signal_group(process: subprocess.Popen[bytes], signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signum)


def _group_alive(process: subprocess.Popen[bytes]) -> bool:
    try:
        os.killpg(process.pid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def stop(running: Sequence[tuple[Service, subprocess.Popen[bytes]]]) -> None:
    """Warm stop for all at once, then cold, then kill; leave no process behind."""
    for _service, process in running:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)  # the main process only
    for service, process in running:
        if not _wait(process, service.grace):
            print(f"{service.name}: not stopped after {service.grace:.0f} s, stopping it now")
            process.send_signal(signal.SIGQUIT)
            if not _wait(process, 10):
                _signal_group(process, signal.SIGKILL)
                process.wait()
    for _service, process in running:  # children the main process left behind
        if _group_alive(process):
            _signal_group(process, signal.SIGTERM)
            deadline = time.monotonic() + 5
            while _group_alive(process) and time.monotonic() < deadline:
                time.sleep(0.1)
            _signal_group(process, signal.SIGKILL)


def run(services: Sequence[Service], *, env: dict[str, str], cwd: Path) -> int:
    """Start ``services`` and wait until one ends or a stop signal arrives; then stop
    them all. 0 after a stop signal; 1 when a service ended by itself."""
    handled = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    asked: list[int] = []  # the stop signals received (make may pass one on again)

    def ask_to_stop(signum: int, _frame: FrameType | None) -> None:
        asked.append(signum)

    previous = {signum: signal.signal(signum, ask_to_stop) for signum in handled}
    running: list[tuple[Service, subprocess.Popen[bytes]]] = []
    code = 0
    try:
        for service in services:
            if asked:
                break
            process = subprocess.Popen(  # noqa: S603 - the portal's own commands
                list(service.command), cwd=cwd, env=env, start_new_session=True
            )
            running.append((service, process))
        while not asked:
            ended = [(s, p) for s, p in running if p.poll() is not None]
            if ended:
                service, process = ended[0]
                print(f"{service.name} ended (exit code {process.returncode}); stopping the rest")
                code = 1
                break
            time.sleep(0.2)
        if asked:
            print("Stopping the web server and the worker …", flush=True)
        stop(running)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return code


def worker(*, schedule: Path, concurrency: int | None = None) -> Service:
    """The Celery worker with beat, as ``make run`` and ``make run-prod`` start it: the
    installation's queue (``SAMVERKAN_TASK_QUEUE``, else ``celery``)."""
    command = [sys.executable, "-m", "celery", "-A", "samverkan", "worker", "--beat",
               f"--schedule={schedule}", "--loglevel=WARNING",
               f"--queues={_queue()}", "--hostname=worker@%h"]  # fmt: skip
    if concurrency:
        command.append(f"--concurrency={concurrency}")
    return Service("worker", command)


def priority_worker() -> Service:
    """A worker of its own for the priority queue (``base.queue.priority_queue``): a
    decision's extract is made at once, however busy the other worker is."""
    command = [sys.executable, "-m", "celery", "-A", "samverkan", "worker",
               "--loglevel=WARNING", "--concurrency=1", "--hostname=priority@%h",
               f"--queues={_queue()}{PRIORITY_SUFFIX}"]  # fmt: skip
    return Service("priority worker", command)


def _queue() -> str:
    return os.environ.get("SAMVERKAN_TASK_QUEUE") or "celery"
