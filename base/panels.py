"""Panels one app adds to another's page without the page's app importing it: the page
asks ``for_page(page, request, **objects)`` and includes what comes back; an app above
it registers a panel in its ``AppConfig.ready`` (the identity app adds how a person
signs in to the person page of councils). A panel answers None where it has nothing
to show to this reader."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class Panel:
    """A template to include, with its context."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)


_PANELS: dict[str, list[Callable[..., Panel | None]]] = defaultdict(list)


def register(page: str, panel: Callable[..., Panel | None]) -> None:
    if panel not in _PANELS[page]:
        _PANELS[page].append(panel)


def for_page(page: str, request: HttpRequest, **objects: Any) -> list[Panel]:
    """The panels the registered apps show on ``page`` to this request's reader."""
    shown = (panel(request, **objects) for panel in _PANELS[page])
    return [p for p in shown if p is not None]


#: Panels for each of many records on one page (each § of a protocol): the registered
#: function is asked once for all of them and answers a panel per record id it has one for.
_EACH: dict[str, list[Callable[..., dict[int, Panel]]]] = defaultdict(list)


def register_each(page: str, panels: Callable[..., dict[int, Panel]]) -> None:
    if panels not in _EACH[page]:
        _EACH[page].append(panels)


def for_each(page: str, request: HttpRequest, items: list[Any]) -> dict[int, list[Panel]]:
    """The panels the registered apps show beside each of ``items`` (by ``pk``), asked
    once per app for all of them, so a page of many records costs a query per app."""
    found: dict[int, list[Panel]] = defaultdict(list)
    for panels in _EACH[page]:
        for pk, panel in panels(request, items).items():
            found[pk].append(panel)
    return found
