"""Backup → wipe → restore: every table's row count and every file's checksum come
back; a damaged backup or a non-empty target is refused."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import FileSystemStorage, default_storage

from councils import services
from councils.models import Document
from samverkan import backup as backups
from tests.conftest import connect_to
from tests.files import pdf_bytes

pytestmark = pytest.mark.django_db(transaction=True)


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

    restored_media = FileSystemStorage(location=tmp_path / "restored-media")
    result = backups.restore(folder, db=empty_database, storage=restored_media)
    with connect_to(empty_database, empty_database["NAME"]) as conn, conn.cursor() as cursor:
        assert backups.row_counts(cursor) == result["database"]["rows"]
    assert backups.row_counts()["councils_document"] == 3
    assert backups.storage_checksums(restored_media) == backups.storage_checksums(default_storage)
    assert backups.file_checksums(Path(restored_media.location)) == result["files"]

    with pytest.raises(backups.BackupError, match="not empty"):  # never over live data
        backups.restore(
            folder, db=empty_database, storage=FileSystemStorage(location=tmp_path / "other")
        )


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
        backups.restore(folder, storage=FileSystemStorage(location=tmp_path / "restored"))
