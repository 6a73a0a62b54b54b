"""Load: 20 concurrent users for 60 s against a running portal (``make run-prod``),
half of them logged in as the demo member reading their meetings, half the public
reading arenas, the diarium, the notice board and searching. Prints throughput,
p50/p95 latency and the error count.

Usage: .venv/bin/python bench/load.py [--url http://127.0.0.1:8000] [--users 20]
       [--seconds 60]
Standard library only: each user is a thread with its own cookie jar and connection.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import re
import statistics
import threading
import time
import urllib.parse
import urllib.request

PUBLIC = ["/", "/arenor/", "/diarium/", "/anslagstavla/", "/sok/?q=samverkan", "/statistik/"]
MEMBER = ["/", "/mina-sammantraden/", "/arenor/regionens-samverkansrad/", "/diarium/"]


def _opener() -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))


def _login(opener: urllib.request.OpenerDirector, base: str) -> None:
    page = opener.open(f"{base}/logga-in/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, "no CSRF token on the login page"
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token.group(1), "username": "ledamot", "password": "samverkan2026"}
    ).encode()
    request = urllib.request.Request(  # noqa: S310 - the URL is the one given to the script
        f"{base}/logga-in/", data=data, headers={"Referer": base}
    )
    opener.open(request).read()


def _user(base: str, member: bool, until: float, times: list[float], errors: list[int]) -> None:
    opener = _opener()
    if member:
        _login(opener, base)
    paths = MEMBER if member else PUBLIC
    index = 0
    while time.monotonic() < until:
        path = paths[index % len(paths)]
        index += 1
        start = time.perf_counter()
        try:
            with opener.open(base + path, timeout=30) as response:
                response.read()
                ok = response.status == 200
        except Exception:  # a failed request is counted, not raised
            ok = False
        times.append(time.perf_counter() - start)
        if not ok:
            errors.append(1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args()
    times: list[float] = []
    errors: list[int] = []
    until = time.monotonic() + args.seconds
    threads = [
        threading.Thread(target=_user, args=(args.url, i % 2 == 0, until, times, errors))
        for i in range(args.users)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    ordered = sorted(times)
    p95 = ordered[int(len(ordered) * 0.95) - 1] if ordered else 0.0
    print(
        f"{args.users} users, {elapsed:.0f} s: {len(times)} requests, "
        f"{len(times) / elapsed:.1f} req/s, p50 {statistics.median(ordered) * 1000:.0f} ms, "
        f"p95 {p95 * 1000:.0f} ms, errors {len(errors)}"
    )


if __name__ == "__main__":
    main()
