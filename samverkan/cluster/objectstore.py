"""The S3-compatible object store of ``make cluster`` and the multi-node tests: s3rver
(npm, installed by ``make objectstore-tools`` into this folder), a Node.js server process
that speaks the S3 protocol over HTTP and keeps each bucket's objects in a folder, so
they outlive a restart and every process that speaks S3 sees the same objects. It
checks no credentials: for one machine and the tests, never for a real installation
(docs/deployment.md)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROGRAM = HERE / "node_modules" / "s3rver" / "bin" / "s3rver.js"
#: s3rver's fixed credentials (it accepts any, and signs its answers with these).
ACCESS_KEY = "S3RVER"
SECRET_KEY = "S3RVER"  # noqa: S105 - the object store's published test credentials


@dataclass(frozen=True)
class ObjectStore:
    endpoint: str
    buckets: tuple[str, ...]

    def environment(self, bucket: str) -> dict[str, str]:
        """What a node sets to keep its files in ``bucket`` (samverkan/settings.py)."""
        return {
            "SAMVERKAN_S3_BUCKET": bucket,
            "SAMVERKAN_S3_ENDPOINT_URL": self.endpoint,
            "SAMVERKAN_S3_ACCESS_KEY_ID": ACCESS_KEY,
            "SAMVERKAN_S3_SECRET_ACCESS_KEY": SECRET_KEY,
            "SAMVERKAN_S3_REGION": "us-east-1",
        }


def available() -> bool:
    return PROGRAM.exists() and shutil.which("node") is not None


def start(
    folder: Path, *, port: int, buckets: tuple[str, ...], log: Path | None = None
) -> tuple[subprocess.Popen[bytes], ObjectStore]:
    """Start s3rver on 127.0.0.1:``port`` with ``buckets`` under ``folder``; returns once
    it answers."""
    folder.mkdir(parents=True, exist_ok=True)
    arguments = ["node", str(PROGRAM), "--address", "127.0.0.1", "--port", str(port)]
    arguments += ["--directory", str(folder), "--silent"]
    for bucket in buckets:
        arguments += ["--configure-bucket", bucket]
    output = log.open("ab") if log else subprocess.DEVNULL
    process = subprocess.Popen(arguments, stdout=output, stderr=output)  # noqa: S603
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"s3rver stopped at start (exit {process.returncode})")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return process, ObjectStore(f"http://127.0.0.1:{port}", buckets)
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("s3rver did not answer within 30 s")
