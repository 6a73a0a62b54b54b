"""What each organisation needs from the record, at full scale: the reminders' check,
the arvode report and the personal-data check.

Usage: DATABASE_URL=... .venv/bin/python bench/organisations.py
The database must hold the scale corpus and the demo (``make bench`` makes them); it
is left as it was. Prints:

- reminders: the occasions due on a day across every source (justering, kallelse,
  uppdrag, a kommun's answers before its dialogue), with their time and queries: what
  the worker does every quarter of an hour before it records and mails them;
- arvoden: a kommun made to appoint every seat of the corpus (a worst case, rolled
  back), its report for a month and for the year as the secretariat reads
  it: the page, the CSV and the XLSX, their milliseconds, queries and bytes;
- the personal-data check: the detector over the handlingar' read texts (characters per
  second), and a handling's save, which counts what the check finds.
"""

from __future__ import annotations

import datetime
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RUNS = 7


def _timed(call: Any) -> tuple[float, int, Any]:
    """Median milliseconds of ``RUNS`` calls (after one to warm), the queries of one."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()  # a request clears the log the capture counts from: start it empty
    with CaptureQueriesContext(connection) as captured:
        result = call()
    queries = len(captured)  # now: the next request clears the log it reads from
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), queries, result


def main() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.db.models import Count
    from django.test import Client
    from django.utils import timezone

    from base import personal_data
    from councils import reminders
    from councils.models import Attendance, Document, Meeting, Membership, Organisation

    print(
        f"Corpus: {Meeting.objects.count()} meetings, {Attendance.objects.count()} attendance "
        f"rows, {Document.objects.count()} handlingar"
    )

    # Reminders: every source, on today and on the busiest day of the corpus's justering.
    today = timezone.localdate()
    ms, queries, due = _timed(lambda: reminders.occasions(today))
    print(f"reminders due {today}: {len(due)} occasions, {ms:.1f} ms, {queries} queries")
    ms, queries, pending = _timed(lambda: reminders.pending(today))
    print(f"reminders pending (the secretariat's list): {len(pending)}, {ms:.1f} ms, {queries} q")

    # Arvoden. The scale corpus's seats name no appointing organisation; for a worst case,
    # one kommun appoints every seat (rolled back afterwards) and its report is read for
    # the corpus's busiest year.
    year = (
        Attendance.objects.values_list("meeting__starts_at__year", flat=True)
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    assert year is not None
    organisation = Organisation.objects.get(slug="krokoms-kommun")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username="sekretariat"))
    base = f"/organisationer/{organisation.slug}/arvoden"
    periods = {
        "March": (datetime.date(year, 3, 1), datetime.date(year, 3, 31)),
        "the year": (datetime.date(year, 1, 1), datetime.date(year, 12, 31)),
    }
    with transaction.atomic():
        # (Attendance of a justerat protocol is locked: the seats are given to the kommun.)
        seats = Membership.objects.filter(appointed_by=None).update(appointed_by=organisation)
        print(f"arvoden: {organisation.name} made to appoint {seats} more seats")
        for name, (start, end) in periods.items():
            query = f"?start={start:%Y-%m-%d}&end={end:%Y-%m-%d}"
            for fmt, path in (("page", "/"), ("CSV", ".csv"), ("XLSX", ".xlsx")):

                def get(url: str = base + path + query) -> Any:
                    response = client.get(url)
                    assert response.status_code == 200, (url, response.status_code)
                    return b"".join(response) if response.streaming else response.content

                ms, queries, body = _timed(get)
                lines = body.count(b"\n")
                rows = f", {lines - 1} rows" if fmt == "CSV" else ""
                print(
                    f"arvoden, {name} of {year} ({fmt}): {ms:.1f} ms, {queries} queries, "
                    f"{len(body)} bytes{rows}"
                )
        transaction.set_rollback(True)

    # The personal-data check: the detector over the read texts.
    texts = list(
        Document.objects.exclude(text="").order_by("pk").values_list("text", flat=True)[:5000]
    )
    characters = sum(len(t) for t in texts)
    started = time.perf_counter()
    found = sum(len(personal_data.find(t)) for t in texts)
    seconds = time.perf_counter() - started
    print(
        f"personal-data check: {len(texts)} texts, {characters} characters in {seconds:.2f} s "
        f"({characters / seconds / 1e6:.1f} M characters/s), {found} findings"
    )
    document = Document.objects.exclude(text="").order_by("-pk").first()
    assert document is not None

    def save() -> None:
        with transaction.atomic():
            document.save()
            transaction.set_rollback(True)

    ms, queries, _ = _timed(save)
    print(
        f"a handling's save with its check ({len(document.text)} characters of text): "
        f"{ms:.1f} ms, {queries} queries"
    )


if __name__ == "__main__":
    main()
