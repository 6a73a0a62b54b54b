"""Change history as people read it: what changed, by whom, when.

Built on django-simple-history. The previous and new values are offered only to
those allowed to see them (secretariat staff); everyone else sees which fields
changed, by whom and when. The number of queries does not depend on the number of
entries: one for the history rows with their authors, one per referenced model.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

ACTIONS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    action: str
    changes: list[FieldChange] = field(default_factory=list)


def _display(model_field: models.Field[Any, Any], value: Any, names: dict[Any, str]) -> str:
    if value is None or value == "":
        return "–"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.ForeignKey):
        return names.get(value, f"#{value}")
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def history_for(
    instance: models.Model, *, show_values: bool, limit: int = 25
) -> list[HistoryEntry]:
    """The latest ``limit`` changes of ``instance``, newest first."""
    model = type(instance)
    records = list(
        instance.history.select_related("history_user").order_by("-history_date", "-history_id")[  # type: ignore[attr-defined]
            : limit + 1
        ]
    )
    fields = (
        {
            f.attname: f
            for f in model._meta.concrete_fields
            if f.attname in {hf.attname for hf in records[0]._meta.fields}
        }
        if records
        else {}
    )
    skip = {"id", model._meta.pk.attname} if model._meta.pk else {"id"}

    pairs: list[tuple[Any, Any, list[str]]] = []
    referenced: dict[type[models.Model], set[Any]] = defaultdict(set)
    for newer, older in zip(records, [*records[1:], None], strict=False):
        if len(pairs) == limit:
            break
        if older is None or newer.history_type != "~":
            changed = []
        else:
            changed = [
                name
                for name in fields
                if name not in skip and getattr(newer, name) != getattr(older, name)
            ]
            if not changed:
                continue
        pairs.append((newer, older, changed))
        for name in changed:
            if isinstance(fields[name], models.ForeignKey) and show_values:
                related = fields[name].related_model
                assert isinstance(related, type)
                for record in (newer, older):
                    if getattr(record, name) is not None:
                        referenced[related].add(getattr(record, name))

    names: dict[type[models.Model], dict[Any, str]] = {
        related: {obj.pk: str(obj) for obj in related._default_manager.filter(pk__in=ids)}
        for related, ids in referenced.items()
    }

    entries = []
    for newer, older, changed in pairs:
        user = newer.history_user
        who = (user.get_full_name() or user.username) if user else str(_("the system"))
        changes = []
        for name in changed:
            model_field = fields[name]
            related = model_field.related_model
            lookup = names.get(related, {}) if isinstance(related, type) else {}
            changes.append(
                FieldChange(
                    label=str(model_field.verbose_name).capitalize(),
                    old=_display(model_field, getattr(older, name), lookup) if show_values else "",
                    new=_display(model_field, getattr(newer, name), lookup) if show_values else "",
                )
            )
        entries.append(
            HistoryEntry(
                when=newer.history_date,
                who=who,
                action=str(ACTIONS.get(newer.history_type, newer.history_type)),
                changes=changes,
            )
        )
    return entries
