"""Backup → wipe → restore: every table's row count and every file's checksum come
back; a damaged backup or a non-empty target is refused."""

from __future__ import annotations

import io
import uuid
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import connection

from councils import services
from councils.models import Document
from samverkan import backup as backups
from tests.files import pdf_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def _connect(db: dict[str, Any], name: str) -> psycopg.Connection[Any]:
    return psycopg.connect(
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
        dbname=name,
        autocommit=True,
    )


@pytest.fixture
def empty_database() -> Any:
    """A new, empty database on the same server: the wiped installation."""
    db = connection.settings_dict
    name = f"restore_{uuid.uuid4().hex[:10]}"
    with _connect(db, "postgres") as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield {**db, "NAME": name}
    with _connect(db, "postgres") as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_backup_wipe_restore_gives_back_every_row_and_file(
    world: dict[str, Any], empty_database: dict[str, Any], tmp_path: Path
) -> None:
    data = pdf_bytes("Protokoll")
    services.document_register(
        actor=None,
        case=world["case"],
        kind=Document.Kind.MEMO,
        subject="Med fil",
        direction=Document.Direction.DRAWN_UP,
        document_date=world["case"].registered_on,
        upload=io.BytesIO(data),
        upload_name="protokoll.pdf",
        upload_size=len(data),
    )
    folder = backups.backup(tmp_path / "backups")
    manifest = (folder / backups.MANIFEST).read_text()
    assert "councils_document" in manifest
    assert len(backups.file_checksums(folder / backups.FILES)) == 1

    restored_media = tmp_path / "restored-media"
    result = backups.restore(folder, db=empty_database, media=restored_media)
    with _connect(empty_database, empty_database["NAME"]) as conn, conn.cursor() as cursor:
        assert backups.row_counts(cursor) == result["database"]["rows"]
    assert backups.row_counts()["councils_document"] == 3
    assert backups.file_checksums(restored_media) == backups.file_checksums(backups.media_root())

    with pytest.raises(backups.BackupError, match="not empty"):  # never over live data
        backups.restore(folder, db=empty_database, media=tmp_path / "other-media")


def test_a_damaged_backup_is_refused(world: dict[str, Any], tmp_path: Path) -> None:
    services.document_register(
        actor=None,
        case=world["case"],
        kind=Document.Kind.MEMO,
        subject="Med fil",
        direction=Document.Direction.DRAWN_UP,
        document_date=world["case"].registered_on,
        upload=io.BytesIO(pdf_bytes()),
        upload_name="a.pdf",
        upload_size=len(pdf_bytes()),
    )
    folder = backups.backup(tmp_path / "backups")
    stored = next((folder / backups.FILES).rglob("*.pdf"))
    stored.write_bytes(b"%PDF-1.4 changed")
    with pytest.raises(backups.BackupError, match="checksums"):
        backups.restore(folder, media=tmp_path / "restored")
