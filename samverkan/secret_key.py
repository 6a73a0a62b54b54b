"""The installation's own secret key when none is configured: random, made on the first
start and kept under the data folder, so nothing signed on one development install
(an unsubscribe link, a session) can be forged with a key published in the code."""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from pathlib import Path

FILE_NAME = "secret-key"


def installation_secret_key(data_dir: Path) -> str:
    """The key kept in ``data_dir/secret-key`` (mode 600), made first if missing.
    Several processes starting at once (web server, worker, test workers) agree on one
    key: the file is written aside and linked into place, which fails for all but the
    first."""
    path = data_dir / FILE_NAME
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=data_dir, prefix=".secret-key-")
    try:
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
        os.chmod(temporary, 0o600)
        with contextlib.suppress(FileExistsError):  # another process made it first
            os.link(temporary, path)
    finally:
        os.unlink(temporary)
    return path.read_text().strip()
