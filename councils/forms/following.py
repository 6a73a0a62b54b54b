"""Bevakningar: a saved search to follow."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class WatchForm(forms.Form):
    """What the Bevaka buttons send: an arena (slug), an ärende (id) or a search."""

    kind = forms.ChoiceField(
        choices=[("arena", "arena"), ("arende", "arende"), ("sokning", "sokning")]
    )
    body = forms.SlugField(required=False)
    case = forms.IntegerField(required=False, min_value=1)
    q = forms.CharField(required=False, max_length=200)
    kind_filter = forms.CharField(required=False, max_length=20)
    body_filter = forms.IntegerField(required=False, min_value=1)
    year = forms.IntegerField(required=False, min_value=1990, max_value=2100)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        needed = {"arena": "body", "arende": "case", "sokning": "q"}.get(data.get("kind", ""))
        if needed and not data.get(needed):
            raise forms.ValidationError(_("Say what to follow."))
        return data
