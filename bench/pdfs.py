"""Render time and peak memory of the portal's PDFs, and of raw WeasyPrint on the same HTML.

Usage: .venv/bin/python bench/pdfs.py
Each document is measured in a fresh process (a warm-up render first, then the
median of three), on data made inside a transaction that is rolled back, so the
database is left as it was. Peak memory is the process's maximum resident size.
"""

from __future__ import annotations

import datetime
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
KINDS = ["extract", "protocol-40", "packet-40"]


def _setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
    import django

    django.setup()


def _measure(kind: str) -> dict[str, Any]:
    _setup()
    import io

    from django.db import transaction
    from django.utils import timezone

    from councils import pdfs, services
    from councils.models import Body, Case, Diarium, Organisation, Paragraph, Protocol

    result: dict[str, Any] = {"kind": kind}

    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            org, _ = Organisation.objects.get_or_create(
                slug="bench-org", defaults={"name": "Bench", "kind": "region"}
            )
            body = Body.objects.create(
                name=f"Bench {time.time_ns()}",
                slug=f"bench-{time.time_ns()}",
                kind="rad",
                organisation=org,
            )
            diarium, _ = Diarium.objects.get_or_create(prefix="BENCH", defaults={"name": "Bench"})
            (meeting,) = services.meeting_plan(
                actor=None, body=body, starts=[timezone.now() - datetime.timedelta(days=1)]
            )
            pdf_bytes = pdfs.html_to_pdf("<html lang='sv'><title>x</title><p>Bilaga</p></html>")
            for index in range(40):
                case: Case = services.case_register(
                    actor=None, diarium=diarium, body=body, title=f"Ärende {index} om samverkan"
                )
                services.document_register(
                    actor=None,
                    case=case,
                    kind="bilaga",
                    subject=f"Bilaga {index}",
                    direction="upprattad",
                    document_date=timezone.localdate(),
                    upload=io.BytesIO(pdf_bytes),
                    upload_name="bilaga.pdf",
                    upload_size=len(pdf_bytes),
                )
                services.agenda_add_case(actor=None, meeting=meeting, case=case)
            services.paragraphs_create_for_agenda(actor=None, meeting=meeting)
            for paragraph in Paragraph.objects.filter(meeting=meeting):
                services.paragraph_update(
                    actor=None,
                    paragraph=paragraph,
                    summary="Sammanfattning. " * 60,
                    decision="Rådet beslutar enligt förslaget.",
                    extract_to="Länets kommuner",
                )
            protocol = Protocol.objects.get(meeting=meeting)
            first = Paragraph.objects.filter(meeting=meeting).order_by("number").first()
            assert first is not None

            def ours() -> bytes:
                if kind == "extract":
                    return pdfs.extract_pdf(first)
                if kind == "protocol-40":
                    return pdfs.protocol_pdf(protocol, internal=True)
                return pdfs.packet_pdf(meeting)

            html_of = {
                "extract": lambda: pdfs.render_html(
                    "councils/pdf/extract.html",
                    title="x",
                    context={"paragraph": first, "meeting": meeting, "protocol": protocol},
                ),
                "protocol-40": lambda: pdfs.render_html(
                    "councils/pdf/protocol.html",
                    title="x",
                    context={
                        "protocol": protocol,
                        "meeting": meeting,
                        "paragraphs": list(meeting.paragraphs.all()),
                        "attendance": meeting.attendance.all(),
                        "paragraph_range": "§",
                    },
                ),
                "packet-40": lambda: pdfs.render_html(
                    "councils/pdf/kallelse.html",
                    title="x",
                    context={"meeting": meeting, "items": list(meeting.agenda_items.all())},
                ),
            }
            html = html_of[kind]()
            ours()  # warm-up: fonts, templates, imports
            times = []
            for _ in range(3):
                start = time.perf_counter()
                data = ours()
                times.append(time.perf_counter() - start)
            raw = []
            for _ in range(3):
                start = time.perf_counter()
                pdfs.html_to_pdf(html)
                raw.append(time.perf_counter() - start)
            # What sealing adds, as the worker does it: sign (B-LT) and check the seal.
            from base.seal import sign, verify

            verify.check_pdf(sign.seal_pdf(data, reason="Bench"))  # warm-up: key, CRL, imports
            sealing = []
            for _ in range(3):
                start = time.perf_counter()
                verify.check_pdf(sign.seal_pdf(data, reason="Bench"))
                sealing.append(time.perf_counter() - start)
            result.update(
                seal_seconds=statistics.median(sealing),
                seconds=statistics.median(times),
                raw_seconds=statistics.median(raw),
                bytes=len(data),
                peak_mib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            )
            raise Rollback
    except Rollback:
        pass
    return result


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        print(json.dumps(_measure(sys.argv[2])))
        return
    header = f"{'document':<14}{'ours s':>9}{'raw WeasyPrint s':>19}{'ratio':>8}"
    print(f"{header}{'peak MiB':>10}{'KiB':>8}{'seal s':>9}")
    for kind in KINDS:
        out = (
            subprocess.run(  # noqa: S603 - this script itself
                [sys.executable, __file__, "--one", kind],
                capture_output=True,
                text=True,
                check=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        row = json.loads(out)
        ratio = row["seconds"] / row["raw_seconds"] if row["raw_seconds"] else float("nan")
        print(
            f"{kind:<14}{row['seconds']:>9.2f}{row['raw_seconds']:>19.2f}{ratio:>8.2f}"
            f"{row['peak_mib']:>10.0f}{row['bytes'] / 1024:>8.0f}{row['seal_seconds']:>9.3f}"
        )
    print("(packet: 'raw' renders only its agenda; the rest of its time is joining 40 PDFs)")
    print("(seal: what sealing adds, signing with B-LT data and checking the seal; the packet")
    print(" is never sealed, measured for its size; targets: extract < 0.3 s, protocol < 1 s)")


if __name__ == "__main__":
    main()
