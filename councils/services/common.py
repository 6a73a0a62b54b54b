"""What the councils' services share: saving with the actor recorded, the yearly
number sequences, and edits limited to a list of fields."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import connection, models

from base import records
from base.actors import Actor

_M = TypeVar("_M", bound=models.Model)


def _save(instance: Any, *, actor: Actor) -> None:
    records.save(instance, actor=actor)


def _sequence_next(
    model: type[models.Model], *, owner_column: str, owner_id: int, year: int, at_least: int = 0
) -> int:
    """Hand out the next number of a yearly sequence (diarium or §) for one owner.

    A single upsert takes the sequence row's lock, so concurrent callers queue behind
    each other: numbers are unique, and since the increment is part of the caller's
    transaction a rollback returns the number, leaving no gap. ``at_least`` lets an
    imported record keep its historic number and moves the sequence past it.
    """
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} ({owner_column}, year, last_number)
            VALUES (%s, %s, GREATEST(1, %s))
            ON CONFLICT ({owner_column}, year) DO UPDATE
            SET last_number = GREATEST({table}.last_number + 1, EXCLUDED.last_number)
            RETURNING last_number
            """,  # noqa: S608 - table and column come from the code, values are parameters
            [owner_id, year, at_least],
        )
        row = cursor.fetchone()
    assert row is not None
    return int(row[0])


def _locked_with_changes(instance: _M, *, allowed: tuple[str, ...], changes: dict[str, Any]) -> _M:
    """The row of ``instance``, locked for the transaction, with ``changes`` applied."""
    unknown = set(changes) - set(allowed)
    if unknown:
        raise TypeError(f"{type(instance).__name__} fields {sorted(unknown)} cannot be changed")
    locked = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    for field, value in changes.items():
        setattr(locked, field, value)
    return locked
