"""The one way records are written (base/records.py): a write may set only the
model's editable fields, so a misspelt or protected name is refused, never kept as a
stray attribute that silently goes nowhere."""

from __future__ import annotations

from typing import Any

import pytest

from base import records

pytestmark = pytest.mark.django_db


def test_a_write_sets_only_editable_fields(world: dict[str, Any]) -> None:
    case = world["case"]
    records.update(case, actor=None, title="Ny intern titel")
    case.refresh_from_db()
    assert case.title == "Ny intern titel"
    with pytest.raises(TypeError, match="titel"):
        records.update(case, actor=None, titel="Felstavat")
    with pytest.raises(TypeError, match="diarienummer"):
        records.update(case, actor=None, diarienummer="RUN/999/2099")  # never editable
    case.refresh_from_db()
    assert case.diarienummer != "RUN/999/2099"
