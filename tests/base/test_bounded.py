"""Parsing within bounds (base/bounded.py, issue 28): what anyone uploads is parsed
in a child process that is stopped at a time and a memory limit, so one request cannot
tie up the server; the probe's decompression bomb is answered in seconds."""

from __future__ import annotations

import os
import time
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from base import bounded
from tests.conftest import client_for
from tests.files import bomb_pdf

MIB = 1024 * 1024
BOUNDS = bounded.Bounds(seconds=2, memory_bytes=64 * MIB)


def _rss() -> int:
    with open("/proc/self/statm", "rb") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _spin() -> None:
    while True:
        pass


def _hoard() -> bytes:
    return b"x" * (512 * MIB)


def _fail() -> None:
    raise ValueError("not a PDF")


def test_a_result_and_an_exception_come_back_from_the_child() -> None:
    assert bounded.run(sum, [1, 2, 3], bounds=BOUNDS) == 6
    with pytest.raises(ValueError, match="not a PDF"):
        bounded.run(_fail, bounds=BOUNDS)


def test_a_parse_that_runs_on_is_stopped_at_its_time() -> None:
    started = time.monotonic()
    with pytest.raises(bounded.LimitExceeded) as stopped:
        bounded.run(_spin, bounds=BOUNDS)
    assert stopped.value.kind == "time"
    assert time.monotonic() - started < BOUNDS.seconds + 1


def test_a_parse_that_takes_memory_is_stopped_at_its_limit_and_the_server_does_not_grow() -> None:
    before = _rss()
    started = time.monotonic()
    with pytest.raises(bounded.LimitExceeded) as stopped:
        bounded.run(_hoard, bounds=BOUNDS)
    assert stopped.value.kind == "memory"
    assert time.monotonic() - started < 1
    assert _rss() - before < 16 * MIB


@pytest.mark.django_db
def test_the_probes_decompression_bomb_is_answered_in_seconds_on_the_verification_page(
    settings: Any,
) -> None:
    """16 KB whose cross-reference stream inflates to 16 MB: pyHanko took 15-30 s and
    hundreds of MiB over it in the request. Now the page answers within the request's
    bound (4 s by default) with a Swedish message, and the server grows less than
    100 MiB."""
    data = bomb_pdf(16 * MIB)
    assert len(data) < 20_000
    cache.clear()
    client = client_for(None)
    assert client.get("/verifiera/").status_code == 200  # the seal's certificates read once
    before = _rss()
    started = time.monotonic()
    response = client.post(
        "/verifiera/", {"file": SimpleUploadedFile("bomb.pdf", data, "application/pdf")}
    )
    elapsed = time.monotonic() - started
    assert response.status_code == 422
    assert "kunde inte kontrolleras" in response.content.decode()
    assert elapsed < 5
    assert _rss() - before < 100 * MIB


def test_a_seal_check_past_its_memory_bound_is_refused_never_called_unsealed() -> None:
    """pyHanko's reader out of memory inside the bound is the bound's answer (the page's
    "could not be checked"), not a damaged file searched for a seal and called "not
    issued by the portal"."""
    from base.seal import verify

    with pytest.raises(bounded.LimitExceeded) as stopped:
        bounded.run(
            verify.check_pdf,
            bomb_pdf(16 * MIB),
            bounds=bounded.Bounds(seconds=60, memory_bytes=64 * MIB),
        )
    assert stopped.value.kind == "memory"
