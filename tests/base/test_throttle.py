"""The fixed-window limit (base/throttle.py): a window is fixed by the clock, so a
count never pushes its end further out, and counts are atomic in the file cache that
``make run`` uses (the probe: 30 checks per 10 minutes reset after about 5 minutes)."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from base import throttle
from tests.conftest import client_for
from tests.files import pdf_bytes


@pytest.fixture
def file_cache(settings: Any, tmp_path: Path) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }


@pytest.mark.django_db
def test_the_verification_limit_holds_for_its_whole_window(
    file_cache: None, monkeypatch: Any
) -> None:
    """The file cache's ``incr`` sets a key's lifetime anew (to its default 300 s): the
    count of 30 checks began again after five minutes. The window is the clock's."""
    start = (time.time() // 600 + 1) * 600 + 1  # one second into a window
    clock = [start]
    monkeypatch.setattr(time, "time", lambda: clock[0])
    client = client_for(None)
    data = pdf_bytes("Kontroll")

    def check() -> int:
        upload = SimpleUploadedFile("a.pdf", data, "application/pdf")
        return int(client.post("/verifiera/", {"file": upload}).status_code)

    assert [check() for _ in range(30)] == [200] * 30
    assert check() == 429
    clock[0] = start + 301  # past the file cache's default lifetime
    assert check() == 429
    clock[0] = start + 598  # the window's last second
    assert check() == 429
    clock[0] = start + 599  # the next window
    assert check() == 200


def test_counting_in_the_file_cache_is_atomic(file_cache: None) -> None:
    """Eight threads counting at once lose no count."""
    counts: list[int] = []

    def count() -> None:
        for _ in range(25):
            counts.append(throttle.count("atomic", seconds=600))

    threads = [threading.Thread(target=count) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(counts) == list(range(1, 201))
