"""The registry of PDF kinds a render job can make. Each app registers the kinds it
owns when it is ready (``councils.pdfs.register_renderers``, ``followups.pdfs``), so
the render-job services never import an app above them: adding a PDF kind is a
``RenderJob.Kind`` value and a ``register`` call in the owning app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from councils.models import RenderJob


def _never_stale(job: RenderJob) -> bool:
    return False


def _not_sealed(job: RenderJob) -> str:
    return ""


@dataclass(frozen=True)
class Renderer:
    #: The PDF's bytes for a job (run by the worker, from the job's rows).
    render: Callable[[RenderJob], bytes]
    #: Whether a finished job's PDF no longer shows its document (then it is remade).
    is_stale: Callable[[RenderJob], bool] = _never_stale
    #: Why the organisation seals this job's PDF ('' when it is not issued as final).
    seal_reason: Callable[[RenderJob], str] = _not_sealed


_RENDERERS: dict[str, Renderer] = {}


def register(
    kind: str,
    render: Callable[[RenderJob], bytes],
    *,
    is_stale: Callable[[RenderJob], bool] = _never_stale,
    seal_reason: Callable[[RenderJob], str] = _not_sealed,
) -> None:
    _RENDERERS[kind] = Renderer(render=render, is_stale=is_stale, seal_reason=seal_reason)


def renderer(kind: str) -> Renderer:
    try:
        return _RENDERERS[kind]
    except KeyError:
        raise ValueError(f"no renderer registered for the PDF kind {kind!r}") from None
