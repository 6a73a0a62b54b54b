"""Input only: forms describe and validate what a person types; the rules live in
the models' ``clean()`` and in ``agreements.services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from agreements.models import Activity, Agreement, Area, Extension, Perspective, Purpose
from councils.forms.fields import CaseChoiceField, DateInput
from councils.models import Meeting, Organisation


class AgreementForm(forms.ModelForm):
    case = CaseChoiceField(label=_("Case (ärende)"))
    parties = forms.ModelMultipleChoiceField(
        label=_("Parties"),
        queryset=Organisation.objects.exclude(kind=Organisation.Kind.PARTY),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Agreement
        fields = (
            "kind",
            "title",
            "short_name",
            "case",
            "parties",
            "summary",
            "valid_from",
            "valid_until",
            "responsible_body",
            "adopted_by",
            "adopted_on",
            "adopted_paragraph",
            "replaces",
        )
        widgets = {
            "valid_from": DateInput(),
            "valid_until": DateInput(),
            "adopted_on": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        replaces = self.fields["replaces"]
        assert isinstance(replaces, forms.ModelChoiceField)
        if self.instance.pk:
            replaces.queryset = Agreement.objects.exclude(pk=self.instance.pk)


class PurposeForm(forms.ModelForm):
    class Meta:
        model = Purpose
        fields = ("position", "text")
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class AreaForm(forms.ModelForm):
    class Meta:
        model = Area
        fields = ("kind", "position", "name", "goals", "goals_from", "goals_until")
        widgets = {"goals": forms.Textarea(attrs={"rows": 3})}


class PerspectiveForm(forms.ModelForm):
    class Meta:
        model = Perspective
        fields = ("position", "name", "description")
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class ExtensionForm(forms.ModelForm):
    class Meta:
        model = Extension
        fields = ("extended_until", "decided_on", "decided_by", "decision")
        widgets = {
            "extended_until": DateInput(),
            "decided_on": DateInput(),
            "decision": forms.Textarea(attrs={"rows": 3}),
        }


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = ("kind", "title", "owner", "area", "due_on", "status", "meeting", "note")
        widgets = {"due_on": DateInput(), "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        activity = self.instance
        area = self.fields["area"]
        meeting = self.fields["meeting"]
        assert isinstance(area, forms.ModelChoiceField)
        assert isinstance(meeting, forms.ModelChoiceField)
        area.queryset = Area.objects.filter(agreement_id=activity.agreement_id)
        meeting.queryset = Meeting.objects.filter(starts_at__year=activity.year).select_related(
            "body"
        )
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = Organisation.objects.exclude(kind=Organisation.Kind.PARTY)


class AreaMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.agreement}: {obj.name}"


class CaseAreasForm(forms.Form):
    areas = AreaMultipleChoiceField(
        label=_("Areas of the agreements"),
        queryset=Area.objects.select_related("agreement").order_by("agreement", "position"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("The decisions on the ärende count for the areas chosen."),
    )
