"""Input only: forms describe and validate what a person types; the rules live in
the models' ``clean()`` and in ``followups.services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement, Area
from councils.forms.fields import (
    CaseChoiceField,
    CaseMultipleChoiceField,
    DateInput,
    MeetingChoiceField,
)
from councils.models import Meeting, Organisation, Person
from followups.models import (
    Assessment,
    Assignment,
    Dialogue,
    Finding,
    FollowUp,
    PlanItem,
    Priority,
    Question,
    Section,
    StrategicQuestion,
    Theme,
)


class FollowUpForm(forms.ModelForm):
    case = CaseChoiceField(label=_("Case (ärende)"), required=False)
    questions = forms.CharField(
        label=_("Questions"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("One question per line; every dialogue answers them."),
    )

    class Meta:
        model = FollowUp
        fields = ("agreement", "year", "title", "body", "case", "summary")
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["questions"]
            del self.fields["agreement"]


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ("position", "text")


class DialogueForm(forms.ModelForm):
    class Meta:
        model = Dialogue
        fields = ("planned_on", "held_on", "participants", "notes")
        widgets = {
            "planned_on": DateInput(),
            "held_on": DateInput(),
            "participants": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(
        self, *args: Any, questions: list[Question], answers: dict[int, str], **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[f"answer_{question.pk}"] = forms.CharField(
                label=question.text,
                required=False,
                initial=answers.get(question.pk, ""),
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def answers(self) -> dict[Question, str]:
        return {q: self.cleaned_data.get(f"answer_{q.pk}", "") for q in self.questions}

    def dialogue_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class FindingForm(forms.ModelForm):
    new_theme = forms.CharField(
        label=_("Or a new theme"),
        required=False,
        max_length=120,
        help_text=_("Used when no theme is chosen above."),
    )

    class Meta:
        model = Finding
        fields = ("kind", "theme", "new_theme", "heading", "text", "position")
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        name = data.pop("new_theme", "").strip()
        if not data.get("theme") and name:  # the service stores it when it is new
            data["theme"] = Theme.objects.filter(name=name).first() or Theme(name=name)
        return data


class PriorityForm(forms.ModelForm):
    named_by = forms.ModelMultipleChoiceField(
        label=_("Named by"),
        queryset=Organisation.objects.filter(kind=Organisation.Kind.KOMMUN),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Priority
        fields = ("label", "position", "named_by")


class AssessmentForm(forms.Form):
    """One score and comment per area of the agreement."""

    def __init__(
        self, *args: Any, areas: list[Area], current: dict[int, Assessment], **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.areas = areas
        for area in areas:
            existing = current.get(area.pk)
            self.fields[f"score_{area.pk}"] = forms.TypedChoiceField(
                label=area.name,
                choices=[("", _("Not assessed")), *Assessment.Score.choices],
                coerce=int,
                empty_value=None,
                required=False,
                initial=existing.score if existing else "",
                widget=forms.RadioSelect,
            )
            self.fields[f"comment_{area.pk}"] = forms.CharField(
                label=_("Comment on %(area)s") % {"area": area.name},
                required=False,
                max_length=2000,
                initial=existing.comment if existing else "",
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def scores(self) -> dict[Area, tuple[int | None, str]]:
        return {
            area: (self.cleaned_data[f"score_{area.pk}"], self.cleaned_data[f"comment_{area.pk}"])
            for area in self.areas
        }


class AssignmentForm(forms.ModelForm):
    case = CaseChoiceField(label=_("Case (ärende)"), required=False)

    class Meta:
        model = Assignment
        fields = (
            "title",
            "owner",
            "responsible",
            "due_on",
            "status",
            "agreement",
            "case",
            "given_by",
            "given_in",
            "given_on",
            "outcome",
        )
        widgets = {
            "due_on": DateInput(),
            "given_on": DateInput(),
            "outcome": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, from_paragraph: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        responsible = self.fields["responsible"]
        assert isinstance(responsible, forms.ModelChoiceField)
        responsible.queryset = (
            Person.objects.filter(anonymised_at=None)
            .exclude(email="")
            .select_related("organisation")
            .order_by("last_name", "first_name")
        )
        if from_paragraph:  # the § says who gave it, when, and on which ärende
            for name in ("given_by", "given_in", "given_on", "case"):
                del self.fields[name]
        if not self.instance.pk:
            del self.fields["outcome"]


class AgendaChoiceForm(forms.Form):
    meeting = MeetingChoiceField(label=_("Meeting"), queryset=Meeting.objects.none())

    def __init__(self, *args: Any, meetings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["meeting"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = meetings


class StrategicQuestionForm(forms.ModelForm):
    cases = CaseMultipleChoiceField(label=_("Cases (ärenden)"), required=False)

    class Meta:
        model = StrategicQuestion
        fields = ("position", "title", "description", "cases")
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class PlanItemForm(forms.ModelForm):
    class Meta:
        model = PlanItem
        fields = ("month", "subject", "agreement", "area", "meeting", "decided_in")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        item = self.instance
        meeting = self.fields["meeting"]
        assert isinstance(meeting, forms.ModelChoiceField)
        meeting.queryset = Meeting.objects.filter(body_id=item.body_id, starts_at__year=item.year)
        area = self.fields["area"]
        assert isinstance(area, forms.ModelChoiceField)
        area.queryset = Area.objects.select_related("agreement")


class SectionForm(forms.ModelForm):
    class Meta:
        model = Section
        fields = ("heading", "body", "position")
        widgets = {"body": forms.Textarea(attrs={"rows": 10})}


class ReportStartForm(forms.Form):
    agreement = forms.ModelChoiceField(
        label=_("Agreement"), queryset=Agreement.objects.exclude(adopted_on=None)
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        agreement, year = data.get("agreement"), data.get("year")
        if agreement and year and not agreement.covers_year(year):
            self.add_error("year", _("The agreement was not in force that year."))
        return data
