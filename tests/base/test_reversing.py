"""``reverse_id``, ``reverse_slug``, ``reverse_plain`` and the ``{% url %}`` tag built on
them give exactly what Django's ``reverse`` gives, for every address of the portal that
takes one row id, one slug or nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from base.reversing import reverse_id, reverse_plain, reverse_slug


def _patterns_taking(
    kinds: tuple[str, ...], resolver: URLResolver | None = None, prefix: str = ""
) -> list[str]:
    """The names of the patterns whose parameters are of the converters ``kinds``, in
    order (``()``: none), under resolvers that take none."""
    names = []
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.pattern.regex.groups:
                continue
            space = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            names += _patterns_taking(kinds, entry, space)
        elif isinstance(entry, URLPattern) and entry.name:
            converters = tuple(type(c).__name__ for c in entry.pattern.converters.values())
            if converters == kinds and entry.pattern.regex.groups == len(kinds):
                names.append(f"{prefix}{entry.name}")
    return names


def _one_id_patterns() -> list[str]:
    return _patterns_taking(("IdConverter",))


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


def test_every_one_slug_address_is_the_same_as_reverse_gives() -> None:
    names = _patterns_taking(("SlugConverter",))
    assert "councils:organisation" in names
    assert "councils:body" in names
    for language in ("sv", "en"):
        with translation.override(language):
            for name in names:
                for slug in ("rs", "krokoms-kommun", "a_b-9", "x-stand-in-2147000047-x"):
                    assert reverse_slug(name, slug) == reverse(name, args=[slug]), name


def test_a_value_that_is_no_slug_takes_django_s_way() -> None:
    for other in ("", "å", "a b", "a/b", 12, None):
        try:
            expected = reverse("councils:body", args=[other])
        except NoReverseMatch:
            with pytest.raises(NoReverseMatch):
                reverse_slug("councils:body", other)
        else:
            assert reverse_slug("councils:body", other) == expected


def test_every_address_without_arguments_is_the_same_as_reverse_gives() -> None:
    names = _patterns_taking(())
    assert len(names) > 40
    for language in ("sv", "en"):
        with translation.override(language):
            for name in names:
                assert reverse_plain(name) == reverse(name), name
                rendered = Template("{% url name %}").render(Context({"name": name}))
                assert rendered == reverse(name).replace("&", "&amp;"), name


def test_the_url_tag_without_arguments_keeps_django_s_errors() -> None:
    with pytest.raises(NoReverseMatch):
        Template("{% url 'councils:no-such-page' %}").render(Context())
    as_variable = Template("{% url 'councils:no-such-page' as link %}[{{ link }}]")
    assert as_variable.render(Context()) == "[]"
