"""Forms for recording an organisation's decision, and the secretariat's changes to a
recommendation (its answer date, one more organisation)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from councils.forms.fields import DateInput
from councils.models import Organisation
from councils.uploads import allowed_extensions
from recommendations.models import OrganisationDecision, Recommendation
from recommendations.services import RECORDED_FIELDS


class DecisionForm(forms.ModelForm):
    """What the organisation received and decided; the model's ``clean`` holds the
    rules (no date before the recommendation or in the future, a § that parses)."""

    extract = forms.FileField(
        label=_("Their protocol extract (optional)"),
        required=False,
        help_text=format_lazy(
            _("Filed on the ärende as an incoming handling. Accepted types: {types}."),
            types=", ".join(allowed_extensions()),
        ),
    )

    class Meta:
        model = OrganisationDecision
        fields = ["action", *RECORDED_FIELDS]
        widgets = {
            "received_on": DateInput(),
            "decided_on": DateInput(),
            "comment": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, may_change_action: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not may_change_action:  # what is asked is the secretariat's to say
            del self.fields["action"]
        self.fields["extract"].widget.attrs["accept"] = ",".join(allowed_extensions())


class AnswerDateForm(forms.ModelForm):
    class Meta:
        model = Recommendation
        fields = ["answer_by"]
        widgets = {"answer_by": DateInput()}


class AddresseeForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    action = forms.ChoiceField(
        label=_("Asked to"),
        choices=OrganisationDecision.Action.choices,
        initial=OrganisationDecision.Action.ADOPT,
    )

    def __init__(self, *args: Any, recommendation: Recommendation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Organisation.objects.exclude(
            recommendation_decisions__recommendation=recommendation
        ).order_by("kind", "name")
