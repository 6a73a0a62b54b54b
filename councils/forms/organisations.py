"""Organisations: the people named to a role."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from councils.models import (
    Organisation,
    OrganisationRole,
    Person,
)


class AssessorForm(forms.Form):
    """Give a role on the organisation's behalf (bedömningsansvarig, or
    arvodesadministratör) to one of its own people who have an account."""

    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())
    kind = forms.ChoiceField(
        choices=OrganisationRole.Kind.choices, widget=forms.HiddenInput, required=False
    )

    def __init__(
        self,
        *args: Any,
        organisation: Any,
        kind: str = OrganisationRole.Kind.ASSESSOR,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("initial", {"kind": kind})
        kwargs.setdefault("auto_id", f"id_{kind}_%s")  # two such forms on one page
        super().__init__(*args, **kwargs)
        people = Person.objects.filter(organisation=organisation, user__isnull=False)
        self.fields["person"].queryset = people.exclude(  # type: ignore[attr-defined]
            organisation_roles__organisation=organisation,
            organisation_roles__kind=kind,
        )


class RegistratorForm(forms.ModelForm):
    """The organisation's functional mailbox (its registrator)."""

    class Meta:
        model = Organisation
        fields = ["official_email"]
