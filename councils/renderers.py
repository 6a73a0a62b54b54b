"""The registry of PDF kinds a render job can make. Each app registers the kinds it
owns when it is ready (``councils.pdfs.register_renderers``, ``followups.pdfs``), so
the render-job services never import an app above them: adding a PDF kind is a
``RenderJob.Kind`` value and a ``register`` call in the owning app. A renderer returns
the PDF's bytes and whether (and why) the organisation seals them, decided once: the
same reason puts the seal box on the page and the seal on the file."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from councils.models import RenderJob


def _never_stale(job: RenderJob) -> bool:
    return False


@dataclass(frozen=True)
class Rendered:
    """A rendered PDF, and why the organisation seals it ('' when it is not issued as
    final): the page's seal box was drawn for the same reason."""

    data: bytes
    seal_reason: str = ""


@dataclass(frozen=True)
class Subject:
    """What a PDF of another app's kind is of, for the pages that show a job (the
    verification page, the PDF's own page): a label, a text and its page."""

    label: str
    text: str
    url: str


@dataclass(frozen=True)
class Renderer:
    #: The PDF for a job (run by the worker, from the job's rows), with its seal reason.
    render: Callable[[RenderJob], Rendered]
    #: Whether a finished job's PDF no longer shows its document (then it is remade).
    is_stale: Callable[[RenderJob], bool] = _never_stale
    #: For a kind without a meeting (another app's): who may read the PDF (the
    #: secretariat always may), its file name, and what it is of.
    readable: Callable[[RenderJob, Any], bool] | None = None
    file_name: Callable[[RenderJob], str] | None = None
    subject: Callable[[RenderJob], Subject] | None = None


_RENDERERS: dict[str, Renderer] = {}


def register(
    kind: str,
    render: Callable[[RenderJob], Rendered],
    *,
    is_stale: Callable[[RenderJob], bool] = _never_stale,
    readable: Callable[[RenderJob, Any], bool] | None = None,
    file_name: Callable[[RenderJob], str] | None = None,
    subject: Callable[[RenderJob], Subject] | None = None,
) -> None:
    _RENDERERS[kind] = Renderer(
        render=render, is_stale=is_stale, readable=readable, file_name=file_name, subject=subject
    )


def renderer(kind: str) -> Renderer:
    try:
        return _RENDERERS[kind]
    except KeyError:
        raise ValueError(f"no renderer registered for the PDF kind {kind!r}") from None


def file_name(job: RenderJob) -> str:
    """The PDF's file name: the renderer's own, else the meeting's."""
    named = renderer(job.kind).file_name
    return named(job) if named is not None else job.file_name


def subject(job: RenderJob | None) -> Subject | None:
    """What a PDF of another app's kind is of (None for a meeting's PDF)."""
    if job is None:
        return None
    described = renderer(job.kind).subject
    return described(job) if described is not None else None
