"""Rendered pages beside a peer's: the portal and another council information system,
both already running on this machine with the same data, measured alternately with
wrk (Debian's package) so that drift hits both alike. Prints, per pair of equivalent
pages, each one's requests per second and p50/p99, and the portal's rate as a multiple
of the peer's.

The peer is not installed by anything here (see README.md beside this file); the
portal is started with its page cache off, e.g. ``SAMVERKAN_PAGE_CACHE=`` and
``SAMVERKAN_CLASS_CACHE=0`` under gunicorn with as many workers as the peer has.

Usage: .venv/bin/python bench/peer/compare.py --portal http://127.0.0.1:8200
       --peer http://127.0.0.1:8300 [--seconds 10] [--rounds 3] [--connections 4]
       --page "start=/,/" --page "organisation/body=/organisationer/x/,/body/1/" …
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
from dataclasses import dataclass


@dataclass
class Run:
    rps: float
    p50: float
    p99: float
    errors: int


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    """A wrk duration ("812.00us", "12.3ms", "1.02s", "1.50m") in milliseconds."""
    found = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    return float(found.group(1)) * _UNITS[found.group(2)] if found else float("nan")


def wrk(url: str, *, seconds: int, connections: int, host: str | None) -> Run:
    """One wrk run against ``url`` (one thread, ``connections`` keep-alive connections)."""
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if host:
        command[1:1] = ["-H", f"Host: {host}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    failed = re.search(r"Socket errors:.*?timeout (\d+)", out)
    errors = (int(bad.group(1)) if bad else 0) + (int(failed.group(1)) if failed else 0)
    return Run(rps, p50, p99, errors)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--portal", required=True, help="the portal's base URL")
    parser.add_argument("--peer", required=True, help="the peer's base URL")
    parser.add_argument("--peer-host", help="a Host header the peer demands (e.g. localhost)")
    parser.add_argument(
        "--page",
        action="append",
        required=True,
        metavar="NAME=PORTAL_PATH,PEER_PATH",
        help="a pair of equivalent pages (repeat)",
    )
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=4)
    args = parser.parse_args(argv)
    if not shutil.which("wrk"):
        print("wrk is missing: apt-get install wrk", file=sys.stderr)
        return 2
    pairs = []
    for page in args.page:
        name, _, paths = page.partition("=")
        portal_path, _, peer_path = paths.partition(",")
        if not (name and portal_path and peer_path):
            parser.error(f"--page {page!r}: NAME=PORTAL_PATH,PEER_PATH")
        pairs.append((name, portal_path, peer_path))

    print(
        f"{'page':22} {'portal req/s':>12} {'p50/p99 ms':>13} {'peer req/s':>11}"
        f" {'p50/p99 ms':>13} {'portal/peer':>11}"
    )
    worst = float("inf")
    for name, portal_path, peer_path in pairs:
        ours: list[Run] = []
        theirs: list[Run] = []
        for _ in range(args.rounds):  # alternately, so drift hits both
            ours.append(
                wrk(args.portal + portal_path, seconds=args.seconds,
                    connections=args.connections, host=None)
            )  # fmt: skip
            theirs.append(
                wrk(args.peer + peer_path, seconds=args.seconds,
                    connections=args.connections, host=args.peer_host)
            )  # fmt: skip
        a, b = (
            Run(
                statistics.median(r.rps for r in runs),
                statistics.median(r.p50 for r in runs),
                statistics.median(r.p99 for r in runs),
                sum(r.errors for r in runs),
            )
            for runs in (ours, theirs)
        )
        ratio = a.rps / b.rps if b.rps else float("inf")
        worst = min(worst, ratio)
        flag = "" if not (a.errors or b.errors) else f"  errors {a.errors}/{b.errors}"
        print(
            f"{name:22} {a.rps:12.0f} {a.p50:6.1f}/{a.p99:<6.1f} {b.rps:11.0f}"
            f" {b.p50:6.1f}/{b.p99:<6.1f} {ratio:10.2f}×{flag}"
        )
    print(f"lowest ratio: {worst:.2f}× the peer's rate (target ≥ 1.00 on every page)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
