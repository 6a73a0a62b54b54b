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
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

from samverkan import supervise
from samverkan.secret_key import installation_secret_key

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / ".data"


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    if not env.get("DATABASE_URL"):
        from samverkan.embedded_db import embedded_database

        db = embedded_database(DATA, env.get("SAMVERKAN_EMBEDDED_DATABASE", "samverkan"))
        env["DATABASE_URL"] = f"postgres://postgres@{quote(db['HOST'], safe='')}/{db['NAME']}"
    if not env.get("DJANGO_SECRET_KEY"):
        env["DJANGO_SECRET_KEY"] = installation_secret_key(DATA)
    env.setdefault("DJANGO_ENV", "production")
    env.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
    env.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")  # plain HTTP on this machine only
    env.setdefault("SAMVERKAN_ALLOW_DEMO_ACCOUNTS", "1")  # for trying it; never in a real one
    env.setdefault("SAMVERKAN_COOKIES_SECURE", "0")
    # One machine, declared: its folder cache and broker, local files, demo seal and
    # generated SAML keys are shared by all its processes (samverkan/checks.py warns).
    env.setdefault("SAMVERKAN_ONE_MACHINE", "1")
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
    print(f"Samverkansportalen (production settings): http://{bind}/  (Ctrl-C stops)", flush=True)
    gunicorn = [python, "-m", "gunicorn", "samverkan.wsgi", "--bind", bind,
                "--workers", workers, "--access-logfile", "-"]  # fmt: skip
    return supervise.run(
        [
            supervise.worker(schedule=DATA / "celerybeat-schedule"),
            supervise.priority_worker(),
            supervise.Service("web", gunicorn),
        ],
        env=env,
        cwd=ROOT,
    )


if __name__ == "__main__":
    sys.exit(main())
