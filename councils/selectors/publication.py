"""Reads of the check before publication: which record kinds are checked, and what each
keeps from the public until its personal data is masked or confirmed."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.models import QuerySet

from councils.models import Document, PersonalDataChecked


def checked_models() -> dict[str, type[PersonalDataChecked]]:
    """Every record kind that is checked (ärende, handling, §, berättelse section), by
    its model name."""
    return {
        model._meta.model_name: model
        for model in apps.get_models()
        if issubclass(model, PersonalDataChecked) and model._meta.model_name
    }


def personal_data_held_back() -> list[tuple[type[PersonalDataChecked], QuerySet[Any]]]:
    """Each checked kind with its records kept from the public until their personal data
    is masked or confirmed (a confidential handling never reaches the public anyway)."""
    held: list[tuple[type[PersonalDataChecked], QuerySet[Any]]] = []
    for model in checked_models().values():
        records: QuerySet[Any] = model._default_manager.exclude(model.personal_data_clear_q())
        if model is Document:
            records = records.filter(confidential=False).select_related("case")
        held.append((model, records))
    return held
