"""The diarium's forms: ärenden and handlingar, and the list's filter."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from councils.forms.fields import (
    DateInput,
)
from councils.models import (
    Body,
    Case,
    Diarium,
    Document,
    Person,
)
from councils.services import CASE_EDITABLE_FIELDS, DOCUMENT_EDITABLE_FIELDS
from councils.uploads import allowed_extensions


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Diarienummer or title"), required=False, max_length=200)
    diarium = forms.ChoiceField(label=_("Diarium"), required=False)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        diarium_field = self.fields["diarium"]
        assert isinstance(diarium_field, forms.ChoiceField)
        diarium_field.choices = [("", _("All diaria"))] + [
            (d.prefix, str(d)) for d in Diarium.objects.all()
        ]


class CaseRegisterForm(forms.ModelForm):
    diarium = forms.ModelChoiceField(
        label=_("Diarium"), queryset=Diarium.objects.filter(active=True)
    )

    class Meta:
        model = Case
        fields = (
            "diarium",
            "body",
            "title",
            "public_title",
            "description",
            "registered_on",
            "unit",
            "handler",
        )
        widgets = {"registered_on": DateInput(), "description": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["registered_on"].initial = timezone.localdate
        body_field, handler_field = self.fields["body"], self.fields["handler"]
        assert isinstance(body_field, forms.ModelChoiceField)
        assert isinstance(handler_field, forms.ModelChoiceField)
        body_field.queryset = Body.objects.filter(ended__isnull=True)
        handler_field.queryset = Person.objects.select_related("organisation")


class CaseEditForm(forms.ModelForm):
    class Meta:
        model = Case
        fields = CASE_EDITABLE_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}


class DocumentFieldsMixin(forms.ModelForm):
    class Meta:
        model = Document
        fields = DOCUMENT_EDITABLE_FIELDS
        widgets = {"document_date": DateInput(), "secrecy_date": DateInput()}


class DocumentRegisterForm(DocumentFieldsMixin):
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=format_lazy(_("Accepted types: {types}."), types=", ".join(allowed_extensions())),
    )

    class Meta(DocumentFieldsMixin.Meta):
        pass

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["document_date"].initial = timezone.localdate
        self.fields["file"].widget.attrs["accept"] = ",".join(allowed_extensions())


class DocumentEditForm(DocumentFieldsMixin):
    class Meta(DocumentFieldsMixin.Meta):
        pass
