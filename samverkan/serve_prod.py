"""``make run-prod``: the production configuration on one machine, for trying it.

gunicorn with several workers serves the portal (WhiteNoise serves the collected static
files), and a real Celery worker with beat runs beside it. Settings are production's
(``DJANGO_ENV=production``); what a real installation sets in its environment gets a
local default here: the embedded PostgreSQL when no ``DATABASE_URL`` is set, a secret
key kept in ``.data/secret-key``, plain HTTP on 127.0.0.1. ``docs/deployment.md``
describes a real installation.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / ".data"


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    if not env.get("DATABASE_URL"):
        from samverkan.embedded_db import embedded_database

        db = embedded_database(DATA, env.get("SAMVERKAN_EMBEDDED_DATABASE", "samverkan"))
        env["DATABASE_URL"] = f"postgres://postgres@{quote(db['HOST'], safe='')}/{db['NAME']}"
    key_file = DATA / "secret-key"
    if not env.get("DJANGO_SECRET_KEY"):
        if not key_file.exists():
            DATA.mkdir(parents=True, exist_ok=True)
            key_file.write_text(secrets.token_urlsafe(50))
            key_file.chmod(0o600)
        env["DJANGO_SECRET_KEY"] = key_file.read_text().strip()
    env.setdefault("DJANGO_ENV", "production")
    env.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
    env.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")  # plain HTTP on this machine only
    env.setdefault("SAMVERKAN_ALLOW_DEMO_ACCOUNTS", "1")  # for trying it; never in a real one
    env.setdefault("SAMVERKAN_COOKIES_SECURE", "0")
    return env


def main() -> int:
    env = _environment()
    python = sys.executable
    bind = env.get("BIND", "127.0.0.1:8000")
    workers = env.get("WEB_WORKERS", "4")
    for step in (
        ["manage.py", "migrate", "--noinput"],
        ["manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        ["manage.py", "load_demo", "--with-accounts"],
    ):
        subprocess.run([python, *step], cwd=ROOT, env=env, check=True)  # noqa: S603
    processes = [
        subprocess.Popen(  # noqa: S603 - our own commands
            [python, "-m", "celery", "-A", "samverkan", "worker", "--beat",
             f"--schedule={DATA / 'celerybeat-schedule'}", "--loglevel=WARNING"],
            cwd=ROOT, env=env,
        ),
        subprocess.Popen(  # noqa: S603
            [python, "-m", "gunicorn", "samverkan.wsgi", "--bind", bind, "--workers", workers,
             "--access-logfile", "-"],
            cwd=ROOT, env=env,
        ),
    ]  # fmt: skip
    print(f"Samverkansportalen (production settings): http://{bind}/  (Ctrl-C stops)")

    def stop(*_args: object) -> None:
        for process in processes:
            if process.poll() is None:
                process.terminate()

    signal.signal(signal.SIGTERM, stop)
    try:
        while all(p.poll() is None for p in processes):
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        stop()
        for process in processes:
            process.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
