"""``reverse_id`` and the ``{% url %}`` tag built on it give exactly what Django's
``reverse`` gives, for every address of the portal that takes one row id."""

from __future__ import annotations

from typing import Any

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from base.reversing import reverse_id


def _one_id_patterns(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    names = []
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            space = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            names += _one_id_patterns(entry, space)
        elif isinstance(entry, URLPattern) and entry.name:
            converters = entry.pattern.converters
            if len(converters) == 1 and type(next(iter(converters.values()))).__name__ == (
                "IdConverter"
            ):
                names.append(f"{prefix}{entry.name}")
    return names


def test_every_one_id_address_is_the_same_as_reverse_gives() -> None:
    names = _one_id_patterns()
    assert len(names) > 40
    for language in ("sv", "en"):
        with translation.override(language):
            for name in names:
                for pk in (1, 7, 4711, 2_147_483_647):
                    assert reverse_id(name, pk) == reverse(name, args=[pk]), name


def test_the_url_tag_is_django_s_for_anything_else(settings: Any) -> None:
    template = Template(
        "{% url 'councils:meeting' pk %}|{% url 'councils:body' slug %}|"
        "{% url 'councils:meeting' pk as link %}{{ link }}|{% url 'councils:body-list' %}"
    )
    assert template.render(Context({"pk": 12, "slug": "rs"})) == (
        "/sammantraden/12/|/arenor/rs/|/sammantraden/12/|/arenor/"
    )
    # Values that are not a row id take Django's way, with Django's answer or error.
    for other in (-1, True, "12", 2_147_483_648):
        try:
            expected = reverse("councils:meeting", args=[other])
        except NoReverseMatch:
            with pytest.raises(NoReverseMatch):
                Template("{% url 'councils:meeting' pk %}").render(Context({"pk": other}))
        else:
            rendered = Template("{% url 'councils:meeting' pk %}").render(Context({"pk": other}))
            assert rendered == expected
