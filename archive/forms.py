"""The archive room: deliveries, retention rules and gallring decisions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from archive.models import ArchiveExport
from councils.forms.fields import (
    DueDocumentsField,
)
from councils.models import (
    Body,
    Case,
    Diarium,
    Document,
    RetentionRule,
)


class ArchiveExportForm(forms.Form):
    """What to deliver to the e-archive: one ärende, a diarium's ärenden closed in a
    year, or an arena's protocols of a year."""

    scope = forms.ChoiceField(label=_("Deliver"), choices=ArchiveExport.Scope.choices)
    case = forms.ModelChoiceField(Case.objects.all(), required=False, widget=forms.HiddenInput)
    diarium = forms.ModelChoiceField(
        Diarium.objects.order_by("prefix"), label=_("Diarium"), required=False
    )
    body = forms.ModelChoiceField(Body.objects.order_by("name"), label=_("Arena"), required=False)
    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2100, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        scope = str(data.get("scope"))
        required: dict[str, tuple[str, ...]] = {
            ArchiveExport.Scope.CASE: ("case",),
            ArchiveExport.Scope.DIARIUM: ("diarium", "year"),
            ArchiveExport.Scope.BODY: ("body", "year"),
        }
        needed = required.get(scope, ())
        for name in needed:
            if data.get(name) in (None, "") and name not in self.errors:
                self.add_error(name, _("Choose this for the delivery you asked for."))
        return data


class RetentionRuleForm(forms.ModelForm):
    class Meta:
        model = RetentionRule
        fields = ("diarium", "document_kind", "action", "years", "basis")


class DisposalDecisionForm(forms.Form):
    """A gallringsbeslut: which of the handlingar due are destroyed, on what decision."""

    documents = DueDocumentsField(
        Document.objects.none(),
        label=_("Handlingar to destroy"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose the handlingar the decision concerns.")},
    )
    decided_on = forms.DateField(
        label=_("Decided on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reference = forms.CharField(
        label=_("Decision reference"),
        max_length=200,
        help_text=_("The decision's diarienummer or § (e.g. “RUN/12/2026” or “§ 14/2026”)."),
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, due: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        documents = self.fields["documents"]
        assert isinstance(documents, DueDocumentsField)
        documents.queryset = due
