"""A decision's extract while the worker is busy (issue 31): the time from asking for a
justerad §'s extract to its sealed file, with the ordinary worker (one process) given 40
protocols to render and seal first, and the priority worker beside it.

Run against a database with the demo (justerade protocols) and a real broker, e.g.
``DATABASE_URL=… CELERY_BROKER_URL=redis://127.0.0.1:6379/9 SAMVERKAN_TASK_QUEUE=prio-bench
.venv/bin/python bench/priority.py``. Prints the five times and how many of the
protocols still waited when the last extract was ready."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
import django

django.setup()
from django.db import transaction  # noqa: E402 - after django.setup()

from councils import services  # noqa: E402
from councils.models import Meeting, Paragraph, RenderJob  # noqa: E402

env = dict(os.environ)
q = env.get("SAMVERKAN_TASK_QUEUE", "celery")


def start(name, queues):
    return subprocess.Popen(  # noqa: S603 - our own worker command
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "samverkan",
            "worker",
            "--concurrency=1",
            "--loglevel=WARNING",
            f"--queues={queues}",
            f"--hostname={name}@%h",
        ],
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


workers = [start("main", q), start("prio", q + "-priority")]
time.sleep(8)
try:
    meetings = list(Meeting.objects.filter(protocol__status="justerat")[:40])
    busy = []
    with transaction.atomic():
        for m in meetings:  # new internal protocol renderings: the bulk
            job = RenderJob.objects.create(kind=RenderJob.Kind.PROTOCOL, meeting=m, internal=True)
            busy.append(job)
            services.renderjobs._render_job_enqueue(job)
    time.sleep(2)
    results = []
    for p in Paragraph.objects.filter(approved_at__isnull=False, public=True).order_by("-pk")[:5]:
        t = time.perf_counter()
        with transaction.atomic():
            job = RenderJob.objects.create(
                kind=RenderJob.Kind.EXTRACT, meeting=p.meeting, paragraph=p
            )
            services.renderjobs._render_job_enqueue(job)
        while RenderJob.objects.filter(pk=job.pk, status=RenderJob.Status.DONE).count() == 0:
            time.sleep(0.02)
            if time.perf_counter() - t > 60:
                break
        results.append(time.perf_counter() - t)
    pending = RenderJob.objects.filter(pk__in=[j.pk for j in busy]).exclude(status="klar").count()
    print(
        "extract ask→sealed file, s:",
        [round(r, 2) for r in results],
        "; bulk jobs still waiting:",
        pending,
        "of",
        len(busy),
    )
finally:
    for w in workers:
        os.killpg(w.pid, signal.SIGTERM)
