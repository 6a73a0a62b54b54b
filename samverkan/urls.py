from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from samverkan import views

admin.site.site_header = settings.SAMVERKAN_SITE_NAME
admin.site.site_title = settings.SAMVERKAN_SITE_NAME

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico on their own: the portal's icon.
    path("favicon.ico", views.favicon, name="favicon"),
    path("sok/", views.search_page, name="search"),
    path("oppna-data/", views.open_data, name="open-data"),
    path("tillganglighet/", views.accessibility, name="accessibility"),
    path(
        "konto/losenord/",
        auth_views.PasswordChangeView.as_view(success_url="/konto/losenord/klart/"),
        name="password_change",
    ),
    path(
        "konto/losenord/klart/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("glomt-losenord/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "glomt-losenord/skickat/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "nytt-losenord/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "nytt-losenord/klart/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("sprak/<slug:code>/", views.choose_language, name="choose-language"),
    path("admin/", admin.site.urls),
    path("api/", include("samverkan.api_urls")),
    path("", include("identity.urls")),
    path("", include("councils.urls")),
    path("", include("archive.urls")),
    path("", include("agreements.urls")),
    path("", include("recommendations.urls")),
    path("", include("followups.urls")),
]
