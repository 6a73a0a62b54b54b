"""The form renderer (``settings.FORM_RENDERER``): Django's, with the widget templates
of ``base/form_templates`` found first. The one there, ``select.html``, writes a
select's options in its own loop instead of including a template per option: the
same HTML, but a filter menu of 150 arenas and organisations (the search page at full
scale) no longer costs 150 template includes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import django.forms
from django.forms.renderers import DjangoTemplates
from django.utils.functional import cached_property

TEMPLATES = Path(__file__).resolve().parent / "form_templates"


class FormRenderer(DjangoTemplates):
    @cached_property
    def engine(self) -> Any:
        return self.backend(
            {
                "APP_DIRS": True,
                "DIRS": [TEMPLATES, Path(django.forms.__file__).parent / "templates"],
                "NAME": "djangoforms",
                "OPTIONS": {},
            }
        )
