"""Models moved between apps keep every row (issue 29): a database migrated from the
release before the moves, with data in the moved tables, migrates forward and the new
apps read the same rows, their content types (and so their permissions) moved along;
a verksamhetsberättelse's PDF job keeps its version, now linked on the follow-up's side."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

#: The last migration of councils before the move.
COUNCILS_BEFORE = ("councils", "0031_agenda_item_personal_data")
FOLLOWUPS_BEFORE = ("followups", "0007_section_recount")


@pytest.mark.django_db(transaction=True)
def test_a_database_from_before_the_moves_migrates_forward_and_keeps_every_row() -> None:
    executor = MigrationExecutor(connection)
    before = [
        node
        for node in executor.loader.graph.leaf_nodes()
        if node[0]
        not in ("councils", "identity", "archive", "followups", "recommendations", "search")
    ] + [COUNCILS_BEFORE, FOLLOWUPS_BEFORE]
    later = [("identity", None), ("archive", None), ("recommendations", None), ("search", None)]
    executor.migrate([*before, *later])
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
    from councils.models import Organisation
    from tests.factories import make_agreement

    party = Organisation.objects.create(name="Krokoms kommun", kind="kommun", slug="krokom")
    report = old.get_model("followups", "Report").objects.create(
        agreement_id=make_agreement(parties=[party]).pk, year=2019
    )
    version = old.get_model("followups", "ReportVersion").objects.create(
        report=report, number=1, snapshot={}
    )
    report_job = old.get_model("councils", "RenderJob").objects.create(
        kind="verksamhetsberattelse", report_version=version
    )
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

    from followups.models import ReportRendering

    (link,) = ReportRendering.objects.all()
    assert (link.job_id, link.version_id) == (report_job.pk, version.pk)
