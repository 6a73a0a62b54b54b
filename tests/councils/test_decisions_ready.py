"""The decisions ready when people come for them (issue 31): at justering each public
§'s extract is asked of the worker on the priority queue, which a worker of its own
takes; a later click finds the sealed extract made instead of waiting behind other
work. A closed § is not made for the public."""

from __future__ import annotations

from typing import Any

import pytest

from base import queue
from councils import services
from councils.models import Paragraph, RenderJob
from tests.conftest import client_for
from tests.councils.test_accessible_pdfs import _justerat
from tests.councils.test_protocol_pages import held  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def test_justering_makes_every_public_extract_at_once_on_the_priority_queue(
    held: dict[str, Any],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    sent: list[tuple[str, tuple[Any, ...], bool]] = []
    monkeypatch.setattr(
        queue, "send", lambda task, *args, urgent=False: sent.append((task, args, urgent))
    )
    with django_capture_on_commit_callbacks(execute=True):
        _justerat(held)
    open_one = Paragraph.objects.get(meeting=held["meeting"], case=held["case"])
    closed_one = Paragraph.objects.get(meeting=held["meeting"], case=held["closed"])
    extract = RenderJob.objects.get(kind=RenderJob.Kind.EXTRACT, paragraph=open_one)
    assert not extract.internal
    assert not RenderJob.objects.filter(kind=RenderJob.Kind.EXTRACT, paragraph=closed_one)
    urgent = {args[0] for task, args, is_urgent in sent if is_urgent}
    assert urgent == {extract.pk}  # the protocols go to the ordinary queue
    assert ("councils.tasks.render_pdf", (extract.pk,), False) not in sent
    services.render_job_run(job_id=extract.pk)
    extract.refresh_from_db()
    assert extract.status == RenderJob.Status.DONE
    assert extract.is_sealed
    # The public's click finds it made: no new job, straight to the file's page.
    before = RenderJob.objects.count()
    response = client_for(None).post(f"/paragrafer/{open_one.pk}/utdrag/")
    assert RenderJob.objects.count() == before
    assert response.status_code == 302
    assert str(extract.pk) in response["Location"]


def test_a_request_for_an_extract_goes_to_the_priority_queue(
    held: dict[str, Any],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The sweep sends a lost extract job to the priority queue too."""
    _justerat(held)
    sent: list[tuple[int, bool]] = []
    monkeypatch.setattr(queue, "send", lambda task, job, urgent=False: sent.append((job, urgent)))
    RenderJob.objects.update(created_at="2000-01-01T00:00:00Z")
    services.render_jobs_sweep()
    kinds = dict(RenderJob.objects.values_list("pk", "kind"))
    assert sent
    assert all(urgent == (kinds[job] == RenderJob.Kind.EXTRACT) for job, urgent in sent)
    assert any(urgent for _job, urgent in sent)
