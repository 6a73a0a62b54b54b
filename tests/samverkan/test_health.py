"""/healthz answers whether the database, the broker and a worker answer. The
worker test starts a real Celery worker process on a broker of its own."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from celery import Celery
from django.conf import settings

from samverkan import views

pytestmark = pytest.mark.django_db


def _app_for(broker_dir: Path | None) -> Celery:
    """A Celery app like the portal's, on the configured broker, or (with
    ``broker_dir``) on a file-system broker of the test's own."""
    app = Celery("samverkan-test", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    if broker_dir is not None and settings.CELERY_BROKER_URL.startswith("filesystem"):
        for sub in ("queue", "processed", "control"):
            (broker_dir / sub).mkdir(parents=True, exist_ok=True)
        app.conf.broker_transport_options = {
            "data_folder_in": str(broker_dir / "queue"),
            "data_folder_out": str(broker_dir / "queue"),
            "processed_folder": str(broker_dir / "processed"),
            "control_folder": str(broker_dir / "control"),
        }
    return app


def test_no_worker_is_reported(client: Any, monkeypatch: Any, tmp_path: Path) -> None:
    if not settings.CELERY_BROKER_URL.startswith("filesystem"):
        pytest.skip("a shared broker may have workers of other processes")
    monkeypatch.setattr(views, "celery_app", _app_for(tmp_path / "broker"))
    response = client.get("/healthz")
    assert response.status_code == 503
    report = response.json()
    assert report["checks"]["database"]["ok"] is True
    assert report["checks"]["broker"]["ok"] is True
    assert report["checks"]["worker"] == {"ok": False, "detail": "no worker answered"}


def test_unreachable_broker_is_reported(client: Any, monkeypatch: Any) -> None:
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)  # Celery prefers it to the argument
    app = Celery("samverkan-broken", broker="redis://127.0.0.1:1/0", set_as_current=False)
    app.conf.broker_connection_timeout = 1
    monkeypatch.setattr(views, "celery_app", app)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["ok"] is False


@pytest.mark.worker
@pytest.mark.xdist_group("celery-worker")
def test_a_running_worker_makes_health_ok(client: Any, monkeypatch: Any, tmp_path: Path) -> None:
    broker_dir = tmp_path / "broker"
    app = _app_for(broker_dir)
    monkeypatch.setattr(views, "celery_app", app)
    env = {**os.environ, "SAMVERKAN_BROKER_DIR": str(broker_dir)}
    worker = subprocess.Popen(  # noqa: S603 - our own worker command
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "samverkan",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            f"--hostname=healthtest-{os.getpid()}@%h",
        ],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        report: dict[str, Any] = {}
        while time.monotonic() < deadline:
            response = client.get("/healthz")
            report = response.json()
            if response.status_code == 200:
                break
            assert worker.poll() is None, worker.stderr.read().decode() if worker.stderr else ""
            time.sleep(1)
        assert report.get("ok") is True, report
        assert report["checks"]["worker"]["ok"] is True
    finally:
        worker.terminate()
        worker.wait(timeout=30)
