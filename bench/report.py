"""Compile time, render time and peak memory of a verksamhetsberättelse of about 100
pages: eight kommuner, six areas, three follow-ups with a dialogue per kommun and long
answers, a full årsplan, uppdrag, assessments and 45 narrative sections.

Usage: .venv/bin/python bench/report.py
Measured in a fresh process (a warm-up render of a small report first), on data made
inside a transaction that is rolled back, so the database is left as it was. Peak
memory is the process's maximum resident size.
"""

from __future__ import annotations

import datetime
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WORDS = (
    "Region Jämtland Härjedalen samverkar med länets kommuner om regional utveckling, "
    "kompetensförsörjning, infrastruktur, digitalisering och folkhälsa, och redovisar "
    "årligen hur överenskommelsen fullföljts så att kommunerna kan bedöma den. "
)


def _setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
    import django

    django.setup()


def _build(sections: int) -> Any:
    from agreements import services as agreement_services
    from agreements.models import Agreement, Area
    from councils import services as council_services
    from councils.models import Body, Diarium, Organisation
    from followups import services
    from followups.models import Assessment

    stamp = time.time_ns()
    region = Organisation.objects.create(
        name=f"Bench region {stamp}", slug=f"r-{stamp}", kind="region"
    )
    kommuner = [
        Organisation.objects.create(
            name=f"Bench kommun {i} {stamp}",
            short_name=f"Kommun {i}",
            slug=f"k{i}-{stamp}",
            kind="kommun",
        )
        for i in range(8)
    ]
    body = Body.objects.create(
        name=f"Bench {stamp}", slug=f"b-{stamp}", kind="namnd", organisation=region
    )
    diarium, _ = Diarium.objects.get_or_create(prefix="BENCH", defaults={"name": "Bench"})
    case = council_services.case_register(actor=None, diarium=diarium, body=body, title="Avtal")
    agreement: Agreement = agreement_services.agreement_save(
        actor=None,
        parties=[region, *kommuner],
        case=case,
        kind="kommunal",
        title="Överenskommelse om regional samverkan (bench)",
        valid_from=datetime.date(2019, 1, 1),
        valid_until=datetime.date(2021, 12, 31),
        adopted_by=body,
        adopted_on=datetime.date(2018, 6, 20),
        responsible_body=body,
    )
    areas = [
        agreement_services.record_save(
            actor=None,
            instance=Area(agreement=agreement, position=i, name=f"Område {i} om samverkan"),
        )
        for i in range(6)
    ]
    agreement_services.annual_plan_create_standard(
        actor=None, agreement=agreement, year=2020, owner=region
    )
    for f in range(3):
        followup = services.followup_create(
            actor=None,
            agreement=agreement,
            year=2020,
            title=f"Uppföljning {f}",
            body=body,
            questions=[f"Fråga {q} om hur samverkan fungerar?" for q in range(4)],
        )
        questions = list(followup.questions.all())
        for dialogue in followup.dialogues.all():
            services.dialogue_record(
                actor=None,
                dialogue=dialogue,
                held_on=datetime.date(2020, 3, 1),
                answers=dict.fromkeys(questions, WORDS * 3),
            )
    for kommun in kommuner:
        for area in areas:
            Assessment.objects.create(area=area, organisation=kommun, year=2020, score=3)
    for i in range(20):
        services.assignment_create(
            actor=None,
            given_by=body,
            given_on=datetime.date(2020, 1, 1),
            agreement=agreement,
            title=f"Uppdrag {i}",
            owner="Regiondirektören",
            due_on=datetime.date(2020, 12, 31),
        )
    report = services.report_get_or_create(actor=None, agreement=agreement, year=2020)
    for s in range(sections):
        services.section_save(
            actor=None,
            report=report,
            heading=f"Avsnitt {s + 1}",
            body="\n\n".join([WORDS * 4] * 5) + "\n\n- en punkt\n- en till punkt",
        )
    return report


def _measure(sections: int) -> dict[str, Any]:
    _setup()
    import io

    from django.db import transaction
    from pypdf import PdfReader

    from followups.models import ReportVersion
    from followups.pdfs import report_pdf
    from followups.snapshot import report_snapshot

    class Rollback(Exception):
        pass

    result: dict[str, Any] = {"sections": sections}
    try:
        with transaction.atomic():
            report_pdf(  # warm-up: fonts, templates, WeasyPrint's imports
                ReportVersion(
                    report=_build(1), number=1, snapshot=report_snapshot(report=_build(1))
                )
            )
            report = _build(sections)
            start = time.perf_counter()
            snapshot = report_snapshot(report=report)
            result["compile_s"] = round(time.perf_counter() - start, 3)
            version = ReportVersion(report=report, number=1, snapshot=snapshot)
            start = time.perf_counter()
            data = report_pdf(version)
            result["render_s"] = round(time.perf_counter() - start, 2)
            result["pages"] = len(PdfReader(io.BytesIO(data)).pages)
            result["size_kib"] = len(data) // 1024
            raise Rollback
    except Rollback:
        pass
    result["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    return result


def main() -> None:
    if len(sys.argv) > 1:
        print(json.dumps(_measure(int(sys.argv[1]))))
        return
    out = (
        subprocess.run(  # noqa: S603 - this script itself
            [sys.executable, __file__, "45"], check=True, capture_output=True, text=True
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    figures = json.loads(out)
    print(
        f"verksamhetsberättelse: {figures['pages']} pages, {figures['size_kib']} KiB; "
        f"compile {figures['compile_s']} s, render {figures['render_s']} s, "
        f"peak {figures['peak_mib']} MiB"
    )


if __name__ == "__main__":
    main()
