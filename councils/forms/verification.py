"""/verifiera/: a PDF or its checksum."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


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
