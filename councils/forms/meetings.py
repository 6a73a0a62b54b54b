"""Meetings and their agendas: the yearly plan, a meeting, its items and private notes."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from councils.forms.fields import (
    DateTimeInput,
)
from councils.models import (
    AgendaItem,
    Case,
    Document,
    Meeting,
    Person,
)


class MeetingPlanForm(forms.Form):
    #: One meeting picked in the browser's date picker; more in the lines below.
    first = forms.DateTimeField(
        label=_("Date and time"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    starts = forms.CharField(
        label=_("Meeting times"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Several meetings at once: one a line, as YYYY-MM-DD HH:MM, e.g. 2027-02-16 13:00."
        ),
    )
    duration = forms.IntegerField(
        label=_("Length in minutes"), min_value=15, max_value=24 * 60, initial=180
    )
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    remote_link = forms.URLField(
        label=_("Link for participation at a distance"),
        max_length=500,
        required=False,
        assume_scheme="https",
    )

    def clean_starts(self) -> list[datetime.datetime]:
        lines = [line.strip() for line in self.cleaned_data["starts"].splitlines() if line.strip()]
        starts, bad = [], []
        for line in lines:
            try:
                naive = datetime.datetime.strptime(line, "%Y-%m-%d %H:%M")  # noqa: DTZ007
            except ValueError:
                bad.append(line)
            else:
                starts.append(timezone.make_aware(naive))
        if bad:
            raise forms.ValidationError(
                _("These lines are not dates with a time (YYYY-MM-DD HH:MM): %(lines)s")
                % {"lines": ", ".join(bad)}
            )
        if len(starts) > 60:
            raise forms.ValidationError(_("Plan at most 60 meetings at a time."))
        return starts

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first = data.get("first")
        if first is not None:
            data["starts"] = [first, *data.get("starts", [])]
        if not data.get("starts") and not self.errors:
            raise forms.ValidationError(_("Give the date and time of at least one meeting."))
        return data


class MeetingForm(forms.ModelForm):
    remote_link = forms.URLField(
        label=_("Link for participation at a distance"),
        max_length=500,
        required=False,
        assume_scheme="https",
    )

    class Meta:
        model = Meeting
        fields = ("starts_at", "ends_at", "place", "remote_link", "status", "invitees")
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "invitees": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_invitees(self) -> str:
        from django.core.validators import validate_email

        lines = [line.strip() for line in self.cleaned_data["invitees"].splitlines()]
        bad = []
        for line in filter(None, lines):
            try:
                validate_email(line)
            except forms.ValidationError:
                bad.append(line)
        if bad:
            raise forms.ValidationError(
                _("These are not e-mail addresses: %(lines)s") % {"lines": ", ".join(bad)}
            )
        return "\n".join(filter(None, lines))


class AgendaCaseForm(forms.Form):
    case = forms.ModelChoiceField(label=_("Case"), queryset=Case.objects.none())
    public = forms.BooleanField(label=_("Public item"), required=False, initial=True)
    presenter = forms.ModelChoiceField(
        label=_("Presenter (föredragande)"),
        queryset=Person.objects.select_related("organisation"),
        required=False,
    )
    proposal = forms.CharField(
        label=_("Proposed decision"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args: Any, cases: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        case_field = self.fields["case"]
        assert isinstance(case_field, forms.ModelChoiceField)
        case_field.queryset = cases


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ("title", "public", "presenter", "proposal", "documents")
        widgets = {
            "proposal": forms.Textarea(attrs={"rows": 4}),
            "documents": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        documents = self.fields["documents"]
        assert isinstance(documents, forms.ModelMultipleChoiceField)
        documents.queryset = (
            self.instance.case.documents.all() if self.instance.case_id else Document.objects.none()
        )


class AgendaNoteForm(forms.Form):
    text = forms.CharField(
        label=_("My private note"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
