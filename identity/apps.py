from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "identity"
    verbose_name = _("Sign-in")

    def ready(self) -> None:
        from base import panels
        from identity.selectors import person_sign_in_panel

        panels.register("person", person_sign_in_panel)
