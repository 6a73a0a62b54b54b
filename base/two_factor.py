"""Two-factor authentication with TOTP (RFC 6238) through django-otp: who must use it,
setting up an authenticator app (QR code as SVG, drawn on the server), and checking a
code. One confirmed device per person."""

from __future__ import annotations

import base64
import io

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from base.actors import Viewer
from base.roles import is_secretariat


def device(user: Viewer) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def required(user: Viewer) -> bool:
    """The secretariat and administrators where the setting requires it; anyone with a
    device (who turned it on)."""
    if device(user) is not None:
        return True
    return (
        bool(settings.SAMVERKAN_REQUIRE_2FA)
        and user is not None
        and (is_secretariat(user) or user.is_staff or user.is_superuser)
    )


def pending_device(user: Viewer) -> TOTPDevice:
    """The device being set up (not yet confirmed): made once, kept until confirmed."""
    found = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return found or TOTPDevice.objects.create(user=user, name="Autentiseringsapp", confirmed=False)


def secret(device: TOTPDevice) -> str:
    """The key in the form authenticator apps take when typed in (base32)."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def qr_svg(device: TOTPDevice) -> str:
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    out = io.BytesIO()
    image.save(out)
    return out.getvalue().decode()


def verify(device: TOTPDevice, code: str) -> bool:
    code = "".join(ch for ch in code if ch.isdigit())
    return len(code) == 6 and bool(device.verify_token(code))
