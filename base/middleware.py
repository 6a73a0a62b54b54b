import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from base.actors import Viewer


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
SEEN_AT = "samverkan_seen_at"
TWO_FACTOR = "samverkan_two_factor"
#: How the session signed in through an identity provider (provider, subject, level).
SIGNED_IN = "samverkan_sso"
#: The idle clock is moved (and the session written) at most once a minute.
SEEN_RESOLUTION = 60


def session_started(request: HttpRequest, user: Viewer) -> None:
    """At login (the ``user_logged_in`` signal): note when, and whether the person must
    give a second factor, so that ordinary requests need neither a query nor a write."""
    from base import two_factor

    now = int(time.time())
    request.session[LOGIN_AT] = now
    request.session[SEEN_AT] = now
    request.session[TWO_FACTOR] = two_factor.required(user)


class SessionLimitsMiddleware:
    """A session ends after ``SESSION_COOKIE_AGE`` without a request (the cookie and
    the stored session are renewed at most once a minute) and a fixed time after its
    login however active."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            session = request.session
            now = int(time.time())
            if LOGIN_AT not in session:  # a session from before these limits
                session_started(request, user)
            elif now - int(session[LOGIN_AT]) > settings.SAMVERKAN_SESSION_MAX_SECONDS:
                logout(request)
            elif now - int(session.get(SEEN_AT, 0)) > SEEN_RESOLUTION:
                session[SEEN_AT] = now
        return self.get_response(request)


class PrivateDownloadsMiddleware:
    """A file sent to someone in particular (a signed-in person, or a client with an API
    key) is kept by no cache on the way nor on the disk of the browser: deliveries to
    the e-archive, arvode reports, a member's PDFs, documents, calendar files, every
    download (``Content-Disposition``, or a streamed file) gets ``Cache-Control:
    private, no-store``. What the public downloads keeps its own headers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)  # the API's key sets it in the view
        personal = "Authorization" in request.headers or bool(
            user is not None and user.is_authenticated
        )
        if personal and (response.streaming or response.has_header("Content-Disposition")):
            response["Cache-Control"] = "private, no-store"
        return response


class TwoFactorMiddleware:
    """After the password, the second factor: a logged-in person who must use it (the
    secretariat and administrators where it is required, and anyone who turned it on)
    is sent to enter a code, or first to set up an authenticator, before anything else."""

    OPEN = ("/konto/tvastegs/", "/logga-ut/", "/static/", "/i18n/", "/healthz", "/tillganglighet/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from base import two_factor

        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and request.session.get(TWO_FACTOR)
            and not request.path.startswith(self.OPEN)
            and not user.is_verified()
        ):
            target = "/konto/tvastegs/" if two_factor.device(user) else "/konto/tvastegs/ny/"
            return redirect_to_login(request.get_full_path(), target)
        return self.get_response(request)
