"""Protocols: the protocol, attendance, each § and its decision, and the list of decisions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from councils.models import (
    Attendance,
    Body,
    Paragraph,
    Person,
    Protocol,
)


class DecisionFilterForm(forms.Form):
    q = forms.CharField(label=_("Title or diarienummer"), required=False, max_length=200)
    body = forms.ModelChoiceField(label=_("Arena"), required=False, queryset=Body.objects.all())
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)


class ProtocolForm(forms.ModelForm):
    class Meta:
        model = Protocol
        fields = ("chair", "secretary", "adjusters", "justering_time_place", "kept_at")
        widgets = {"adjusters": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        present = Person.objects.filter(attendance__meeting=self.instance.meeting).distinct()
        for name in ("chair", "secretary", "adjusters"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = present


class AttendanceForm(forms.ModelForm):
    class Meta:
        model = Attendance
        fields = ("presence", "serving_for")

    def __init__(self, *args: Any, members: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["serving_for"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = members if members is not None else Person.objects.none()
        field.label = _("Serves for")


class AttendanceAddForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("Person"), queryset=Person.objects.select_related("organisation")
    )
    role = forms.ChoiceField(label=_("Role"), choices=Attendance.Role.choices)
    presence = forms.ChoiceField(label=_("Presence"), choices=Attendance.Presence.choices)


class ParagraphForm(forms.ModelForm):
    class Meta:
        model = Paragraph
        fields = (
            "title",
            "public",
            "summary",
            "basis",
            "motions",
            "voting_order",
            "decision_kind",
            "decision",
            "reservations",
            "protocol_notes",
            "extract_to",
            "conflicts",
        )
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in (
                "summary",
                "basis",
                "motions",
                "voting_order",
                "decision",
                "reservations",
                "protocol_notes",
                "extract_to",
            )
        } | {"conflicts": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["conflicts"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Person.objects.filter(attendance__meeting=self.instance.meeting).distinct()


class DecisionForm(forms.Form):
    #: The checksum of the copy to justera the signatory was shown (and read).
    read_sha256 = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when you send the protocol back."),
    )
    #: The confirmation step of an approval: the signatory says they have read it.
    confirmed = forms.BooleanField(
        label=_("I have read the copy to justera and approve the protocol"),
        required=False,
        help_text=_("Needed when you approve."),
    )
