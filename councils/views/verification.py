"""/verifiera/: anyone checks whether a PDF is an authentic, unchanged document the
portal issued (by uploading it, or by its checksum). The upload is read in memory,
checked and forgotten: never written to disk or kept."""

from __future__ import annotations

from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from base import bounded, throttle
from base.seal import demo, keys
from councils import renderers
from councils.forms.verification import VerifyForm
from councils.selectors.verification import verify_checksum, verify_pdf

#: Checks per client in a window of ten minutes.
CHECKS_PER_WINDOW = 30
WINDOW_SECONDS = 600


class _InMemoryOnly(MemoryFileUploadHandler):
    """Keeps an upload up to the form's limit in memory; a larger one is never read."""

    def handle_raw_input(
        self,
        input_data: object,
        META: dict[str, str],
        content_length: int,
        boundary: object,
        encoding: str | None = None,
    ) -> None:
        self.activated = content_length <= VerifyForm.MAX_BYTES + 65536


def parse_limit_message(limit: bounded.LimitExceeded) -> str:
    return _(
        "The file could not be checked: reading it needed more than %(seconds)s seconds or "
        "%(memory)s MB of memory (it unpacks to far more than its size). No document the "
        "portal issues does that."
    ) % {"seconds": f"{limit.bounds.seconds:g}", "memory": limit.bounds.memory_bytes // bounded.MIB}


@csrf_exempt
def verify(request: HttpRequest) -> HttpResponse:
    request.upload_handlers = [_InMemoryOnly(request)]
    return _verify(request)


@csrf_protect
def _verify(request: HttpRequest) -> HttpResponse:
    result = None
    status = 200
    form = VerifyForm()
    if request.method == "POST":
        too_large = int(request.META.get("CONTENT_LENGTH") or 0) > VerifyForm.MAX_BYTES + 65536
        form = VerifyForm(request.POST, request.FILES)
        if too_large:
            form = VerifyForm()
            form.add_error("file", VerifyForm.too_large_message())
            status = 413
        elif not throttle.allow(request, "verify", limit=CHECKS_PER_WINDOW, seconds=WINDOW_SECONDS):
            form.add_error(None, _("Too many checks from your address: wait ten minutes."))
            status = 429
        elif form.is_valid():
            upload = form.cleaned_data["file"]
            if upload is not None:
                data = upload.read()
                upload.close()
                try:
                    result = verify_pdf(data)
                except bounded.LimitExceeded as limit:
                    form.add_error("file", parse_limit_message(limit))
                    status = 422
            else:
                result = verify_checksum(form.cleaned_data["checksum"])
        else:
            status = 400
    key = keys.certificates()
    return TemplateResponse(
        request,
        "councils/verify.html",
        {
            "form": form,
            "result": result,
            "subject": renderers.subject(result.job if result else None),
            "seal_holder": key.holder,
            "seal_subject": key.subject,
            "seal_issuer": key.issuer,
            "seal_fingerprint": key.fingerprint,
            "seal_level": key.level,
            "demo_seal": key.demo,
        },
        status=status,
    )


def seal_certificates(request: HttpRequest) -> HttpResponse:
    """The seal's certificate chain (PEM), to add the root to a PDF reader's trust."""
    from asn1crypto import pem

    key = keys.certificates()
    body = b"".join(pem.armor("CERTIFICATE", certificate.dump()) for certificate in key.chain)
    response = HttpResponse(body, content_type="application/x-pem-file")
    response["Content-Disposition"] = 'attachment; filename="samverkansportalen-sigill.pem"'
    return response


def demo_crl(request: HttpRequest) -> HttpResponse:
    """The demonstration CA's revocation list (where its certificates point)."""
    if not keys.certificates().demo:
        return HttpResponse(status=404)
    return HttpResponse(demo.crl_der(), content_type="application/pkix-crl")
