"""The one way records are written: validated with ``full_clean()`` (the model's own
rules) and saved with the acting user, whom django-simple-history records as the
change's author. Services of every app use these; views never save models."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models

from base.actors import Actor

_M = TypeVar("_M", bound=models.Model)


def save(instance: _M, *, actor: Actor) -> _M:
    instance.full_clean()
    instance._history_user = actor  # type: ignore[attr-defined]
    instance.save()
    return instance


#: What django-simple-history reads off an instance when it records the change (the
#: demo backdates its history with them).
HISTORY_HOOKS = frozenset({"_history_date", "_change_reason"})


def editable_fields(model: type[models.Model]) -> frozenset[str]:
    """The names a write may set on ``model``: its editable concrete fields (and their
    ``_id`` columns), never the primary key or a field the model marks not editable."""
    return frozenset(
        name
        for field in model._meta.concrete_fields
        if field.editable and not field.primary_key
        for name in {field.name, field.attname}
    )


def update(instance: _M, *, actor: Actor, **changes: Any) -> _M:
    """Set ``changes`` and save. A name that is not an editable field of the model is
    refused, not set as a stray attribute that would be silently lost."""
    unknown = set(changes) - editable_fields(type(instance)) - HISTORY_HOOKS
    if unknown:
        raise TypeError(f"{type(instance).__name__} has no editable field {sorted(unknown)}")
    for name, value in changes.items():
        setattr(instance, name, value)
    return save(instance, actor=actor)


def delete(instance: models.Model, *, actor: Actor) -> None:
    instance._history_user = actor  # type: ignore[attr-defined]
    instance.delete()
