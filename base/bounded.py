"""Parsing what anyone sends within fixed bounds of time and memory.

A PDF of 16 KB can hold a stream that inflates to gigabytes; an office file is a ZIP
of XML. The parsers (pyHanko, pypdf, the office readers) read what the file says, so
the bound is put around them, not inside them: the parse runs in a child process
(``os.fork``, which also works in Celery's daemonic pool processes, where
``multiprocessing`` may not start children) with an address-space limit
(``RLIMIT_AS``, what it may add to the parent's) and a CPU limit (``RLIMIT_CPU``), and
the parent kills it when the wall-clock time is up. Whatever the file does, the
server's own process grows by nothing and answers within ``seconds``.

The child returns its result by pickling it through a pipe; it touches no database
connection and leaves with ``os._exit`` (no finaliser of an inherited connection runs).
Where ``fork`` does not exist (not Linux nor another Unix), the call runs in-process.
"""

from __future__ import annotations

import dataclasses
import os
import pickle
import resource
import select
import signal
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings

T = TypeVar("T")

MIB = 1024 * 1024


@dataclasses.dataclass(frozen=True)
class Bounds:
    """How long a parse may take (wall clock, and CPU seconds) and how much memory it
    may add to the process it was started from."""

    seconds: float
    memory_bytes: int

    @classmethod
    def for_requests(cls) -> Bounds:
        """What a request may spend parsing an upload (the verification page, the upload
        check): ``SAMVERKAN_PARSE_SECONDS`` and ``SAMVERKAN_PARSE_MEMORY_MB``."""
        return cls(
            float(settings.SAMVERKAN_PARSE_SECONDS), settings.SAMVERKAN_PARSE_MEMORY_MB * MIB
        )

    @classmethod
    def for_worker(cls) -> Bounds:
        """What the worker may spend reading a stored file's text:
        ``SAMVERKAN_WORKER_PARSE_SECONDS`` and ``SAMVERKAN_WORKER_PARSE_MEMORY_MB``."""
        return cls(
            float(settings.SAMVERKAN_WORKER_PARSE_SECONDS),
            settings.SAMVERKAN_WORKER_PARSE_MEMORY_MB * MIB,
        )


class LimitExceeded(Exception):
    """The parse passed its bounds and was stopped (``kind``: "time" or "memory")."""

    def __init__(self, kind: str, bounds: Bounds) -> None:
        super().__init__(f"{kind} limit ({bounds.seconds:g} s, {bounds.memory_bytes // MIB} MiB)")
        self.kind = kind
        self.bounds = bounds


def _address_space() -> int:
    """This process's virtual size in bytes (what ``RLIMIT_AS`` counts)."""
    with open("/proc/self/statm", "rb") as statm:
        return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _child(function: Callable[..., Any], args: Any, kwargs: Any, bounds: Bounds, out: int) -> None:
    try:
        cpu = max(1, int(bounds.seconds + 0.999))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        limit = _address_space() + bounds.memory_bytes
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        try:
            outcome: tuple[str, Any] = ("ok", function(*args, **kwargs))
        except MemoryError:
            outcome = ("memory", None)
        except Exception as error:
            outcome = ("error", error)
        try:
            data = pickle.dumps(outcome)
        except Exception as error:  # an unpicklable result or exception
            data = pickle.dumps(("error", RuntimeError(f"{type(error).__name__}: {error}")))
        with os.fdopen(out, "wb") as pipe:
            pipe.write(data)
    except MemoryError:
        os._exit(3)
    except BaseException:
        os._exit(2)
    os._exit(0)


def run(function: Callable[..., T], *args: Any, bounds: Bounds, **kwargs: Any) -> T:
    """``function(*args, **kwargs)`` run in a child process within ``bounds``. Returns
    its result or raises its exception (both must pickle); raises ``LimitExceeded``
    when the child passed a bound and was stopped."""
    if not hasattr(os, "fork"):  # pragma: no cover - not on the platforms we run on
        return function(*args, **kwargs)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read_end)
        _child(function, args, kwargs, bounds, write_end)
    os.close(write_end)
    deadline = time.monotonic() + bounds.seconds
    chunks: list[bytes] = []
    timed_out = False
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([read_end], [], [], left)[0]:
                timed_out = True
                break
            chunk = os.read(read_end, 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(read_end)
        if timed_out:
            os.kill(pid, signal.SIGKILL)
        _pid, status = os.waitpid(pid, 0)
    if timed_out:
        raise LimitExceeded("time", bounds)
    if os.WIFSIGNALED(status):  # SIGXCPU or SIGKILL past the CPU limit
        raise LimitExceeded("time", bounds)
    if not chunks:  # the child died without an answer: out of memory while answering
        raise LimitExceeded("memory", bounds)
    kind, value = pickle.loads(b"".join(chunks))  # noqa: S301 - our own child's answer
    if kind == "memory":
        raise LimitExceeded("memory", bounds)
    if kind == "error":
        raise value
    return value
