"""The portal's form renderer writes the same HTML as Django's own, faster."""

from __future__ import annotations

from django import forms
from django.forms.renderers import DjangoTemplates

from base.forms_rendering import FormRenderer


class Menus(forms.Form):
    plain = forms.ChoiceField(choices=[("", "Alla"), ("a", "Ärende & <handling>"), ("2", "Två")])
    grouped = forms.ChoiceField(
        choices=[("Kommuner", [("berg", "Berg"), ("krokom", "Krokom")]), ("region", "Regionen")]
    )
    several = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y")], required=False)
    radio = forms.ChoiceField(choices=[("1", "Ett")], widget=forms.RadioSelect)


def test_every_select_is_written_as_django_writes_it() -> None:
    for data in (None, {"plain": "a", "grouped": "krokom", "several": ["x", "y"]}):
        ours = Menus(data, renderer=FormRenderer())
        django_s = Menus(data, renderer=DjangoTemplates())
        for name in ("plain", "grouped", "several", "radio"):
            assert str(ours[name]) == str(django_s[name]), name
        assert ours.as_div() == django_s.as_div()
    assert "selected" in str(Menus({"plain": "a"}, renderer=FormRenderer())["plain"])


def test_the_portal_uses_it(settings: object) -> None:
    from django.forms.renderers import get_default_renderer

    assert isinstance(get_default_renderer(), FormRenderer)
