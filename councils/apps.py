from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilsConfig(AppConfig):
    name = "councils"
    verbose_name = _("Arenas and diarium")

    def ready(self) -> None:
        from councils.pdfs import register_renderers

        register_renderers()
