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
    """Give a role on the organisation's behalf (bedömningsansvarig, arvodesadministratör
    or beslutsansvarig) to one of its own people who have an account. A page that shows
    a form for each role passes ``people`` (the organisation's people with an account)
    and ``roles`` (its roles), read once for all of them: the choices are then written
    without a query of their own."""

    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())
    kind = forms.ChoiceField(
        choices=OrganisationRole.Kind.choices, widget=forms.HiddenInput, required=False
    )

    def __init__(
        self,
        *args: Any,
        organisation: Any,
        kind: str = OrganisationRole.Kind.ASSESSOR,
        people: list[Person] | None = None,
        roles: list[OrganisationRole] | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("initial", {"kind": kind})
        kwargs.setdefault("auto_id", f"id_{kind}_%s")  # several such forms on one page
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Person.objects.filter(
            organisation=organisation, user__isnull=False
        ).exclude(organisation_roles__organisation=organisation, organisation_roles__kind=kind)
        if people is not None and roles is not None:
            holding = {role.person_id for role in roles if role.kind == kind}
            field.choices = [("", field.empty_label or "")] + [
                (person.pk, field.label_from_instance(person))
                for person in people
                if person.pk not in holding
            ]


class RegistratorForm(forms.ModelForm):
    """The organisation's functional mailbox (its registrator)."""

    class Meta:
        model = Organisation
        fields = ["official_email"]
