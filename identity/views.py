"""Signing in through an organisation's identity provider (OpenID Connect), and out:
the login page offers each configured provider above the local form."""

from __future__ import annotations

import base64
import logging
from typing import Any

import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from base import two_factor
from base.middleware import SIGNED_IN, TWO_FACTOR
from base.redirects import next_url
from councils.models import Organisation
from identity import providers, saml, services

log = logging.getLogger(__name__)
PENDING = "samverkan_sso_pending"
SAML_PENDING = "samverkan-saml-request:"


class SignInView(LoginView):
    """The local form, with "Logga in via <organisation>" for each provider above it."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        configured = providers.providers()
        names = dict(
            Organisation.objects.filter(slug__in=[p.organisation for p in configured]).values_list(
                "slug", "name"
            )
        )
        context["providers"] = [
            (p.slug, p.label or names.get(p.organisation, p.organisation)) for p in configured
        ]
        return context


def _provider(slug: str) -> providers.Provider:
    found = providers.provider(slug)
    if found is None or found.protocol not in ("oidc", "saml"):
        raise Http404
    return found


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _callback_url(request: HttpRequest, slug: str) -> str:
    return request.build_absolute_uri(reverse("sso-callback", args=[slug]))


def sso_start(request: HttpRequest, slug: str) -> HttpResponse:
    """Send the browser to the provider. OpenID Connect: state, nonce and the PKCE
    verifier wait in the session. SAML: the request's id waits in the cache (the
    provider's answer is a cross-site POST, which carries no session cookie)."""
    provider = _provider(slug)
    after = next_url(request, request.GET.get("next"), default="home")
    try:
        if provider.protocol == "saml":
            url, request_id = saml.saml_start(provider, _base(request), relay_state="")
            cache.set(f"{SAML_PENDING}{request_id}", {"provider": slug, "next": after}, 600)
            return redirect(url)
        url, pending = providers.oidc_start(provider, _callback_url(request, slug))
    except Exception:  # the provider (or its metadata) does not answer
        log.exception("identity provider %s unreachable", slug)
        messages.error(request, _("The identity provider does not answer. Try again later."))
        return redirect("login")
    pending["next"] = after
    request.session[PENDING] = pending
    return redirect(url)


def _refused(request: HttpRequest, slug: str, error: Exception) -> HttpResponse:
    log.warning("sign-in through %s refused: %s", slug, error)
    messages.error(
        request,
        _(
            "Signing in through the identity provider did not succeed. If you should have "
            "an account here, ask the secretariat."
        ),
    )
    return redirect("login")


def _signed_in(
    request: HttpRequest,
    provider: providers.Provider,
    claims: dict[str, Any],
    assurance: str,
    after: str,
) -> HttpResponse:
    """The portal's rules decide the account; then the session, as after a password."""
    try:
        signed = services.sso_sign_in(provider=provider, claims=claims, assurance=assurance)
    except providers.SignInError as error:
        return _refused(request, provider.slug, error)
    login(request, signed.user, backend="samverkan.auth.PortalBackend")
    if signed.two_factor:  # the provider's sign-in was two-factor: no portal code asked
        request.session[TWO_FACTOR] = False
    request.session[SIGNED_IN] = {
        "provider": provider.slug,
        "assurance": signed.identity.last_assurance,
        "id_token": claims.get("_id_token", ""),
        "saml": claims.get("_saml_session") or {},
    }
    return redirect(after or "home")


def sso_callback(request: HttpRequest, slug: str) -> HttpResponse:
    """The OpenID provider's answer: check it, then the portal's rules."""
    provider = _provider(slug)
    pending = request.session.pop(PENDING, None) or {}
    try:
        claims = providers.oidc_finish(
            provider, _callback_url(request, slug), pending, request.GET.dict()
        )
    except providers.SignInError as error:
        return _refused(request, slug, error)
    after = str(pending.get("next") or "home")
    return _signed_in(request, provider, claims, str(claims.get("acr", "")), after)


@csrf_exempt  # the identity provider's POST: the signed assertion is the proof
@require_POST
def saml_acs(request: HttpRequest) -> HttpResponse:
    """The SAML assertion consumer: the response must answer a request this portal sent
    in the last ten minutes, once (a replay finds the request gone)."""
    posted = request.POST.get("SAMLResponse", "")
    request_id = saml.in_response_to(posted)
    pending = cache.get(f"{SAML_PENDING}{request_id}") if request_id else None
    # Taken once, on whichever node: only the request whose delete removed the entry
    # (DEL on the shared Redis answers 1 once) goes on.
    if not pending or not cache.delete(f"{SAML_PENDING}{request_id}"):
        return _refused(
            request, "saml", providers.SignInError("no request waits for this response")
        )
    try:
        provider, claims, assurance = saml.saml_finish(
            _base(request), posted, {request_id: pending["next"]}
        )
        if provider.slug != pending["provider"]:
            raise providers.SignInError("the response comes from another provider")
    except providers.SignInError as error:
        return _refused(request, pending["provider"], error)
    return _signed_in(request, provider, claims, assurance, pending["next"])


def saml_metadata(request: HttpRequest) -> HttpResponse:
    """The portal's SAML service-provider metadata, for the providers' administrators."""
    return HttpResponse(
        saml.sp_metadata(_base(request)), content_type="application/samlmetadata+xml"
    )


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    """Log out of the portal (always: the session is flushed first), then out of the
    provider too where it offers single logout (OpenID: RP-initiated logout; SAML: a
    logout request to its single logout service)."""
    signed = request.session.get(SIGNED_IN) or {}
    logout(request)
    provider = providers.provider(signed.get("provider", "")) if signed else None
    url = None
    try:
        if provider is not None and provider.protocol == "oidc" and signed.get("id_token"):
            url = providers.oidc_logout_url(
                provider, signed["id_token"], request.build_absolute_uri(reverse("home"))
            )
        elif provider is not None and provider.protocol == "saml" and signed.get("saml"):
            url = saml.saml_logout_url(provider, _base(request), signed["saml"])
    except Exception:  # the provider does not answer: the portal session is gone anyway
        log.exception("identity provider %s unreachable at logout", signed.get("provider"))
    return redirect(url or "home")


def saml_logout_service(request: HttpRequest) -> HttpResponse:
    """The SAML single logout service: the provider's answer to our logout, or its own
    logout request (another application logged the person out): then every portal
    session of that account ends, and the provider gets its answer."""
    try:
        kind, who, answer = saml.saml_logout_message(_base(request), request.GET.dict())
    except providers.SignInError as error:
        log.warning("SAML logout message refused: %s", error)
        return redirect("home")
    if kind == "request":
        issuer, _, name_id = who.partition("\n")
        slug = next((p.slug for p in saml.saml_providers() if p.entity_id == issuer), None)
        if slug is not None:
            ended = services.sso_sessions_end(provider=slug, subject=name_id)
            if request.user.is_authenticated and request.user in ended:
                logout(request)
    return redirect(answer or "home")


@csrf_exempt  # the provider posts, server to server; the logout token is the proof
@require_POST
def oidc_backchannel_logout(request: HttpRequest, slug: str) -> JsonResponse:
    """OpenID Connect Back-Channel Logout: the provider posts a signed logout token when
    the person logs out there (or at another of its applications); every portal session
    of the account linked to the token's subject ends. 200 when it holds, 400
    (``invalid_request``, the reason in the log) when it does not, as the spec asks; 503
    when the provider's keys cannot be fetched; a token is taken once (``jti``)."""
    provider = _provider(slug)
    if provider.protocol != "oidc":
        raise Http404
    try:
        claims = providers.validate_logout_token(provider, request.POST.get("logout_token", ""))
    except providers.SignInError as error:
        log.warning("logout token from %s refused: %s", slug, error)
        return _no_store(JsonResponse({"error": "invalid_request"}, status=400))
    except requests.RequestException:  # its keys could not be fetched: it may try again
        log.exception("the keys of %s could not be fetched for a logout token", slug)
        return _no_store(JsonResponse({"error": "temporarily_unavailable"}, status=503))
    seen = f"samverkan-logout-token:{slug}:{claims['jti']}"
    if not cache.add(seen, True, timeout=2 * providers.LOGOUT_TOKEN_SECONDS):
        log.warning("logout token %s from %s replayed", claims["jti"], slug)
        return _no_store(JsonResponse({"error": "invalid_request"}, status=400))
    ended = services.sso_sessions_end(provider=slug, subject=str(claims["sub"]))
    log.info("back-channel logout from %s ended the sessions of %d account(s)", slug, len(ended))
    return _no_store(JsonResponse({}))


def _no_store(response: JsonResponse) -> JsonResponse:
    response["Cache-Control"] = "no-store"
    return response


# --- The account pages: Mitt konto, two-step verification, logging out everywhere ---------


@login_required
def account(request: HttpRequest) -> TemplateResponse:
    """Mitt konto: the password, the sessions, and the ways in to what is the person's."""
    return TemplateResponse(
        request,
        "identity/account.html",
        {"has_two_factor": two_factor.device(request.user) is not None},
    )


@login_required
@require_POST
def logout_everywhere(request: HttpRequest) -> HttpResponse:
    """End every session of the account, on every device, this one too."""
    request.user.end_all_sessions()  # type: ignore[union-attr]
    logout(request)
    messages.success(request, _("You are logged out everywhere."))
    return redirect("login")


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Set up the authenticator app: scan the code (or type the key), confirm with a code."""
    if two_factor.device(request.user) is not None:
        return redirect("two-factor")
    device = two_factor.pending_device(request.user)
    error = ""
    if request.method == "POST":
        if two_factor.verify(device, request.POST.get("code", "")):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, _("Two-step verification is on."))
            return redirect(next_url(request, request.GET.get("next"), default="account"))
        error = _("The code is not right. Enter the six digits the app shows now.")
    qr = base64.b64encode(two_factor.qr_svg(device).encode()).decode()
    return TemplateResponse(
        request,
        "identity/two_factor_setup.html",
        {"qr": qr, "secret": two_factor.secret(device), "error": error},
    )


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step of logging in: the code from the authenticator app."""
    device = two_factor.device(request.user)
    if device is None:
        return redirect("two-factor-setup")
    error = ""
    if request.method == "POST":
        if two_factor.verify(device, request.POST.get("code", "")):
            otp_login(request, device)
            return redirect(next_url(request, request.GET.get("next"), default="home"))
        error = _("The code is not right. Enter the six digits the app shows now.")
    return TemplateResponse(request, "identity/two_factor_verify.html", {"error": error})


def locked_out(
    request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    """What django-axes answers while a username pauses after too many failures."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    # Called from axes' middleware, not as a view: the response must come rendered.
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)
