"""``make run``: Django's development server and a Celery worker with beat, started
and stopped together by ``samverkan.supervise`` (Ctrl-C stops both, leaving nothing
behind)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from samverkan import supervise

ROOT = Path(__file__).resolve().parent.parent


def main(address: str) -> int:
    # The portal's own 404 and 500 pages, as in production; DJANGO_DEBUG=1 make run
    # shows Django's debug pages instead.
    env = {**os.environ}
    data = Path(env.get("SAMVERKAN_DATA_DIR", ROOT / ".data"))
    return supervise.run(
        [
            supervise.worker(schedule=data / "celerybeat-schedule", concurrency=2),
            supervise.priority_worker(),
            supervise.Service("web", [sys.executable, "manage.py", "runserver", address], grace=10),
        ],
        env=env,
        cwd=ROOT,
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:8000"))
