"""Form fields and widgets the apps share: dates, and choices of ärenden and meetings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from councils.models import (
    Case,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class CaseChoiceField(forms.ModelChoiceField):
    """An ärende to choose, newest first, shown by diarienummer and title."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "queryset", Case.objects.select_related("diarium").order_by("-year", "-number")
        )
        super().__init__(**kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.diarienummer} {obj.title}"[:120]


class CaseMultipleChoiceField(forms.ModelMultipleChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "queryset", Case.objects.select_related("diarium").order_by("-year", "-number")
        )
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(**kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.diarienummer} {obj.title}"[:120]


class DueDocumentsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.reference} {obj.subject} ({obj.retention_rule})"


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.body.name} {timezone.localtime(obj.starts_at):%Y-%m-%d %H:%M}"
