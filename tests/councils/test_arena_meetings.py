"""An arena's meetings come first on its page, and every meeting it ever held is
reachable from it, by year (issue 31: 2018's meetings could not be reached)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from councils import services
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_every_meeting_of_an_arena_is_reachable_by_year(world: dict[str, Any]) -> None:
    body = world["body_a"]
    tz = timezone.get_current_timezone()
    starts = [datetime.datetime(year, 3, 14, 10, tzinfo=tz) for year in range(2018, 2026)]
    starts += [timezone.now() + datetime.timedelta(days=20)]
    meetings = services.meeting_plan(actor=None, body=body, starts=starts)
    arena = client_for(None).get(body.get_absolute_url()).content.decode()
    # The meetings before the mandate, seats and members.
    assert arena.index('id="meetings-heading"') < arena.index('id="purpose-heading"')
    assert arena.index('id="meetings-heading"') < arena.index('id="members-heading"')
    assert f'href="/arenor/{body.slug}/sammantraden/"' in arena
    page = client_for(None).get(f"/arenor/{body.slug}/sammantraden/").content.decode()
    for meeting in meetings:
        assert meeting.get_absolute_url() in page
    years = {timezone.localtime(m.starts_at).year for m in meetings}
    for year in years:
        assert f'id="year-{year}"' in page
    assert page.index('id="year-2025"') < page.index('id="year-2018"')  # newest first
