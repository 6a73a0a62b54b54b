"""Deliveries to the e-archive on the demo: build time, records, files, bytes.

Usage: DATABASE_URL=... .venv/bin/python bench/archive.py
The database must hold the demo (``manage.py load_demo --with-accounts``). Each delivery
is built as the worker builds it (``services.archive_export_run``) inside a transaction
that is rolled back, its ZIP removed afterwards: the database and storage are left as
they were (PDFs the builder had to render are rolled back too). Prints one line per
delivery: its scope, records, files, ZIP bytes, seconds, and the process's peak memory.
"""

from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
    import django

    django.setup()
    from django.core.files.storage import default_storage
    from django.db import transaction
    from django.db.models import Count

    from councils import services
    from councils.models import ArchiveExport, Case, Diarium, Paragraph

    class Rollback(Exception):
        pass

    diarium_year = (
        Case.objects.filter(status=Case.Status.CLOSED, closed_on__isnull=False)
        .values("diarium", "closed_on__year")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    p56 = Paragraph.objects.filter(number=56, case__isnull=False).select_related("case").first()
    scopes: list[dict[str, object]] = [
        {"scope": "arende", "case": Case.objects.get(diarienummer="RUN/34/2018")},
    ]
    if p56 is not None:  # the ärende § 56 decided: its extract is rendered if missing
        scopes.append({"scope": "arende", "case": p56.case})
    if diarium_year:
        scopes.append(
            {
                "scope": "diarium",
                "diarium": Diarium.objects.get(pk=diarium_year["diarium"]),
                "year": diarium_year["closed_on__year"],
            }
        )
    if p56 is not None:
        scopes.append({"scope": "arena", "body": p56.body, "year": p56.year})
    for scope in scopes:
        try:
            with transaction.atomic():
                export = ArchiveExport(**scope)
                export.save()
                started = time.perf_counter()
                export = services.archive_export_run(export_id=export.pk)
                seconds = time.perf_counter() - started
                default_storage.delete(export.file.name)
                print(
                    f"{export.get_scope_display()} {export.subject}: {export.records} records, "
                    f"{export.files} files, {export.size} bytes, {seconds:.2f} s, "
                    f"{len(export.not_archival)} not archival"
                )
                raise Rollback
        except Rollback:
            pass
    # Every ärende of the demo, each its own delivery: the whole diarium, one by one.
    totals = [0, 0, 0, 0.0]
    for case in Case.objects.order_by("pk"):
        try:
            with transaction.atomic():
                export = ArchiveExport(scope="arende", case=case)
                export.save()
                started = time.perf_counter()
                export = services.archive_export_run(export_id=export.pk)
                totals[3] += time.perf_counter() - started
                default_storage.delete(export.file.name)
                totals[0] += export.records
                totals[1] += export.files
                totals[2] += export.size
                raise Rollback
        except Rollback:
            pass
    print(
        f"every ärende ({Case.objects.count()}), one delivery each: {totals[0]} records, "
        f"{totals[1]} files, {totals[2]} bytes, {totals[3]:.1f} s"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory {peak:.0f} MB")


if __name__ == "__main__":
    main()
