"""Runs on many machines (issue 33), the parts one process shows: the files in an S3
bucket of a real object store (s3rver, a server process), written and read only through
the storage API, downloads streamed from it after the same gate, a backup of one bucket
restored into another; and production refusing to start where one node would keep to
itself what every node must share. The drill over two web nodes is
tests/samverkan/test_cluster.py."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.test import override_settings

from councils.models import Document
from samverkan import backup as backups
from samverkan import checks
from samverkan.cluster import objectstore
from samverkan.settings import s3_storage
from tests.conftest import client_for
from tests.factories import make_document
from tests.files import pdf_bytes

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[objectstore.ObjectStore]:
    """s3rver on a free port with three buckets, its objects in a folder of the test's."""
    process, found = objectstore.start(
        tmp_path_factory.mktemp("objects"),
        port=_free_port(),
        buckets=("portal", "restored", "empty"),
    )
    yield found
    process.terminate()
    process.wait(timeout=10)


def _storage_settings(store: objectstore.ObjectStore, bucket: str, prefix: str) -> dict[str, Any]:
    env = store.environment(bucket)
    return {
        "default": s3_storage(
            bucket,
            endpoint=env["SAMVERKAN_S3_ENDPOINT_URL"],
            access_key=env["SAMVERKAN_S3_ACCESS_KEY_ID"],
            secret_key=env["SAMVERKAN_S3_SECRET_ACCESS_KEY"],
            region=env["SAMVERKAN_S3_REGION"],
            prefix=prefix,
        ),
        "staticfiles": settings.STORAGES["staticfiles"],
    }


@pytest.fixture
def in_bucket(store: objectstore.ObjectStore) -> Iterator[str]:
    """The portal's files in the bucket ``portal`` under a prefix of this test's own."""
    prefix = f"t-{uuid.uuid4().hex[:8]}"
    with override_settings(STORAGES=_storage_settings(store, "portal", prefix)):
        yield prefix


def _objects(store: objectstore.ObjectStore, bucket: str, prefix: str) -> dict[str, bytes]:
    client = boto3.client(
        "s3",
        endpoint_url=store.endpoint,
        aws_access_key_id=objectstore.ACCESS_KEY,
        aws_secret_access_key=objectstore.SECRET_KEY,
        region_name="us-east-1",
    )
    listed = client.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", [])
    return {
        item["Key"]: client.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
        for item in listed
    }


def _register(world: dict[str, Any], data: bytes, name: str = "bilaga.pdf") -> Document:
    return make_document(
        case=world["case"],
        read=False,  # the worker's reading of its text is not what this is about
        subject="Lagrad i objektlagret",
        upload=io.BytesIO(data),
        upload_name=name,
        upload_size=len(data),
    )


@pytest.mark.django_db
def test_a_handling_is_an_object_in_the_bucket_and_its_download_streams_from_it(
    world: dict[str, Any], store: objectstore.ObjectStore, in_bucket: str, tmp_path: Path
) -> None:
    # A PDF of about 9 MiB: past what a read of the storage keeps in memory. The tail
    # is every byte value in turn, not random bytes: 9 MiB of those hold a "/JS" (an
    # active-content mark the upload check refuses) in about two runs of five.
    data = pdf_bytes("Stor bilaga " + "x" * 200) + bytes(range(256)) * (9 * 4096)
    document = _register(world, data)
    stored = _objects(store, "portal", in_bucket)
    assert list(stored.values()) == [data]
    assert list(stored) == [f"{in_bucket}/{document.file.name}"]
    assert not Path(settings.PRIVATE_MEDIA_ROOT, document.file.name).exists()

    response = client_for(world["secretariat"]).get(f"/handlingar/{document.pk}/fil/")
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Length"] == str(len(data))
    assert b"".join(response.streaming_content) == data
    # The same gate: the public is not let through to a confidential handling.
    Document.objects.filter(pk=document.pk).update(
        confidential=True,
        secrecy_provision="OSL 21 kap. 1 §",
        secrecy_date=document.document_date,
        secrecy_authority="Regionstyrelsen",
    )
    assert client_for(None).get(f"/handlingar/{document.pk}/fil/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_backup_of_a_bucket_restores_into_another(
    world: dict[str, Any], store: objectstore.ObjectStore, tmp_path: Path, request: Any
) -> None:
    prefix = f"t-{uuid.uuid4().hex[:8]}"
    with override_settings(STORAGES=_storage_settings(store, "portal", prefix)):
        first, second = pdf_bytes("Ett"), pdf_bytes("Två")
        _register(world, first, "ett.pdf")
        _register(world, second, "tva.pdf")
        folder = backups.backup(tmp_path / "backups")
        source = backups.storage_checksums(storages["default"])
    assert len(source) == 2
    empty_database = request.getfixturevalue("empty_database")
    target = _storage_settings(store, "restored", prefix)
    with override_settings(STORAGES=target):
        restored = backups.restore(folder, db=empty_database)
        assert backups.storage_checksums(storages["default"]) == source == restored["files"]
    assert sorted(_objects(store, "restored", prefix).values()) == sorted([first, second])
    # A bucket that holds anything is never restored over.
    with (
        override_settings(STORAGES=target),
        pytest.raises(backups.BackupError, match="the bucket restored is not empty"),
    ):
        backups.restore(folder, db=empty_database)
    # Into a folder just as well.
    other = tmp_path / "folder"
    with pytest.raises(backups.BackupError, match="database"):  # restored already
        backups.restore(folder, db=empty_database, storage=FileSystemStorage(location=other))


# --- Production refuses what one node would keep to itself -------------------------------


SHARED = {
    "CACHES": {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache"}},
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/3",
    "STORAGES": {"default": {"BACKEND": "storages.backends.s3.S3Storage"}},
}


def _ids(**overrides: Any) -> list[str]:
    with override_settings(PRODUCTION=True, **overrides):
        return [message.id or "" for message in checks.shared_by_every_node()]


def test_production_names_each_thing_one_node_would_keep(monkeypatch: Any) -> None:
    monkeypatch.delenv("SAMVERKAN_SEAL_PKCS12", raising=False)
    monkeypatch.delenv("SAMVERKAN_SEAL_PKCS11_MODULE", raising=False)
    local = {
        "CACHES": {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache"}},
        "CELERY_BROKER_URL": "filesystem://localhost/",
        "STORAGES": {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}},
        "SAMVERKAN_MEDIA_SHARED": False,
        "SAMVERKAN_ONE_MACHINE": False,
    }
    assert _ids(**local) == [
        "samverkan.E001",
        "samverkan.E002",
        "samverkan.E003",
        "samverkan.E004",
    ]
    # Declared one machine (make run-prod): the same, as warnings.
    assert _ids(**{**local, "SAMVERKAN_ONE_MACHINE": True}) == [
        "samverkan.W001",
        "samverkan.W002",
        "samverkan.W003",
        "samverkan.W004",
    ]
    # A folder every node mounts, declared, is shared storage.
    assert "samverkan.E003" not in _ids(**{**local, "SAMVERKAN_MEDIA_SHARED": True})
    # The seal's key without its certificate chain: the verifying nodes would need the key.
    monkeypatch.setenv("SAMVERKAN_SEAL_PKCS12", "/etc/samverkan/sigill.p12")
    assert _ids(**SHARED) == ["samverkan.E005"]
    monkeypatch.setenv("SAMVERKAN_SEAL_CERTIFICATE", "/etc/samverkan/sigill-kedja.pem")
    assert _ids(**SHARED) == []
    # A web node verifies with the certificates alone; a worker, which seals, needs the key.
    monkeypatch.delenv("SAMVERKAN_SEAL_PKCS12")
    assert _ids(**SHARED) == []
    with override_settings(PRODUCTION=True, **SHARED):
        worker = checks.shared_by_every_node(worker=True)
    assert [m.id for m in worker] == ["samverkan.E004"]
    assert "needs the seal's key" in worker[0].msg
    with override_settings(PRODUCTION=False, **local):  # development checks nothing of this
        assert checks.shared_by_every_node() == []


def test_saml_needs_a_key_pair_every_node_shares(monkeypatch: Any, tmp_path: Path) -> None:
    import json

    monkeypatch.setenv("SAMVERKAN_SEAL_PKCS12", "/etc/samverkan/sigill.p12")
    monkeypatch.setenv("SAMVERKAN_SEAL_CERTIFICATE", "/etc/samverkan/sigill-kedja.pem")
    declared = tmp_path / "providers.json"
    declared.write_text(
        json.dumps(
            [
                {
                    "slug": "berg",
                    "organisation": "bergs-kommun",
                    "protocol": "saml",
                    "metadata_url": "https://idp.berg.se/metadata",
                    "entity_id": "https://idp.berg.se",
                }
            ]
        )
    )
    with_saml = {**SHARED, "SAMVERKAN_SSO_PROVIDERS": str(declared)}
    assert _ids(**with_saml) == ["samverkan.E006"]
    paired = {"SAMVERKAN_SAML_KEY_FILE": "sp.key", "SAMVERKAN_SAML_CERT_FILE": "sp.crt"}
    assert _ids(**with_saml, **paired) == []


def test_a_production_node_refuses_to_start_and_says_why() -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SAMVERKAN_", "CELERY_"))
    }
    env |= {
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "portal.example.se",
        "DATABASE_URL": os.environ.get(
            "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/samverkan"
        ),
    }

    def run(*arguments: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603 - our own modules
            [sys.executable, *arguments],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    started = run("-c", "import samverkan.wsgi")
    assert started.returncode != 0
    assert "Production cannot start" in started.stderr
    for problem in ("samverkan.E001", "samverkan.E002", "samverkan.E003", "samverkan.E004"):
        assert problem in started.stderr
    checked = run("manage.py", "check", "--deploy")
    assert checked.returncode != 0
    assert "samverkan.E003" in checked.stderr


def test_a_production_worker_refuses_to_start_too(monkeypatch: Any) -> None:
    from django.core.exceptions import ImproperlyConfigured

    from samverkan.celery import _refuse_what_one_node_keeps

    monkeypatch.delenv("SAMVERKAN_SEAL_PKCS12", raising=False)
    monkeypatch.delenv("SAMVERKAN_SEAL_PKCS11_MODULE", raising=False)
    with (
        override_settings(PRODUCTION=True, SAMVERKAN_ONE_MACHINE=False, **SHARED),
        pytest.raises(ImproperlyConfigured, match=r"samverkan\.E004"),
    ):
        _refuse_what_one_node_keeps()  # celery's worker_init
    with override_settings(PRODUCTION=True, SAMVERKAN_ONE_MACHINE=True):
        _refuse_what_one_node_keeps()  # one machine, declared: it starts
