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
from django.utils import timezone
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
    subject: str = ""


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
    if isinstance(value, datetime):  # local time, to the minute, as the page's headings
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"
    return str(value)


def history_for(
    instance: models.Model, *, show_values: bool, limit: int = 25
) -> list[HistoryEntry]:
    """The latest ``limit`` changes of ``instance``, newest first."""
    return history_of(
        instance.history.all(),  # type: ignore[attr-defined]
        model=type(instance),
        show_values=show_values,
        limit=limit,
    )


def history_of(
    records: Any,
    *,
    model: type[models.Model],
    show_values: bool,
    limit: int = 25,
    subject: str | None = None,
    describe: str | None = None,
) -> list[HistoryEntry]:
    """The latest ``limit`` changes among ``records`` (a queryset of ``model``'s
    historical rows, of one object or many), newest first. With ``subject`` (a
    foreign key's name) each entry says which object it concerns, e.g. the person of a
    membership. One query for the rows and one per referenced model; one more only when
    a shown change's previous version lies beyond the fetched rows. With ``describe``
    (a field name, or ``""`` for none) each entry names the record itself instead:
    the model's name and that field's value, e.g. “Priority area: Folkhälsa”."""
    fetched = list(
        records.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )
    window = fetched[:limit]
    if not window:
        return []
    pk_name = model._meta.pk.attname if model._meta.pk else "id"
    history_model = type(window[0])

    def key(record: Any) -> Any:
        return getattr(record, pk_name)

    # An entry's predecessor is usually the next older row of the same object among
    # those fetched; only changes whose predecessor lies further back cost a query.
    predecessor: dict[int, Any] = {
        record.history_id: next((o for o in fetched[i + 1 :] if key(o) == key(record)), None)
        for i, record in enumerate(window)
    }
    unmatched = [r for r in window if r.history_type == "~" and predecessor[r.history_id] is None]
    if unmatched:
        versions: dict[Any, list[Any]] = defaultdict(list)
        for version in history_model._default_manager.filter(
            **{f"{pk_name}__in": {key(r) for r in unmatched}}
        ).order_by("history_id"):
            versions[key(version)].append(version)
        for record in unmatched:
            earlier = [v for v in versions[key(record)] if v.history_id < record.history_id]
            predecessor[record.history_id] = earlier[-1] if earlier else None

    def previous(record: Any) -> Any:
        return predecessor[record.history_id]

    history_attnames = {hf.attname for hf in history_model._meta.fields}
    fields = {
        f.attname: f
        for f in model._meta.concrete_fields
        if f.attname in history_attnames and f.attname != pk_name
    }
    subject_field = fields.get(f"{subject}_id") if subject else None

    pairs: list[tuple[Any, Any, list[str]]] = []
    referenced: dict[type[models.Model], set[Any]] = defaultdict(set)
    for newer in window:
        older = previous(newer)
        if older is None or newer.history_type != "~":
            changed: list[str] = []
        else:
            changed = [name for name in fields if getattr(newer, name) != getattr(older, name)]
            if not changed:
                continue
        pairs.append((newer, older, changed))
        wanted = [fields[name] for name in changed] if show_values else []
        if subject_field is not None:
            wanted.append(subject_field)
        for model_field in wanted:
            related = model_field.related_model
            if isinstance(model_field, models.ForeignKey) and isinstance(related, type):
                for record in (newer, older):
                    if record is not None and getattr(record, model_field.attname) is not None:
                        referenced[related].add(getattr(record, model_field.attname))

    names: dict[type[models.Model], dict[Any, str]] = {
        related: {
            obj.pk: str(obj) for obj in related._default_manager.select_related().filter(pk__in=ids)
        }
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
        about = ""
        if describe is not None:
            about = str(model._meta.verbose_name).capitalize()
            value = str(getattr(newer, describe)) if describe else ""
            if value:
                about += f": {value[:80]}"
        elif subject_field is not None:
            related = subject_field.related_model
            lookup = names.get(related, {}) if isinstance(related, type) else {}
            about = _display(subject_field, getattr(newer, subject_field.attname), lookup)
        entries.append(
            HistoryEntry(
                when=newer.history_date,
                who=who,
                action=str(ACTIONS.get(newer.history_type, newer.history_type)),
                changes=changes,
                subject=about,
            )
        )
    return entries
