"""Sign-in and the account: the portal's own login and logout, two-step verification,
Mitt konto, and sign-in through the organisations' identity providers (OpenID Connect
and SAML). The names are the project's own (``login``, ``two-factor``, ``sso-start``):
no namespace, as Django's own auth views have none."""

from django.urls import path

from identity import views

urlpatterns = [
    path("logga-in/", views.SignInView.as_view(), name="login"),
    path("logga-ut/", views.sign_out, name="logout"),
    path("konto/", views.account, name="account"),
    path("konto/tvastegs/", views.two_factor_verify, name="two-factor"),
    path("konto/tvastegs/ny/", views.two_factor_setup, name="two-factor-setup"),
    path("konto/logga-ut-overallt/", views.logout_everywhere, name="logout-everywhere"),
    path("konto/saml/metadata/", views.saml_metadata, name="saml-metadata"),
    path("konto/saml/acs/", views.saml_acs, name="saml-acs"),
    path("konto/saml/utloggning/", views.saml_logout_service, name="saml-logout"),
    path("konto/inloggning/<slug:slug>/", views.sso_start, name="sso-start"),
    path("konto/inloggning/<slug:slug>/tillbaka/", views.sso_callback, name="sso-callback"),
    path(
        "konto/inloggning/<slug:slug>/utloggning/",
        views.oidc_backchannel_logout,
        name="sso-backchannel-logout",
    ),
]
