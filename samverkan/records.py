"""The one way records are written: validated with ``full_clean()`` (the model's own
rules) and saved with the acting user, whom django-simple-history records as the
change's author. Services of every app use these; views never save models."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models

_M = TypeVar("_M", bound=models.Model)


def save(instance: _M, *, actor: Any) -> _M:
    instance.full_clean()
    instance._history_user = actor  # type: ignore[attr-defined]
    instance.save()
    return instance


def update(instance: _M, *, actor: Any, **changes: Any) -> _M:
    for name, value in changes.items():
        setattr(instance, name, value)
    return save(instance, actor=actor)


def delete(instance: models.Model, *, actor: Any) -> None:
    instance._history_user = actor  # type: ignore[attr-defined]
    instance.delete()
