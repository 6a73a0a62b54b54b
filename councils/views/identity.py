"""Signing in through an organisation's identity provider (OpenID Connect), and out:
the login page offers each configured provider above the local form."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.views import LoginView
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from councils import identity, services
from councils.models import Organisation
from samverkan.middleware import TWO_FACTOR
from samverkan.redirects import next_url

log = logging.getLogger(__name__)
PENDING = "samverkan_sso_pending"
SIGNED_IN = "samverkan_sso"


class SignInView(LoginView):
    """The local form, with "Logga in via <organisation>" for each provider above it."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        configured = identity.providers()
        names = dict(
            Organisation.objects.filter(slug__in=[p.organisation for p in configured]).values_list(
                "slug", "name"
            )
        )
        context["providers"] = [
            (p.slug, p.label or names.get(p.organisation, p.organisation)) for p in configured
        ]
        return context


def _provider(slug: str) -> identity.Provider:
    found = identity.provider(slug)
    if found is None or found.protocol != "oidc":
        raise Http404
    return found


def _callback_url(request: HttpRequest, slug: str) -> str:
    return request.build_absolute_uri(reverse("councils:sso-callback", args=[slug]))


def sso_start(request: HttpRequest, slug: str) -> HttpResponse:
    """Send the browser to the provider, remembering state, nonce and PKCE verifier."""
    provider = _provider(slug)
    try:
        url, pending = identity.oidc_start(provider, _callback_url(request, slug))
    except Exception:  # the provider does not answer its discovery
        log.exception("identity provider %s unreachable", slug)
        messages.error(request, _("The identity provider does not answer. Try again later."))
        return redirect("login")
    pending["next"] = next_url(request, request.GET.get("next"), default="home")
    request.session[PENDING] = pending
    return redirect(url)


def sso_callback(request: HttpRequest, slug: str) -> HttpResponse:
    """The provider's answer: check it, find the account by the portal's rules, log in."""
    provider = _provider(slug)
    pending = request.session.pop(PENDING, None) or {}
    try:
        claims = identity.oidc_finish(
            provider, _callback_url(request, slug), pending, request.GET.dict()
        )
        assurance = str(claims.get("acr", ""))
        signed = services.sso_sign_in(provider=provider, claims=claims, assurance=assurance)
    except identity.SignInError as error:
        log.warning("sign-in through %s refused: %s", slug, error)
        messages.error(
            request,
            _(
                "Signing in through the identity provider did not succeed. If you should have "
                "an account here, ask the secretariat."
            ),
        )
        return redirect("login")
    login(request, signed.user, backend="samverkan.auth.PortalBackend")
    if signed.two_factor:  # the provider's sign-in was two-factor: the portal's TOTP is not asked
        request.session[TWO_FACTOR] = False
    request.session[SIGNED_IN] = {
        "provider": slug,
        "assurance": signed.identity.last_assurance,
        "id_token": claims.get("_id_token", ""),
    }
    return redirect(pending.get("next") or "home")


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    """Log out of the portal (always: the session is flushed first), then out of the
    provider too where it supports RP-initiated logout."""
    signed = request.session.get(SIGNED_IN) or {}
    logout(request)
    provider = identity.provider(signed.get("provider", "")) if signed else None
    if provider is not None and signed.get("id_token"):
        try:
            url = identity.oidc_logout_url(
                provider, signed["id_token"], request.build_absolute_uri(reverse("home"))
            )
        except Exception:  # the provider does not answer: the portal session is gone anyway
            log.exception("identity provider %s unreachable at logout", provider.slug)
            url = None
        if url:
            return redirect(url)
    return redirect("home")
