"""Parsing within bounds (base/bounded.py): what the probe's decompression bombs
cost now, and what the bound costs an ordinary file.

Usage: .venv/bin/python bench/bounds.py  (the demo seal under .data/seal; no database)
Prints, for each bomb (a PDF whose cross-reference stream inflates to 16 MB from 16 KB,
and to 256 MB from 261 KB): the seal check of /verifiera/ and the upload check, their
wall time, the server process's growth (RSS after minus before) and the child's peak
(ru_maxrss of the children); and for an ordinary sealed PDF the check in-process and
bounded (the fork's price), median of seven.
"""

from __future__ import annotations

import io
import os
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MIB = 1024 * 1024


def _rss() -> int:
    with open("/proc/self/statm", "rb") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _children_peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _measured(call: Any) -> tuple[float, float, str]:
    before = _rss()
    started = time.perf_counter()
    try:
        call()
        outcome = "answered"
    except Exception as error:
        outcome = f"{type(error).__name__}: {error}"
    seconds = time.perf_counter() - started
    return seconds, (_rss() - before) / MIB, outcome


def main() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
    import django

    django.setup()
    from django.conf import settings

    from base import bounded
    from base.seal import sign, verify
    from councils import uploads
    from tests.files import bomb_pdf, pdf_bytes

    print(
        f"bounds: requests {settings.SAMVERKAN_PARSE_SECONDS} s / "
        f"{settings.SAMVERKAN_PARSE_MEMORY_MB} MiB, worker "
        f"{settings.SAMVERKAN_WORKER_PARSE_SECONDS} s / "
        f"{settings.SAMVERKAN_WORKER_PARSE_MEMORY_MB} MiB"
    )
    verify.check_ready()
    for inflated in (16 * MIB, 256 * MIB):
        data = bomb_pdf(inflated)
        size = f"{len(data) / 1024:.0f} KB inflating to {inflated // MIB} MB"
        seconds, growth, outcome = _measured(
            lambda data=data: bounded.run(
                verify.check_pdf, data, bounds=bounded.Bounds.for_requests()
            )
        )
        print(
            f"bomb {size}, seal check: {seconds:.2f} s, server +{growth:.1f} MiB, "
            f"child peak {_children_peak_mib():.0f} MiB ({outcome})"
        )
        seconds, growth, outcome = _measured(
            lambda data=data: uploads.sniff_content_type(io.BytesIO(data))
        )
        print(f"bomb {size}, upload check: {seconds:.2f} s, server +{growth:.1f} MiB ({outcome})")

    sealed = sign.seal_pdf(pdf_bytes("Bench"), reason="Bench")
    verify.check_pdf(sealed)  # warm
    times: dict[str, list[float]] = {"in-process": [], "bounded": []}
    for _ in range(7):
        started = time.perf_counter()
        assert verify.check_pdf(sealed).authentic
        times["in-process"].append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        assert bounded.run(verify.check_pdf, sealed, bounds=bounded.Bounds.for_requests()).authentic
        times["bounded"].append((time.perf_counter() - started) * 1000)
    print(
        f"an ordinary sealed PDF ({len(sealed) // 1024} KB), seal check: in-process "
        f"{statistics.median(times['in-process']):.0f} ms, bounded "
        f"{statistics.median(times['bounded']):.0f} ms"
    )


if __name__ == "__main__":
    main()
