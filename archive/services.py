"""Archive: retention rules, gallring decisions, and deliveries to the e-archive.

The portal never destroys a handling by itself: ``disposal_due`` lists what the
dokumenthanteringsplan allows to destroy, and only ``disposal_decide``, given a
decision the secretariat records, removes the files; the registrations stay in the
diarium with the decision as their trace.
"""

from __future__ import annotations

import datetime
import os
import tempfile
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from archive import erms, sip
from archive.models import ArchiveDownload, ArchiveExport
from archive.selectors import disposal_due
from base import queue
from base.actors import Actor
from base.jobs import mark_failed, run_once
from councils.models import (
    Body,
    Case,
    Diarium,
    DisposalDecision,
    Document,
    Meeting,
    Paragraph,
    Protocol,
    RenderJob,
    RetentionRule,
)
from councils.services.common import _save
from councils.services.renderjobs import render_job_request, render_job_run

if TYPE_CHECKING:
    from base.accounts import User

# --- Retention rules (the dokumenthanteringsplan) ---------------------------------------


@transaction.atomic
def retention_rule_save(*, actor: Actor, rule: RetentionRule) -> RetentionRule:
    """Save a rule and record on every handling not yet destroyed the rule that now
    applies to it."""
    rule.full_clean()
    _save(rule, actor=actor)
    retention_rules_apply()
    return rule


@transaction.atomic
def retention_rule_delete(*, actor: Actor, rule: RetentionRule) -> None:
    if Document.objects.filter(retention_rule=rule, disposed_on__isnull=False).exists():
        raise ValidationError(
            _("Handlingar were destroyed under this rule: it stays as their record.")
        )
    Document.objects.filter(retention_rule=rule).update(retention_rule=None)
    rule.delete()
    retention_rules_apply()


def retention_rules_apply() -> int:
    """Record the applying rule on each handling not yet destroyed (a rule chosen per
    diarium and kind, the most specific first). Returns how many changed."""
    rules = list(RetentionRule.objects.all())
    changed = 0
    combinations = (
        Document.objects.filter(disposed_on__isnull=True)
        .values_list("case__diarium_id", "kind")
        .distinct()
    )
    for diarium_id, kind in combinations:
        fitting = [
            rule
            for rule in rules
            if rule.diarium_id in (None, diarium_id) and rule.document_kind in ("", kind)
        ]
        best = max(fitting, key=lambda rule: rule.specificity, default=None)
        changed += (
            Document.objects.filter(
                disposed_on__isnull=True, case__diarium_id=diarium_id, kind=kind
            )
            .exclude(retention_rule=best)
            .update(retention_rule=best)
        )
    return changed


# --- Gallring ----------------------------------------------------------------------------


@transaction.atomic
def disposal_decide(
    *,
    actor: Actor,
    document_ids: list[int],
    decided_on: datetime.date,
    reference: str,
    note: str = "",
) -> DisposalDecision:
    """Destroy the files of the chosen handlingar on a recorded decision. Each must be
    due; the registration stays (what, when, by which decision), the file and its text
    go. The files are removed once the transaction has committed."""
    if not document_ids:
        raise ValidationError(_("Choose the handlingar the decision concerns."))
    due = {
        d.pk: d for d in disposal_due().filter(pk__in=document_ids).select_for_update(of=("self",))
    }
    missing = sorted(set(document_ids) - set(due))
    if missing:
        raise ValidationError(
            _("%(count)s of the chosen handlingar are not due for gallring.")
            % {"count": len(missing)},
            code="not_due",
        )
    decision = DisposalDecision(
        decided_on=decided_on, reference=reference.strip(), note=note.strip(), decided_by=actor
    )
    decision.full_clean()
    decision.save()
    today = timezone.localdate()
    stored: list[str] = []
    for document in due.values():
        if document.file:
            stored.append(document.file.name)
        document.file.name = ""
        document.text = ""
        document.disposed_on = today
        document.disposal_decision = decision
        _save(document, actor=actor)

    def remove_files() -> None:
        for name in stored:
            default_storage.delete(name)

    transaction.on_commit(remove_files)
    return decision


# --- Deliveries ---------------------------------------------------------------------------


@transaction.atomic
def archive_export_request(
    *,
    actor: Actor,
    scope: str,
    case: Case | None = None,
    diarium: Diarium | None = None,
    body: Body | None = None,
    year: int | None = None,
) -> ArchiveExport:
    """Ask the worker for a delivery; it is built once the transaction commits."""
    export = ArchiveExport(
        scope=scope,
        case=case if scope == ArchiveExport.Scope.CASE else None,
        diarium=diarium if scope == ArchiveExport.Scope.DIARIUM else None,
        body=body if scope == ArchiveExport.Scope.BODY else None,
        year=year if scope != ArchiveExport.Scope.CASE else None,
        requested_by=actor if getattr(actor, "pk", None) else None,
    )
    export.full_clean()
    if scope == ArchiveExport.Scope.DIARIUM and not _closed_cases(diarium, year).exists():
        raise ValidationError(
            _("No ärende of %(diarium)s was closed in %(year)s: there is nothing to deliver.")
            % {"diarium": diarium, "year": year}
        )
    if scope == ArchiveExport.Scope.BODY and not _justerade(body, year).exists():
        raise ValidationError(
            _("%(body)s has no justerat protocol of %(year)s: there is nothing to deliver.")
            % {"body": body, "year": year}
        )
    export.save()
    queue.send_on_commit("archive.tasks.build_archive_export", export.pk)
    return export


def _closed_cases(diarium: Diarium | None, year: int | None) -> QuerySet[Case]:
    return Case.objects.filter(diarium=diarium, status=Case.Status.CLOSED, closed_on__year=year)


def _justerade(body: Body | None, year: int | None) -> QuerySet[Protocol]:
    return Protocol.objects.filter(
        meeting__body=body, meeting__starts_at__year=year, approved_on__isnull=False
    )


@dataclass
class _Content:
    label: str
    aggregations: list[erms.Aggregation]
    classes: list[tuple[str, str]]


def _stored_file(
    path: str, name: str, mimetype: str, size: int, sha256: str, created: datetime.datetime
) -> erms.ArchiveFile:
    return erms.ArchiveFile(
        path=path,
        storage_name=name,
        mimetype=mimetype or "application/octet-stream",
        size=size,
        sha256=sha256,
        created=created,
    )


def _folder(text: str) -> str:
    return slugify(text.replace("/", "-")) or "arende"


def _pdf(
    kind: str, *, meeting: Meeting, paragraph: Paragraph | None = None, internal: bool
) -> RenderJob:
    """The portal's PDF of a protocol or § (rendered now if it never was)."""
    job = render_job_request(
        actor=None,
        kind=kind,
        meeting=meeting,
        paragraph=paragraph,
        internal=internal,
    )
    if job.status != RenderJob.Status.DONE:
        job = render_job_run(job_id=job.pk)
    return job


def _job_file(path: str, job: RenderJob) -> erms.ArchiveFile:
    assert job.finished_at is not None
    return _stored_file(
        path, job.file.name, "application/pdf", job.file.size, job.sha256, job.finished_at
    )


def _case_content(cases: list[Case]) -> list[erms.Aggregation]:
    paragraphs: dict[int, list[Paragraph]] = {}
    for paragraph in (
        Paragraph.objects.filter(case__in=cases, approved_at__isnull=False)
        .select_related("meeting__protocol", "meeting__body", "body")
        .order_by("meeting__starts_at", "number")
    ):
        assert paragraph.case_id is not None
        paragraphs.setdefault(paragraph.case_id, []).append(paragraph)
    contributed = erms.contributed_records(cases)
    aggregations = []
    for case in cases:
        folder = _folder(case.diarienummer)
        records = []
        for document in case.documents.all():
            file = None
            if document.file and document.disposed_on is None:
                file = _stored_file(
                    f"{folder}/{document.sequence:03d}-{_folder(os.path.splitext(document.file_name)[0])}"
                    f"{os.path.splitext(document.file.name)[1]}",
                    document.file.name,
                    document.content_type,
                    document.size,
                    document.sha256,
                    document.registered_at,
                )
            records.append(erms.document_record(document, file))
        for paragraph in paragraphs.get(case.pk, []):
            job = _pdf(
                RenderJob.Kind.EXTRACT,
                meeting=paragraph.meeting,
                paragraph=paragraph,
                internal=not paragraph.public,
            )
            extract = _job_file(f"{folder}/{job.file_name}", job)
            records.append(erms.paragraph_record(paragraph, extract, job))
        records.extend(contributed.get(case.pk, []))
        aggregations.append(erms.case_aggregation(case, records))
    return aggregations


def _cases(queryset: QuerySet[Case]) -> list[Case]:
    return list(
        queryset.select_related("diarium", "handler")
        .prefetch_related(
            "documents__retention_rule", "documents__disposal_decision", "documents__case"
        )
        .order_by("diarium__prefix", "year", "number")
    )


def _protocol_content(body: Body, year: int) -> list[erms.Aggregation]:
    aggregations = []
    for protocol in (
        _justerade(body, year).select_related("meeting__body").order_by("meeting__starts_at")
    ):
        job = _pdf(RenderJob.Kind.PROTOCOL, meeting=protocol.meeting, internal=True)
        file = _job_file(f"protokoll/{erms.protocol_identifier(protocol)}.pdf", job)
        records = [erms.protocol_record(protocol, file, job)]
        for paragraph in (
            Paragraph.objects.filter(meeting=protocol.meeting)
            .select_related("meeting__protocol", "meeting__body", "body")
            .order_by("number")
        ):
            records.append(erms.paragraph_record(paragraph, None, None))
        aggregations.append(
            erms.Aggregation(
                system_id=f"protocol-{protocol.pk}",
                object_id=erms.protocol_identifier(protocol),
                aggregation_type="file",
                classification=body.slug,
                title=records[0].title,
                records=records,
            )
        )
    return aggregations


def _content(export: ArchiveExport) -> _Content:
    if export.scope == ArchiveExport.Scope.CASE:
        assert export.case is not None
        cases = _cases(Case.objects.filter(pk=export.case.pk))
    elif export.scope == ArchiveExport.Scope.DIARIUM:
        cases = _cases(_closed_cases(export.diarium, export.year))
    else:
        assert export.body is not None
        assert export.year is not None
        return _Content(
            label=f"Protokoll {export.body.name} {export.year}",
            aggregations=_protocol_content(export.body, export.year),
            classes=[(export.body.slug, export.body.name)],
        )
    return _Content(
        label=str(export.subject),
        aggregations=_case_content(cases),
        classes=sorted({(c.diarium.prefix, c.diarium.name) for c in cases}),
    )


def archive_export_run(*, export_id: int) -> ArchiveExport:
    """Build a delivery (run by the worker), exactly once (``base.jobs``): the
    package is written to a temporary file without locks, and stored with its figures
    while the row is locked and not yet done."""

    def starting(export: ArchiveExport) -> list[str]:
        export.progress = 0
        return ["progress"]

    return run_once(
        ArchiveExport,
        export_id,
        related=("case", "diarium", "body"),
        starting=starting,
        produce=_packed,
        store=_store_packed,
    )


def _packed(export: ArchiveExport, cleanups: Any) -> tuple[Any, sip.Package, str]:
    content = _content(export)

    def progress(done: int, total: int) -> None:
        ArchiveExport.objects.filter(pk=export.pk).update(progress=done, total=total)

    target = cleanups.enter_context(tempfile.TemporaryFile())  # noqa: SIM115 - closed by the runner
    package = sip.write_sip(
        target,
        label=content.label,
        aggregations=content.aggregations,
        classes=content.classes,
        progress=progress,
    )
    target.seek(0)
    digest = sip.sha256_of(target)
    target.seek(0)
    return target, package, digest


def _store_packed(export: ArchiveExport, result: tuple[Any, sip.Package, str]) -> None:
    target, package, digest = result
    export.file.name = default_storage.save(
        f"archive/{timezone.now():%Y}/{package.objid}.zip", File(target)
    )
    export.sha256 = digest
    export.size = package.size
    export.records = package.records
    export.files = len(package.files)
    export.total = len(package.files)
    export.progress = len(package.files)
    export.not_archival = package.not_archival


def archive_export_failed(*, export_id: int, error: str) -> None:
    mark_failed(ArchiveExport, export_id, error)


def archive_export_downloaded(
    *, actor: User, export: ArchiveExport, address: str | None
) -> ArchiveDownload:
    """Log a download: the package holds confidential records."""
    return ArchiveDownload.objects.create(export=export, user=actor, address=address or None)
