"""Health of the parts the portal needs: database, broker and at least one worker."""

from __future__ import annotations

from typing import Any

from django.db import connection


def check_database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True, "ok"
    except Exception as error:
        return False, type(error).__name__


def check_broker(app: Any) -> tuple[bool, str]:
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True, "ok"
    except Exception as error:
        return False, type(error).__name__


def check_worker(app: Any, timeout: float = 1.5) -> tuple[bool, str]:
    try:
        replies = app.control.ping(timeout=timeout, limit=1)
    except Exception as error:
        return False, type(error).__name__
    if not replies:
        return False, "no worker answered"
    return True, f"{len(replies)} answering"


def health_report(app: Any) -> dict[str, Any]:
    database = check_database()
    broker = check_broker(app)
    worker = check_worker(app) if broker[0] else (False, "broker unavailable")
    checks = {
        "database": {"ok": database[0], "detail": database[1]},
        "broker": {"ok": broker[0], "detail": broker[1]},
        "worker": {"ok": worker[0], "detail": worker[1]},
    }
    return {"ok": all(c["ok"] for c in checks.values()), "checks": checks}
