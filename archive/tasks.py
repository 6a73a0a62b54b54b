"""The archive room's task: building a delivery (a job row records it)."""

from __future__ import annotations

from celery import Task, shared_task

from archive import services
from base.jobs import JOB_TASK, run_task


@shared_task(**JOB_TASK)
def build_archive_export(self: Task, export_id: int) -> int:
    """Build one delivery to the e-archive (an E-ARK SIP); the row records the result."""
    return run_task(
        self, services.archive_export_run, services.archive_export_failed, export_id=export_id
    )
