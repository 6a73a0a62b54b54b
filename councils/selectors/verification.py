"""Is this PDF one the portal issued, and unchanged? The answer for /verifiera/: the
seal is validated by pyHanko (``base.seal.verify.check_pdf``), and the document is
found by the checksum of the file or by the digest its seal signs. What is told of a
document are the fields the public sees anyway (kind, arena, meeting date, § number,
report year and version), never a title."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from django.db.models import QuerySet

from base import bounded
from base.seal import verify
from councils.models import RenderJob


class Outcome(enum.Enum):
    AUTHENTIC = "authentic"  # sealed by the portal, the signature intact, the file unchanged
    CHANGED = "changed"  # sealed by the portal, but the file is not as it was sealed
    UNSEALED = "unsealed"  # a file the portal made (a draft, a packet) but did not seal
    REGISTERED = "registered"  # a checksum the portal issued (the file itself not checked)
    UNKNOWN = "unknown"  # not issued by the portal


@dataclass
class Verification:
    outcome: Outcome
    job: RenderJob | None = None
    check: verify.SealCheck | None = None
    checksum: str = ""


def _issued() -> QuerySet[RenderJob]:
    return RenderJob.objects.filter(status=RenderJob.Status.DONE).select_related(
        "meeting__body", "paragraph", "supersedes"
    )


def _by_checksum(checksum: str) -> RenderJob | None:
    return _issued().filter(sha256=checksum).order_by("pk").first()


def verify_pdf(data: bytes) -> Verification:
    """What the portal knows of a PDF anyone uploads. The seal is checked in a child
    process within the request's bounds (``base.bounded``): a file made to inflate
    raises ``bounded.LimitExceeded`` instead of tying up the server."""
    checksum = verify.sha256(data)
    verify.check_ready()
    check = bounded.run(verify.check_pdf, data, bounds=bounded.Bounds.for_requests())
    job = _by_checksum(checksum)
    if check.signed and check.ours:
        if job is None and check.message_digest:
            job = _issued().filter(seal_digest=check.message_digest).order_by("pk").first()
        unchanged = job is None or job.sha256 == checksum
        outcome = Outcome.AUTHENTIC if check.authentic and unchanged else Outcome.CHANGED
        return Verification(outcome, job, check, checksum)
    if job is not None:
        return Verification(
            Outcome.CHANGED if job.is_sealed else Outcome.UNSEALED, job, check, checksum
        )
    return Verification(Outcome.UNKNOWN, None, check, checksum)


def verify_checksum(checksum: str) -> Verification:
    job = _by_checksum(checksum.lower())
    if job is None:
        return Verification(Outcome.UNKNOWN, checksum=checksum)
    return Verification(
        Outcome.REGISTERED if job.is_sealed else Outcome.UNSEALED, job, checksum=checksum
    )
