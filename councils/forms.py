"""Input only: forms describe and validate what a person types. The rules that
change records live in ``councils.services``."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from councils.models import (
    AgendaItem,
    ArchiveExport,
    Attendance,
    Body,
    Case,
    Diarium,
    Document,
    Meeting,
    OrganisationRole,
    Paragraph,
    Person,
    Protocol,
    RetentionRule,
)
from councils.services import CASE_EDITABLE_FIELDS, DOCUMENT_EDITABLE_FIELDS
from councils.uploads import allowed_extensions


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


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


class PeriodForm(forms.Form):
    """A period of days: this month unless chosen, at most a year."""

    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        if not data or not ({"start", "end"} & set(data)):
            today = timezone.localdate()
            first = today.replace(day=1)
            last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
            data = {"start": first.isoformat(), "end": last.isoformat()}
        super().__init__(data, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                raise forms.ValidationError(_("The period ends before it starts."))
            if (end - start).days >= 366:
                raise forms.ValidationError(_("Choose a period of at most a year."))
        return data


class DecisionFilterForm(forms.Form):
    q = forms.CharField(label=_("Title or diarienummer"), required=False, max_length=200)
    body = forms.ModelChoiceField(label=_("Arena"), required=False, queryset=Body.objects.all())
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)


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


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class MeetingPlanForm(forms.Form):
    starts = forms.CharField(
        label=_("Meeting times"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("One meeting a line, as YYYY-MM-DD HH:MM, e.g. 2027-02-16 13:00."),
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


class VerifyForm(forms.Form):
    """A PDF to check, or the checksum of one."""

    MAX_BYTES = 50 * 1024 * 1024

    file = forms.FileField(
        label=_("The PDF"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        help_text=_("It is checked and forgotten: the portal does not keep it."),
    )
    checksum = forms.CharField(
        label=_("Or its checksum (SHA-256)"),
        required=False,
        max_length=100,
        help_text=_("64 hexadecimal characters, as sha256sum or Get-FileHash prints them."),
    )

    @staticmethod
    def too_large_message() -> str:
        return str(_("The file is larger than 50 MB: no document the portal issues is."))

    def clean_checksum(self) -> str:
        value = "".join(str(self.cleaned_data.get("checksum") or "").split()).lower()
        if value and not re.fullmatch(r"[0-9a-f]{64}", value):
            raise forms.ValidationError(
                _("A SHA-256 checksum is 64 characters 0–9 and a–f."), code="checksum"
            )
        return value

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload is None:
            return None
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(self.too_large_message(), code="too_large")
        head = upload.read(1024)
        upload.seek(0)
        if b"%PDF-" not in head:
            raise forms.ValidationError(_("The file is not a PDF."), code="not_pdf")
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and not cleaned.get("file") and not cleaned.get("checksum"):
            raise forms.ValidationError(
                _("Choose a PDF or paste its checksum."), code="nothing_to_check"
            )
        return cleaned


class DecisionForm(forms.Form):
    #: The checksum of the copy to justera the signatory was shown (and read).
    read_sha256 = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when you send the protocol back."),
    )


class WatchForm(forms.Form):
    """What the Bevaka buttons send: an arena (slug), an ärende (id) or a search."""

    kind = forms.ChoiceField(
        choices=[("arena", "arena"), ("arende", "arende"), ("sokning", "sokning")]
    )
    body = forms.SlugField(required=False)
    case = forms.IntegerField(required=False, min_value=1)
    q = forms.CharField(required=False, max_length=200)
    kind_filter = forms.CharField(required=False, max_length=20)
    body_filter = forms.IntegerField(required=False, min_value=1)
    year = forms.IntegerField(required=False, min_value=1990, max_value=2100)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        needed = {"arena": "body", "arende": "case", "sokning": "q"}.get(data.get("kind", ""))
        if needed and not data.get(needed):
            raise forms.ValidationError(_("Say what to follow."))
        return data


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
