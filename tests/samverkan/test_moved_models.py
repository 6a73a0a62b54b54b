"""Models moved between apps keep every row (issue 29): a database migrated from the
release before the move, with data in the moved tables, migrates forward and the new
app reads the same rows, its content type (and so its permissions) moved along."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

#: The last migration of councils before the move.
COUNCILS_BEFORE = ("councils", "0031_agenda_item_personal_data")


@pytest.mark.django_db(transaction=True)
def test_a_database_with_identities_and_deliveries_migrates_forward_and_keeps_them() -> None:
    executor = MigrationExecutor(connection)
    before = [
        node
        for node in executor.loader.graph.leaf_nodes()
        if node[0] not in ("councils", "identity", "archive")
    ] + [COUNCILS_BEFORE]
    executor.migrate([*before, ("identity", None), ("archive", None)])
    old = executor.loader.project_state(before).apps
    user = old.get_model("samverkan", "User").objects.create(username="anna")
    old.get_model("councils", "ExternalIdentity").objects.create(
        user=user, provider="krokom", subject="sub-1", linked_by="email"
    )
    from tests.factories import make_case  # councils' tables are as they were

    case = old.get_model("councils", "Case").objects.get(pk=make_case().pk)
    export = old.get_model("councils", "ArchiveExport").objects.create(
        scope="arende", case=case, status="klar", sha256="0" * 64
    )
    old.get_model("councils", "ArchiveDownload").objects.create(export=export, user=user)
    content_types = old.get_model("contenttypes", "ContentType")
    for model in ("externalidentity", "archiveexport", "archivedownload"):
        content_types.objects.get_or_create(app_label="councils", model=model)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    from django.contrib.contenttypes.models import ContentType

    from identity.models import ExternalIdentity

    (moved,) = ExternalIdentity.objects.all()
    assert (moved.provider, moved.subject, moved.user.username) == ("krokom", "sub-1", "anna")
    assert ContentType.objects.filter(app_label="identity", model="externalidentity").exists()
    assert not ContentType.objects.filter(app_label="councils", model="externalidentity").exists()

    from archive.models import ArchiveDownload, ArchiveExport

    (delivered,) = ArchiveExport.objects.all()
    assert (delivered.pk, delivered.case_id, delivered.status) == (export.pk, case.pk, "klar")
    assert ArchiveDownload.objects.get().export_id == export.pk
    assert ContentType.objects.filter(app_label="archive", model="archiveexport").exists()
