import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils import translation


class LanguageMiddleware:
    """Swedish unless the person chose another language (the language cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language; a Swedish
    public body's portal speaks Swedish by default and English on request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class SecurityHeadersMiddleware:
    """The headers Django's SecurityMiddleware does not set: a strict Content-Security-
    Policy (scripts only from our own files, no inline script or style, no framing) and
    a Permissions-Policy that turns off what the portal never uses. The admin keeps
    Django's own inline styles, so it alone may use inline styles."""

    POLICY = "; ".join(
        (
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    )
    ADMIN_POLICY = POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
    PERMISSIONS = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        admin = request.path.startswith("/admin/")
        response.headers.setdefault(
            "Content-Security-Policy", self.ADMIN_POLICY if admin else self.POLICY
        )
        response.headers.setdefault("Permissions-Policy", self.PERMISSIONS)
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


LOGIN_AT = "samverkan_login_at"


class SessionLimitsMiddleware:
    """A session ends a fixed time after its login, however active (the idle limit is
    the session cookie's age, renewed on every request)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get(LOGIN_AT)
            now = int(time.time())
            if started is None:
                request.session[LOGIN_AT] = now
            elif now - int(started) > settings.SAMVERKAN_SESSION_MAX_SECONDS:
                logout(request)
        return self.get_response(request)


class TwoFactorMiddleware:
    """After the password, the second factor: a logged-in person who must use it (the
    secretariat and administrators where it is required, and anyone who turned it on)
    is sent to enter a code, or first to set up an authenticator, before anything else."""

    OPEN = ("/konto/tvastegs/", "/logga-ut/", "/static/", "/i18n/", "/healthz", "/tillganglighet/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from samverkan import two_factor

        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(self.OPEN)
            and not user.is_verified()
            and two_factor.required(user)
        ):
            target = "/konto/tvastegs/" if two_factor.device(user) else "/konto/tvastegs/ny/"
            return redirect_to_login(request.get_full_path(), target)
        return self.get_response(request)
